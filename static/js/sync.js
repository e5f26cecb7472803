// Sync: send the outbox in ordered batches (a retry resends the same batch), apply what comes back.
import { dbPromise, getMeta, KINDS, setMeta } from './localdb.js';
import { announce } from './store.js';

const BATCH_SIZE = 500;
const MAX_ROUNDS = 100;

export class SyncError extends Error {
  // retryAfter: the seconds the server asked to wait (503 busy, 429), or 0.
  constructor(status, message, retryAfter = 0) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

// Run one sync (only one at a time across tabs and the service worker).
export async function syncNow() {
  const locks = globalThis.navigator?.locks;
  return locks ? locks.request('hallway-sync', runSync) : runSync();
}

async function runSync() {
  // A busy server's Retry-After holds every context's sync (tabs, the service worker) till then.
  const wait = ((await getMeta('notBefore')) || 0) - Date.now();
  if (wait > 0)
    throw new SyncError(503, 'The server is busy; sync waits.', wait / 1000);
  const touched = new Map(); // what this sync wrote here: id -> { kind, id }
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const batch = await nextBatch();
    const answer = await post({
      cursor: (await getMeta('cursor')) ?? null,
      batch_id: batch ? batch.batch_id : null,
      changes: batch ? batch.changes : [],
    });
    await applyAnswer(batch, answer);
    for (const change of [...(batch?.changes || []), ...answer.changes])
      touched.set(change.id, { kind: change.kind, id: change.id });
    const more = answer.more || (await (await dbPromise).count('outbox')) > 0;
    if (!more) break;
  }
  await setMeta('lastSync', new Date().toISOString());
  announce('sync', null, [...touched.values()]);
}

async function post(body) {
  let response;
  try {
    response = await fetch('/api/v1/sync', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        'X-CSRF-Token': (await getMeta('csrf')) || '',
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new SyncError(0, 'Offline: changes wait on this device.');
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const retryAfter =
      Number.parseInt(response.headers.get('Retry-After') || '0', 10) || 0;
    if (retryAfter) await setMeta('notBefore', Date.now() + retryAfter * 1000);
    throw new SyncError(
      response.status,
      data.message || `Sync failed (${response.status})`,
      retryAfter,
    );
  }
  return data;
}

// The batch in flight (resent unchanged after a failure), or a new one from the outbox.
async function nextBatch() {
  const inflight = await getMeta('inflight');
  if (inflight) return inflight;
  const entries = await (await dbPromise).getAll('outbox', null, BATCH_SIZE);
  if (entries.length === 0) return null;
  const batch = {
    batch_id: crypto.randomUUID(),
    seqs: entries.map((e) => e.seq),
    changes: coalesce(entries),
  };
  await setMeta('inflight', batch);
  return batch;
}

// One change per record, in the order records were first touched, fields merged in order.
function coalesce(entries) {
  const byRecord = new Map();
  for (const entry of entries) {
    const key = `${entry.kind}:${entry.id}`;
    let change = byRecord.get(key);
    if (!change) {
      change = {
        kind: entry.kind,
        id: entry.id,
        op: entry.op,
        base_version: entry.base_version,
        fields: {},
      };
      byRecord.set(key, change);
    }
    change.op = entry.op;
    change.fields =
      entry.op === 'delete' ? {} : { ...change.fields, ...entry.fields };
  }
  return [...byRecord.values()];
}

async function applyAnswer(batch, answer) {
  const db = await dbPromise;
  const tx = db.transaction(
    [...KINDS, 'outbox', 'issues', 'meta'],
    'readwrite',
  );
  const outbox = tx.objectStore('outbox');
  if (batch) for (const seq of batch.seqs) outbox.delete(seq);
  const pending = new Map(); // record id -> its outbox entries still to send
  for (const entry of await outbox.getAll()) {
    if (!pending.has(entry.id)) pending.set(entry.id, []);
    pending.get(entry.id).push(entry);
  }
  const pulled = new Set(answer.changes.map((change) => change.id));
  if (batch) {
    for (const [index, result] of answer.results.entries()) {
      await applyResult(
        tx,
        batch.changes[index],
        result,
        pending.get(result.id) || [],
        pulled,
      );
    }
    tx.objectStore('meta').delete('inflight');
  }
  for (const change of answer.changes)
    await applyPulled(tx, change, pending.get(change.id) || []);
  tx.objectStore('meta').put(answer.cursor, 'cursor');
  await tx.done;
}

async function applyResult(tx, change, result, pending, pulled) {
  const store = tx.objectStore(change.kind);
  const now = new Date().toISOString();
  if (result.status === 'rejected') {
    const key = `rejected:${change.kind}:${change.id}:${now}`;
    tx.objectStore('issues').put({
      key,
      type: 'rejected',
      kind: change.kind,
      id: change.id,
      change,
      error: result.error,
      at: now,
    });
    return;
  }
  if (result.status === 'conflict')
    return applyConflict(tx, change, result, await store.get(change.id), now);
  if (change.op === 'delete') {
    store.delete(change.id);
    return;
  }
  // Changes made here while the batch was on its way build on what it just wrote (an Undo of
  // the edit being sent, say): they take its version, so the server sees no conflict.
  for (const entry of pending) {
    if (entry.base_version === null || entry.base_version < result.version) {
      entry.base_version = result.version;
      tx.objectStore('outbox').put(entry);
    }
  }
  if (pulled.has(change.id)) return; // the pulled copy below brings the version and the fields
  const local = await store.get(change.id);
  if (local) store.put({ ...local, version: result.version });
}

async function applyConflict(tx, change, result, local, now) {
  const issues = tx.objectStore('issues');
  const store = tx.objectStore(change.kind);
  if (result.deleted) {
    // Edited here, deleted elsewhere: keep my version as an issue the user can restore.
    issues.put({
      key: `deleted:${change.kind}:${change.id}`,
      type: 'deleted',
      kind: change.kind,
      id: change.id,
      mine: { ...local, ...change.fields },
      at: now,
    });
    store.delete(change.id);
    return;
  }
  for (const field of result.conflicts || []) {
    issues.put({
      key: `conflict:${change.kind}:${change.id}:${field}`,
      type: 'conflict',
      kind: change.kind,
      id: change.id,
      field,
      mine: result.mine[field],
      theirs: result.server[field],
      at: now,
    });
  }
  if (change.op === 'delete') {
    issues.put({
      key: `kept:${change.kind}:${change.id}`,
      type: 'kept',
      kind: change.kind,
      id: change.id,
      at: now,
    });
  }
  store.put({ ...result.server, version: result.version });
}

async function applyPulled(tx, change, pending) {
  const store = tx.objectStore(change.kind);
  if (change.deleted) {
    if (pending.length === 0) store.delete(change.id);
    return;
  }
  if (pending.some((entry) => entry.op === 'delete')) return; // deleted here; the delete is on its way
  const local = await store.get(change.id);
  if (
    local &&
    local.version !== null &&
    local.version > change.version &&
    pending.length === 0
  )
    return;
  const fields = { ...change.fields };
  for (const entry of pending)
    for (const name of Object.keys(entry.fields)) delete fields[name];
  store.put({
    ...(local || {}),
    ...fields,
    id: change.id,
    version: change.version,
    deleted: undefined,
  });
}
