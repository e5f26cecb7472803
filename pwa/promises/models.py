"""Promises: what I promised someone I met, and what they promised me."""

import uuid
from datetime import date, datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Record, UTCDateTime, db


class Promise(Record, db.Model):
    __tablename__ = "promises"

    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    #: mine (I owe it) or theirs (owed to me).
    direction: Mapped[str | None] = mapped_column(String(10))
    text: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date | None]
    kept_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
