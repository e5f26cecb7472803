"""What every way of signing in shares (password or passkey): the sign-in rate limits, keeping
the failed attempts they count, and the session it starts with its answer (Me)."""

from flask import current_app, g

from ..db import db
from ..errors import ApiError
from ..fields import Clock, Schema
from .security import csrf_token, sign_in

#: The settings that bound failed sign-ins: per account from one address, per account, per address.
LIMITS = ("LOGIN_LIMIT_PER_ACCOUNT_ADDRESS", "LOGIN_LIMIT_PER_ACCOUNT", "LOGIN_LIMIT_PER_ADDRESS")


class QuietHours(Schema):
    start: Clock
    end: Clock


class Me(Schema):
    id: str
    email: str
    name: str
    timezone: str
    quiet_hours: QuietHours
    created_at: str
    csrf_token: str | None = None


def me_answer(user):
    """The account as its owner sees it, with this session's CSRF token."""
    return {**user.to_dict(), "csrf_token": csrf_token()}


def start_session(user):
    """Sign this browser in as user; return the answer every sign-in gives."""
    sign_in(user)
    g.auth_via = "session"
    return me_answer(user)


def limits():
    """The sign-in limits this server is set to, in the order the account service takes them."""
    return tuple(current_app.config[name] for name in LIMITS)


def keeping_failures(attempt):
    """Run a sign-in attempt (or a passkey's addition) and commit what it recorded, when it is
    refused too: the rate limit counts failed attempts, and a challenge once answered is used up."""
    try:
        result = attempt()
    except ApiError:
        db.session.commit()
        raise
    db.session.commit()
    return result
