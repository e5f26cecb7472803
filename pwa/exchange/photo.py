"""A photo of myself on my card: cleaned exactly like a contact's photo, kept beside them."""

from types import SimpleNamespace

from flask import current_app, g, request

from ..api import api, documented, file_form
from ..contacts.photos import photo_paths, remove_photo, store_photo, uploaded_photo
from ..db import db, utcnow
from ..errors import ApiError
from .routes import CardOut, my_card, saved

#: The file name my photo has among my contacts' photos (theirs are UUIDs, so it never collides).
MINE = "card"
PHOTO_FORM = file_form(
    "A JPEG, PNG, WebP or GIF, up to 15 MB; stored upright, without its metadata (location "
    "included), at most 1600 px."
)
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


@api.post("/me/card/photo")
@documented("Add or replace the photo of me on my card", response=CardOut, form=PHOTO_FORM)
def upload_card_photo():
    """Clean and store a photo of me; the public card and its vCard show it from now on."""
    photo, thumbnail = uploaded_photo()
    card = my_card(g.user)
    store_photo(
        current_app.config["DATA_DIR"],
        SimpleNamespace(user_id=card.user_id, id=MINE),
        photo,
        thumbnail,
    )
    card.photo_at = utcnow()
    return saved(card)


@api.delete("/me/card/photo")
@documented("Remove the photo of me from my card", response=CardOut)
def delete_card_photo():
    """Remove my photo: the card shows my initials again."""
    card = my_card(g.user)
    remove_photo(current_app.config["DATA_DIR"], card.user_id, MINE)
    card.photo_at = None
    return saved(card)


@api.get("/me/card/photo")
@documented(
    "The photo of me on my card, as JPEG (?size=thumb for the 320 px one)",
    response=None,
    query={"size": {"type": "string", "enum": ["full", "thumb"], "default": "full"}},
)
def get_card_photo():
    """Send my card's photo."""
    card = my_card(g.user)
    db.session.commit()
    path = card_photo_file(card, request.args.get("size", "full"))
    if path is None:
        raise ApiError(404, "not_found", "Your card has no photo.")
    return jpeg_response(path)
