// "Saved X." with Undo after an edit: Undo puts back what the changed fields held before.
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
