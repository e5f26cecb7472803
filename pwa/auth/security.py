"""Who is asking: a session cookie (with CSRF header) or an API token; every API view needs one."""

import hmac
import secrets

from flask import current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface

from ..db import read_only
from ..errors import ApiError
from . import sessions
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
    """Start a browser session for user (a row on the server, its id in the cookie); return its
    CSRF token."""
    session.clear()
    session.permanent = True
    session["sid"] = sessions.start(
        user, request.headers.get("User-Agent", ""), request.remote_addr
    )
    session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def sign_out():
    """End this browser session: here, and in every copy of its cookie."""
    if session.get("sid"):
        sessions.end(session["sid"])
    session.clear()


def this_session():
    """The signed-in browser's session id (None for a token or nobody)."""
    return session.get("sid") if g.get("auth_via") == "session" else None


def csrf_token():
    """Return this session's CSRF token (None for token-authenticated calls)."""
    return session.get("csrf") if g.get("auth_via") == "session" else None


def load_caller():
    """Find the caller (token first, then session) and enforce auth and CSRF on the API."""
    with read_only():  # who is asking is a read: no write lock while finding out
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
    sid = session.get("sid")
    if sid:
        user = sessions.user_of(sid)
        if user is not None:
            return user, "session"
    if session:
        session.clear()  # ended, copied from a session that ended, or from before sessions
    return None, None
