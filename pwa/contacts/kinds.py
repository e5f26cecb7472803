"""The contact (someone I met) as a synced record: its fields, its defaults and rules, and the
check that a contact_id is one of the user's. What hangs on a contact (follow-ups, history, the
photo) declares so itself; this module imports none of it."""

import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, Field

from .. import records
from ..db import db
from ..errors import ApiError
from ..events.kinds import check_event
from ..fields import Email, LongText, Note, Phone, Schema, Short, WebUrl, text
from ..research.kinds import check_target
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
    #: Days between keep-in-touches (None: from the contact's tags, see /me/cadences).
    cadence_days: int | None = Field(default=None, ge=1, le=3650)
    trust: Literal["met_once", "talked", "worked_together", "would_vouch"] | None = None
    introduced_by_id: uuid.UUID | None = None


class ContactOut(records.Saved, ContactFields):
    photo_at: str | None = None
    #: The last meeting, interaction, scan, share-back or exchange (kept by the server).
    last_touch_at: str | None = None


def check_contact(user, contact_id, values, record, field="contact_id"):
    """Refuse a contact_id (or another field naming a contact) that is not one of the user's
    contacts."""
    contact = db.session.get(Contact, contact_id)
    if contact is None or contact.user_id != user.id or contact.deleted_at is not None:
        raise ApiError(422, "invalid_field", f"{field}: no such contact.", field)


def _check_introducer(user, introducer_id, values, record):
    """Who introduced us is another of the user's contacts."""
    if record is not None and introducer_id == record.id:
        message = "introduced_by_id: a person cannot introduce themselves."
        raise ApiError(422, "invalid_field", message, "introduced_by_id")
    check_contact(user, introducer_id, values, record, field="introduced_by_id")


def _defaults(contact, user):
    contact.source = contact.source or "capture"
    contact.met_at = contact.met_at or contact.created_at
    contact.tags = contact.tags or []


def _met_at_stays(values, record):
    """Every card says when we met (it orders People); a change may move it, not clear it."""
    if "met_at" in values and values["met_at"] is None:
        raise ApiError(422, "invalid_field", "met_at: a value is required.", "met_at")


CONTACT = records.register(
    records.RecordType(
        name="contact",
        model=Contact,
        fields=ContactFields,
        required=("name",),
        references={
            "event_id": check_event,
            "target_id": check_target,
            "introduced_by_id": _check_introducer,
        },
        on_create=_defaults,
        validate=_met_at_stays,
        read_only=("photo_at", "last_touch_at"),
    )
)
