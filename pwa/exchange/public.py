"""The public card at /c/<token>: works on any phone, no account, no app; and "send me yours"."""

from datetime import timedelta

from flask import Blueprint, current_app, render_template, request

from .. import records
from ..auth.models import User
from ..contacts.kinds import CONTACT
from ..db import db, utcnow
from ..downloads import attachment
from ..errors import ApiError
from ..ratelimit import limit
from .cards import NO_STORE, card_by_token, card_photo_file, initials, jpeg_response
from .qr import shared
from .vcard import vcard

cards = Blueprint("cards", __name__)

#: The form's fields and the contact fields they fill.
SHARE_BACK = {
    "name": "name",
    "email": "email",
    "phone": "phone",
    "company": "company",
    "title": "title",
    "note": "notes",
}
#: Invisible to people, tempting to bots: a filled one means the form was not sent by a person.
HONEYPOT = "website"
PER_ADDRESS = (5, timedelta(hours=1))
PER_CARD = (50, timedelta(days=1))


def page(card, token, status=200, headers=None, **state):
    """The public card page, kept out of every cache (it is someone's personal data)."""
    person = shared(card)
    name = person.get("name")
    html = render_template(
        "card.html",
        card=person,
        token=token,
        photo=card.photo_at is not None,
        initials=initials(name),
        first_name=name.split()[0] if name else None,
        **{"sent": False, "error": None, **state},
    )
    return html, status, {**(headers or {}), "Cache-Control": NO_STORE}


@cards.get("/c/<token>")
def public_card(token):
    """Show the fields the owner shares, "Save contact", and the send-yours form."""
    return page(card_by_token(token), token)


@cards.get("/c/<token>.vcf")
def public_vcard(token):
    """The card as a vCard to save in the phone's address book, with the owner's photo."""
    card = card_by_token(token)
    person = shared(card)
    thumbnail = card_photo_file(card, "thumb")
    body = vcard(
        person, uid=f"urn:hallway:{token}", photo=thumbnail.read_bytes() if thumbnail else None
    )
    response = current_app.response_class(body, mimetype="text/vcard")
    response.headers["Content-Disposition"] = attachment(person.get("name"), "vcf")
    response.headers["Cache-Control"] = NO_STORE
    return response


@cards.get("/c/<token>/photo")
def public_photo(token):
    """The owner's photo (the 320 px one) for their public card."""
    path = card_photo_file(card_by_token(token), "thumb")
    if path is None:
        raise ApiError(404, "not_found", "This card has no photo.")
    return jpeg_response(path)


@cards.post("/c/<token>")
def share_back(token):
    """Take the visitor's details into the owner's People, with a thank-you to send."""
    card = card_by_token(token)
    now = utcnow()
    if request.form.get(HONEYPOT):
        return page(card, token, sent=True)
    try:
        limit(
            f"share-back:address:{request.remote_addr}", *PER_ADDRESS, now, "cards sent from here"
        )
        limit(f"share-back:card:{card.user_id}", *PER_CARD, now, "cards sent to this person today")
        owner = db.session.get(User, card.user_id)
        values = CONTACT.parse(
            {
                field: request.form.get(name, "").strip() or None
                for name, field in SHARE_BACK.items()
            }
        )
        # the server plans the thank-you (pwa/followups/plans.py)
        records.insert(CONTACT, owner, {**values, "source": "share-back", "met_at": now}, now)
    except ApiError as e:
        db.session.rollback()
        if e.status == 429:
            db.session.commit()
        status = e.status if e.status in (422, 429) else 400
        return page(card, token, status, e.headers, error=e.message)
    db.session.commit()
    return page(card, token, sent=True)
