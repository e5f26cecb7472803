"""all.json: everything an account owns as one versioned JSON document, out and back in.

The document is described in docs/all-json.md. Writing it streams, one record at a time, so a
large account never sits in memory whole. Reading it back (restore.py) gives the records new
ids in the importing account, so a fresh account on the same server can take a copy of them."""

import base64
import json
import re
from collections.abc import Iterator

from flask import current_app
from sqlalchemy import select

from .. import records
from ..contacts.photos import photo_paths
from ..db import db, utcnow
from ..errors import ApiError
from ..events.models import Attendee, Event, EventMember
from ..exchange.cards import MINE
from ..exchange.models import SHAREABLE, Card
from ..jsonfiles import MAX_JSON_DEPTH, item_lines, json_depth
from .restore import SECTION, AttendeeFields, Restore

FORMAT = "hallway"
#: Raised only when a reader of version N could misread the document; adding a key is no reason.
VERSION = 1
#: How many records are read from the database at a time while writing.
BATCH = 200
#: A document names its format near its start (export_account writes it first of all).
_FORMAT_NEAR_START = re.compile(rb'"format"\s*:\s*"hallway"')


def export_account(user, now=None) -> Iterator[str]:
    """Yield all.json for the user, piece by piece: the account's settings, the card, then
    every live record of every synced kind (contacts with their photos, events with their
    directory), then the events the user joined. Nothing secret (no password hash, token,
    session, push subscription or public card token). now: the time it says it was written."""
    now = now or utcnow()
    yield f'{{"format": "{FORMAT}", "version": {VERSION}, "exported_at": {_dumps(now.isoformat())}'
    yield f',\n"account": {_dumps(account_settings(user))}'
    yield f',\n"card": {_dumps(_card(user))}'
    for kind, record_type in records.REGISTRY.items():
        yield f',\n"{SECTION.format(kind)}": ['
        query = (
            select(record_type.model)
            .where(record_type.model.user_id == user.id, record_type.model.deleted_at.is_(None))
            .order_by(record_type.model.created_at, record_type.model.id)
            .execution_options(yield_per=BATCH)
        )
        separator = "\n"
        for record in db.session.scalars(query):
            yield separator + _dumps(_exported(record_type, record))
            separator = ",\n"
        yield "\n]"
    yield f',\n"joined_events": {_dumps(_joined_events(user))}'
    yield "\n}\n"


def is_account_document(data: bytes) -> bool:
    """Whether an uploaded file is an all.json (an object naming the format near its start)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and _FORMAT_NEAR_START.search(head) is not None


def import_account(user, data: bytes, preview: bool, now) -> dict:
    """Import a whole all.json into the user's account (nothing is written for a preview) and
    answer as POST /import/contacts does, with `kinds` counting the other records written. A
    file that cannot be read at all is a 4xx; a broken record is one error, the rest goes in."""
    text, document = _document(data)
    restore = Restore(user, now, preview, item_lines(text, [(0, document)], ("contacts",)))
    savepoint = db.session.begin_nested()
    with records.counting_changes(user):
        if document.get("account"):
            restore.settings(document["account"])
        if document.get("card"):
            restore.card(document["card"])
        for kind, record_type in records.REGISTRY.items():
            restore.section(record_type, document.get(SECTION.format(kind)) or [])
        restore.joined_events(document.get("joined_events") or [])
    if preview:
        savepoint.rollback()
    else:
        savepoint.commit()
    return restore.tally.answer()


def _document(data):
    """The file's text and its document, or raise the 4xx that says what is wrong with it."""
    if json_depth(data) > MAX_JSON_DEPTH:
        raise _bad_json(f"it nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        text = data.decode("utf-8-sig")
        document = json.loads(text)
    except UnicodeDecodeError:
        raise _bad_json("it is not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise _bad_json(f"line {e.lineno}, column {e.colno}: {e.msg}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        message = 'This JSON is not a Hallway account (all.json names "format": "hallway").'
        raise ApiError(422, "unknown_format", message, "file")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ApiError(
            422, "invalid_field", "version: must be a whole number, 1 or more.", "version"
        )
    if version > VERSION:
        message = f"This file is all.json version {version}, newer than this Hallway reads ({VERSION}); update Hallway to import it."
        raise ApiError(422, "unsupported_version", message, "version")
    for key in ("account", "card"):
        if document.get(key) is not None and not isinstance(document[key], dict):
            raise ApiError(422, "invalid_field", f"{key}: must be an object.", key)
    for kind in records.REGISTRY:
        key = SECTION.format(kind)
        if document.get(key) is not None and not isinstance(document[key], list):
            raise ApiError(422, "invalid_field", f"{key}: must be a list.", key)
    return text, document


def _bad_json(why):
    return ApiError(
        400, "bad_json", f"The file is not valid JSON ({why}); nothing was imported.", "file"
    )


def account_settings(user):
    """The account's own settings, as GET /me shows them (less its id)."""
    return {
        "email": user.email,
        "name": user.name,
        "timezone": user.timezone,
        "quiet_hours": {"start": user.quiet_start, "end": user.quiet_end},
        "cadences": dict(user.cadences or {}),
        "created_at": user.created_at.isoformat(),
    }


def _card(user):
    card = db.session.get(Card, user.id)
    if card is None:
        return None
    return {
        **{name: getattr(card, name) for name in SHAREABLE},
        "shared_fields": list(card.shared_fields),
        "photo": _photo(user.id, MINE) if card.photo_at else None,
        "updated_at": card.updated_at.isoformat(),
    }


def _exported(record_type, record):
    data = records.serialize(record_type, record)
    if record_type.name == "contact":
        data["photo"] = _photo(record.user_id, record.id) if record.photo_at else None
    if record_type.name == "event":
        data["attendees"] = _attendees(record)
    return data


def _photo(user_id, name):
    """The photo file as base64 JPEG, or None when the file is gone."""
    path = photo_paths(current_app.config["DATA_DIR"], user_id, name)[0]
    return base64.b64encode(path.read_bytes()).decode("ascii") if path.exists() else None


def _attendees(event):
    query = select(Attendee).where(Attendee.event_id == event.id).order_by(Attendee.created_at)
    return [
        {"id": str(row.id), **{name: getattr(row, name) for name in AttendeeFields.model_fields}}
        for row in db.session.scalars(query)
    ]


def _joined_events(user):
    """Events of other people the user joined: what the user's contacts may point at. Only
    what a member sees of them, and the user's own goals for them (the owner's goals stay the
    owner's)."""
    query = (
        select(Event, EventMember.goals)
        .join(EventMember, EventMember.event_id == Event.id)
        .where(EventMember.user_id == user.id, Event.deleted_at.is_(None))
        .order_by(Event.starts_on, Event.id)
    )
    shown = ("name", "starts_on", "ends_on", "location", "timezone")
    return [
        {
            "id": str(event.id),
            **{name: records.json_value(getattr(event, name)) for name in shown},
            "goals": goals,
        }
        for event, goals in db.session.execute(query)
    ]


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
