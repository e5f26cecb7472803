// What a capture sets in motion: the follow-ups a person met deserves, and the event we are at.
import { myPromise, nextStep, theirPromise } from './phrasing.js';

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

// A day in full, for a letter read days later: "Tuesday 8 December" (en-GB).
const longDay = (moment) =>
  new Date(moment).toLocaleDateString([], {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  });

// The thank-you, in words a person would write: {subject, body, mailto} (mailto is null when the
// person has no email: share or copy the body instead).
export function thankYouDraft(contact, { myName, eventName } = {}) {
  const first = (contact.name || '').trim().split(/\s+/)[0];
  const at = eventName ? ` at ${eventName}` : '';
  const lines = [
    first ? `Hi ${first},` : 'Hi,',
    '',
    `Thank you for the conversation${at}.`,
  ];
  if (contact.i_promised) lines.push(myPromise(contact.i_promised));
  if (contact.they_promised) lines.push(theirPromise(contact.they_promised));
  if (contact.next_step_due)
    lines.push(
      nextStep(contact.next_step, longDay(morningOf(contact.next_step_due))),
    );
  lines.push('', 'Best,', myName || '');
  const subject = `Great to meet you${at}`;
  const body = lines.join('\n').trim();
  const email = (contact.email || '').trim();
  const mailto = email
    ? `mailto:${encodeURIComponent(email)}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`
    : null;
  return { subject, body, mailto };
}

// The draft as a mailto: link, or '' when the person has no email.
export function thankYouLink(contact, names) {
  return thankYouDraft(contact, names).mailto || '';
}
