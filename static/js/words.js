// Dates and names as a person reads them: in the device's locale, the same on every screen.

const DAY = { weekday: 'short', day: 'numeric', month: 'short' };
// "6:55 PM" where the clock has 12 hours, "09:00" where it has 24.
const TWELVE = ['h11', 'h12'].includes(
  new Intl.DateTimeFormat([], { hour: 'numeric' }).resolvedOptions().hourCycle,
);
const TIME = { hour: TWELVE ? 'numeric' : '2-digit', minute: '2-digit' };

// A day ("2031-03-04") or an instant, as a local date: "today", "tomorrow", "yesterday" or "Tue 4 Mar".
export function when(value, now = new Date()) {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? new Date(`${value}T12:00`)
    : new Date(value);
  const days = Math.round((startOfDay(date) - startOfDay(now)) / 864e5);
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  const options =
    date.getFullYear() === now.getFullYear()
      ? DAY
      : { ...DAY, year: 'numeric' };
  return date.toLocaleDateString([], options);
}

// An instant with its time: "today 14:05", "Tue 4 Mar 09:00".
export function dateTime(value, now = new Date()) {
  return `${when(value, now)} ${timeOfDay(value)}`;
}

// The time of an instant: "6:55 PM" (en-US), "18:55" (en-GB).
export function timeOfDay(value) {
  return new Date(value).toLocaleTimeString([], TIME);
}

function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

// "Grace Hopper" -> "GH"; a one-word name gives one letter.
export function initials(name) {
  const words = (name || '').trim().split(/\s+/).filter(Boolean);
  const picked = words.length > 1 ? [words[0], words.at(-1)] : words;
  return picked.map((word) => [...word][0].toUpperCase()).join('');
}

// "Grace Hopper" -> "Grace" ('' for no name).
export function firstName(name) {
  return (name || '').trim().split(/\s+/)[0];
}

// How long ago, in round words: "today", "yesterday", "3 days ago", "2 weeks ago", "5 months ago".
export function ago(value, now = new Date()) {
  const days = Math.round(
    (startOfDay(now) - startOfDay(new Date(value))) / 864e5,
  );
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  const [count, unit] =
    days < 14
      ? [days, 'day']
      : days < 60
        ? [Math.round(days / 7), 'week']
        : days < 730
          ? [Math.round(days / 30.4), 'month']
          : [Math.round(days / 365), 'year'];
  return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
}
