"""Promises over REST: what I owe (?direction=mine) and what is owed to me (theirs), soonest
due first, open ones before kept ones; ?contact_id= for one person's."""

from flask import request
from sqlalchemy import case, func, select

from ..api import parse_uuid
from ..errors import ApiError
from ..paging import LATEST_DAY
from ..record_routes import add_routes
from .kinds import PROMISE, PromiseOut
from .models import Promise

FILTERS = {
    "direction": {"type": "string", "enum": ["mine", "theirs"]},
    "contact_id": {"type": "string", "format": "uuid"},
}


def _open_first(record_type, user):
    query = select(Promise).where(Promise.user_id == user.id, Promise.deleted_at.is_(None))
    direction = request.args.get("direction")
    if direction:
        if direction not in ("mine", "theirs"):
            message = "direction: mine or theirs."
            raise ApiError(422, "invalid_field", message, "direction")
        query = query.where(Promise.direction == direction)
    if request.args.get("contact_id"):
        query = query.where(Promise.contact_id == parse_uuid(request.args["contact_id"]))
    kept = case((Promise.kept_at.is_(None), 0), else_=1)
    due = func.coalesce(Promise.due_on, LATEST_DAY)
    return query, [(kept, False), (due, False), (Promise.id, False)]


add_routes(PROMISE, "/promises", PromiseOut, list_query=_open_first, list_args=FILTERS)
