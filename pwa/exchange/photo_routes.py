"""A photo of myself on my card: cleaned exactly like a contact's photo, kept beside them."""

from types import SimpleNamespace

from flask import current_app, g, request

from ..api import api, documented, file_form
from ..contacts.photos import remove_photo, store_photo, uploaded_photo
from ..db import db, utcnow
from ..errors import ApiError
from .cards import MINE, card_photo_file, jpeg_response, my_card, saved
from .schemas import CardOut

PHOTO_FORM = file_form(
    "A JPEG, PNG, WebP or GIF, up to 15 MB; stored upright, without its metadata (location "
    "included), at most 1600 px."
)


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
