"""The event as a synced record: its fields, its rules, and the check that an event_id is one
the user may point at (their own or one they joined)."""

import secrets
from datetime import date

from pydantic import Field

from .. import records
from ..db import db
from ..errors import ApiError
from ..fields import Schema, Timezone, text
from .models import Event, EventMember

JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class Goal(Schema):
    #: What I need from the event and why.
    text: text(500, min_length=1)
    done: bool = False


class EventFields(Schema):
    name: text(200, min_length=1) | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    location: text(300) | None = None
    timezone: Timezone | None = None
    goals: list[Goal] | None = Field(default=None, max_length=50)


def _give_join_code(event, user):
    event.join_code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(8))


def _check_dates(values, event):
    """Refuse an event that would end before it starts (a change may send only one date)."""
    starts = values.get("starts_on", event.starts_on if event else None)
    ends = values.get("ends_on", event.ends_on if event else None)
    if starts and ends and ends < starts:
        field = "starts_on" if "ends_on" not in values else "ends_on"
        raise ApiError(
            422, "invalid_field", f"{field}: the event must not end before it starts.", field
        )


EVENT = records.register(
    records.RecordType(
        name="event",
        model=Event,
        fields=EventFields,
        required=("name",),
        validate=_check_dates,
        on_create=_give_join_code,
    )
)


def can_read(user, event):
    """Whether the user owns the event or joined it."""
    if event.user_id == user.id:
        return True
    member = db.session.get(EventMember, (event.id, user.id))
    return member is not None


def readable_event(record_type, user, event_id):
    """Return an event the user owns or joined, or raise 404."""
    event = db.session.get(Event, event_id)
    if event is None or event.deleted_at is not None or not can_read(user, event):
        raise ApiError(404, "not_found", "No event with this id.")
    return event


def check_event(user, event_id, values, record):
    """Refuse an event_id that is not an event the user owns or joined."""
    event = db.session.get(Event, event_id)
    if event is None or event.deleted_at is not None or not can_read(user, event):
        raise ApiError(422, "invalid_field", "event_id: no such event.", "event_id")
