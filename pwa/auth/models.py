"""Accounts, their browser sessions, API tokens and the sign-in attempts that rate limiting counts."""

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import UTCDateTime, db, utcnow


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    #: Lower-cased; the sign-in name.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    #: IANA time zone name, used for due times and quiet hours.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    #: Local "HH:MM" bounds of the hours in which no reminder is sent.
    quiet_start: Mapped[str] = mapped_column(String(5), default="21:00")
    quiet_end: Mapped[str] = mapped_column(String(5), default="08:00")
    #: Counts this user's record changes; each change stores the new value (the sync cursor).
    change_seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def to_dict(self):
        return {
            "id": str(self.id),
            "email": self.email,
            "name": self.name,
            "timezone": self.timezone,
            "quiet_hours": {"start": self.quiet_start, "end": self.quiet_end},
            "created_at": self.created_at.isoformat(),
        }


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        db.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(100))
    #: SHA-256 of the token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BrowserSession(db.Model):
    """One signed-in browser. The session cookie carries only this row's random id: signing out
    deletes the row, so a copy of the cookie stops working everywhere at once."""

    __tablename__ = "browser_sessions"

    #: SHA-256 of the id the cookie carries (a database leak gives no one a session).
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: The id the owner sees and ends it by (a UUID, never the cookie's secret).
    handle: Mapped[str] = mapped_column(String(36), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        db.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: "Chrome on Android": what a person recognises, not the whole User-Agent.
    browser: Mapped[str] = mapped_column(String(100))
    #: The address's network only (203.0.113.0/24, 2001:db8:1::/48), never the address itself.
    network: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoginAttempt(db.Model):
    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The lower-cased email tried, whether or not an account has it.
    account: Mapped[str] = mapped_column(String(320), index=True)
    #: The client address the attempt came from.
    address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Invite(db.Model):
    """A one-time sign-up link made by someone with an account. The link carries a random token;
    only its hash is kept, and the row goes when the link is used, withdrawn or has expired."""

    __tablename__ = "invites"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    #: Who made it; their invites go with their account.
    user_id: Mapped[uuid.UUID] = mapped_column(
        db.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: SHA-256 of the token in the link; the token itself is shown once, to its maker.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: After this the link no longer signs anyone up.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    def to_dict(self):
        return {
            "id": str(self.id),
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
        }
