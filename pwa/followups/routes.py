"""Follow-up routes: what I owe whom, and when."""

import uuid
from typing import Literal

from pydantic import AwareDatetime
from sqlalchemy import select

from .. import records
from ..contacts.models import Contact
from ..crud import add_routes
from ..db import db
from ..errors import ApiError
from ..fields import Note, Schema
from .models import FollowUp


class FollowUpFields(Schema):
    contact_id: uuid.UUID | None = None
    kind: Literal["thank_you", "check_back", "keep_in_touch", "custom"] | None = None
    due_at: AwareDatetime | None = None
    note: Note | None = None
    done_at: AwareDatetime | None = None
    snoozed_until: AwareDatetime | None = None


class FollowUpOut(FollowUpFields):
    id: str
    version: int
    created_at: str
    updated_at: str


def check_contact(user, contact_id, values, record):
    """Refuse a contact_id that is not one of the user's contacts."""
    contact = db.session.get(Contact, contact_id)
    if contact is None or contact.user_id != user.id or contact.deleted_at is not None:
        raise ApiError(422, "invalid_field", "contact_id: no such contact.", "contact_id")


FOLLOWUP = records.register_kind(
    records.Kind(
        name="followup",
        model=FollowUp,
        fields=FollowUpFields,
        required=("contact_id", "kind", "due_at"),
        references={"contact_id": check_contact},
    )
)


def _by_due(kind, user):
    return (
        select(FollowUp)
        .where(FollowUp.user_id == user.id, FollowUp.deleted_at.is_(None))
        .order_by(FollowUp.done_at.is_not(None), FollowUp.due_at, FollowUp.id)
    )


add_routes(FOLLOWUP, "/followups", FollowUpOut, list_query=_by_due)
