"""Reading what a claimed batch of reminders needs, in a handful of queries."""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..auth.models import User
from ..contacts.models import Contact
from ..db import db
from ..events.models import Event
from ..push.models import PushSubscription
from ..push.sender import Device
from .messages import Due
from .models import FollowUp, NotificationCount
from .quiet import LocalTime


@dataclass
class Batch:
    """A claimed batch, grouped by user."""

    #: user id -> [Due]
    dues: dict = field(default_factory=dict)
    #: user id -> LocalTime
    users: dict = field(default_factory=dict)
    #: user id -> [Device]
    devices: dict = field(default_factory=dict)
    #: user id -> (local day, notifications sent that day)
    sent: dict = field(default_factory=dict)
    #: user id -> {event id: people met there}
    met: dict = field(default_factory=dict)

    def sent_on(self, user_id, day):
        """Notifications the user was sent on their local day `day`."""
        counted_day, sent = self.sent.get(user_id, (None, 0))
        return sent if counted_day == day else 0


def load(worker, ids):
    """Load the follow-ups this worker holds among ids, with their people, users and devices."""
    batch = Batch()
    for due in _dues(worker, ids):
        batch.dues.setdefault(due.user_id, []).append(due)
    user_ids = list(batch.dues)
    if not user_ids:
        return batch
    users = select(User.id, User.timezone, User.quiet_start, User.quiet_end).where(
        User.id.in_(user_ids)
    )
    for row in db.session.execute(users):
        batch.users[row.id] = LocalTime.of(row.timezone, row.quiet_start, row.quiet_end)
    devices = select(PushSubscription).where(PushSubscription.user_id.in_(user_ids))
    for row in db.session.scalars(devices):
        device = Device(row.id, row.endpoint, row.p256dh, row.auth)
        batch.devices.setdefault(row.user_id, []).append(device)
    counts = select(NotificationCount).where(NotificationCount.user_id.in_(user_ids))
    for row in db.session.scalars(counts):
        batch.sent[row.user_id] = (row.day, row.sent)
    batch.met = _met(user_ids, {due.event_id for dues in batch.dues.values() for due in dues})
    return batch


def _dues(worker, ids):
    query = (
        select(
            FollowUp.id,
            FollowUp.user_id,
            FollowUp.kind,
            FollowUp.note,
            FollowUp.due_at,
            FollowUp.snoozed_until,
            FollowUp.reminder_attempts,
            FollowUp.reminded_at,
            Contact.id.label("contact_id"),
            Contact.name.label("contact_name"),
            Contact.i_promised,
            Contact.next_step,
            Event.id.label("event_id"),
            Event.name.label("event_name"),
        )
        .outerjoin(Contact, Contact.id == FollowUp.contact_id)
        .outerjoin(Event, Event.id == Contact.event_id)
        .where(FollowUp.id.in_(ids), FollowUp.claimed_by == worker)
    )
    for row in db.session.execute(query):
        due = row.due_at
        if row.snoozed_until is not None and (due is None or row.snoozed_until > due):
            due = row.snoozed_until
        yield Due(
            id=row.id,
            user_id=row.user_id,
            kind=row.kind,
            note=row.note,
            due=due,
            contact_id=row.contact_id,
            contact_name=row.contact_name,
            i_promised=row.i_promised,
            next_step=row.next_step,
            event_id=row.event_id,
            event_name=row.event_name,
            attempts=row.reminder_attempts,
            reminded_at=row.reminded_at,
        )


def _met(user_ids, event_ids):
    """user id -> {event id: how many people the user met there} for the events given."""
    event_ids.discard(None)
    if not event_ids:
        return {}
    query = (
        select(Contact.user_id, Contact.event_id, func.count())
        .where(
            Contact.user_id.in_(user_ids),
            Contact.event_id.in_(event_ids),
            Contact.deleted_at.is_(None),
        )
        .group_by(Contact.user_id, Contact.event_id)
    )
    met = {}
    for user_id, event_id, count in db.session.execute(query):
        met.setdefault(user_id, {})[event_id] = count
    return met
