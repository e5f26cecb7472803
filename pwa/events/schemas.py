"""What the API accepts and shows for events and their attendee directory."""

from datetime import date

from pydantic import Field

from ..fields import Schema, Short, Timezone, text


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


class EventOut(EventFields):
    id: str
    version: int
    created_at: str
    updated_at: str
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
