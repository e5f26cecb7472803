"""Which of my contacts a list shows: ?q= (words in name, company, notes, tags), ?event_id= and
?tag=. People and every export of contacts read the same query."""

import json
import uuid

from sqlalchemy import String, cast, func, select

from ..errors import ApiError
from .models import Contact

#: (column, descending): met_at is never empty, so (user_id, met_at, id) serves this order
#: straight from the index.
NEWEST_FIRST = [(Contact.met_at, True), (Contact.id, True)]


def contacts_query(user, args):
    """My live contacts narrowed by q, event_id and tag from args (in no order: see
    NEWEST_FIRST)."""
    query = select(Contact).where(Contact.user_id == user.id, Contact.deleted_at.is_(None))
    for word in args.get("q", "").lower().split():
        # A ready-made pattern: SQLite would otherwise build '%' || word || '%' once per row.
        literal = word.replace("/", "//").replace("%", "/%").replace("_", "/_")
        query = query.where(Contact.search_text.like(f"%{literal}%", escape="/"))
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
        return uuid.UUID(value)
    except ValueError:
        raise ApiError(422, "invalid_field", "event_id: not a valid UUID.", "event_id") from None
