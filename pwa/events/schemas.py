"""What the API accepts and shows for events and their attendee directory."""

from .. import records
from ..fields import Schema, Short, text
from .kinds import EventFields


class EventOut(records.Saved, EventFields):
    #: owner or member; only the owner sees join_code.
    role: str
    join_code: str | None = None


class JoinRequest(Schema):
    code: text(16, min_length=4)


class AttendeeOut(Schema):
    id: str
    event_id: str
    name: str
    company: Short | None
    title: Short | None
    email: str | None
    badge_id: str | None
    bio: str | None
    links: list[dict]
