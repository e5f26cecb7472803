"""Event routes: my events (owned and joined), joining with a code, the attendee directory."""

import secrets

from flask import g, request
from sqlalchemy import or_, select

from .. import records
from ..api import PAGE_QUERY, api, documented, json_body, parse_uuid, validated
from ..crud import add_routes, paginate, serialize
from ..db import db
from ..errors import ApiError
from .models import Attendee, Event, EventMember
from .schemas import AttendeeOut, EventFields, EventOut, JoinRequest

JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _give_join_code(event, user):
    event.join_code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(8))


def _check_dates(values, event):
    """Refuse an event that would end before it starts (a change may send only one date)."""
    starts = values.get("starts_on", event.starts_on if event else None)
    ends = values.get("ends_on", event.ends_on if event else None)
    if starts and ends and ends < starts:
        field = "starts_on" if "ends_on" not in values else "ends_on"
        raise ApiError(
            422, "invalid_field", f"{field}: the event must not end before it starts.", field
        )


EVENT = records.register_kind(
    records.Kind(
        name="event",
        model=Event,
        fields=EventFields,
        required=("name",),
        validate=_check_dates,
        on_create=_give_join_code,
    )
)


def show_event(kind, event):
    """An event as its owner (with the join code) or a member sees it."""
    data = serialize(kind, event)
    owner = event.user_id == g.user.id
    data["role"] = "owner" if owner else "member"
    data["join_code"] = event.join_code if owner else None
    if not owner:
        data["goals"] = None  # the owner's goals are theirs; members see the event and directory
    return data


def readable_event(kind, user, event_id):
    """Return an event the user owns or joined, or raise 404."""
    event = db.session.get(Event, event_id)
    if event is None or event.deleted_at is not None or not _can_read(user, event):
        raise ApiError(404, "not_found", "No event with this id.")
    return event


def _can_read(user, event):
    if event.user_id == user.id:
        return True
    member = db.session.get(EventMember, (event.id, user.id))
    return member is not None


def _my_events(kind, user):
    joined = select(EventMember.event_id).where(EventMember.user_id == user.id)
    return (
        select(Event)
        .where(or_(Event.user_id == user.id, Event.id.in_(joined)), Event.deleted_at.is_(None))
        .order_by(Event.starts_on.desc().nulls_last(), Event.created_at.desc(), Event.id)
    )


add_routes(
    EVENT, "/events", EventOut, list_query=_my_events, show=show_event, readable=readable_event
)


@api.post("/events/join")
@documented("Join a shared event with its code", body=JoinRequest, response=EventOut)
def join_event():
    """Join someone's event to see its attendee directory (never their notes)."""
    body = validated(JoinRequest, json_body())
    code = body.code.upper().replace("-", "").replace(" ", "")
    event = db.session.scalar(
        select(Event).where(Event.join_code == code, Event.deleted_at.is_(None))
    )
    if event is None:
        raise ApiError(404, "not_found", "No event has this join code.", "code")
    if not _can_read(g.user, event):
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
    return paginate(query.order_by(Attendee.name, Attendee.id), Attendee.to_dict)


def check_event(user, event_id, values, record):
    """Refuse an event_id that is not an event the user owns or joined."""
    event = db.session.get(Event, event_id)
    if event is None or event.deleted_at is not None or not _can_read(user, event):
        raise ApiError(422, "invalid_field", "event_id: no such event.", "event_id")
