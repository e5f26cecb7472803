// A person's promises, from the local 'promise' store: what I promised them and what they
// promised me, each with its due date and a Kept button (Undo in the notice); kept ones stay,
// shown as done.
import { $, h, notify } from './dom.js';
import { localDay } from './plans.js';
import { list, save } from './store.js';
import { when } from './words.js';

const GROUPS = [
  ['mine', 'I promised'],
  ['theirs', 'They promised'],
];

// Open ones first, by due date (none last), then the kept ones.
function order(a, b) {
  if (Boolean(a.kept_at) !== Boolean(b.kept_at)) return a.kept_at ? 1 : -1;
  return (a.due_on || '9999').localeCompare(b.due_on || '9999');
}

async function markKept(promise) {
  await save('promise', promise.id, { kept_at: new Date().toISOString() });
  notify(`Kept: ${promise.text}.`, {
    id: 'promise',
    action: 'Undo',
    onAction: () => save('promise', promise.id, { kept_at: null }),
  });
}

function item(promise) {
  const late =
    !promise.kept_at && promise.due_on && promise.due_on < localDay(new Date());
  const detail = promise.kept_at
    ? `Kept ${when(promise.kept_at)}`
    : promise.due_on
      ? `${late ? 'Was due' : 'Due'} ${when(promise.due_on)}`
      : 'No date';
  return h(
    'li',
    {
      class: `promise${promise.kept_at ? ' kept' : ''}${late ? ' overdue' : ''}`,
    },
    h(
      'div',
      { class: 'promise-what' },
      h('span', { class: 'promise-text' }, promise.text),
      h('span', { class: 'hint' }, detail),
    ),
    promise.kept_at
      ? h('span', { class: 'badge done' }, 'Kept')
      : h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'aria-label': `Kept: ${promise.text}`,
            onclick: () => markKept(promise),
          },
          'Kept',
        ),
  );
}

// Show the contact's promises (the section hides when there are none); resolves to them.
export async function showPromises(contact) {
  const promises = (await list('promise'))
    .filter((p) => p.contact_id === contact.id && p.text)
    .sort(order);
  const groups = GROUPS.map(([direction, title]) => {
    const own = promises.filter((p) => p.direction === direction);
    if (!own.length) return null;
    return h(
      'div',
      { class: 'promise-group' },
      h('h3', {}, title),
      h('ul', { class: 'list', 'aria-label': title }, own.map(item)),
    );
  });
  $('#promise-groups').replaceChildren(...groups.filter(Boolean));
  $('#person-promises').hidden = !promises.length;
  return promises;
}
