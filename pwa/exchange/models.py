"""My card: the profile I share, and the public token its link and QR code carry."""

import secrets
import uuid
from datetime import datetime

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime, db, utcnow

SHAREABLE = ("name", "headline", "company", "title", "email", "phone", "url", "intro")
#: Off until the owner turns it on: a phone number is the one thing people share with care.
HIDDEN_BY_DEFAULT = ("phone",)


def new_token():
    """Return a fresh, unguessable public card token."""
    return secrets.token_urlsafe(16)


def new_card(user):
    """A user's card as it starts: their name, every field shared once filled except the phone."""
    return Card(
        user_id=user.id, name=user.name, hidden_fields=list(HIDDEN_BY_DEFAULT), updated_at=utcnow()
    )


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
    #: Which of SHAREABLE the owner turned off; every other field is shared once it is filled, so
    #: a field filled later (or added to SHAREABLE later) is shared without a second step.
    hidden_fields: Mapped[list] = mapped_column(JSON, default=lambda: list(HIDDEN_BY_DEFAULT))
    #: In the public link /c/<token>; rotating it kills the old link.
    public_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    #: When I last uploaded a photo of myself; None when there is none.
    photo_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def shared_fields(self):
        """The fields the public card, its vCard and the QR show (when filled), in SHAREABLE order."""
        return [name for name in SHAREABLE if name not in self.hidden_fields]

    @shared_fields.setter
    def shared_fields(self, names):
        self.hidden_fields = [name for name in SHAREABLE if name not in names]

    def to_dict(self):
        return {
            **{name: getattr(self, name) for name in SHAREABLE},
            "shared_fields": list(self.shared_fields),
            "photo_at": self.photo_at.isoformat() if self.photo_at else None,
            "public_token": self.public_token,
            "version": self.version,
            "updated_at": self.updated_at.isoformat(),
        }
