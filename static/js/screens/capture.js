// Capture a person in seconds (offline too), and the same form to edit a person's card.
import { $, changedValues, fillForm, h, notify } from '../dom.js';
import { notifySaved } from '../undo.js';
import { getMeta, setMeta } from '../localdb.js';
import {
  currentEvent,
  daysFrom,
  localDay,
  plannedRecords,
  replannedPromises,
  replannedRecords,
} from '../plans.js';
import { keepPhoto, photoUrl } from '../photos.js';
import { get, list, newId, remove, save } from '../store.js';
import { CADENCES, TRUST } from '../ties.js';

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

// "Introduced by": everyone else on the device, by name (`self`: the card being edited).
async function fillIntroducers(self, selected) {
  const people = (await list('contact'))
    .filter((c) => c.id !== self?.id)
    .sort((a, b) => a.name.localeCompare(b.name));
  const select = form().elements.introduced_by_id;
  select.replaceChildren(
    h('option', { value: '' }, 'Nobody'),
    ...people.map((c) => h('option', { value: c.id }, c.name)),
  );
  select.value = selected || '';
}

// A value set elsewhere (a cadence of 10 days over the API) that no choice has stays a choice,
// so saving the form does not clear it.
function keepUnlisted(name, label) {
  const select = form().elements[name];
  const value = editing[name];
  select.querySelector('[data-unlisted]')?.remove();
  if (value === null || value === undefined) return;
  if ([...select.options].some((o) => o.value === String(value))) return;
  select.append(h('option', { value, 'data-unlisted': true }, label));
}

// The fixed choices of "How well I know them" and "Keep in touch every" (ties.js).
function fillChoices() {
  const fill = (select, choices) =>
    select.append(
      ...Object.entries(choices).map(([value, label]) =>
        h('option', { value }, label),
      ),
    );
  fill(form().elements.trust, TRUST);
  fill(form().elements.cadence_days, CADENCES);
}

async function suggestTags() {
  const counts = new Map();
  for (const contact of await list('contact'))
    for (const tag of contact.tags || [])
      counts.set(tag, (counts.get(tag) || 0) + 1);
  const typed = typedTags();
  const top = [...counts.entries()]
    .filter(([tag]) => !typed.includes(tag))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10);
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

function typedTags() {
  return form()
    .elements.tags.value.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

function addTag(tag) {
  const tags = typedTags();
  if (!tags.includes(tag))
    form().elements.tags.value = [...tags, tag].join(', ');
  suggestTags();
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

// The date each preset chip stands for, today.
function presetDay(button) {
  if (button.dataset.days)
    return localDay(daysFrom(new Date(), Number(button.dataset.days)));
  const event = events.find((e) => e.id === form().elements.event_id.value);
  return localDay(
    daysFrom(
      event?.ends_on ? new Date(`${event.ends_on}T12:00`) : new Date(),
      1,
    ),
  );
}

function presetDue(button) {
  form().elements.next_step_due.value = presetDay(button);
  form().elements.no_next_step.checked = false;
  showPresets();
}

// A chip is pressed when the date is the one it sets (the first such, if two agree).
function showPresets() {
  const due = form().elements.next_step_due.value;
  let shown = false;
  for (const button of $('#due-presets').querySelectorAll('button')) {
    const pressed = !shown && Boolean(due) && presetDay(button) === due;
    shown ||= pressed;
    button.setAttribute('aria-pressed', String(pressed));
  }
}

// "More" holds what is rarely typed in the hall; open or closed as the user last left it.
function showMore(open) {
  $('#more-toggle').setAttribute('aria-expanded', String(open));
  $('#more-fields').hidden = !open;
}

function toggleMore() {
  const open = $('#more-toggle').getAttribute('aria-expanded') !== 'true';
  localStorage.setItem('hallway-capture-more', open ? 'open' : 'closed');
  showMore(open);
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
  $('#edit-cancel').hidden = true;
  $('.capture-tools').hidden = false;
  $('#photo-preview').hidden = true;
  $('#target-suggestions').replaceChildren();
  showMore(localStorage.getItem('hallway-capture-more') === 'open');
  showPresets();
  form().elements.name.focus({ preventScroll: true });
  const prefill = await getMeta('prefill');
  if (prefill) {
    await setMeta('prefill', null);
    fillForm(form(), prefill.contact || {});
    scanned = {
      raw_payload: prefill.raw_payload,
      source: prefill.source || 'scan',
    };
    $('[data-screen="capture"] [data-title]').textContent = 'Check and save';
    const more = ['email', 'phone', 'url', 'i_promised', 'they_promised'];
    if (more.some((field) => prefill.contact?.[field])) showMore(true);
  }
  await fillEvents(currentEvent(await list('event'))?.id);
  await fillIntroducers(null, form().elements.introduced_by_id.value);
  suggestTags();
}

// The person's card, as the capture form: every field open, Save returns to their page.
export async function editPerson(id) {
  editing = await get('contact', id);
  if (!editing) {
    notify('That person is not on this device.', {
      id: 'missing',
      error: true,
    });
    return false;
  }
  scanned = null;
  $('[data-screen="capture"] [data-title]').textContent =
    `Edit ${editing.name}`;
  await fillEvents(editing.event_id);
  await fillIntroducers(editing, editing.introduced_by_id);
  keepUnlisted('cadence_days', `${editing.cadence_days} days`);
  keepUnlisted('introduced_by_id', 'Someone not on this device');
  fillForm(form(), editing);
  $('#edit-cancel').hidden = false;
  $('#edit-cancel').href = `/people/${editing.id}`;
  $('.capture-tools').hidden = true;
  $('#target-suggestions').replaceChildren();
  showMore(true);
  showPresets();
  suggestTags();
  const url = await photoUrl(editing.id);
  $('#photo-preview').hidden = !url;
  if (url) $('#photo-preview').src = url;
  return true;
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
    if (Object.keys(fields).length) {
      const contact = await save('contact', editing.id, fields);
      const own = (await list('followup')).filter(
        (f) => f.contact_id === contact.id,
      );
      const promises = (await list('promise')).filter(
        (p) => p.contact_id === contact.id,
      );
      const plans = [
        await replannedRecords(contact, fields, own),
        await replannedPromises(contact, fields, editing, promises),
      ];
      for (const plan of plans) {
        for (const { kind, id, fields: planned } of plan.save)
          await save(kind, id, planned);
        for (const { kind, id } of plan.remove) await remove(kind, id);
      }
    }
    if (photo) await keepPhoto(editing.id, photo);
    notifySaved(name, 'contact', editing, fields);
    navigate(`/people/${editing.id}`);
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
  for (const plan of await plannedRecords(contact, metAt))
    await save(plan.kind, plan.id, plan.fields);
  notify(`Saved ${name}.`, { id: 'saved' });
  window.scrollTo(0, 0); // Name in view (and focused) for the next person
  await showCapture();
}

export function bindCaptureForm(navigate) {
  fillChoices();
  form().addEventListener('submit', (event) => submit(event, navigate));
  form().elements.name.addEventListener('input', suggestTargets);
  form().elements.no_next_step.addEventListener('change', (event) => {
    if (event.target.checked) form().elements.next_step_due.value = '';
    showPresets();
  });
  for (const button of $('#due-presets').querySelectorAll('button')) {
    button.addEventListener('click', () => presetDue(button));
  }
  form().elements.next_step_due.addEventListener('input', showPresets);
  form().elements.event_id.addEventListener('change', showPresets);
  form().elements.tags.addEventListener('input', suggestTags);
  $('#more-toggle').addEventListener('click', toggleMore);
}
