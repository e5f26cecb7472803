"""People I met: list (search, filter by event and tag), capture, read, change, delete."""

import json

from flask import request
from sqlalchemy import String, cast, func, select

from ..api import parse_uuid
from ..db import db
from ..record_routes import add_routes
from . import search
from .kinds import CONTACT, ContactOut
from .models import Contact


def _search(record_type, user):
    """My contacts, newest first, narrowed by ?q=, ?event_id= and ?tag=."""
    query = select(Contact).where(Contact.user_id == user.id, Contact.deleted_at.is_(None))
    words = request.args.get("q", "").lower().split()
    query = search.with_words(query, words, db.engine.dialect.name)
    if request.args.get("event_id"):
        query = query.where(Contact.event_id == parse_uuid(request.args["event_id"], "event_id"))
    if request.args.get("tag"):
        quoted = json.dumps(request.args["tag"].strip(), ensure_ascii=False)
        tags = cast(Contact.tags, String)
        # replace() is case-sensitive on every database; SQLite's LIKE would ignore ASCII case.
        query = query.where(func.replace(tags, quoted, "") != tags)
    # met_at is never empty, so (user_id, met_at, id) serves this order straight from the index.
    return query, [(Contact.met_at, True), (Contact.id, True)]


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
