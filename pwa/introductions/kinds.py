"""The introduction (one person I know to another, asked first) as a synced record; it hangs on
the person introduced."""

import uuid

from pydantic import AwareDatetime

from .. import records
from ..contacts.kinds import CONTACT, check_contact
from ..errors import ApiError
from ..fields import Note, Schema
from .models import Introduction


class IntroductionFields(Schema):
    contact_id: uuid.UUID | None = None
    to_id: uuid.UUID | None = None
    note: Note | None = None
    asked_at: AwareDatetime | None = None
    agreed_at: AwareDatetime | None = None
    made_at: AwareDatetime | None = None


class IntroductionOut(records.Saved, IntroductionFields):
    pass


def _check_to(user, to_id, values, record):
    """The person introduced to is another of the user's contacts."""
    check_contact(user, to_id, values, record, field="to_id")
    contact_id = values.get("contact_id") or (record and record.contact_id)
    if to_id == contact_id:
        message = "to_id: introduce someone to another person, not to themselves."
        raise ApiError(422, "invalid_field", message, "to_id")


INTRODUCTION = records.register(
    records.RecordType(
        name="introduction",
        model=Introduction,
        fields=IntroductionFields,
        required=("contact_id", "to_id"),
        references={"contact_id": check_contact, "to_id": _check_to},
        hangs_on=(CONTACT, "contact_id"),
    )
)
