"""My card: the profile I choose to share, and rotating its public link."""

from flask import current_app, g, request

from ..api import api, documented, json_body, validated
from ..db import db
from ..errors import ApiError
from .cards import my_card, saved
from .models import new_token
from .qr import etag, qr_payload, render
from .schemas import CardFields, CardOut


@api.get("/me/card")
@documented("My profile card", response=CardOut)
def get_card():
    """Show my card."""
    card = my_card(g.user)
    db.session.commit()
    return card.to_dict()


@api.patch("/me/card")
@documented("Change my card and what it shares", body=CardFields, response=CardOut)
def update_card():
    """Change my card's fields and which of them the public card shows."""
    values = validated(CardFields, json_body()).model_dump(exclude_unset=True)
    version = values.pop("version", None)
    card = my_card(g.user)
    if version is not None and version != card.version:
        message = f"Your card changed on another device (now version {card.version})."
        raise ApiError(409, "version_conflict", message, "version")
    for name, value in values.items():
        setattr(card, name, value)  # shared_fields is stored as the fields turned off
    return saved(card)


@api.post("/me/card/rotate")
@documented("Give my card a new public link; the old one stops working", response=CardOut)
def rotate_card():
    """Replace the public token."""
    card = my_card(g.user)
    card.public_token = new_token()
    return saved(card)


def base_url():
    """The public address QR links point at: HALLWAY_BASE_URL, else this request's own."""
    return current_app.config.get("BASE_URL") or request.host_url


def _qr(fmt):
    mode = request.args.get("mode", "link")
    if mode not in ("link", "vcard"):
        raise ApiError(422, "invalid_field", "mode: use link or vcard.", "mode")
    card = my_card(g.user)
    db.session.commit()
    payload = qr_payload(card, mode, base_url())
    tag = etag(payload, fmt)
    if request.if_none_match.contains(tag):
        return "", 304, {"ETag": f'"{tag}"'}
    mimetype = "image/svg+xml" if fmt == "svg" else "image/png"
    response = current_app.response_class(render(payload, fmt), mimetype=mimetype)
    response.set_etag(tag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


QR_QUERY = {"mode": {"type": "string", "enum": ["link", "vcard"], "default": "link"}}


@api.get("/me/card/qr.svg")
@documented("My QR code as SVG (?mode=link or vcard)", query=QR_QUERY)
def card_qr_svg():
    """My QR code, as SVG."""
    return _qr("svg")


@api.get("/me/card/qr.png")
@documented("My QR code as PNG (?mode=link or vcard)", query=QR_QUERY)
def card_qr_png():
    """My QR code, as PNG."""
    return _qr("png")
