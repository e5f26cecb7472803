// Undo: after an edit, Undo puts back what the changed fields held before; a delete waits for
// its Undo to run out, and the records waiting (`leaving`) are left out of every list meanwhile.
import { notify } from './dom.js';
import { changes, save } from './store.js';

export function notifySaved(name, kind, before, changed) {
  const previous = Object.fromEntries(
    Object.keys(changed).map((field) => [field, before[field] ?? null]),
  );
  const undo = Object.keys(previous).length
    ? { action: 'Undo', onAction: () => undoEdit(kind, before.id, previous) }
    : {};
  notify(`Saved ${name}.`, { id: 'saved', ...undo });
}

// The screen showing the record redraws with the old values (a person's card is not a form).
async function undoEdit(kind, id, previous) {
  await save(kind, id, previous);
  changes.dispatchEvent(
    new CustomEvent('change', { detail: { kind, id, undone: true } }),
  );
}

export const leaving = new Set(); // ids of records deleted but still undoable
