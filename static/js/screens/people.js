// People met: newest first, searched as you type, filtered; possible duplicates pointed out.
import { request } from '../api.js';
import { $, h, joined, notify } from '../dom.js';
import { dueAt } from '../plans.js';
import { photoUrl } from '../photos.js';
import { soon } from '../scheduler.js';
import { list } from '../store.js';
import { leaving } from '../undo.js';
import { initials, when } from '../words.js';

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

// What matters for the follow-up filter: open or overdue follow-ups, per contact.
function followupState(followups, now) {
  const state = new Map();
  for (const f of followups) {
    if (f.done_at || !f.contact_id) continue;
    const overdue = dueAt(f) < now;
    state.set(
      f.contact_id,
      overdue || state.get(f.contact_id) === 'overdue' ? 'overdue' : 'open',
    );
  }
  return state;
}

export function searchPeople(
  contacts,
  text,
  { eventId, tag, followup, states } = {},
) {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return contacts
    .filter((c) => matches(c, words))
    .filter((c) => !eventId || c.event_id === eventId)
    .filter((c) => !tag || (c.tags || []).includes(tag))
    .filter((c) => {
      if (!followup) return true;
      const state = states.get(c.id);
      if (followup === 'none') return !state;
      return followup === 'open' ? Boolean(state) : state === 'overdue';
    })
    .sort((a, b) =>
      (b.met_at || b.created_at || '').localeCompare(
        a.met_at || a.created_at || '',
      ),
    );
}

// Pairs that look like one person: same email, same phone digits, or same name and company.
export function possibleDuplicates(contacts) {
  const seen = new Map();
  const pairs = [];
  for (const contact of contacts) {
    const keys = [
      contact.email && `e:${contact.email.toLowerCase()}`,
      contact.phone &&
        contact.phone.replace(/\D/g, '').length >= 6 &&
        `p:${contact.phone.replace(/\D/g, '')}`,
      contact.name &&
        `n:${contact.name.toLowerCase().trim()}|${(contact.company || '').toLowerCase().trim()}`,
    ].filter(Boolean);
    const twin = keys.map((key) => seen.get(key)).find(Boolean);
    if (twin) pairs.push([twin, contact]);
    for (const key of keys) if (!seen.has(key)) seen.set(key, contact);
  }
  return pairs;
}

async function merge(keep, other) {
  try {
    await request('POST', `/contacts/${keep.id}/merge`, { other_id: other.id });
    notify(`Merged the two cards of ${keep.name}.`, { id: 'merged' });
    soon(0);
  } catch (error) {
    notify(`Could not merge: ${error.message}`, { id: 'merged' });
  }
}

function fillSelect(select, values, allLabel) {
  const current = select.value;
  select.replaceChildren(
    h('option', { value: '' }, allLabel),
    ...values.map(([value, label]) => h('option', { value }, label)),
  );
  select.value = values.some(([value]) => value === current) ? current : '';
}

export async function showPeople() {
  const contacts = (await list('contact')).filter((c) => !leaving.has(c.id));
  const events = await list('event');
  const tags = [...new Set(contacts.flatMap((c) => c.tags || []))].sort();
  fillSelect(
    $('#people-event'),
    events.map((e) => [e.id, e.name]),
    'All events',
  );
  fillSelect(
    $('#people-tag'),
    tags.map((t) => [t, t]),
    'All tags',
  );
  const people = searchPeople(contacts, $('#people-search').value, {
    eventId: $('#people-event').value,
    tag: $('#people-tag').value,
    followup: $('#people-followup').value,
    states: followupState(await list('followup'), new Date()),
  });
  const byEvent = new Map(events.map((e) => [e.id, e]));
  const states = followupState(await list('followup'), new Date());
  const groups = new Map();
  for (const person of people) {
    const key = groupOf(person, byEvent);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(person);
  }
  const sections = [];
  for (const [title, members] of groups) {
    const rows = await Promise.all(
      members.map((person) => row(person, byEvent, states)),
    );
    sections.push(
      h('h2', { class: 'group' }, title),
      h('ul', { class: 'list people' }, rows),
    );
  }
  $('#people-list').replaceChildren(...sections);
  $('#duplicates').replaceChildren(
    ...possibleDuplicates(contacts).map(([a, b]) =>
      h(
        'li',
        {},
        `Possibly the same person: ${a.name} and ${b.name}`,
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => merge(a, b) },
          `Merge ${b.name} into ${a.name}`,
        ),
      ),
    ),
  );
  $('[data-screen="people"] [data-empty]').hidden = contacts.length > 0;
}

// The heading a person is listed under: the event where we met, or the day.
function groupOf(person, byEvent) {
  if ($('#people-group').value === 'event')
    return byEvent.get(person.event_id)?.name || 'Not at an event';
  const met = person.met_at || person.created_at;
  return met ? when(met) : 'Some time ago';
}

const STATE = { overdue: 'Overdue', open: 'Follow up' };

async function row(person, byEvent, states) {
  const photo = await photoUrl(person.id);
  const met = person.met_at || person.created_at;
  const state = states.get(person.id);
  return h(
    'li',
    {},
    photo
      ? h('img', { class: 'avatar', src: photo, alt: '' })
      : h(
          'span',
          { class: 'avatar', 'aria-hidden': 'true' },
          initials(person.name),
        ),
    h(
      'span',
      { class: 'who' },
      h('a', { href: `/people/${person.id}` }, person.name),
      h(
        'span',
        { class: 'muted' },
        joined(
          [
            person.company,
            $('#people-group').value === 'day' &&
              byEvent.get(person.event_id)?.name,
            met && when(met),
          ],
          ' · ',
        ),
      ),
    ),
    state
      ? h(
          'span',
          { class: `badge ${state === 'overdue' ? 'overdue' : 'due'}` },
          STATE[state],
        )
      : null,
  );
}

export function bindPeopleSearch() {
  $('#filters-toggle').addEventListener('click', () => {
    const open = $('#filters-toggle').getAttribute('aria-expanded') !== 'true';
    $('#filters-toggle').setAttribute('aria-expanded', String(open));
    $('#people-filters').hidden = !open;
  });
  $('#people-group').addEventListener('change', showPeople);
  $('#people-search').addEventListener('input', showPeople);
  for (const id of ['#people-event', '#people-tag', '#people-followup'])
    $(id).addEventListener('change', showPeople);
}
