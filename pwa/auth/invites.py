"""Invitations: a signed-in person makes a one-time sign-up link; using it is atomic, so one link
makes one account however many people open it at once."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select

from ..db import db
from ..errors import ApiError
from .models import Invite

#: How long a link works.
LIFETIME = timedelta(days=7)
#: Open invites one account may have at once (each is an account someone else may make).
MOST_OPEN = 20


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _forget_expired(user, now):
    db.session.execute(delete(Invite).where(Invite.user_id == user.id, Invite.expires_at <= now))


def create(user, now):
    """Make an invite; return it and its token (shown once, never stored)."""
    _forget_expired(user, now)
    count = db.session.scalar(select(func.count()).where(Invite.user_id == user.id))
    if count >= MOST_OPEN:
        raise ApiError(
            409,
            "too_many_invites",
            f"You have {MOST_OPEN} open invites: withdraw one to make another.",
        )
    token = secrets.token_urlsafe(32)
    invite = Invite(
        user_id=user.id, token_hash=_digest(token), created_at=now, expires_at=now + LIFETIME
    )
    db.session.add(invite)
    db.session.flush()
    return invite, token


def open_invites(user, now):
    """The user's invites that still work, newest first."""
    _forget_expired(user, now)
    query = select(Invite).where(Invite.user_id == user.id)
    return db.session.scalars(query.order_by(Invite.created_at.desc(), Invite.id)).all()


def withdraw(user, invite_id):
    """Withdraw one of the user's invites; False when they have no such invite."""
    gone = db.session.execute(
        delete(Invite).where(Invite.user_id == user.id, Invite.id == invite_id)
    )
    return gone.rowcount > 0


def works(token, now):
    """Whether an invite token would sign someone up now (unused, unexpired, not withdrawn)."""
    query = select(Invite.id).where(Invite.token_hash == _digest(token), Invite.expires_at > now)
    return db.session.scalar(query) is not None


def use(token, now):
    """Use up an invite: True for exactly one caller, however many use the token at once (one
    DELETE: a second one waits for the first and then finds no row)."""
    gone = db.session.execute(
        delete(Invite).where(Invite.token_hash == _digest(token), Invite.expires_at > now)
    )
    return gone.rowcount == 1
