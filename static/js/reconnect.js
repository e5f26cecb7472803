// The Reconnect list: people ranked by how overdue they are (days since the last touch over
// their cadence), worked out on the device as the server does it (pwa/followups/keeping_in_touch.py).

const DAY = 864e5;

// Days between keep-in-touches: the contact's own, else the shortest of its tags', else null.
export function cadenceOf(contact, cadences = {}) {
  if (contact.cadence_days) return contact.cadence_days;
  const days = (contact.tags || []).map((tag) => cadences[tag]).filter(Boolean);
  return days.length ? Math.min(...days) : null;
}

// When we were last in touch: the server's last touch, else (not synced yet) when we met.
export const lastTouchOf = (contact) =>
  contact.last_touch_at || contact.met_at || null;

// [{contact_id, name, last_touch_at, cadence_days, overdue_ratio}], most overdue first; people
// without a cadence or a touch are left out.
export function rankReconnect(contacts, cadences, now = new Date()) {
  const ranked = [];
  for (const contact of contacts) {
    const cadence = cadenceOf(contact, cadences);
    const last = lastTouchOf(contact);
    if (!cadence || !last) continue;
    const days = (now - new Date(last)) / DAY;
    ranked.push({
      contact_id: contact.id,
      name: contact.name,
      last_touch_at: last,
      cadence_days: cadence,
      overdue_ratio: Math.round((Math.max(days, 0) / cadence) * 100) / 100,
    });
  }
  const byName = (a, b) => ((a || '') < (b || '') ? -1 : a === b ? 0 : 1);
  return ranked.sort(
    (a, b) =>
      b.overdue_ratio - a.overdue_ratio ||
      byName(a.name, b.name) ||
      byName(a.contact_id, b.contact_id),
  );
}

// How long ago, in words: "today", "yesterday", "3 days ago", "5 weeks ago", "2 months ago".
export function agoInWords(then, now = new Date()) {
  const days = Math.floor((now - new Date(then)) / DAY);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  const [count, unit] =
    days < 14
      ? [days, 'day']
      : days < 61
        ? [Math.round(days / 7), 'week']
        : days < 365
          ? [Math.round(days / 30), 'month']
          : [Math.round(days / 365), 'year'];
  return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
}
