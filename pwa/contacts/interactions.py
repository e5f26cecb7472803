"""A contact's history: met, scanned, emailed, called, a note; one tap to add, synced like the rest."""

import uuid
from typing import Literal

from pydantic import AwareDatetime
from sqlalchemy import select

from .. import records
from ..crud import add_routes
from ..fields import Note, Schema
from .models import Interaction
from .routes import check_contact

INTERACTION_KINDS = Literal["met", "scanned", "emailed", "called", "messaged", "note"]


class InteractionFields(Schema):
    contact_id: uuid.UUID | None = None
    kind: INTERACTION_KINDS | None = None
    at: AwareDatetime | None = None
    note: Note | None = None


class InteractionOut(InteractionFields):
    id: str
    version: int
    created_at: str
    updated_at: str


INTERACTION = records.register_kind(
    records.Kind(
        name="interaction",
        model=Interaction,
        fields=InteractionFields,
        required=("contact_id", "kind", "at"),
        references={"contact_id": check_contact},
    )
)


def _newest_first(kind, user):
    return (
        select(Interaction)
        .where(Interaction.user_id == user.id, Interaction.deleted_at.is_(None))
        .order_by(Interaction.at.desc(), Interaction.id)
    )


add_routes(INTERACTION, "/interactions", InteractionOut, list_query=_newest_first)
