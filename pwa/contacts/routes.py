"""People I met: list (search, filter by event and tag), capture, read, change, delete."""

import json
import uuid
from datetime import date
from typing import Annotated

from flask import current_app, request
from pydantic import AfterValidator, AwareDatetime, Field
from sqlalchemy import String, cast, func, select

from .. import records
from ..api import parse_uuid
from ..crud import add_routes
from ..db import after_commit, db
from ..errors import ApiError
from ..events.routes import check_event
from ..fields import Email, LongText, Note, Phone, Schema, Short, WebUrl, text
from ..research.models import ResearchTarget
from .models import Contact

Tag = text(50, min_length=1)


def _unique(tags):
    return list(dict.fromkeys(tags))


class ContactFields(Schema):
    name: text(200, min_length=1) | None = None
    company: Short | None = None
    title: Short | None = None
    email: Email | None = None
    phone: Phone | None = None
    url: WebUrl | None = None
    notes: LongText | None = None
    tags: Annotated[list[Tag], AfterValidator(_unique)] | None = Field(default=None, max_length=50)
    event_id: uuid.UUID | None = None
    met_at: AwareDatetime | None = None
    source: text(20) | None = None
    raw_payload: text(8192) | None = None
    i_promised: Note | None = None
    they_promised: Note | None = None
    next_step: Note | None = None
    next_step_due: date | None = None
    no_next_step: bool | None = None
    target_id: uuid.UUID | None = None


class ContactOut(ContactFields):
    photo_at: str | None = None
    id: str
    version: int
    created_at: str
    updated_at: str


def check_contact(user, contact_id, values, record):
    """Refuse a contact_id that is not one of the user's contacts."""
    contact = db.session.get(Contact, contact_id)
    if contact is None or contact.user_id != user.id or contact.deleted_at is not None:
        raise ApiError(422, "invalid_field", "contact_id: no such contact.", "contact_id")


def check_target(user, target_id, values, record):
    """Refuse a target_id that is not one of the user's research targets."""
    target = db.session.get(ResearchTarget, target_id)
    if target is None or target.user_id != user.id or target.deleted_at is not None:
        raise ApiError(422, "invalid_field", "target_id: no such research target.", "target_id")


def _defaults(contact, user):
    contact.source = contact.source or "capture"
    contact.met_at = contact.met_at or contact.created_at
    contact.tags = contact.tags or []


def _remove_what_hangs_on(contact, user, now):
    """Delete what hangs on a deleted contact: its follow-ups, its history and its photo."""
    from ..followups.routes import FOLLOWUP  # follow-ups hang on contacts, not the reverse
    from .interactions import INTERACTION
    from .photos import remove_photo

    data_dir = current_app.config["DATA_DIR"]
    after_commit(lambda: remove_photo(data_dir, contact.user_id, contact.id))
    for kind in (FOLLOWUP, INTERACTION):
        hanging = select(kind.model).where(
            kind.model.contact_id == contact.id, kind.model.deleted_at.is_(None)
        )
        for record in db.session.scalars(hanging):
            records.remove(kind, user, record, now)


def _met_at_stays(values, record):
    """Every card says when we met (it orders People); a change may move it, not clear it."""
    if "met_at" in values and values["met_at"] is None:
        raise ApiError(422, "invalid_field", "met_at: a value is required.", "met_at")


CONTACT = records.register_kind(
    records.Kind(
        name="contact",
        model=Contact,
        fields=ContactFields,
        required=("name",),
        references={"event_id": check_event, "target_id": check_target},
        on_create=_defaults,
        validate=_met_at_stays,
        on_delete=_remove_what_hangs_on,
        read_only=("photo_at",),
    )
)


def _search(kind, user):
    """My contacts, newest first, narrowed by ?q=, ?event_id= and ?tag=."""
    query = select(Contact).where(Contact.user_id == user.id, Contact.deleted_at.is_(None))
    for word in request.args.get("q", "").lower().split():
        # A ready-made pattern: SQLite would otherwise build '%' || word || '%' once per row.
        literal = word.replace("/", "//").replace("%", "/%").replace("_", "/_")
        query = query.where(Contact.search_text.like(f"%{literal}%", escape="/"))
    if request.args.get("event_id"):
        query = query.where(Contact.event_id == parse_uuid(request.args["event_id"], "event_id"))
    if request.args.get("tag"):
        quoted = json.dumps(request.args["tag"].strip(), ensure_ascii=False)
        tags = cast(Contact.tags, String)
        # replace() is case-sensitive on every database; SQLite's LIKE would ignore ASCII case.
        query = query.where(func.replace(tags, quoted, "") != tags)
    # met_at is never empty, so (user_id, met_at, id) serves this order straight from the index.
    return query.order_by(Contact.met_at.desc(), Contact.id.desc())


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
