"""My QR code, made with the `qrcode` package: a link to my public card, or a whole vCard."""

import hashlib
import io
from functools import lru_cache

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

from .vcard import vcard


def card_link(base_url, token):
    """The public address of a card."""
    return f"{base_url.rstrip('/')}/c/{token}"


def shared(card):
    """Only the fields the owner chose to share."""
    return {name: getattr(card, name) for name in card.shared_fields if getattr(card, name)}


def qr_payload(card, mode, base_url):
    """What the QR holds: the card's link (default) or a self-contained vCard."""
    if mode == "vcard":
        return vcard(shared(card))
    return card_link(base_url, card.public_token)


@lru_cache(maxsize=512)
def render(payload, fmt):
    """The QR image (SVG or PNG bytes), large and high-contrast; cached by content."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(payload)
    code.make(fit=True)
    out = io.BytesIO()
    if fmt == "svg":
        code.make_image(image_factory=qrcode.image.svg.SvgPathFillImage).save(out)
    else:
        code.make_image(fill_color="black", back_color="white").save(out)
    return out.getvalue()


def etag(payload, fmt):
    """A validator that changes whenever the image would."""
    return hashlib.sha256(f"{fmt}:{payload}".encode()).hexdigest()[:32]
