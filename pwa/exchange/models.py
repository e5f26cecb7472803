"""My card: the profile I share, and the public token its link and QR code carry."""

import secrets
import uuid
from datetime import datetime

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime, db, utcnow

SHAREABLE = ("name", "headline", "company", "title", "email", "phone", "url", "intro")


def new_token():
    """Return a fresh, unguessable public card token."""
    return secrets.token_urlsafe(16)


class Card(db.Model):
    __tablename__ = "cards"

    user_id: Mapped[uuid.UUID] = mapped_column(
        db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str | None] = mapped_column(String(200))
    headline: Mapped[str | None] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(50))
    url: Mapped[str | None] = mapped_column(String(2048))
    #: My three-sentence introduction.
    intro: Mapped[str | None] = mapped_column(Text)
    #: Which of SHAREABLE the public card and the QR show.
    shared_fields: Mapped[list] = mapped_column(JSON, default=lambda: ["name"])
    #: In the public link /c/<token>; rotating it kills the old link.
    public_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def to_dict(self):
        return {
            **{name: getattr(self, name) for name in SHAREABLE},
            "shared_fields": list(self.shared_fields),
            "public_token": self.public_token,
            "version": self.version,
            "updated_at": self.updated_at.isoformat(),
        }
