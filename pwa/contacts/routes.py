"""People I met: list (search, filter by event and tag), capture, read, change, delete."""

import json
import uuid
from datetime import date
from typing import Annotated

from flask import request
from pydantic import AfterValidator, AwareDatetime, Field
from sqlalchemy import String, cast, or_, select

from .. import records
from ..api import parse_uuid
from ..crud import add_routes
from ..db import db
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
    target_id: uuid.UUID | None = None


class ContactOut(ContactFields):
    id: str
    version: int
    created_at: str
    updated_at: str


def check_target(user, target_id, values, record):
    """Refuse a target_id that is not one of the user's research targets."""
    target = db.session.get(ResearchTarget, target_id)
    if target is None or target.user_id != user.id or target.deleted_at is not None:
        raise ApiError(422, "invalid_field", "target_id: no such research target.", "target_id")


def _defaults(contact, user):
    contact.source = contact.source or "capture"
    contact.tags = contact.tags or []


def _remove_followups(contact, user, now):
    from ..followups.routes import FOLLOWUP  # follow-ups hang on contacts, not the reverse

    pending = select(FOLLOWUP.model).where(
        FOLLOWUP.model.contact_id == contact.id, FOLLOWUP.model.deleted_at.is_(None)
    )
    for followup in db.session.scalars(pending):
        records.remove(FOLLOWUP, user, followup, now)


CONTACT = records.register_kind(
    records.Kind(
        name="contact",
        model=Contact,
        fields=ContactFields,
        required=("name",),
        references={"event_id": check_event, "target_id": check_target},
        on_create=_defaults,
        on_delete=_remove_followups,
    )
)


def _search(kind, user):
    """My contacts, newest first, narrowed by ?q=, ?event_id= and ?tag=."""
    query = select(Contact).where(Contact.user_id == user.id, Contact.deleted_at.is_(None))
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(
            or_(
                *(
                    column.icontains(q, autoescape=True)
                    for column in (
                        Contact.name,
                        Contact.company,
                        Contact.notes,
                        cast(Contact.tags, String),
                    )
                )
            )
        )
    if request.args.get("event_id"):
        query = query.where(Contact.event_id == parse_uuid(request.args["event_id"], "event_id"))
    if request.args.get("tag"):
        quoted = json.dumps(request.args["tag"].strip(), ensure_ascii=False)
        query = query.where(cast(Contact.tags, String).contains(quoted, autoescape=True))
    newest = Contact.met_at.desc().nulls_last()
    return query.order_by(newest, Contact.created_at.desc(), Contact.id)


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
