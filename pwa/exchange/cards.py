"""My card as the exchange's views share it: found or made for its owner, saved with a new
version, found by its public token; the photo of me and where it goes; the morning after."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from ..contacts.photos import photo_paths, store_photo
from ..db import db, utcnow
from ..errors import ApiError
from .models import Card, new_card


def my_card(user):
    """Return the user's card, making it (with their name) on first use."""
    card = db.session.get(Card, user.id)
    if card is None:
        card = new_card(user)
        db.session.add(card)
        db.session.flush()
    return card


def saved(card):
    """Keep a change to the card (a new version, a new updated_at) and answer with the card."""
    card.version += 1
    card.updated_at = utcnow()
    db.session.commit()
    return card.to_dict()


#: The file name my photo has among my contacts' photos (theirs are UUIDs, so it never collides).
MINE = "card"
#: My face and my card are personal data: never kept by a cache, shared or the browser's own.
NO_STORE = "private, no-store"


def card_photo_file(card, size="full"):
    """The path of the card's photo (or its 320 px thumbnail), or None when it has none."""
    photo, thumbnail = photo_paths(current_app.config["DATA_DIR"], card.user_id, MINE)
    path = thumbnail if size == "thumb" else photo
    return path if card.photo_at is not None and path.exists() else None


def give_photo(card, contact, now):
    """Copy the card's photo to the contact someone makes of its owner (a mutual exchange)."""
    data_dir = current_app.config["DATA_DIR"]
    files = photo_paths(data_dir, card.user_id, MINE)
    if card.photo_at is None or not all(path.exists() for path in files):
        return
    store_photo(data_dir, contact, *(path.read_bytes() for path in files))
    contact.photo_at = now


def jpeg_response(path):
    """Send a photo file, kept out of every cache."""
    response = current_app.response_class(path.read_bytes(), mimetype="image/jpeg")
    response.headers["Cache-Control"] = NO_STORE
    return response


def card_by_token(token):
    """The card with this public token, or a 404 page."""
    card = db.session.scalar(select(Card).where(Card.public_token == token))
    if card is None:
        raise ApiError(404, "not_found", "This card link is not valid (it may have been replaced).")
    return card


def initials(name):
    """One or two letters for a face with no photo, from the first and last words, any script."""
    words = (name or "").split()
    return "".join(word[0] for word in words[:1] + words[1:][-1:]).upper() or "?"


def next_morning(user, now):
    """09:00 tomorrow in the user's time zone."""
    zone = ZoneInfo(user.timezone or "UTC")
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(9), tzinfo=zone)
