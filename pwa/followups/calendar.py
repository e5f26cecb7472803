"""Calendar export: my open follow-ups as an .ics file, and a private, revocable subscription URL
that calendar apps poll (the token in the URL is the only credential, so it is long, random,
stored hashed, and replaced or removed at will)."""

import hashlib
import secrets

from flask import Response, current_app, g, request, url_for
from sqlalchemy import delete, select

from ..api import api, documented
from ..auth.models import User
from ..contacts.models import Contact
from ..db import db, utcnow
from ..downloads import attachment
from ..errors import ApiError
from ..fields import Schema
from ..promises.models import Promise
from ..web import web
from . import ics
from .models import CalendarFeed, FollowUp

#: More would make calendar apps slow to refresh; the soonest due come first.
MAX_EVENTS = 2000


class CalendarLink(Schema):
    #: The subscription URL, shown once: add it to a calendar app ("subscribe by URL").
    url: str
    webcal: str
    created_at: str


def open_followups(user):
    """(follow-up, contact name) for the user's follow-ups not done, soonest first."""
    query = (
        select(FollowUp, Contact.name)
        .outerjoin(Contact, Contact.id == FollowUp.contact_id)
        .where(
            FollowUp.user_id == user.id,
            FollowUp.deleted_at.is_(None),
            FollowUp.done_at.is_(None),
            FollowUp.due_at.is_not(None),
        )
        .order_by(FollowUp.due_at, FollowUp.id)
        .limit(MAX_EVENTS)
    )
    return db.session.execute(query).all()


def promises_due(user):
    """(promise, contact name) for what I promised and have not kept yet, with a date."""
    query = (
        select(Promise, Contact.name)
        .outerjoin(Contact, Contact.id == Promise.contact_id)
        .where(
            Promise.user_id == user.id,
            Promise.deleted_at.is_(None),
            Promise.kept_at.is_(None),
            Promise.direction == "mine",
            Promise.due_on.is_not(None),
        )
        .order_by(Promise.due_on, Promise.id)
        .limit(MAX_EVENTS)
    )
    return db.session.execute(query).all()


def new_feed(user, now):
    """Create or replace the user's calendar token (the old URL stops working); return it."""
    token = secrets.token_urlsafe(24)
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    db.session.add(CalendarFeed(user_id=user.id, token_hash=_digest(token), created_at=now))
    return token


def user_for_feed(token):
    """The user whose calendar token this is, or None."""
    query = select(User).join(CalendarFeed).where(CalendarFeed.token_hash == _digest(token))
    return db.session.scalar(query)


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _base_url():
    return current_app.config.get("BASE_URL") or request.host_url


def _ics_response(user, filename=None):
    body = ics.calendar(open_followups(user), utcnow(), _base_url(), promises=promises_due(user))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "private, no-store"
    if filename:
        response.headers["Content-Disposition"] = attachment(filename, "ics")
    return response


@api.get("/export/followups.ics")
@documented("My open follow-ups as an iCalendar file (timed events with an alarm)", tag="export")
def export_followups():
    """Download my open follow-ups for a calendar app."""
    return _ics_response(g.user, "hallway-followups")


@api.post("/export/calendar-token")
@documented(
    "Create or replace my private calendar subscription URL (the old one stops working)",
    response=CalendarLink,
    status=201,
    tag="export",
)
def create_calendar_token():
    """Make a new secret calendar URL for me, shown once."""
    now = utcnow()
    token = new_feed(g.user, now)
    db.session.commit()
    url = _base_url().rstrip("/") + url_for("web.calendar_feed", token=token)
    webcal = "webcal://" + url.split("://", 1)[1]
    return {"url": url, "webcal": webcal, "created_at": now.isoformat()}, 201


@api.delete("/export/calendar-token")
@documented("Turn off my calendar subscription URL", status=204, tag="export")
def delete_calendar_token():
    """Revoke my secret calendar URL."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == g.user.id))
    db.session.commit()
    return "", 204


@web.get("/calendar/<token>.ics")
def calendar_feed(token):
    """Serve a user's follow-ups to a calendar app holding their secret URL."""
    user = user_for_feed(token)
    if user is None:
        raise ApiError(404, "not_found", "This calendar link was turned off or replaced.")
    return _ics_response(user)
