// Capture a person in seconds (offline too), and a person's own page: edit, history, thank-you.
import { $, changedValues, fillForm, h, notify } from '../dom.js';
import { getMeta, setMeta } from '../localdb.js';
import {
  currentEvent,
  daysFrom,
  localDay,
  plannedFollowups,
  thankYouLink,
} from '../plans.js';
import { keepPhoto, photoUrl } from '../photos.js';
import { get, list, newId, remove, save } from '../store.js';

const form = () => $('#contact-form');
let editing = null; // the contact on show, or null for a new capture
let scanned = null; // what a scan brought: the raw payload and the source, kept with the card
let events = [];

async function fillEvents(selected) {
  events = await list('event');
  const select = form().elements.event_id;
  select.replaceChildren(
    h('option', { value: '' }, 'No event'),
    ...events.map((e) => h('option', { value: e.id }, e.name)),
  );
  select.value = selected || '';
}

async function suggestTags() {
  const counts = new Map();
  for (const contact of await list('contact'))
    for (const tag of contact.tags || [])
      counts.set(tag, (counts.get(tag) || 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
  $('#tag-suggestions').replaceChildren(
    ...top.map(([tag]) =>
      h(
        'li',
        {},
        h('button', { type: 'button', onclick: () => addTag(tag) }, `+ ${tag}`),
      ),
    ),
  );
}

function addTag(tag) {
  const input = form().elements.tags;
  const tags = input.value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (!tags.includes(tag)) input.value = [...tags, tag].join(', ');
}

async function suggestTargets() {
  const typed = form().elements.name.value.trim().toLowerCase();
  const box = $('#target-suggestions');
  if (editing || typed.length < 2 || form().elements.target_id.value) {
    box.replaceChildren();
    return;
  }
  const words = typed.split(/\s+/);
  const matches = (await list('target'))
    .filter((t) => t.status !== 'met')
    .filter((t) =>
      words.every((w) =>
        `${t.name} ${t.company || ''}`.toLowerCase().includes(w),
      ),
    )
    .slice(0, 3);
  box.replaceChildren(
    ...matches.map((target) =>
      h(
        'li',
        {},
        h(
          'button',
          { type: 'button', onclick: () => pickTarget(target) },
          `On my list: ${target.name}${target.company ? `, ${target.company}` : ''}`,
        ),
      ),
    ),
  );
}

function pickTarget(target) {
  const fields = form().elements;
  fields.target_id.value = target.id;
  fields.name.value = target.name;
  if (!fields.company.value && target.company)
    fields.company.value = target.company;
  if (!fields.title.value && target.title) fields.title.value = target.title;
  if (target.event_id) fields.event_id.value = target.event_id;
  $('#target-suggestions').replaceChildren(
    h('li', { class: 'muted' }, `Linked to your research on ${target.name}`),
  );
}

function presetDue(button) {
  const due = form().elements.next_step_due;
  if (button.dataset.days) {
    due.value = localDay(daysFrom(new Date(), Number(button.dataset.days)));
  } else {
    const event = events.find((e) => e.id === form().elements.event_id.value);
    due.value = localDay(
      daysFrom(
        event?.ends_on ? new Date(`${event.ends_on}T12:00`) : new Date(),
        1,
      ),
    );
  }
  form().elements.no_next_step.checked = false;
}

// A scan (or anything else) can hand the next capture its fields: {contact, raw_payload, source}.
export async function prefillCapture(prefill) {
  await setMeta('prefill', prefill);
}

export async function showCapture() {
  // Everything that clears the form happens at once, before any wait: a name typed right after
  // tapping Capture is never wiped.
  editing = null;
  scanned = null;
  $('[data-screen="capture"] [data-title]').textContent = 'Capture';
  fillForm(form());
  form().querySelector('[data-delete]').hidden = true;
  $('#person-extras').hidden = true;
  $('#photo-preview').hidden = true;
  $('#target-suggestions').replaceChildren();
  form().elements.name.focus();
  const prefill = await getMeta('prefill');
  if (prefill) {
    await setMeta('prefill', null);
    fillForm(form(), prefill.contact || {});
    scanned = {
      raw_payload: prefill.raw_payload,
      source: prefill.source || 'scan',
    };
    $('[data-screen="capture"] [data-title]').textContent = 'Check and save';
  }
  await fillEvents(currentEvent(await list('event'))?.id);
  suggestTags();
}

export async function showPerson(id) {
  editing = await get('contact', id);
  if (!editing) {
    notify('That person is not on this device.', { id: 'missing' });
    return false;
  }
  $('[data-screen="capture"] [data-title]').textContent = editing.name;
  await fillEvents(editing.event_id);
  fillForm(form(), editing);
  form().querySelector('[data-delete]').hidden = false;
  $('#target-suggestions').replaceChildren();
  suggestTags();
  await showExtras();
  return true;
}

async function showExtras() {
  $('#person-extras').hidden = false;
  const me = await getMeta('user');
  const event = events.find((e) => e.id === editing.event_id);
  $('#thank-you').href = thankYouLink(editing, {
    myName: me?.name,
    eventName: event?.name,
  });
  const url = await photoUrl(editing.id);
  $('#photo-preview').hidden = !url;
  if (url) $('#photo-preview').src = url;
  const history = (await list('interaction')).filter(
    (i) => i.contact_id === editing.id,
  );
  const met = {
    kind: editing.source === 'scan' ? 'scanned' : 'met',
    at: editing.met_at || editing.created_at,
    note: event?.name,
  };
  const entries = [...history, met]
    .filter((e) => e.at)
    .sort((a, b) => b.at.localeCompare(a.at));
  $('#history').replaceChildren(
    ...entries.map((e) =>
      h(
        'li',
        {},
        h('strong', {}, e.kind),
        ` ${new Date(e.at).toLocaleString()}`,
        e.note ? h('span', { class: 'muted' }, ` · ${e.note}`) : null,
      ),
    ),
  );
}

async function logInteraction(kind) {
  if (!editing) return;
  const note = kind === 'note' ? prompt('Note') : null;
  if (kind === 'note' && !note) return;
  await save('interaction', newId(), {
    contact_id: editing.id,
    kind,
    at: new Date().toISOString(),
    note,
  });
  await showExtras();
}

async function submit(event, navigate) {
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
  const photo = form().elements.photo.files[0];
  if (editing) {
    if (Object.keys(fields).length) await save('contact', editing.id, fields);
    if (photo) await keepPhoto(editing.id, photo);
    navigate('/people');
    return;
  }
  const id = newId();
  const metAt = new Date();
  const contact = await save('contact', id, {
    ...fields,
    met_at: metAt.toISOString(),
    source: 'capture',
    ...(scanned || {}),
  });
  if (photo) await keepPhoto(id, photo);
  if (fields.target_id)
    await save('target', fields.target_id, { status: 'met' });
  for (const plan of plannedFollowups(contact, metAt))
    await save('followup', newId(), plan);
  notify(`Saved ${name}.`, { id: 'saved' });
  await showCapture(); // ready for the next person
}

export function bindCaptureForm(navigate) {
  form().addEventListener('submit', (event) => submit(event, navigate));
  form().elements.name.addEventListener('input', suggestTargets);
  form().elements.no_next_step.addEventListener('change', (event) => {
    if (event.target.checked) form().elements.next_step_due.value = '';
  });
  for (const button of $('#due-presets').querySelectorAll('button')) {
    button.addEventListener('click', () => presetDue(button));
  }
  for (const button of $('#log-buttons').querySelectorAll('button')) {
    button.addEventListener('click', () => logInteraction(button.dataset.log));
  }
  form()
    .querySelector('[data-delete]')
    .addEventListener('click', async () => {
      if (!editing || !confirm(`Delete ${editing.name}?`)) return;
      await remove('contact', editing.id);
      navigate('/people');
    });
}
