"""A Hallway user scans another user's card link: each gets the other's card (a mutual exchange)."""

import uuid
from datetime import UTC, timedelta

from flask import g
from pydantic import AwareDatetime
from sqlalchemy import select

from .. import records
from ..api import api, documented, json_body, validated
from ..auth.models import User
from ..contacts.kinds import CONTACT, ContactOut
from ..db import db, utcnow
from ..errors import ApiError
from ..events.kinds import check_event
from ..fields import Schema, text
from ..kinds import PLANNER
from ..records import serialize
from .cards import give_photo, my_card
from .models import Card
from .qr import shared

#: How far ahead of the server's clock a phone's may run.
CLOCK_SKEW = timedelta(minutes=5)
#: Deterministic ids, so a retried exchange finds what the first one made.
EXCHANGE = uuid.UUID("6f1c7c3e-5b1a-4f0e-9a57-3f7d1f0b2c11")


class ExchangeRequest(Schema):
    #: The token from a scanned /c/<token> link.
    token: text(64, min_length=8)
    #: Where the scanner met them, if at an event.
    event_id: uuid.UUID | None = None
    #: When the link was scanned, for an exchange the app kept until it was back online.
    met_at: AwareDatetime | None = None


def _card_contact(card, source, raw, event_id=None):
    person = shared(card)
    values = {
        name: person.get(name) for name in ("name", "company", "title", "email", "phone", "url")
    }
    values = {name: value for name, value in values.items() if value}
    values["name"] = values.get("name") or "Hallway user"
    if person.get("intro"):
        values["notes"] = person["intro"]
    values.update(source=source, raw_payload=raw)
    if event_id:
        values["event_id"] = event_id
    return CONTACT.parse({k: str(v) for k, v in values.items()})


def receive(user, card, values, now, met_at=None):
    """Give user a contact from card (once: a retry finds the first one), with the card's photo
    and a thank-you the morning after they met."""
    contact_id = uuid.uuid5(EXCHANGE, f"{user.id}:{card.user_id}:{card.public_token}")
    existing = db.session.get(CONTACT.model, contact_id)
    if existing is not None and existing.deleted_at is None:
        PLANNER.touched(user, existing, met_at or now, now)  # met again: a touch
        return existing
    if existing is not None:
        contact_id = uuid.uuid4()  # they deleted the earlier one: this is a new meeting
    met_at = met_at or now
    contact = records.insert(CONTACT, user, {**values, "met_at": met_at}, now, contact_id)
    give_photo(card, contact, now)  # and the server plans the thank-you (followups/plans.py)
    return contact


@api.post("/exchange")
@documented(
    "Exchange cards with the owner of a scanned Hallway card link (both get a contact)",
    body=ExchangeRequest,
    response=ContactOut,
)
def exchange():
    """Save their card in my People and mine in theirs."""
    body = validated(ExchangeRequest, json_body())
    card = db.session.scalar(select(Card).where(Card.public_token == body.token))
    if card is None:
        raise ApiError(
            404, "not_found", "This card link is not valid (it may have been replaced).", "token"
        )
    if card.user_id == g.user.id:
        raise ApiError(422, "invalid_field", "token: this is your own card.", "token")
    now = utcnow()
    met_at = body.met_at.astimezone(UTC) if body.met_at else now
    if met_at > now + CLOCK_SKEW:
        raise ApiError(422, "invalid_field", "met_at: this is in the future.", "met_at")
    if body.event_id:
        check_event(g.user, body.event_id, {}, None)
    theirs = _card_contact(card, "scan", f"/c/{card.public_token}", body.event_id)
    contact = receive(g.user, card, theirs, now, met_at)
    mine = my_card(g.user)
    owner = db.session.get(User, card.user_id)
    receive(owner, mine, _card_contact(mine, "exchange", f"/c/{mine.public_token}"), now, met_at)
    db.session.commit()
    return serialize(CONTACT, contact), 201
