"""The follow-up (what I owe whom, and when) as a synced record; each hangs on its contact."""

import uuid
from typing import Literal

from pydantic import AwareDatetime

from .. import records
from ..contacts.kinds import CONTACT, check_contact
from ..fields import Note, Schema
from .models import FollowUp


class FollowUpFields(Schema):
    contact_id: uuid.UUID | None = None
    kind: Literal["thank_you", "check_back", "keep_in_touch", "custom"] | None = None
    due_at: AwareDatetime | None = None
    note: Note | None = None
    done_at: AwareDatetime | None = None
    snoozed_until: AwareDatetime | None = None


class FollowUpOut(records.Saved, FollowUpFields):
    #: The push reminder, kept by the server: pending, sent, retrying, failed or no_device.
    reminder_status: Literal["pending", "sent", "retrying", "failed", "no_device"] | None = None
    #: When the reminder last reached one of my devices.
    reminded_at: str | None = None
    #: Why the reminder did not arrive, in words for people.
    reminder_error: str | None = None


FOLLOWUP = records.register(
    records.RecordType(
        name="followup",
        model=FollowUp,
        fields=FollowUpFields,
        required=("contact_id", "kind", "due_at"),
        references={"contact_id": check_contact},
        hangs_on=(CONTACT, "contact_id"),
        read_only=("reminder_status", "reminded_at", "reminder_error"),
    )
)
