"""The research list: people the user wants to meet at an event, and their homework on each."""

import uuid

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Record, db


class ResearchTarget(Record, db.Model):
    __tablename__ = "research_targets"

    event_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    #: The directory entry this target was picked from, if any.
    attendee_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("attendees.id", ondelete="SET NULL")
    )
    name: Mapped[str | None] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    #: Why meet them.
    why: Mapped[str | None] = mapped_column(Text)
    #: What I can offer them.
    offer: Mapped[str | None] = mapped_column(Text)
    #: What I want to learn or ask for.
    ask: Mapped[str | None] = mapped_column(Text)
    questions: Mapped[str | None] = mapped_column(Text)
    #: The meeting's agenda and the outcome I want from it.
    agenda: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    #: 1 (must meet) to 5 (if there is time).
    priority: Mapped[int | None]
    #: to_meet, met or skip.
    status: Mapped[str | None] = mapped_column(String(10))
