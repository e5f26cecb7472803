// The follow-through report, overall or for one event (/report/<event id>): from this device's
// records, as sentences (what screen readers read) and a small bar chart.
import { $, h } from '../dom.js';
import { followThrough } from '../follow-through.js';
import { getMeta } from '../localdb.js';
import { reportChart } from '../report.js';
import { get, list } from '../store.js';

const deviceZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const people = (count) => `${count} ${count === 1 ? 'person' : 'people'}`;

// The figures for this device's records (`eventId`: one event's people only).
export async function localFigures(eventId = null, now = new Date()) {
  const timeZone = (await getMeta('settings'))?.timezone || deviceZone();
  return followThrough(
    {
      contacts: await list('contact'),
      followups: await list('followup'),
      promises: await list('promise'),
    },
    { now, timeZone, eventId },
  );
}

function bars(f) {
  return [
    {
      label: 'Thanked in a day',
      done: f.thank_you_within_day,
      total: f.met,
      text: `Thanked within a day: ${f.thank_you_within_day} of the ${people(f.met)} met.`,
    },
    {
      label: 'Checked back',
      done: f.check_backs_on_time,
      total: f.check_backs_due,
      text: `Checked back on time: ${f.check_backs_on_time} of ${f.check_backs_due} due so far.`,
    },
    {
      label: 'My promises',
      done: f.promises_mine_kept,
      total: f.promises_mine,
      text: `Promises I kept: ${f.promises_mine_kept} of ${f.promises_mine}.`,
    },
    {
      label: 'Their promises',
      done: f.promises_theirs_kept,
      total: f.promises_theirs,
      text: `Promises kept to me: ${f.promises_theirs_kept} of ${f.promises_theirs}.`,
    },
    {
      label: 'With a next step',
      done: f.met - f.without_next_step,
      total: f.met,
      text: f.without_next_step
        ? `No next step yet: ${people(f.without_next_step)}.`
        : 'Everyone met has a next step.',
    },
  ];
}

export async function showFollowThrough(eventId) {
  const event = eventId ? await get('event', eventId) : null;
  const figures = await localFigures(event?.id ?? null);
  $('#follow-through-scope').textContent = event
    ? `For the people you met at ${event.name || 'this event'}.`
    : 'For everyone you met.';
  $('#follow-through-other').replaceChildren(
    event
      ? h(
          'a',
          { href: '/report', class: 'tap-link' },
          'The report for everyone you met',
        )
      : '',
  );
  const rows = bars(figures);
  $('#follow-through-chart').replaceChildren(
    reportChart(rows, {
      labelledBy: 'follow-through-title',
      describedBy: 'follow-through-numbers',
    }),
  );
  $('#follow-through-numbers').replaceChildren(
    ...rows.map((row) => h('li', {}, row.text)),
  );
  return figures;
}
