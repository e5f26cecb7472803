"""People I met: list (search, filter by event and tag), capture, read, change, delete."""

from flask import request

from ..record_routes import add_routes
from .kinds import CONTACT, ContactOut
from .search import NEWEST_FIRST, contacts_query


def _search(record_type, user):
    """My contacts, newest first, narrowed by ?q=, ?event_id= and ?tag=."""
    return contacts_query(user, request.args), NEWEST_FIRST


add_routes(
    CONTACT,
    "/contacts",
    ContactOut,
    list_query=_search,
    list_args={
        "q": {"type": "string"},
        "event_id": {"type": "string", "format": "uuid"},
        "tag": {"type": "string"},
    },
)
