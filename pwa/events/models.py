"""Events the user attends, the people who joined a shared event, and its attendee directory."""

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..db import Record, UTCDateTime, db, utcnow


class Event(Record, db.Model):
    __tablename__ = "events"

    name: Mapped[str | None] = mapped_column(String(200))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    location: Mapped[str | None] = mapped_column(String(300))
    #: IANA zone of the venue; due times for follow-ups of people met here use it.
    timezone: Mapped[str | None] = mapped_column(String(64))
    #: [{"text": "Find a co-founder", "done": false}, ...]: what I need from this event and why.
    goals: Mapped[list | None] = mapped_column(JSON)
    #: Shared with people who may join the event's attendee directory.
    join_code: Mapped[str | None] = mapped_column(String(16), unique=True)


class EventMember(db.Model):
    """Someone other than the owner who joined a shared event with its code."""

    __tablename__ = "event_members"

    event_id: Mapped[uuid.UUID] = mapped_column(
        db.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The member's own goals for the event, as Event.goals: theirs alone, never the owner's
    #: and never shown to anyone else.
    goals: Mapped[list | None] = mapped_column(JSON)


class Attendee(db.Model):
    """A person in an event's directory, imported by the event's owner."""

    __tablename__ = "attendees"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    event_id: Mapped[uuid.UUID] = mapped_column(
        db.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    #: What the attendee's badge QR carries, so a scan can find them.
    badge_id: Mapped[str | None] = mapped_column(String(200), index=True)
    bio: Mapped[str | None] = mapped_column(Text)
    #: [{"title": "LinkedIn", "url": "https://..."}]
    links: Mapped[list | None] = mapped_column(JSON)
    #: The source's own id (ticket, speaker GUID), so a re-import updates instead of duplicating.
    source_key: Mapped[str | None] = mapped_column(String(200), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The profile as a vector for the semantic ranking (float32 bytes, suggestions/semantic.py),
    #: made by the worker after an import; loaded only when asked for.
    embedding: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    #: The updated_at of the profile the embedding was made from: older than updated_at, stale.
    embedded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Until when a worker making the embedding holds the profile (suggestions/embeddings.py).
    embedding_claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def to_dict(self):
        return {
            "id": str(self.id),
            "event_id": str(self.event_id),
            "name": self.name,
            "company": self.company,
            "title": self.title,
            "email": self.email,
            "badge_id": self.badge_id,
            "bio": self.bio,
            "links": self.links or [],
        }
