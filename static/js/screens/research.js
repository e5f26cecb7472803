// The research list: people to meet, by priority, and my homework on each.
import { $, changedValues, fillForm, h } from '../dom.js';
import { get, list, newId, save } from '../store.js';

const STATUS = { to_meet: 'to meet', met: 'met', skip: 'skip' };
const form = () => $('#target-form');
let editing = null;

export async function showResearch(id) {
  editing = id ? await get('target', id) : null;
  fillForm(form(), editing || {});
  $('#target-form [data-form-title]').textContent = editing
    ? `Edit ${editing.name}`
    : 'Someone to meet';
  $('[data-screen="research"] [data-title]').textContent = editing
    ? editing.name
    : 'Research';
  $('#target-list').hidden = Boolean(editing);
  if (editing) {
    form().elements.name.focus();
    return;
  }
  const targets = (await list('target')).sort(
    (a, b) =>
      (a.priority ?? 3) - (b.priority ?? 3) ||
      (a.name || '').localeCompare(b.name || ''),
  );
  $('#target-list').replaceChildren(
    ...targets.map((target) =>
      h(
        'li',
        {},
        h('a', { href: `/research/${target.id}` }, target.name),
        h(
          'span',
          { class: 'muted' },
          ` · priority ${target.priority ?? 3} · ${STATUS[target.status] || 'to meet'}`,
        ),
      ),
    ),
  );
}

export function bindTargetForm(navigate) {
  form().addEventListener('submit', async (event) => {
    event.preventDefault();
    const fields = changedValues(
      form(),
      editing || { priority: 3, status: 'to_meet' },
    );
    const name = editing ? (fields.name ?? editing.name) : fields.name;
    if (!name) {
      form().querySelector('[data-error]').textContent =
        'Name: whom do you want to meet?';
      return;
    }
    form().querySelector('[data-error]').textContent = '';
    if (editing) {
      if (Object.keys(fields).length) await save('target', editing.id, fields);
    } else {
      await save('target', newId(), {
        priority: 3,
        status: 'to_meet',
        ...fields,
      });
    }
    navigate('/research');
  });
}
