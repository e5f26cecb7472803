// Everyone met, kept in memory newest first with a lower-cased search text each, so People
// shows and searches 100,000 contacts without reading IndexedDB per keystroke. Loaded once
// (in chunks), then kept in step with each change; the first screenful comes from the met_at
// index before that.
import { dbPromise, getMeta } from './localdb.js';
import { changes, get } from './store.js';

const CHUNK = 5000;
const RELOAD_OVER = 1000; // contacts changed at once: read everyone again
const byId = new Map(); // id -> entry { person, text, key }
let sorted = []; // entries, newest first
let loading = null; // the full load, once started
let reader = null; // whose people are in memory (the signed-in user's id at the load)
let pending = Promise.resolve(); // changes being applied
let last = { text: null, found: null }; // the previous search, to narrow from
let generation = 0; // goes up with every change to the copy

// The text a search looks in: name, company, notes and tags, lower-cased once.
function entryOf(person) {
  const text = [
    person.name,
    person.company,
    person.notes,
    ...(person.tags || []),
  ]
    .join(' ')
    .toLowerCase();
  return { person, text, key: person.met_at || person.created_at || '' };
}

// Newest first; equal times by id, as the met_at index gives them (descending).
function before(a, b) {
  if (a.key !== b.key) return a.key > b.key;
  return a.person.id > b.person.id;
}

function position(entry) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (before(sorted[middle], entry)) low = middle + 1;
    else high = middle;
  }
  return low;
}

async function loadAll() {
  const db = await dbPromise;
  reader = (await getMeta('user'))?.id;
  const all = [];
  let range = null;
  for (;;) {
    const chunk = await db.getAll('contact', range, CHUNK);
    all.push(...chunk);
    if (chunk.length < CHUNK) break;
    range = IDBKeyRange.lowerBound(chunk[chunk.length - 1].id, true);
  }
  byId.clear();
  for (const person of all)
    if (!person.deleted) byId.set(person.id, entryOf(person));
  sorted = [...byId.values()].sort((a, b) => (before(a, b) ? -1 : 1));
  last = { text: null, found: null };
  generation += 1;
}

export function loaded() {
  return loading !== null;
}

// Changes as the copy changes (to redo what is worked out from everyone only then).
export function version() {
  return generation;
}

// Everyone, once read (the first call starts the read; another account on this device, since
// signing out clears the device, reads again).
export async function everyone() {
  if (!loading) loading = loadAll();
  await loading;
  if ((await getMeta('user'))?.id !== reader) loading = loadAll();
  await loading;
  await pending;
  return sorted;
}

// The newest `count` people straight from the met_at index (counting everyone is slow).
export async function firstPeople(count) {
  const db = await dbPromise;
  const people = [];
  const index = db.transaction('contact').store.index('by_met');
  let cursor = await index.openCursor(null, 'prev');
  while (cursor && people.length < count) {
    if (!cursor.value.deleted) people.push(cursor.value);
    cursor = await cursor.continue();
  }
  return people.map(entryOf);
}

async function refresh(id) {
  const person = await get('contact', id);
  const old = byId.get(id);
  if (old) sorted.splice(position(old), 1);
  byId.delete(id);
  if (person) {
    const entry = entryOf(person);
    byId.set(id, entry);
    sorted.splice(position(entry), 0, entry);
  }
  last = { text: null, found: null };
  generation += 1;
}

// Keep the copy in step: one contact, the contacts a sync wrote, or (not knowing) everyone.
let reloading = false;
function follow({ kind, id, touched }) {
  if (!loading) return;
  const ids =
    kind === 'contact' && id
      ? [id]
      : kind === 'sync' && Array.isArray(touched)
        ? touched.filter((t) => t.kind === 'contact').map((t) => t.id)
        : null;
  if (ids && ids.length <= RELOAD_OVER) {
    pending = pending.then(() => Promise.all(ids.map(refresh)));
  } else if ((ids || kind === 'sync' || kind === 'contact') && !reloading) {
    reloading = true; // one reload however many announcements ask for it
    pending = pending.then(() => {
      reloading = false;
      return (loading = loadAll());
    });
  }
}

changes.addEventListener('change', (event) => follow(event.detail));
if (typeof BroadcastChannel === 'function')
  new BroadcastChannel('hallway').addEventListener('message', (event) =>
    follow(event.data || {}),
  );

// Entries whose text holds every typed word (any order, anywhere). Typing on narrows the last
// answer instead of looking through everyone again.
export function search(entries, text) {
  const query = text.toLowerCase().trim().replace(/\s+/g, ' ');
  const words = query.split(' ').filter(Boolean);
  if (!words.length) return entries;
  const from =
    last.found && last.entries === entries && query.startsWith(last.text)
      ? last.found
      : entries;
  const found = from.filter((entry) =>
    words.every((word) => entry.text.includes(word)),
  );
  last = { text: query, found, entries };
  return found;
}
