// Follow-ups: overdue, today, this week, later; Done (with Undo) and Snooze in one tap, offline too.
// A switch at the bottom shows "I owe" and "Owed to me" instead (screens/promises.js).
import { $, h, notify } from '../dom.js';
import {
  daysFrom,
  dueAt,
  localDay,
  morningOf,
  spokenFollowup,
} from '../plans.js';
import { agoInWords, lastTouchOf } from '../reconnect.js';
import { list, save } from '../store.js';
import { dateTime } from '../words.js';
import {
  duePromises,
  promiseDue,
  promiseReminder,
  showPromises,
} from './promises.js';

const KIND = {
  thank_you: 'Thank-you',
  check_back: 'Check back',
  keep_in_touch: 'Keep in touch',
};
let snoozing = null; // the follow-up whose snooze choices are open, kept over re-renders
let view = 'followups'; // followups, mine (I owe) or theirs (Owed to me), kept over re-renders
let bound = false;
const GROUPS = [
  ['overdue', 'Overdue'],
  ['today', 'Today'],
  ['week', 'This week'],
  ['later', 'Later'],
];

// Mark a follow-up done, with Undo in the notice (`spoken`: "thank-you to Grace Hopper").
export async function markDone(followup, spoken) {
  await save('followup', followup.id, { done_at: new Date().toISOString() });
  notify(`Done: ${spoken}.`, {
    id: 'followup',
    action: 'Undo',
    onAction: () => save('followup', followup.id, { done_at: null }),
  });
}

function group(due, now) {
  if (localDay(due) === localDay(now)) return 'today';
  if (due < now) return 'overdue';
  const weekEnd = daysFrom(now, 7);
  weekEnd.setHours(0, 0, 0, 0);
  return due < weekEnd ? 'week' : 'later';
}

// Snooze choices later than the follow-up is due now: later today, tomorrow, next week (9:00),
// and for one due further out, a week after it.
function snoozeChoices(due, now) {
  const later = new Date(now);
  later.setHours(now.getHours() + 3, 0, 0, 0);
  const choices = [
    ['Later today', later],
    ['Tomorrow', new Date(morningOf(localDay(daysFrom(now, 1))))],
    ['Next week', new Date(morningOf(localDay(daysFrom(now, 7))))],
  ].filter(
    ([label, at]) =>
      at > due && (label !== 'Later today' || localDay(at) === localDay(now)),
  );
  return choices.length ? choices : [['A week later', daysFrom(due, 7)]];
}

async function snooze(followup, until, label) {
  snoozing = null;
  const before = followup.snoozed_until ?? null;
  await save('followup', followup.id, { snoozed_until: until.toISOString() });
  notify(`Snoozed ${label} until ${dateTime(until)}.`, {
    id: 'followup',
    action: 'Undo',
    onAction: () => save('followup', followup.id, { snoozed_until: before }),
  });
}

// "Last in touch 5 weeks ago" (a keep-in-touch's note would only repeat its title).
function lastTouchLine(contact) {
  const last = contact && lastTouchOf(contact);
  return last ? `Last in touch ${agoInWords(last)}` : null;
}

function row(followup, contact, now) {
  const due = dueAt(followup);
  const what = KIND[followup.kind] || followup.note || 'Follow up';
  const name = contact?.name || 'someone';
  const label = `${what}: ${name}`;
  const spoken = spokenFollowup(followup, name, `${what} (${name})`);
  const note =
    followup.kind === 'keep_in_touch'
      ? lastTouchLine(contact)
      : followup.kind !== 'custom' && followup.note;
  const menu = h(
    'div',
    {
      class: 'chips',
      role: 'group',
      'aria-label': `Snooze ${label}`,
      hidden: snoozing !== followup.id,
    },
    snoozeChoices(due, now).map(([choice, until]) =>
      h(
        'button',
        { type: 'button', onclick: () => snooze(followup, until, spoken) },
        choice,
      ),
    ),
  );
  return h(
    'li',
    { class: `followup ${group(due, now)}` },
    h(
      'p',
      { class: 'followup-title' },
      `${what}: `,
      contact ? h('a', { href: `/people/${contact.id}` }, name) : name,
    ),
    h(
      'p',
      { class: 'followup-when hint' },
      note ? h('span', {}, note) : null,
      h('time', { datetime: due.toISOString() }, dateTime(due)),
    ),
    h(
      'div',
      { class: 'followup-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          'aria-label': `Done: ${label}`,
          onclick: () => markDone(followup, spoken),
        },
        'Done',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          'aria-label': `Snooze: ${label}`,
          'aria-expanded': String(snoozing === followup.id),
          onclick: (event) => {
            menu.hidden = !menu.hidden;
            snoozing = menu.hidden ? null : followup.id;
            event.currentTarget.setAttribute(
              'aria-expanded',
              String(!menu.hidden),
            );
          },
        },
        'Snooze',
      ),
    ),
    menu,
  );
}

function showView() {
  for (const button of document.querySelectorAll('#followup-views button'))
    button.setAttribute('aria-pressed', String(button.dataset.view === view));
  for (const panel of document.querySelectorAll('[data-view-panel]'))
    panel.hidden = panel.dataset.viewPanel !== view;
}

function bind() {
  bound = true;
  $('#followup-views').addEventListener('click', (event) => {
    const button = event.target.closest('[data-view]');
    if (!button) return;
    view = button.dataset.view;
    showView();
    window.scrollTo(0, 0);
  });
}

export async function showFollowups() {
  if (!bound) bind();
  showView();
  const now = new Date();
  const contacts = new Map(
    (await list('contact')).map((contact) => [contact.id, contact]),
  );
  const promises = await list('promise');
  showPromises(promises, contacts, now);
  const open = [
    ...(await list('followup'))
      .filter((f) => !f.done_at)
      .map((f) => ({ due: dueAt(f), followup: f })),
    ...duePromises(promises, now).map((p) => ({
      due: promiseDue(p),
      promise: p,
    })),
  ].sort((a, b) => a.due - b.due);
  const rows = Object.fromEntries(GROUPS.map(([key]) => [key, []]));
  for (const { due, followup, promise } of open) {
    const key = group(due, now);
    const contact = contacts.get((followup || promise).contact_id);
    rows[key].push(
      followup
        ? row(followup, contact, now)
        : promiseReminder(promise, contact, key),
    );
  }
  $('#followup-groups').replaceChildren(
    ...GROUPS.filter(([key]) => rows[key].length).map(([key, title]) =>
      h(
        'section',
        { 'aria-labelledby': `followups-${key}` },
        h(
          'h2',
          { id: `followups-${key}` },
          title,
          ' ',
          h('span', { class: 'badge' }, rows[key].length),
        ),
        h('ul', { class: 'list' }, rows[key]),
      ),
    ),
  );
  $('[data-screen="followups"] [data-empty]').hidden = open.length > 0;
}
