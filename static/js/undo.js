// Undo: after an edit, Undo puts back what the changed fields held before; a delete waits for
// its Undo to run out, and the records waiting (`leaving`) are left out of every list meanwhile.
import { notify } from './dom.js';
import { save } from './store.js';

export function notifySaved(name, kind, before, changed) {
  const previous = Object.fromEntries(
    Object.keys(changed).map((field) => [field, before[field] ?? null]),
  );
  const undo = Object.keys(previous).length
    ? { action: 'Undo', onAction: () => save(kind, before.id, previous) }
    : {};
  notify(`Saved ${name}.`, { id: 'saved', ...undo });
}

export const leaving = new Set(); // ids of records deleted but still undoable
