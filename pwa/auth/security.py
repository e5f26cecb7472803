"""Who is asking: a session cookie (with CSRF header) or an API token; every API view needs one."""

import hmac
import secrets
import uuid

from flask import current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface

from ..db import db
from ..errors import ApiError
from .models import User
from .service import user_for_token

CSRF_HEADER = "X-CSRF-Token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class SessionInterface(SecureCookieSessionInterface):
    """Mark the session cookie Secure whenever the request came over https."""

    def get_cookie_secure(self, app):
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def public(view):
    """Mark an API view as open to anonymous callers."""
    view.public = True
    return view


def sign_in(user):
    """Start a browser session for user; return its CSRF token."""
    session.clear()
    session.permanent = True
    session["uid"] = str(user.id)
    session["epoch"] = user.session_epoch
    session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def sign_out():
    """End this browser session."""
    session.clear()


def csrf_token():
    """Return this session's CSRF token (None for token-authenticated calls)."""
    return session.get("csrf") if g.get("auth_via") == "session" else None


def load_caller():
    """Find the caller (token first, then session) and enforce auth and CSRF on the API."""
    g.user, g.auth_via = _caller()
    view = current_app.view_functions.get(request.endpoint)
    if view is None or getattr(view, "public", False):
        return
    if g.user is None:
        raise ApiError(401, "unauthorized", "Sign in, or send an API token, to use this.")
    if g.auth_via == "session" and request.method in UNSAFE:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent, session.get("csrf", "")):
            raise ApiError(403, "csrf_failed", f"Send the {CSRF_HEADER} header from GET /me.")


def _caller():
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = user_for_token(header.removeprefix("Bearer ").strip())
        if user is None:
            raise ApiError(401, "unauthorized", "This API token is not valid.")
        return user, "token"
    uid = session.get("uid")
    if uid:
        user = db.session.get(User, _uuid(uid))
        if user is not None and user.session_epoch == session.get("epoch"):
            return user, "session"
        session.clear()
    return None, None


def _uuid(value):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
