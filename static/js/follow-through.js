// The follow-through report's figures, from the device's records, with the same definitions as
// the server's (pwa/followups/report.py, GET /api/v1/report): per event or overall.

const WITHIN_A_DAY = 24 * 36e5;

// A moment's date in a time zone ("2031-03-04"); en-CA writes dates as YYYY-MM-DD.
function dayIn(moment, timeZone) {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date(moment));
  } catch {
    return dayIn(moment, 'UTC'); // an unknown zone counts as UTC, as on the server
  }
}

// `records`: {contacts, followups, promises} (live ones); `timeZone`: the account's.
export function followThrough(
  { contacts, followups, promises },
  { now = new Date(), timeZone = 'UTC', eventId = null } = {},
) {
  const mine = new Map(
    contacts
      .filter((contact) => !eventId || contact.event_id === eventId)
      .map((contact) => [contact.id, contact]),
  );
  const figures = {
    met: mine.size,
    thank_you_within_day: 0,
    check_backs_due: 0,
    check_backs_on_time: 0,
    promises_mine: 0,
    promises_mine_kept: 0,
    promises_theirs: 0,
    promises_theirs_kept: 0,
    without_next_step: [...mine.values()].filter(
      (c) => !c.next_step_due && !c.next_step && !c.no_next_step,
    ).length,
  };
  for (const followup of followups) {
    const contact = mine.get(followup.contact_id);
    if (!contact) continue;
    const done = followup.done_at && new Date(followup.done_at);
    if (followup.kind === 'thank_you') {
      if (
        done &&
        contact.met_at &&
        done - new Date(contact.met_at) <= WITHIN_A_DAY
      )
        figures.thank_you_within_day += 1;
    } else if (
      followup.kind === 'check_back' &&
      followup.due_at &&
      new Date(followup.due_at) <= now
    ) {
      figures.check_backs_due += 1;
      // Done by the end of its due day: done on that local day or before.
      if (done && dayIn(done, timeZone) <= dayIn(followup.due_at, timeZone))
        figures.check_backs_on_time += 1;
    }
  }
  for (const promise of promises) {
    if (!mine.has(promise.contact_id)) continue;
    if (!['mine', 'theirs'].includes(promise.direction)) continue;
    figures[`promises_${promise.direction}`] += 1;
    if (promise.kept_at) figures[`promises_${promise.direction}_kept`] += 1;
  }
  return figures;
}
