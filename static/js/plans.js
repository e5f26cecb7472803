// What a capture sets in motion: the follow-ups a person met deserves, and the event we are at.

import { uuid5 } from './uuid5.js';

const MORNING_HOUR = 9;

// A local date (YYYY-MM-DD) at 09:00 local time, as an ISO instant.
export function morningOf(day) {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date, MORNING_HOUR).toISOString();
}

export function localDay(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function daysFrom(date, days) {
  const next = new Date(date);
  next.setDate(next.getDate() + days);
  return next;
}

// The event happening today, else the next one within a week, else none.
export function currentEvent(events, now = new Date()) {
  const today = localDay(now);
  const live = events.find(
    (e) =>
      e.starts_on &&
      e.starts_on <= today &&
      (e.ends_on || e.starts_on) >= today,
  );
  if (live) return live;
  const soon = localDay(daysFrom(now, 7));
  return events
    .filter((e) => e.starts_on && e.starts_on > today && e.starts_on <= soon)
    .sort((a, b) => a.starts_on.localeCompare(b.starts_on))[0];
}

// The id of a record planned for a contact, the same one the server plans (uuid5 over
// "<contact id>:<what>", pwa/followups/plans.py), so both plans are the same records.
const PLAN_NAMESPACE = '0d5f6a52-9a0e-4a43-8f4e-4c1c1a2f7e11';

export function planId(contactId, what) {
  return uuid5(PLAN_NAMESPACE, `${contactId}:${what}`);
}

export const THANK_YOU_NOTE =
  'Say thank you and confirm what each side offered';
export const CHECK_BACK_NOTE = 'Check back as agreed';

function checkBack(contact) {
  return {
    contact_id: contact.id,
    kind: 'check_back',
    due_at: morningOf(contact.next_step_due),
    note: contact.next_step || CHECK_BACK_NOTE,
  };
}

// What a new card plans, as [{ kind, id, fields }]: a thank-you due the morning after we met, a
// check-back on the agreed next-step date, and what each side promised.
export async function plannedRecords(contact, metAt = new Date()) {
  const plans = [
    {
      kind: 'followup',
      what: 'thank_you',
      fields: {
        contact_id: contact.id,
        kind: 'thank_you',
        due_at: morningOf(localDay(daysFrom(metAt, 1))),
        note: THANK_YOU_NOTE,
      },
    },
  ];
  if (contact.next_step_due && !contact.no_next_step) {
    plans.push({
      kind: 'followup',
      what: 'check_back',
      fields: checkBack(contact),
    });
  }
  for (const [direction, field] of [
    ['mine', 'i_promised'],
    ['theirs', 'they_promised'],
  ]) {
    if (!contact[field]) continue;
    plans.push({
      kind: 'promise',
      what: `promise:${direction}`,
      fields: {
        contact_id: contact.id,
        direction,
        text: contact[field],
        due_on: contact.next_step_due || null,
      },
    });
  }
  return Promise.all(
    plans.map(async ({ kind, what, fields }) => ({
      kind,
      id: await planId(contact.id, what),
      fields,
    })),
  );
}

// What an edit of a card changes in its plan, as the server does it too: the open check-back
// follows the next-step date (or goes, when the date is cleared); `followups` are the card's
// own. Returns [{ kind, id, fields }] to save and [{ kind, id }] to remove.
export async function replannedRecords(contact, changed, followups) {
  const save = [];
  const remove = [];
  const planned = ['next_step_due', 'next_step', 'no_next_step'];
  if (!planned.some((name) => name in changed)) return { save, remove };
  const firstId = await planId(contact.id, 'check_back');
  const open = (f) => f.kind === 'check_back' && !f.done_at && !f.deleted;
  // The first check-back, or one the app planned before plans had their own ids.
  const first = followups.find((f) => f.id === firstId) || followups.find(open);
  let id = firstId;
  let current = first;
  if (first?.done_at) {
    // The first one is history: the open one is a later one, each date after it its own id.
    current = followups.find(open);
    if (!current) {
      if (!contact.next_step_due) return { save, remove };
      id = await planId(contact.id, `check_back:${contact.next_step_due}`);
      current = followups.find((f) => f.id === id);
    }
  }
  if (current?.done_at) return { save, remove };
  if (contact.next_step_due && !contact.no_next_step) {
    save.push({
      kind: 'followup',
      id: current?.id || id,
      fields: checkBack(contact),
    });
  } else if (current) {
    remove.push({ kind: 'followup', id: current.id });
  }
  return { save, remove };
}

// What an edit of a card changes in its promises, as the server does it too: a promise typed
// where there was none is planned, a changed one follows the new words, a cleared one goes
// (kept ones are history and stay), and those due on the old next-step date move with it.
// `before`: the card before the edit; `promises`: its own. Returns { save, remove } as above.
export async function replannedPromises(contact, changed, before, promises) {
  const save = [];
  const remove = [];
  for (const [direction, field] of [
    ['mine', 'i_promised'],
    ['theirs', 'they_promised'],
  ]) {
    const id = await planId(contact.id, `promise:${direction}`);
    const current = promises.find((p) => p.id === id);
    if (current?.kept_at) continue;
    const fields = {};
    if (field in changed && !contact[field]) {
      if (current) remove.push({ kind: 'promise', id });
      continue;
    }
    if (field in changed) fields.text = contact[field];
    const moved =
      'next_step_due' in changed &&
      current &&
      (current.due_on || null) === (before.next_step_due || null);
    if (moved) fields.due_on = contact.next_step_due || null;
    if (!current && fields.text)
      Object.assign(fields, {
        contact_id: contact.id,
        direction,
        due_on: contact.next_step_due || null,
      });
    if (Object.keys(fields).length && (current || fields.text))
      save.push({ kind: 'promise', id, fields });
  }
  return { save, remove };
}

// When a follow-up is due: its due time, or later when it is snoozed (as the server sees it).
export function dueAt(followup) {
  const due = new Date(followup.due_at || 0);
  const snoozed = followup.snoozed_until && new Date(followup.snoozed_until);
  return snoozed > due ? snoozed : due;
}

// What a notice calls a follow-up: "thank-you to Grace Hopper"; `other` for any other kind.
const SPOKEN = {
  thank_you: (name) => `thank-you to ${name}`,
  check_back: (name) => `check back with ${name}`,
  keep_in_touch: (name) => `keep in touch with ${name}`,
};

export function spokenFollowup(followup, name, other) {
  return SPOKEN[followup.kind]?.(name) || other;
}
