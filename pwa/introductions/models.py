"""Introductions: one person I know introduced to another, with their consent first."""

import uuid
from datetime import datetime

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Record, UTCDateTime, db


class Introduction(Record, db.Model):
    __tablename__ = "introductions"

    #: The person introduced (asked first whether they want it).
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    #: The person they are introduced to.
    to_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("contacts.id", ondelete="SET NULL")
    )
    #: Why they should meet, in my words.
    note: Mapped[str | None] = mapped_column(Text)
    #: When I asked the person whether they want the introduction.
    asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When they said yes.
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When I made the introduction.
    made_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
