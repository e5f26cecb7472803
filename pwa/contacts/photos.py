"""A contact's photo (of them, their card or their badge): made safe and small with Pillow."""

import io
import os
import warnings
from pathlib import Path

from flask import current_app, g, request
from PIL import Image, ImageOps, UnidentifiedImageError

from .. import records
from ..api import api, documented, parse_uuid
from ..crud import serialize
from ..db import db, utcnow
from ..errors import ApiError
from .routes import CONTACT, ContactOut

MAX_UPLOAD = 15 * 1024 * 1024
#: A 50-megapixel phone photo fits; a decompression bomb does not.
MAX_PIXELS = 64_000_000
LONG_SIDE = 1600
THUMB_SIDE = 320
FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}


def process_photo(data):
    """Return (photo, thumbnail) as JPEG bytes: upright, every piece of metadata gone, bounded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise _not_a_photo()
            if image.width * image.height > MAX_PIXELS:
                raise ApiError(422, "photo_too_large", "This photo has too many pixels.", "file")
            image.load()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ):
        raise _not_a_photo() from None
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((LONG_SIDE, LONG_SIDE))
    photo = _jpeg(image)
    image.thumbnail((THUMB_SIDE, THUMB_SIDE))
    return photo, _jpeg(image)


def _not_a_photo():
    return ApiError(422, "not_a_photo", "This file is not a photo Hallway can read.", "file")


def _jpeg(image):
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)  # a fresh image: no EXIF, no GPS
    return out.getvalue()


def photo_paths(data_dir, user_id, contact_id):
    """Where a contact's photo and thumbnail live."""
    folder = Path(data_dir) / "uploads" / str(user_id)
    return folder / f"{contact_id}.jpg", folder / f"{contact_id}.thumb.jpg"


def store_photo(data_dir, contact, photo, thumbnail):
    """Write the files (atomically, so a reader never sees half a photo)."""
    for path, content in zip(
        photo_paths(data_dir, contact.user_id, contact.id), (photo, thumbnail), strict=True
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(content)
        os.replace(partial, path)


def remove_photo(data_dir, user_id, contact_id):
    """Delete a contact's photo files, if any."""
    for path in photo_paths(data_dir, user_id, contact_id):
        path.unlink(missing_ok=True)


def uploaded_photo():
    """The request's multipart `file`, cleaned by process_photo (also my card's photo)."""
    request.max_content_length = MAX_UPLOAD
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(
            422, "invalid_field", "file: send the photo as multipart field 'file'.", "file"
        )
    try:
        data = upload.read(MAX_UPLOAD + 1)
    finally:
        upload.close()
    return process_photo(data)


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
    return serialize(CONTACT, contact)


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
