"""Event routes: my events (owned and joined), joining with a code, the attendee directory."""

from datetime import timedelta

from flask import current_app, g, request
from sqlalchemy import func, or_, select

from .. import records
from ..api import PAGE_QUERY, api, documented, json_body, parse_uuid, validated
from ..db import db, utcnow
from ..errors import ApiError
from ..paging import EARLIEST, paginate
from ..ratelimit import check, record
from ..record_routes import add_routes, change_record, split_meta
from .kinds import EVENT, can_read, readable_event
from .models import Attendee, Event, EventMember
from .schemas import AttendeeOut, EventOut, JoinRequest


def show_event(record_type, event):
    """An event as its owner (with the join code) or a member sees it."""
    data = records.serialize(record_type, event)
    owner = event.user_id == g.user.id
    data["role"] = "owner" if owner else "member"
    data["join_code"] = event.join_code if owner else None
    if not owner:  # the owner's goals are theirs; a member sees their own
        member = db.session.get(EventMember, (event.id, g.user.id))
        data["goals"] = member.goals if member is not None else None
    return data


def change_event(record_type, user, event_id, data):
    """The owner changes the event; a member changes only their own goals for it."""
    event = readable_event(record_type, user, event_id)
    if event.user_id == user.id:
        return change_record(record_type, user, event_id, data)
    split_meta(data)  # a member's goals have no version of their own to check
    others = sorted(set(data) - {"goals"})
    if others:
        message = f"{others[0]}: only the event's owner can change it; a member sets their goals."
        raise ApiError(403, "not_owner", message, others[0])
    goals = record_type.parse(data).get("goals")
    member = db.session.get(EventMember, (event.id, user.id))
    member.goals = None if goals is None else [{"done": False, **goal} for goal in goals]
    return event


def _my_events(record_type, user):
    joined = select(EventMember.event_id).where(EventMember.user_id == user.id)
    query = select(Event).where(
        or_(Event.user_id == user.id, Event.id.in_(joined)), Event.deleted_at.is_(None)
    )
    starts_on = func.coalesce(Event.starts_on, EARLIEST.date())  # undated events last
    return query, [(starts_on, True), (Event.created_at, True), (Event.id, True)]


JOIN_WINDOW = timedelta(minutes=15)

add_routes(
    EVENT,
    "/events",
    EventOut,
    list_query=_my_events,
    show=show_event,
    readable=readable_event,
    change=change_event,
)


@api.post("/events/join")
@documented("Join a shared event with its code", body=JoinRequest, response=EventOut)
def join_event():
    """Join someone's event to see its attendee directory (never their notes)."""
    body = validated(JoinRequest, json_body())
    now, allowed = utcnow(), current_app.config["JOIN_LIMIT_PER_ADDRESS"]
    # Wrong codes count per address and per account, so 40-bit codes cannot be walked through.
    keys = (f"join:address:{request.remote_addr or 'unknown'}", f"join:user:{g.user.id}")
    for key in keys:
        check(key, allowed, JOIN_WINDOW, now, "wrong join codes")
    code = body.code.upper().replace("-", "").replace(" ", "")
    event = db.session.scalar(
        select(Event).where(Event.join_code == code, Event.deleted_at.is_(None))
    )
    if event is None:
        for key in keys:
            record(key, now)
        db.session.commit()
        raise ApiError(404, "not_found", "No event has this join code.", "code")
    if not can_read(g.user, event):
        db.session.add(EventMember(event_id=event.id, user_id=g.user.id))
        db.session.commit()
    return show_event(EVENT, event)


@api.get("/events/<event_id>/attendees")
@documented(
    "The event's attendee directory (?q= searches names and companies)",
    response=[AttendeeOut],
    query={**PAGE_QUERY, "q": {"type": "string"}},
)
def list_attendees(event_id):
    """List the directory of an event I own or joined."""
    event = readable_event(EVENT, g.user, parse_uuid(event_id, "event_id"))
    query = select(Attendee).where(Attendee.event_id == event.id)
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(
            or_(
                Attendee.name.icontains(q, autoescape=True),
                Attendee.company.icontains(q, autoescape=True),
            )
        )
    return paginate(query, Attendee.to_dict, [(Attendee.name, False), (Attendee.id, False)])
