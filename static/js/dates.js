// Dates and times as the device's locale writes them, one format everywhere in the app.

const WHEN = new Intl.DateTimeFormat([], {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: 'numeric',
  minute: '2-digit',
});
const DAY = new Intl.DateTimeFormat([], {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
});

// A moment: "Tue 3 Dec, 09:00" in en-GB, "Tue, Dec 3, 9:00 AM" in en-US.
export const formatWhen = (moment) => WHEN.format(new Date(moment));

// A day, in full: "Tuesday 3 December" in en-GB.
export const formatDay = (moment) => DAY.format(new Date(moment));

// The device's own IANA time zone ("Europe/Lisbon").
export const deviceZone = () =>
  Intl.DateTimeFormat().resolvedOptions().timeZone;
