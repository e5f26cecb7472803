"""The reminder dispatcher: claim due reminders, send them as Web Push, record what happened.

Several dispatchers may run against one database. Each claims a batch of due follow-ups with one
statement (FOR UPDATE SKIP LOCKED on PostgreSQL, so dispatchers never wait on or take each other's
rows; on SQLite the single UPDATE runs under the database's one writer lock) and holds them for a
lease. Finishing only changes rows it still holds, so a dispatcher that stalls past its lease
changes nothing, and one that dies loses nothing: its rows fall due again when the lease ends.
No transaction ever waits on the network: while a batch is on the wire, the dispatcher claims and
plans the next one (a short transaction of its own) and then waits with none open.
"""

import logging
import os
import socket
import uuid
from collections import Counter
from dataclasses import dataclass, fields
from datetime import timedelta

from sqlalchemy import bindparam, delete, or_, select, update

from .. import records
from ..db import db, utcnow
from ..push.endpoints import origin_of
from ..push.models import PushSubscription
from ..push.sender import Push
from . import counts, loading
from .messages import PayloadTooLarge, encode
from .models import FollowUp
from .planning import Recipient, plan

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH_SIZE = 200
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
NO_DEVICE = "No device of yours takes notifications; turn them on in Hallway on your phone."


@dataclass
class Tally:
    """What a batch or a sweep did."""

    claimed: int = 0
    notifications: int = 0
    reminded: int = 0
    deferred: int = 0
    retrying: int = 0
    failed: int = 0
    no_device: int = 0
    unsubscribed: int = 0

    def add(self, other):
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class Sending:
    """A batch whose messages are on the wire: its notices [(notice, devices, day)], a Push per
    notice and device with the index of its notice (owners), and their outcomes (an iterator
    that waits for each)."""

    now: object
    tally: Tally
    ready: list
    owners: list
    pushes: list
    outcomes: object


class Dispatcher:
    """Sends due reminders through a PushSender; call its methods inside an app context."""

    def __init__(self, sender, settings, allowed, ttl, worker_id=None, batch_size=BATCH_SIZE):
        self.sender, self.settings, self.allowed, self.ttl = sender, settings, allowed, ttl
        self.worker = worker_id or _worker_id()
        self.batch_size = batch_size
        #: Push service origin -> until when it asked us to wait (429 Retry-After).
        self.paused = {}

    def sweep(self, clock=utcnow):
        """Send everything due, batch after batch, reading the clock before each batch. While one
        batch is on the wire the next is claimed and planned, so the database and the push
        services are busy at the same time."""
        total, sending = Tally(), None
        while True:
            try:
                started = self._start(clock())
            except Exception:
                db.session.rollback()
                if sending is not None:  # its messages are out: record them before giving up
                    self._record(sending)
                raise
            if sending is not None:
                total.add(self._record(sending))
            if started is None:
                return total
            sending = started

    def _start(self, now):
        """Claim and plan a batch, and start sending it; None when nothing was due."""
        claimed = claim(self.worker, now, self.batch_size)
        if not claimed:
            db.session.commit()
            return None
        tally = Tally(claimed=len(claimed))
        batch = loading.load(self.worker, [row.id for row in claimed])
        ready = self._plan(batch, now, tally)
        db.session.commit()  # claims and reservations together; nothing open while sending
        owners, pushes = self._pushes(ready)
        return Sending(now, tally, ready, owners, pushes, self.sender.send(pushes))

    def _record(self, sending):
        """Wait for a batch's answers and record them; return its Tally."""
        outcomes = self._outcomes(sending)
        self._finish(sending.ready, outcomes, sending.now, sending.tally)
        db.session.commit()
        log.info("reminders: %s", sending.tally)
        return sending.tally

    def _plan(self, batch, now, tally):
        """Plan each user's reminders; reserve the notifications against the daily cap and
        release what waits for later. Return [(notice, devices, day)]."""
        ready, results = [], Results()
        counts.prepare(batch.dues)
        for user_id in sorted(batch.dues, key=str):  # one lock order for every dispatcher
            dues = batch.dues[user_id]
            local = batch.users[user_id]
            recipient = self._recipient(local, batch.devices.get(user_id, []), now)
            day = local.day(now)
            recipient.sent_today = batch.sent_on(user_id, day)
            decided = plan(recipient, dues, now, self.settings, batch.met.get(user_id, {}))
            if decided.notices and counts.reserve(
                user_id, day, len(decided.notices), self.settings.daily_cap
            ):
                ready += [(notice, recipient.devices, day) for notice in decided.notices]
            elif decided.notices:  # another dispatcher used today's room meanwhile
                decided.deferred += [(due, local.next_day(now)) for due in dues]
            for due, until in decided.deferred:
                results.add("deferred", due, until=until)
            for due in decided.no_device:
                results.add("no_device", due, error=NO_DEVICE)
        results.write(self.worker, now)
        tally.deferred += len(results.rows["deferred"])
        tally.no_device += len(results.rows["no_device"])
        return ready

    def _recipient(self, local, devices, now):
        """The user's devices we may post to now (allowed, not paused by a 429)."""
        allowed, paused = [], []
        for device in devices:
            try:
                self.allowed.check(device.endpoint)
            except ValueError:
                continue  # no longer an allowed push service: never post there
            until = self.paused.get(origin_of(device.endpoint))
            if until is not None and until > now:
                paused.append(until)
            else:
                allowed.append(device)
        paused_until = None if allowed else min(paused, default=None)
        return Recipient(local, allowed, paused_until=paused_until)

    def _outcomes(self, sending):
        """The answers to a batch's messages, per notice; pause push services that said 429."""
        outcomes = [[] for _ in sending.ready]
        answers = zip(sending.owners, sending.pushes, sending.outcomes, strict=True)
        for owner, push, outcome in answers:
            outcomes[owner].append((push.device, outcome))
            if outcome.result == "rate_limited":
                origin = origin_of(push.device.endpoint)
                until = sending.now + timedelta(seconds=outcome.retry_after)
                self.paused[origin] = max(self.paused.get(origin, until), until)
        return outcomes

    def _pushes(self, ready):
        """(owners, pushes): a Push per notice and device, and which notice each belongs to."""
        owners, pushes = [], []
        for index, (notice, devices, _day) in enumerate(ready):
            try:
                data = encode(notice.payload)
            except PayloadTooLarge:
                log.exception("a reminder does not fit in a push message (a bug)")
                continue
            for device in devices:
                owners.append(index)
                pushes.append(Push(device, data, self.ttl, notice.urgency, notice.topic))
        return owners, pushes

    def _finish(self, ready, outcomes, now, tally):
        """Record each notice's result on its follow-ups; forget devices that unsubscribed."""
        results, gone, refunds = Results(), [], Counter()
        for (notice, _devices, day), sent in zip(ready, outcomes, strict=True):
            gone += [device.id for device, outcome in sent if outcome.result == "gone"]
            result, values = self._result(notice, sent, now)
            if result == "sent":
                tally.notifications += 1
            else:
                refunds[(notice.dues[0].user_id, day)] += 1
            for due in notice.dues:
                results.add(result, due, **values)
        for (user_id, day), count in sorted(refunds.items(), key=lambda item: str(item[0][0])):
            counts.refund(user_id, day, count)
        results.write(self.worker, now)
        if gone:
            db.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
        tally.reminded += len(results.rows["sent"])
        tally.retrying += len(results.rows["retrying"])
        tally.failed += len(results.rows["failed"])
        tally.no_device += len(results.rows["no_device"])
        tally.unsubscribed += len(gone)

    def _result(self, notice, results, now):
        """("sent" | "retrying" | "failed" | "no_device", row values) for one notice."""
        found = {outcome.result for _device, outcome in results}
        if "delivered" in found:
            return "sent", {}
        if not results:
            return "failed", {"error": "This reminder could not be built (a bug; it was logged)."}
        if found <= {"gone"}:
            return "no_device", {"error": NO_DEVICE}
        attempts = max(due.attempts for due in notice.dues) + 1
        waits = [o.retry_after for _d, o in results if o.result == "rate_limited"]
        transient = [o for _d, o in results if o.result in ("retry", "rate_limited")]
        if transient and attempts < MAX_ATTEMPTS:
            wait = max([backoff(attempts).total_seconds(), *waits])
            return "retrying", {
                "error": f"Not delivered yet: {transient[0].detail}. Trying again.",
                "until": now + timedelta(seconds=wait),
            }
        details = sorted({o.detail for _d, o in results if o.result != "gone"})
        tries = f" after {attempts} tries" if transient else ""
        return "failed", {"error": f"Not delivered{tries}: {'; '.join(details)}."}


def backoff(attempts):
    """How long to wait before attempt number attempts + 1: 30 s, 1 min, 2 min, ... 1 h."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


def claim(worker, now, limit, lease=LEASE):
    """Take up to limit due reminders for this worker until now + lease; return (id, user_id)
    rows. Ordered by user, so one user's reminders travel together (and can become a digest)."""
    due = (
        select(FollowUp.id)
        .where(
            FollowUp.remind_at <= now,
            FollowUp.done_at.is_(None),
            FollowUp.deleted_at.is_(None),
            or_(FollowUp.claimed_until.is_(None), FollowUp.claimed_until < now),
        )
        .order_by(FollowUp.user_id, FollowUp.remind_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(FollowUp)
        .where(FollowUp.id.in_(due.scalar_subquery()))
        .values(claimed_by=worker, claimed_until=now + lease)
        .returning(FollowUp.id, FollowUp.user_id)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(statement).all()


_table = FollowUp.__table__
_FINISH = {
    "deferred": {"remind_at": bindparam("b_until")},
    "sent": {
        "remind_at": None,
        "reminder_status": "sent",
        "reminded_at": bindparam("b_now"),
        "reminder_attempts": _table.c.reminder_attempts + 1,
        "reminder_error": None,
    },
    "retrying": {
        "remind_at": bindparam("b_until"),
        "reminder_status": "retrying",
        "reminder_attempts": _table.c.reminder_attempts + 1,
        "reminder_error": bindparam("b_error"),
    },
    "failed": {
        "remind_at": None,
        "reminder_status": "failed",
        "reminder_attempts": _table.c.reminder_attempts + 1,
        "reminder_error": bindparam("b_error"),
    },
    "no_device": {
        "remind_at": None,
        "reminder_status": "no_device",
        "reminder_error": bindparam("b_error"),
    },
}
#: Results the user sees (the API shows reminder_status, reminded_at, reminder_error): these
#: count as changes of the follow-up, so sync brings them to every device.
_SEEN = {"sent", "failed", "no_device"}
_SEEN_VALUES = {
    "version": _table.c.version + 1,
    "updated_at": bindparam("b_now"),
    "change_seq": bindparam("b_seq"),
}


class Results:
    """Results for claimed rows, written together: one statement per kind of result, touching
    only rows this worker still holds, and releasing them."""

    def __init__(self):
        self.rows = {result: [] for result in _FINISH}

    def add(self, result, due, **values):
        self.rows[result].append((due, values))

    def write(self, worker, now):
        seqs = self._number()
        for result, rows in self.rows.items():
            if not rows:
                continue
            values = {**_FINISH[result], "claimed_by": None, "claimed_until": None}
            if result in _SEEN:
                values.update(_SEEN_VALUES)
            statement = (
                update(_table)
                .where(_table.c.id == bindparam("b_id"), _table.c.claimed_by == worker)
                .values(**values)
            )
            params = [
                {
                    "b_id": due.id,
                    "b_now": now,
                    "b_seq": seqs.get(due.id),
                    **{f"b_{name}": value for name, value in extra.items()},
                }
                for due, extra in rows
            ]
            db.session.connection().execute(statement, params)

    def _number(self):
        """Change numbers (the sync order) for the rows whose result users see."""
        seen = {}
        for result in _SEEN:
            for due, _ in self.rows[result]:
                seen.setdefault(due.user_id, []).append(due.id)
        firsts = records.take_changes({user_id: len(ids) for user_id, ids in seen.items()})
        return {
            row_id: firsts[user_id] + i
            for user_id, ids in seen.items()
            if user_id in firsts
            for i, row_id in enumerate(ids)
        }


def _worker_id():
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
