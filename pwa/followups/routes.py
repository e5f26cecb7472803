"""Follow-up routes: what I owe whom, and when."""

import uuid
from typing import Literal

from pydantic import AwareDatetime
from sqlalchemy import select

from .. import records
from ..contacts.routes import check_contact
from ..crud import add_routes
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
