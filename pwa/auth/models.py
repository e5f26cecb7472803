"""Accounts, their browser sessions, API tokens, passkeys and the sign-in attempts that rate
limiting counts."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, BigInteger, LargeBinary, String
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
    #: Keep-in-touch cadence per tag: {"investor": 42}, in days.
    cadences: Mapped[dict] = mapped_column(JSON, default=dict)
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


class Passkey(db.Model):
    """A passkey (WebAuthn credential) that signs its owner in instead of the password. Only the
    public key is here: the private key never leaves the owner's authenticator."""

    __tablename__ = "passkeys"

    #: The id the owner sees and removes it by (never the credential's own id).
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        db.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: The authenticator's id for the credential (at most 1023 bytes, WebAuthn says).
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1023), unique=True)
    #: The credential's public key, COSE-encoded, as the authenticator gave it.
    public_key: Mapped[bytes] = mapped_column(LargeBinary(2048))
    #: The authenticator's signature counter when last used; a sign-in must show a higher one
    #: (unless both are 0: synced passkeys do not count), so a cloned key is refused.
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    #: How the browser reached the authenticator ("internal", "hybrid", "usb", ...).
    transports: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The owner's name for it; "Chrome on Android" (where it was added) until they choose one.
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PasskeyChallenge(db.Model):
    """A challenge handed out for adding a passkey or signing in with one: kept here, not in a
    cookie, so any web process can check the answer; used once, and only for a few minutes."""

    __tablename__ = "passkey_challenges"

    #: The random bytes the authenticator signs.
    challenge: Mapped[bytes] = mapped_column(LargeBinary(64), primary_key=True)
    #: "register" (adding a passkey) or "sign_in".
    purpose: Mapped[str] = mapped_column(String(20))
    #: Whose passkey is being added; empty for signing in (nobody is known yet).
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
