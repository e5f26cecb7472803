"""The reminder dispatcher: claim due reminders, send them as Web Push, record what happened.

Claiming (with a lease, so several dispatchers share one database) is in claims.py; what became
of each reminder, and writing it, in results.py. No transaction ever waits on the network: while a batch is on the wire, the dispatcher claims and
plans the next one (a short transaction of its own) and then waits with none open.
"""

import logging
import os
import socket
import uuid
from collections import Counter
from dataclasses import dataclass, fields
from datetime import timedelta

from sqlalchemy import delete

from ..db import db, utcnow
from ..push.endpoints import origin_of
from ..push.models import PushSubscription
from ..push.sender import Push
from . import counts, loading
from .claims import claim
from .messages import PayloadTooLarge, encode
from .planning import Recipient, plan
from .results import NO_DEVICE, Results, notice_result

log = logging.getLogger(__name__)

BATCH_SIZE = 200


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
    notice and device, the index in ready of each push's notice, and the pushes' outcomes (an
    iterator that waits for each)."""

    now: object
    tally: Tally
    ready: list
    pushes: list
    notice_of_push: list
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
        pushes, notice_of_push = self._pushes(ready)
        return Sending(now, tally, ready, pushes, notice_of_push, self.sender.send(pushes))

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
        answers = zip(sending.notice_of_push, sending.pushes, sending.outcomes, strict=True)
        for notice_index, push, outcome in answers:
            outcomes[notice_index].append((push.device, outcome))
            if outcome.result == "rate_limited":
                origin = origin_of(push.device.endpoint)
                until = sending.now + timedelta(seconds=outcome.retry_after)
                self.paused[origin] = max(self.paused.get(origin, until), until)
        return outcomes

    def _pushes(self, ready):
        """(pushes, notice_of_push): a Push per notice and device, and the index of each one's
        notice in ready."""
        pushes, notice_of_push = [], []
        for index, (notice, devices, _day) in enumerate(ready):
            try:
                data = encode(notice.payload)
            except PayloadTooLarge:
                log.exception("a reminder does not fit in a push message (a bug)")
                continue
            for device in devices:
                notice_of_push.append(index)
                pushes.append(Push(device, data, self.ttl, notice.urgency, notice.topic))
        return pushes, notice_of_push

    def _finish(self, ready, outcomes, now, tally):
        """Record each notice's result on its follow-ups; forget devices that unsubscribed."""
        results, gone, refunds = Results(), [], Counter()
        for (notice, _devices, day), sent in zip(ready, outcomes, strict=True):
            gone += [device.id for device, outcome in sent if outcome.result == "gone"]
            result, values = notice_result(notice, sent, now)
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


def _worker_id():
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
