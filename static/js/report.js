// The event report: goals met, people on my list met, people met unplanned, follow-ups done, as
// sentences (what screen readers read) and a small bar chart (inline SVG, built node by node);
// it links to the event's follow-through report (screens/follow-through.js).
import { $, h } from './dom.js';
import { localDay } from './plans.js';
import { list } from './store.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 320;
const LABEL_WIDTH = 124;
const BAR_WIDTH = 148;
const ROW_HEIGHT = 30;

// What happened at the event, from this device's records.
export async function eventNumbers(event, now = new Date()) {
  const targets = (await list('target')).filter(
    (target) => target.event_id === event.id && target.status !== 'skip',
  );
  const contacts = (await list('contact')).filter(
    (contact) => contact.event_id === event.id,
  );
  const met = new Set(contacts.map((contact) => contact.id));
  const followups = (await list('followup')).filter((f) =>
    met.has(f.contact_id),
  );
  const due = followups.filter(
    (f) => f.done_at || (f.due_at && new Date(f.due_at) <= now),
  );
  const goals = event.goals || [];
  return {
    goals: { done: goals.filter((g) => g.done).length, total: goals.length },
    targets: {
      done: targets.filter((t) => t.status === 'met').length,
      total: targets.length,
    },
    unplanned: {
      done: contacts.filter((c) => !c.target_id).length,
      total: contacts.length,
    },
    followups: {
      done: due.filter((f) => f.done_at).length,
      total: due.length,
      later: followups.length - due.length,
    },
  };
}

function rows(numbers, owner) {
  const { goals, targets, unplanned, followups } = numbers;
  const later = followups.later ? `; ${followups.later} due later` : '';
  return [
    owner && {
      label: 'Goals met',
      ...goals,
      text: `Goals met: ${goals.done} of ${goals.total}`,
    },
    {
      label: 'On my list, met',
      ...targets,
      text: `On my list, met: ${targets.done} of ${targets.total}`,
    },
    {
      label: 'Met, not planned',
      ...unplanned,
      text: `Met, not planned: ${unplanned.done} of the ${unplanned.total} I met`,
    },
    {
      label: 'Follow-ups done',
      ...followups,
      text: `Follow-ups done: ${followups.done} of ${followups.total} due${later}`,
    },
  ].filter(Boolean);
}

function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes))
    element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

// One bar per row: the done part filled, the rest a track; "done/total" beside it.
export function reportChart(bars, { labelledBy, describedBy }) {
  const chart = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${bars.length * ROW_HEIGHT}`,
    class: 'report-chart',
    role: 'img',
    'aria-labelledby': labelledBy,
    'aria-describedby': describedBy,
  });
  bars.forEach((bar, index) => {
    const top = index * ROW_HEIGHT;
    const share = bar.total ? Math.min(1, bar.done / bar.total) : 0;
    chart.append(
      svg('text', { x: 0, y: top + 19, class: 'label' }, bar.label),
      svg('rect', {
        x: LABEL_WIDTH,
        y: top + 7,
        width: BAR_WIDTH,
        height: 16,
        rx: 3,
        class: 'track',
      }),
      svg('rect', {
        x: LABEL_WIDTH,
        y: top + 7,
        width: Math.round(BAR_WIDTH * share),
        height: 16,
        rx: 3,
        class: 'done',
      }),
      svg(
        'text',
        { x: LABEL_WIDTH + BAR_WIDTH + 8, y: top + 19, class: 'value' },
        `${bar.done}/${bar.total}`,
      ),
    );
  });
  return chart;
}

// The report on the event's page, once the event has begun.
export async function showReport(event, { owner = true } = {}) {
  const section = $('#event-report');
  const today = localDay(new Date());
  section.hidden = Boolean(event.starts_on && event.starts_on > today);
  if (section.hidden) return;
  const over = (event.ends_on || event.starts_on) < today;
  $('#report-title').textContent = over ? 'Event report' : 'The event so far';
  const bars = rows(await eventNumbers(event), owner);
  $('#report-chart').replaceChildren(
    reportChart(bars, {
      labelledBy: 'report-title',
      describedBy: 'report-numbers',
    }),
  );
  $('#report-numbers').replaceChildren(
    ...bars.map((bar) => h('li', {}, bar.text)),
  );
  $('#report-follow-through').setAttribute('href', `/report/${event.id}`);
}
