"""The promise (what I owe someone I met, or they owe me) as a synced record; each hangs on its
contact. Those written on a capture ("I promised", "They promised") are planned from it
(pwa/followups/plans.py)."""

import uuid
from datetime import date
from typing import Literal

from pydantic import AwareDatetime

from .. import records
from ..contacts.kinds import CONTACT, check_contact
from ..fields import Note, Schema
from .models import Promise


class PromiseFields(Schema):
    contact_id: uuid.UUID | None = None
    direction: Literal["mine", "theirs"] | None = None
    text: Note | None = None
    due_on: date | None = None
    kept_at: AwareDatetime | None = None


class PromiseOut(records.Saved, PromiseFields):
    pass


PROMISE = records.register(
    records.RecordType(
        name="promise",
        model=Promise,
        fields=PromiseFields,
        required=("contact_id", "direction", "text"),
        references={"contact_id": check_contact},
        hangs_on=(CONTACT, "contact_id"),
    )
)
