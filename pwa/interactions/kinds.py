"""A contact's history as synced records: met, scanned, emailed, called, a note; each hangs on
its contact, so removing the contact removes its history."""

import uuid
from typing import Literal

from pydantic import AwareDatetime

from .. import records
from ..contacts.kinds import CONTACT, check_contact
from ..contacts.models import Interaction
from ..fields import Note, Schema

INTERACTION_KINDS = Literal["met", "scanned", "emailed", "called", "messaged", "note"]


class InteractionFields(Schema):
    contact_id: uuid.UUID | None = None
    kind: INTERACTION_KINDS | None = None
    at: AwareDatetime | None = None
    note: Note | None = None


class InteractionOut(records.Saved, InteractionFields):
    pass


INTERACTION = records.register(
    records.RecordType(
        name="interaction",
        model=Interaction,
        fields=InteractionFields,
        required=("contact_id", "kind", "at"),
        references={"contact_id": check_contact},
        hangs_on=(CONTACT, "contact_id"),
    )
)
