// People met: newest first, searched as you type, filtered; possible duplicates pointed out.
// Only what is on screen is drawn (people-window.js), from a copy kept in memory (people-index.js).
import { request } from '../api.js';
import { dbPromise } from '../localdb.js';
import { $, h, joined, notify } from '../dom.js';
import {
  everyone,
  firstPeople,
  loaded,
  search,
  version,
} from '../people-index.js';
import { GroupedWindow } from '../people-window.js';
import { dueAt } from '../plans.js';
import { photoUrl } from '../photos.js';
import { soon } from '../scheduler.js';
import { list } from '../store.js';
import { leaving } from '../undo.js';
import { initials, when } from '../words.js';

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

const FIRST_SCREEN = 40; // people drawn from the met_at index before everyone is read
let shown = null; // what the list draws from: { events, byEvent, states, localPhotos, entries }
let view = null;

// The people the search and filters leave, in the order they are listed.
function chosen(entries) {
  const { states } = shown;
  const eventId = $('#people-event').value;
  const tag = $('#people-tag').value;
  const followup = $('#people-followup').value;
  let found = search(entries, $('#people-search').value);
  if (leaving.size) found = found.filter((e) => !leaving.has(e.person.id));
  if (!eventId && !tag && !followup) return found;
  return found.filter(({ person }) => {
    if (eventId && person.event_id !== eventId) return false;
    if (tag && !(person.tags || []).includes(tag)) return false;
    if (!followup) return true;
    const state = states.get(person.id);
    if (followup === 'none') return !state;
    return followup === 'open' ? Boolean(state) : state === 'overdue';
  });
}

// Redraw the list from memory (each keystroke, each filter); fresh: rows' data changed.
function drawList({ fresh = false } = {}) {
  const today = new Date().toDateString();
  if (today !== daysOf) {
    days = new WeakMap(); // "today" became "yesterday"
    daysOf = today;
  }
  const groups = new Map();
  const found = chosen(shown.entries);
  const by = $('#people-group').value;
  for (const entry of found) {
    const key = groupOf(entry, shown.byEvent, by);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(entry);
  }
  view ||= new GroupedWindow($('#people-list'), (entry) => row(entry.person));
  view.show(
    [...groups].map(([title, entries]) => ({ title, entries })),
    { fresh },
  );
  const searching = $('#people-search').value.trim() !== '';
  const filtering = ['#people-event', '#people-tag', '#people-followup'].some(
    (id) => $(id).value,
  );
  $('#people-count').textContent =
    shown.partial && (searching || filtering)
      ? 'Looking through everyone…'
      : view.count || !shown.entries.length
        ? searching
          ? `${view.count.toLocaleString()} ${view.count === 1 ? 'person matches' : 'people match'}.`
          : ''
        : `No one matches ${searching && filtering ? 'this search and these filters' : searching ? 'this search' : 'these filters'}.`;
}

export async function showPeople() {
  const [events, followups, localPhotos] = await Promise.all([
    list('event'),
    list('followup'),
    dbPromise.then((db) => db.getAllKeys('photos')),
  ]);
  const context = {
    byEvent: new Map(events.map((e) => [e.id, e])),
    states: followupState(followups, new Date()),
    localPhotos: new Set(localPhotos),
  };
  fillSelect(
    $('#people-event'),
    events.map((e) => [e.id, e.name]),
    'All events',
  );
  forgetPhotos();
  if (!loaded()) {
    // The newest screenful first; everyone (for search, filters, tags) follows.
    const first = await firstPeople(FIRST_SCREEN);
    if (first.length === FIRST_SCREEN) {
      shown = { ...context, entries: first, partial: true };
      $('[data-screen="people"] [data-empty]').hidden = true;
      drawList({ fresh: true });
      everyone().then(() => showPeople());
      return;
    }
  }
  const entries = await everyone();
  shown = { ...context, entries };
  const state = `${version()}:${[...leaving].join()}`;
  if (state !== summarised) {
    summarised = state;
    summarise(entries.map((entry) => entry.person));
  }
  drawList({ fresh: true });
  $('[data-screen="people"] [data-empty]').hidden = entries.length > 0;
}

// The tags to filter by and the possible duplicates: worked out from everyone, so only when
// someone changed.
let summarised = '';
function summarise(contacts) {
  fillSelect(
    $('#people-tag'),
    [...new Set(contacts.flatMap((c) => c.tags || []))]
      .sort()
      .map((t) => [t, t]),
    'All tags',
  );
  $('#duplicates').replaceChildren(
    ...possibleDuplicates(contacts.filter((c) => !leaving.has(c.id))).map(
      ([a, b]) =>
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
}

// The heading a person is listed under: the event where we met, or the day (worked out once
// per person and day, since formatting dates for everyone on each keystroke is slow).
let days = new WeakMap(); // entry -> its day's heading
let daysOf = ''; // the day those headings were worked out on
function groupOf(entry, byEvent, by) {
  const { person } = entry;
  if (by === 'event')
    return byEvent.get(person.event_id)?.name || 'Not at an event';
  if (!days.has(entry)) {
    const met = person.met_at || person.created_at;
    days.set(entry, met ? when(met) : 'Some time ago');
  }
  return days.get(entry);
}

const STATE = { overdue: 'Overdue', open: 'Follow up' };

const photos = new Map(); // contact id -> object URL of the photo kept on this device

function forgetPhotos() {
  for (const url of photos.values()) if (url) URL.revokeObjectURL(url);
  photos.clear();
}

// The avatar: the photo kept here (read once), the server's thumbnail, or initials.
function avatar(person) {
  const id = person.id;
  const thumb = (url) => h('img', { class: 'avatar', src: url, alt: '' });
  if (photos.get(id)) return thumb(photos.get(id));
  const server = person.photo_at
    ? `/api/v1/contacts/${id}/photo?size=thumb`
    : null;
  const shownNow = server
    ? thumb(server)
    : h(
        'span',
        { class: 'avatar', 'aria-hidden': 'true' },
        initials(person.name),
      );
  if (shown.localPhotos.has(id) && !photos.has(id)) {
    photos.set(id, null);
    photoUrl(id).then((url) => {
      if (!url?.startsWith('blob:')) return;
      photos.set(id, url);
      if (shownNow.isConnected) shownNow.replaceWith(thumb(url));
    });
  }
  return shownNow;
}

function row(person) {
  const { byEvent, states } = shown;
  const met = person.met_at || person.created_at;
  const state = states.get(person.id);
  return h(
    'li',
    {},
    avatar(person),
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
  const redraw = (options) => shown && drawList(options);
  $('#people-group').addEventListener('change', () => redraw({ fresh: true }));
  $('#people-search').addEventListener('input', () => redraw());
  for (const id of ['#people-event', '#people-tag', '#people-followup'])
    $(id).addEventListener('change', () => redraw());
}
