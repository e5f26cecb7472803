"""Dismissals: the people I asked never to be suggested again at an event."""

import uuid

from sqlalchemy.orm import Mapped, mapped_column

from ..db import Record, db


class Dismissal(Record, db.Model):
    __tablename__ = "dismissals"

    #: The event whose suggestions leave them out.
    event_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: Who is never suggested again there.
    attendee_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("attendees.id", ondelete="CASCADE")
    )
