"""A contact's photo over the API: upload (the card is kept whatever happens to it) and read."""

from flask import current_app, g, request

from .. import records
from ..api import api, documented, parse_uuid
from ..db import db, utcnow
from ..errors import ApiError
from .kinds import CONTACT, ContactOut
from .photos import photo_paths, store_photo, uploaded_photo


@api.post("/contacts/<record_id>/photo")
@documented("Add or replace a contact's photo (multipart `file`)", response=ContactOut)
def upload_photo(record_id):
    """Store a photo for my contact; the card itself is kept whatever happens to the photo."""
    contact = records.find(CONTACT, g.user, parse_uuid(record_id))
    photo, thumbnail = uploaded_photo()
    store_photo(current_app.config["DATA_DIR"], contact, photo, thumbnail)
    contact.photo_at = utcnow()
    records.touch(contact, g.user, contact.photo_at)
    db.session.commit()
    return records.serialize(CONTACT, contact)


@api.get("/contacts/<record_id>/photo")
@documented("A contact's photo as JPEG (?size=thumb for the small one)", response=None)
def get_photo(record_id):
    """Send my contact's photo."""
    contact = records.find(CONTACT, g.user, parse_uuid(record_id))
    photo, thumbnail = photo_paths(current_app.config["DATA_DIR"], contact.user_id, contact.id)
    path = thumbnail if request.args.get("size") == "thumb" else photo
    if contact.photo_at is None or not path.exists():
        raise ApiError(404, "not_found", "This contact has no photo.")
    response = current_app.response_class(path.read_bytes(), mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-cache"
    return response
