// What a capture sets in motion: the follow-ups a person met deserves, and the event we are at.

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

// A thank-you due the morning after we met; a check-back on the agreed next-step date.
export function plannedFollowups(contact, metAt = new Date()) {
  const plans = [
    {
      kind: 'thank_you',
      due_at: morningOf(localDay(daysFrom(metAt, 1))),
      note: 'Say thank you and confirm what each side offered',
    },
  ];
  if (contact.next_step_due) {
    plans.push({
      kind: 'check_back',
      due_at: morningOf(contact.next_step_due),
      note: contact.next_step || 'Check back as agreed',
    });
  }
  return plans.map((plan) => ({ ...plan, contact_id: contact.id }));
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
