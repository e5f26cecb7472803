"""The shapes of my card in the API: what may be changed, and what is answered."""

from typing import Literal

from pydantic import Field

from ..fields import Email, Note, Phone, Schema, Short, WebUrl
from .models import SHAREABLE


class CardFields(Schema):
    name: Short | None = None
    headline: Short | None = None
    company: Short | None = None
    title: Short | None = None
    email: Email | None = None
    phone: Phone | None = None
    url: WebUrl | None = None
    #: Three sentences: who I am, what makes me unique, what I am looking for.
    intro: Note | None = None
    shared_fields: list[Literal[SHAREABLE]] = Field(
        default_factory=list,
        max_length=len(SHAREABLE),
        description="What the public card, its vCard and the QR show, each field once it is "
        "filled; a list, never null. A field left out is turned off. A new card shares every "
        "field but the phone.",
    )
    version: int | None = Field(
        None,
        description="The version the change was made on: a card changed since answers 409 "
        "version_conflict (sent by the app; left out, the change applies to whatever is there).",
    )


class CardOut(CardFields):
    public_token: str
    photo_at: str | None = Field(
        None, description="When the photo of me was uploaded (GET /me/card/photo); null: none."
    )
    updated_at: str
