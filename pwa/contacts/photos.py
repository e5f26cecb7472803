"""A contact's photo (of them, their card or their badge): made safe and small with Pillow, kept
as two files named after the contact, and removed with it."""

import io
import os
import warnings
from pathlib import Path

from flask import current_app, request
from PIL import Image, ImageOps, UnidentifiedImageError

from .. import records
from ..db import after_commit
from ..errors import ApiError
from .kinds import CONTACT

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


def _remove_with_contact(contact, user, now):
    """A removed contact's photo files go once the removal is committed."""
    data_dir = current_app.config["DATA_DIR"]
    after_commit(lambda: remove_photo(data_dir, contact.user_id, contact.id))


def uploaded_photo():
    """The request's multipart `file`, cleaned by process_photo (a contact's photo, or mine)."""
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


records.hang_on(CONTACT, _remove_with_contact)
