"""What sync remembers: the answer to each batch, so a retried batch is answered, not re-applied."""

import uuid
from datetime import datetime

from sqlalchemy import JSON
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime, db, utcnow


class SyncBatch(db.Model):
    __tablename__ = "sync_batches"

    user_id: Mapped[uuid.UUID] = mapped_column(
        db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: Chosen by the client for one outbox batch and reused on every retry of it.
    batch_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    #: The per-change results first given for this batch.
    results: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
