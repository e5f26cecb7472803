// Local reads and writes: every write lands in the local store and the outbox in one transaction.
import { dbPromise, KINDS } from './localdb.js';

export const changes = new EventTarget();
const otherContexts =
  typeof BroadcastChannel === 'function'
    ? new BroadcastChannel('hallway')
    : null;

// Tell this context's screens, and other tabs and the service worker, that data changed
// (`touched`: for a sync, the records it wrote, [{ kind, id }], when known).
function announce(kind, id, touched) {
  const detail = touched ? { kind, id, touched } : { kind, id };
  if (typeof CustomEvent === 'function') {
    changes.dispatchEvent(new CustomEvent('change', { detail }));
  }
  otherContexts?.postMessage(detail);
}

export function newId() {
  return crypto.randomUUID();
}

export async function list(kind) {
  const db = await dbPromise;
  return (await db.getAll(kind)).filter((record) => !record.deleted);
}

export async function get(kind, id) {
  const record = await (await dbPromise).get(kind, id);
  return record && !record.deleted ? record : undefined;
}

// Save fields of a record (new or existing) and queue them for the server.
export async function save(kind, id, fields) {
  return (await saveAll([{ kind, id, fields }]))[0];
}

// Save several records at once, [{ kind, id, fields }]: one transaction, so no sync ever sends
// one without the others (an interaction and the thank-you it closes). Resolves to the records.
export async function saveAll(writes) {
  const db = await dbPromise;
  const kinds = [...new Set(writes.map((write) => write.kind))];
  const tx = db.transaction([...kinds, 'outbox'], 'readwrite');
  const now = new Date().toISOString();
  const records = [];
  for (const { kind, id, fields } of writes) {
    const existing = await tx.objectStore(kind).get(id);
    const record = {
      ...(existing || { id, version: null, created_at: now }),
      ...fields,
    };
    record.updated_at = now;
    delete record.deleted; // saved over its tombstone: live again (a dismissal made again)
    tx.objectStore(kind).put(record);
    tx.objectStore('outbox').add({
      kind,
      id,
      op: 'upsert',
      base_version: existing ? existing.version : null,
      fields,
      at: now,
    });
    records.push(record);
  }
  await tx.done;
  for (const { kind, id } of writes) announce(kind, id);
  return records;
}

// Delete a record locally (a tombstone until the server confirms) and queue the delete.
export async function remove(kind, id) {
  const db = await dbPromise;
  const tx = db.transaction([kind, 'outbox'], 'readwrite');
  const existing = await tx.objectStore(kind).get(id);
  if (!existing) return;
  tx.objectStore(kind).put({ id, version: existing.version, deleted: true });
  tx.objectStore('outbox').add({
    kind,
    id,
    op: 'delete',
    base_version: existing.version,
    fields: {},
    at: new Date().toISOString(),
  });
  await tx.done;
  announce(kind, id);
}

// Keep the server's copy of a record (fields merged over the local ones) with no outbox entry:
// someone else's event I joined, or what only the server writes (a join code). Never sent back.
export async function keep(kind, record) {
  const db = await dbPromise;
  const tx = db.transaction(kind, 'readwrite');
  const existing = await tx.store.get(record.id);
  tx.store.put({ ...(existing || {}), ...record });
  await tx.done;
  announce(kind, record.id);
}

// Drop a kept copy the server no longer shows (a joined event that was deleted), queueing nothing.
export async function forget(kind, id) {
  await (await dbPromise).delete(kind, id);
  announce(kind, id);
}

export async function pendingCount() {
  const db = await dbPromise;
  const photos = (await db.getAll('photos')).filter((photo) => !photo.uploaded);
  return (await db.count('outbox')) + photos.length;
}

export async function issues() {
  return (await dbPromise).getAll('issues');
}

export async function resolveIssue(key) {
  const db = await dbPromise;
  const issue = await db.get('issues', key);
  if (issue)
    await db.put('issues', { ...issue, resolved_at: new Date().toISOString() });
  announce(issue?.kind, issue?.id);
}

// Everything on this device: records, unsynced changes and open issues (for export).
export async function snapshot() {
  const db = await dbPromise;
  const data = { exported_at: new Date().toISOString() };
  for (const kind of KINDS) data[`${kind}s`] = await db.getAll(kind);
  data.unsynced_changes = await db.getAll('outbox');
  data.issues = await db.getAll('issues');
  return data;
}

export { announce };
