"""Suggestions over REST: whom to meet at an event for my goals, and never suggesting someone
again (a dismissal, a synced record: GET and DELETE /dismissals/<id> to see and undo one)."""

from flask import g, request, url_for

from .. import records
from ..api import api, documented, parse_uuid
from ..db import db, utcnow
from ..errors import ApiError
from ..events.kinds import EVENT, readable_event
from ..events.models import Attendee
from ..record_routes import add_routes
from .kinds import DISMISSAL, DismissalOut, dismissal_id
from .schemas import SuggestionsOut
from .service import suggest

MAX_SUGGESTIONS = 100
SUGGESTIONS_QUERY = {
    "limit": {"type": "integer", "minimum": 1, "maximum": MAX_SUGGESTIONS, "default": 20}
}

add_routes(DISMISSAL, "/dismissals", DismissalOut)


def _limit():
    raw = request.args.get("limit") or "20"
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_SUGGESTIONS:
        message = f"limit: a whole number from 1 to {MAX_SUGGESTIONS}."
        raise ApiError(422, "invalid_field", message, "limit")
    return limit


@api.get("/events/<event_id>/suggestions")
@documented(
    "Whom to meet at an event for my goals, best first (ranking: semantic once the extra "
    "hallway[match] has embedded the whole directory, else lexical)",
    query=SUGGESTIONS_QUERY,
    response=SuggestionsOut,
    errors={
        404: "No event of mine or that I joined has this id (not_found)",
        422: "limit is not a whole number from 1 to 100 (invalid_field)",
    },
)
def event_suggestions(event_id):
    """Suggest people of the directory for my own goals and introduction."""
    event = readable_event(EVENT, g.user, parse_uuid(event_id, "event_id"))
    return suggest(g.user, event, _limit())


@api.post("/events/<event_id>/suggestions/<attendee_id>/dismiss")
@documented(
    "Never suggest this person again at this event (idempotent: 200 once it exists)",
    response=DismissalOut,
    status=201,
    errors={404: "No such event of mine, or no such person in its directory (not_found)"},
)
def dismiss_suggestion(event_id, attendee_id):
    """Dismiss a suggestion: one dismissal per person and event, however often asked."""
    event = readable_event(EVENT, g.user, parse_uuid(event_id, "event_id"))
    attendee = db.session.get(Attendee, parse_uuid(attendee_id, "attendee_id"))
    if attendee is None or attendee.event_id != event.id:
        raise ApiError(404, "not_found", "No one with this id in the event's directory.")
    record_id = dismissal_id(g.user.id, event.id, attendee.id)
    values = {"event_id": event.id, "attendee_id": attendee.id}
    record = db.session.get(DISMISSAL.model, record_id)
    now, status = utcnow(), 200
    if record is None:
        record, status = records.insert(DISMISSAL, g.user, values, now, record_id), 201
    elif record.deleted_at is not None:  # undone before, dismissed again
        records.revive(DISMISSAL, g.user, record, values, now)
    db.session.commit()
    location = url_for("api.dismissal_get", record_id=record.id)
    return records.serialize(DISMISSAL, record), status, {"Location": location}
