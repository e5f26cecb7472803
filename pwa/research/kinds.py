"""The research target (someone I plan to meet) as a synced record: its fields, its defaults, and
the checks that its event and attendee are ones the user may point at."""

import uuid
from typing import Literal

from pydantic import Field

from .. import records
from ..db import db
from ..errors import ApiError
from ..events.kinds import check_event
from ..events.models import Attendee
from ..fields import Note, Schema, Short, text
from .models import ResearchTarget


class TargetFields(Schema):
    event_id: uuid.UUID | None = None
    attendee_id: uuid.UUID | None = None
    name: text(200, min_length=1) | None = None
    company: Short | None = None
    title: Short | None = None
    why: Note | None = None
    offer: Note | None = None
    ask: Note | None = None
    questions: text(4000) | None = None
    agenda: Note | None = None
    outcome: Note | None = None
    priority: int | None = Field(default=None, ge=1, le=5)
    status: Literal["to_meet", "met", "skip"] | None = None


class TargetOut(records.Saved, TargetFields):
    pass


def check_attendee(user, attendee_id, values, record):
    """Refuse an attendee that is not in the directory of the target's event."""
    event_id = values.get("event_id", record.event_id if record else None)
    attendee = db.session.get(Attendee, attendee_id)
    if attendee is None or attendee.event_id != event_id:
        raise ApiError(
            422, "invalid_field", "attendee_id: not in this event's directory.", "attendee_id"
        )


def check_target(user, target_id, values, record):
    """Refuse a target_id that is not one of the user's research targets."""
    target = db.session.get(ResearchTarget, target_id)
    if target is None or target.user_id != user.id or target.deleted_at is not None:
        raise ApiError(422, "invalid_field", "target_id: no such research target.", "target_id")


def _defaults(target, user):
    target.priority = target.priority or 3
    target.status = target.status or "to_meet"


TARGET = records.register(
    records.RecordType(
        name="target",
        model=ResearchTarget,
        fields=TargetFields,
        required=("name",),
        references={"event_id": check_event, "attendee_id": check_attendee},
        on_create=_defaults,
    )
)
