"""Push subscriptions: one per device that accepted notifications."""

import uuid
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime, db, utcnow


class PushSubscription(db.Model):
    __tablename__ = "push_subscriptions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        db.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: The push service URL; validated against the allowed push hosts.
    endpoint: Mapped[str] = mapped_column(Text, unique=True)
    #: The browser's P-256 public key and auth secret (base64url) for RFC 8291 encryption.
    p256dh: Mapped[str] = mapped_column(String(128))
    auth: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the browser last subscribed with this endpoint (re-subscribing renews the keys).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def to_dict(self):
        return {
            "id": str(self.id),
            "endpoint": self.endpoint,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }
