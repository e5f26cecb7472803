"""Which of my contacts a list or an export shows: ?q= (words of the name, company, notes or
tags, found through search.py's index), ?event_id= and ?tag=, newest first. GET /api/v1/contacts
and every export read them here."""

import json
import uuid

from sqlalchemy import String, cast, func, literal_column, select, type_coerce

from ..db import db
from ..errors import ApiError
from .models import Contact
from .search import few_matches, with_words

#: Newest met first, as People lists them: (expression, descending) pairs as pwa.paging takes
#: them. met_at is never empty, so (user_id, met_at, id) serves this order from the index.
NEWEST_FIRST = [(Contact.met_at, True), (Contact.id, True)]
#: The filters, as the OpenAPI document declares them.
FILTERS = {
    "q": {"type": "string"},
    "event_id": {"type": "string", "format": "uuid"},
    "tag": {"type": "string"},
}


def contacts_query(user, args):
    """My contacts narrowed by the q, event_id and tag of args (a mapping), in no order yet."""
    words = (args.get("q") or "").lower().split()
    # SQLite (search.py): words few contacts hold are read by rowid from FTS5's matches (a unary
    # + on the owner's column keeps SQLite from walking the owner's every contact instead); else
    # the list is walked newest first, checked against FTS5's matches only beside a short word.
    few = db.engine.dialect.name == "sqlite" and few_matches(words)
    fts = few or (db.engine.dialect.name == "sqlite" and any(len(word) < 3 for word in words))
    owner = Contact.user_id
    if few:
        owner = type_coerce(literal_column("+contacts.user_id"), Contact.user_id.type)
    query = select(Contact).where(owner == user.id, Contact.deleted_at.is_(None))
    query = with_words(query, words, fts)
    if args.get("event_id"):
        query = query.where(Contact.event_id == _event_id(args["event_id"]))
    if args.get("tag"):
        quoted = json.dumps(args["tag"].strip(), ensure_ascii=False)
        tags = cast(Contact.tags, String)
        # replace() is case-sensitive on every database; SQLite's LIKE would ignore ASCII case.
        query = query.where(func.replace(tags, quoted, "") != tags)
    return query


def _event_id(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ApiError(422, "invalid_field", "event_id: not a valid UUID.", "event_id") from None
