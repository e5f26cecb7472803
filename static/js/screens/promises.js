// Promises on the Follow-ups screen: "I owe" and "Owed to me", soonest due first, each with Kept
// (and Undo); my promises that are due also show in the follow-ups list as reminders.
import { $, h, notify } from '../dom.js';
import { localDay, morningOf } from '../plans.js';
import { save } from '../store.js';
import { firstName, when } from '../words.js';

// When a promise counts as due: 09:00 on its day, like a check-back; undated ones never.
export const promiseDue = (promise) =>
  promise.due_on ? new Date(morningOf(promise.due_on)) : null;

// Open promises one way (mine or theirs), soonest due first, undated last.
export function openPromises(promises, direction) {
  return promises
    .filter((p) => p.direction === direction && !p.kept_at)
    .sort(
      (a, b) =>
        (a.due_on || '9999').localeCompare(b.due_on || '9999') ||
        (a.created_at || '').localeCompare(b.created_at || ''),
    );
}

// My open promises due today or before: reminders in the follow-ups list.
export const duePromises = (promises, now = new Date()) =>
  openPromises(promises, 'mine').filter(
    (p) => p.due_on && p.due_on <= localDay(now),
  );

export async function markKept(promise, name) {
  await save('promise', promise.id, { kept_at: new Date().toISOString() });
  const message =
    promise.direction === 'mine'
      ? `Kept your promise to ${name}.`
      : `${name} kept their promise.`;
  notify(message, {
    id: 'followup',
    action: 'Undo',
    onAction: () => save('promise', promise.id, { kept_at: null }),
  });
}

const person = (contact, name) =>
  contact ? h('a', { href: `/people/${contact.id}` }, name) : name;

function keptButton(promise, name, label) {
  return h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      'aria-label': `Kept: ${label}`,
      onclick: () => markKept(promise, name),
    },
    'Kept',
  );
}

function dueLine(promise, now) {
  if (!promise.due_on) return h('span', {}, 'No date');
  const late = promise.due_on < localDay(now);
  return h(
    'span',
    { class: late ? 'late' : null },
    'Due ',
    h('time', { datetime: promise.due_on }, when(promise.due_on, now)),
  );
}

// A promise in "I owe" or "Owed to me": what, to or from whom, when.
function promiseRow(promise, contact, now) {
  const name = contact?.name || 'someone';
  const mine = promise.direction === 'mine';
  const label = mine ? `promise to ${name}` : `${name}'s promise`;
  return h(
    'li',
    { class: 'followup promise' },
    h(
      'p',
      { class: 'followup-title' },
      h('bdi', {}, promise.text || 'A promise'),
    ),
    h(
      'p',
      { class: 'followup-when hint' },
      h('span', {}, mine ? 'To ' : 'From ', person(contact, name)),
      dueLine(promise, now),
    ),
    h('div', { class: 'followup-actions' }, keptButton(promise, name, label)),
  );
}

// A due promise of mine among the follow-ups: "You promised Ada: send the deck" (Ada, a link to her).
export function promiseReminder(promise, contact, group) {
  const name = contact?.name || 'someone';
  return h(
    'li',
    { class: `followup promise ${group}` },
    h(
      'p',
      { class: 'followup-title' },
      'You promised ',
      person(contact, firstName(name) || name),
      ': ',
      h('bdi', {}, promise.text || 'something'),
    ),
    h('p', { class: 'followup-when hint' }, dueLine(promise, new Date())),
    h(
      'div',
      { class: 'followup-actions' },
      keptButton(promise, name, `promise to ${name}`),
    ),
  );
}

export function showPromises(promises, contacts, now = new Date()) {
  for (const direction of ['mine', 'theirs']) {
    const open = openPromises(promises, direction);
    $(`#promises-${direction}`).replaceChildren(
      ...open.map((p) => promiseRow(p, contacts.get(p.contact_id), now)),
    );
    $(`[data-view-panel="${direction}"] [data-promises-empty]`).hidden =
      open.length > 0;
  }
}
