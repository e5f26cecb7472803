// Capture a person, find people, edit a person: all from the local store, online or not.
import { $, changedValues, fillForm, h, notify } from '../dom.js';
import { get, list, newId, remove, save } from '../store.js';

const form = () => $('#contact-form');
let editing = null; // the contact being edited, or null for a new capture

export function showCapture() {
  editing = null;
  $('[data-screen="capture"] [data-title]').textContent = 'Capture';
  fillForm(form());
  form().querySelector('[data-delete]').hidden = true;
  form().elements.name.focus();
}

export async function showPerson(id) {
  editing = await get('contact', id);
  if (!editing) {
    notify('That person is not on this device.', { id: 'missing' });
    return false;
  }
  $('[data-screen="capture"] [data-title]').textContent = editing.name;
  fillForm(form(), editing);
  form().querySelector('[data-delete]').hidden = false;
  return true;
}

export function bindContactForm(navigate) {
  form().addEventListener('submit', async (event) => {
    event.preventDefault();
    const errorLine = form().querySelector('[data-error]');
    const fields = changedValues(form(), editing || {});
    const name = editing ? (fields.name ?? editing.name) : fields.name;
    if (!name) {
      errorLine.textContent = 'Name: who did you meet?';
      form().elements.name.focus();
      return;
    }
    errorLine.textContent = '';
    if (editing) {
      if (Object.keys(fields).length) await save('contact', editing.id, fields);
      navigate('/people');
      return;
    }
    await save('contact', newId(), {
      ...fields,
      met_at: new Date().toISOString(),
      source: 'capture',
    });
    notify(`Saved ${name}.`, { id: 'saved' });
    showCapture();
  });
  form()
    .querySelector('[data-delete]')
    .addEventListener('click', async () => {
      if (!editing || !confirm(`Delete ${editing.name}?`)) return;
      await remove('contact', editing.id);
      navigate('/people');
    });
}

function matches(contact, words) {
  const haystack = [
    contact.name,
    contact.company,
    contact.notes,
    ...(contact.tags || []),
  ]
    .join(' ')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

export async function showPeople() {
  const words = $('#people-search')
    .value.toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
  const people = (await list('contact'))
    .filter((contact) => matches(contact, words))
    .sort((a, b) =>
      (b.met_at || b.created_at || '').localeCompare(
        a.met_at || a.created_at || '',
      ),
    );
  $('#people-list').replaceChildren(
    ...people.map((person) =>
      h(
        'li',
        {},
        h('a', { href: `/people/${person.id}` }, person.name),
        person.company
          ? h('span', { class: 'muted' }, ` · ${person.company}`)
          : null,
      ),
    ),
  );
  $('[data-screen="people"] [data-empty]').hidden = people.length > 0;
}

export function bindPeopleSearch() {
  $('#people-search').addEventListener('input', showPeople);
}
