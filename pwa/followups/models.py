"""Follow-ups: the thank-you, the check-back and the keep-in-touch that make networking pay."""

import uuid
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Record, UTCDateTime, db


class FollowUp(Record, db.Model):
    __tablename__ = "followups"

    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    #: thank_you, check_back, keep_in_touch or custom.
    kind: Mapped[str | None] = mapped_column(String(20))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
