"""Lists a page at a time, by keyset: `{items, next_cursor, has_more}`.

A page ends with a cursor holding the last row's sort keys; the next page starts after them, so
page 1,000 costs what page 1 does (an index seek) and nothing counts every match. `offset` is still
taken (bounded, see pwa/api.py) for a client that pages by number."""

import base64
import binascii
import json
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import and_, literal, or_, tuple_

from .api import page_args
from .db import db
from .errors import ApiError

PAGE_SCHEMA_FIELDS = {
    "next_cursor": {
        "type": ["string", "null"],
        "description": "Give as ?cursor= for the next page.",
    },
    "has_more": {"type": "boolean"},
}


def paginate(query, show, order):
    """One page of query's rows, shown with show. order: (expression, descending) pairs, none of
    them ever NULL, the last one unique (the id), so every row has one place in the list."""
    limit, offset, cursor = page_args()
    if cursor is not None:
        query = query.where(_after(order, _decode(cursor, len(order))))
    rows = db.session.execute(_keyed(query, order).limit(limit + 1).offset(offset)).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [show(row[0]) for row in rows],
        "next_cursor": _encode(rows[-1][1:]) if has_more else None,
        "has_more": has_more,
    }


#: What a key that may be empty sorts as (coalesce(column, LAST) puts the empty ones last).
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)
LATEST_DAY = date(9999, 12, 30)


def batches(query, order, size):
    """Every row of query in order, size rows per query, each batch after the last row of the
    one before (an export streams a whole list this way, whatever its length)."""
    keyed = _keyed(query, order)
    page = db.session.execute(keyed.limit(size)).all()
    while page:
        yield from (row[0] for row in page)
        if len(page) < size:
            return
        after = _after(order, list(page[-1][1:]))
        page = db.session.execute(keyed.where(after).limit(size)).all()


def _keyed(query, order):
    """query in order, each row followed by its sort keys (what a cursor is made of)."""
    keys = [expression for expression, _ in order]
    ordered = query.order_by(
        *(key.desc() if descending else key.asc() for key, descending in order)
    )
    return ordered.add_columns(*keys)


def whole_list(items):
    """A list that is never paged (a handful of devices, say), in the same shape."""
    return {"items": items, "next_cursor": None, "has_more": False}


def _after(order, values):
    """Rows that come after values in this order."""
    directions = {descending for _, descending in order}
    keys = [key for key, _ in order]
    values = [literal(value, key.type) for key, value in zip(keys, values, strict=True)]
    if len(directions) == 1:  # one direction: a row value comparison, which an index serves
        row, last = tuple_(*keys), tuple_(*values)
        return row < last if directions == {True} else row > last
    later = []
    for i, (key, descending) in enumerate(order):
        same = [k == v for k, v in zip(keys[:i], values[:i], strict=True)]
        later.append(and_(*same, key < values[i] if descending else key > values[i]))
    return or_(*later)


_TYPES = {
    "d": (date, date.isoformat, date.fromisoformat),
    "t": (datetime, datetime.isoformat, datetime.fromisoformat),
    "u": (uuid.UUID, str, uuid.UUID),
}


def _encode(values):
    tagged = []
    for value in values:
        tag = next(
            (t for t, (kind, _, _) in _TYPES.items() if type(value) is kind),
            "v",  # a number, a string or a boolean: JSON keeps it as it is
        )
        tagged.append([tag, value if tag == "v" else _TYPES[tag][1](value)])
    text = json.dumps(tagged, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor, length):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        tagged = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(tagged, list) or len(tagged) != length:
            raise ValueError
        values = []
        for tag, value in tagged:
            if tag == "v":
                if not isinstance(value, (str, int, float)):
                    raise ValueError
                values.append(value)
            else:
                values.append(_TYPES[tag][2](value))
        return values
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeError):
        raise ApiError(
            422,
            "invalid_field",
            "cursor: not one this list gave; start again without it.",
            "cursor",
        ) from None
