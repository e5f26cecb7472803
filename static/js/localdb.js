// The device's own copy of the user's data, in IndexedDB (one database, opened once).
import { openDB } from '../vendor/idb/index.js';

export const KINDS = [
  'event',
  'target',
  'contact',
  'followup',
  'interaction',
  'promise',
  'introduction',
  'dismissal',
];

export const dbPromise = openDB('hallway', 5, {
  upgrade(db, oldVersion, newVersion, tx) {
    if (oldVersion < 1) {
      for (const kind of ['event', 'target', 'contact', 'followup']) {
        db.createObjectStore(kind, { keyPath: 'id' });
      }
      // Every local write, in order, until the server has it.
      const outbox = db.createObjectStore('outbox', {
        keyPath: 'seq',
        autoIncrement: true,
      });
      outbox.createIndex('by_record', 'id');
      // Edits the server could not take as they were: conflicts to pick from, rejected changes.
      db.createObjectStore('issues', { keyPath: 'key' });
      // cursor, last sync time, the signed-in user, the CSRF token, the batch in flight.
      db.createObjectStore('meta');
    }
    if (oldVersion < 2) {
      db.createObjectStore('interaction', { keyPath: 'id' });
      // Photos taken offline, by contact id, until the server has them.
      db.createObjectStore('photos', { keyPath: 'id' });
    }
    if (oldVersion < 3) {
      // People newest first without reading everyone: the first screenful comes from here.
      tx.objectStore('contact').createIndex('by_met', 'met_at');
    }
    if (oldVersion < 4) {
      db.createObjectStore('promise', { keyPath: 'id' });
      db.createObjectStore('introduction', { keyPath: 'id' });
    }
    if (oldVersion < 5) {
      // Whom I never want suggested again at an event.
      db.createObjectStore('dismissal', { keyPath: 'id' });
    }
  },
});

export async function getMeta(key) {
  return (await dbPromise).get('meta', key);
}

export async function setMeta(key, value) {
  return (await dbPromise).put('meta', value, key);
}

export async function clearAll() {
  const db = await dbPromise;
  const names = [...KINDS, 'outbox', 'issues', 'meta', 'photos'];
  const tx = db.transaction(names, 'readwrite');
  await Promise.all([
    ...names.map((name) => tx.objectStore(name).clear()),
    tx.done,
  ]);
}
