"""Follow-up routes: what I owe whom, and when; keep-in-touch cadences and the Reconnect list;
the follow-through report."""

from flask import g, request
from sqlalchemy import case, func, select

from ..api import api, documented, json_body, parse_uuid, validated
from ..db import db, utcnow
from ..errors import ApiError
from ..fields import Schema
from ..paging import LATEST
from ..record_routes import add_routes
from .keeping_in_touch import Cadences, reconnect, set_cadences
from .kinds import FOLLOWUP, FollowUpOut
from .models import FollowUp
from .report import follow_through


def _by_due(record_type, user):
    query = select(FollowUp).where(FollowUp.user_id == user.id, FollowUp.deleted_at.is_(None))
    done = case((FollowUp.done_at.is_(None), 0), else_=1)  # open ones first
    due = func.coalesce(FollowUp.due_at, LATEST)
    return query, [(done, False), (due, False), (FollowUp.id, False)]


add_routes(FOLLOWUP, "/followups", FollowUpOut, list_query=_by_due)


class Reconnecting(Schema):
    contact_id: str
    name: str | None
    last_touch_at: str
    cadence_days: int
    overdue_ratio: float


class ReconnectList(Schema):
    items: list[Reconnecting]


class FollowThrough(Schema):
    met: int
    thank_you_within_day: int
    check_backs_due: int
    check_backs_on_time: int
    promises_mine: int
    promises_mine_kept: int
    promises_theirs: int
    promises_theirs_kept: int
    without_next_step: int


@api.get("/me/cadences")
@documented("My keep-in-touch cadence per tag, in days", response=Cadences)
def get_cadences():
    return g.user.cadences or {}


@api.put("/me/cadences")
@documented(
    "Set my keep-in-touch cadences per tag (the whole set); keep-in-touches move to match",
    body=Cadences,
    response=Cadences,
)
def put_cadences():
    cadences = validated(Cadences, json_body()).root
    set_cadences(g.user, cadences, utcnow())
    db.session.commit()
    return g.user.cadences


@api.get("/reconnect")
@documented(
    "People to reconnect with, the most overdue first (days since the last touch over the cadence)",
    response=ReconnectList,
    query={"limit": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
)
def reconnect_list():
    limit = _limit(request.args.get("limit"), 50, 500)
    return {"items": reconnect(g.user, utcnow(), limit)}


@api.get("/report")
@documented(
    "How I followed through, overall or for one event",
    response=FollowThrough,
    query={"event_id": {"type": "string", "format": "uuid"}},
)
def report():
    event_id = request.args.get("event_id")
    event_id = parse_uuid(event_id, "event_id") if event_id else None
    return follow_through(g.user, utcnow(), event_id)


def _limit(value, default, most):
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= most:
        raise ApiError(422, "invalid_field", f"limit: from 1 to {most}.", "limit")
    return number
