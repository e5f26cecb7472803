"""The server's VAPID identity (RFC 8292): a P-256 key pair and the JWTs it signs per push service."""

import base64
import binascii
from datetime import timedelta

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    load_pem_private_key,
)
from webpush.vapid import VAPID

from ..db import utcnow

#: RFC 8292 allows at most 24 hours; 12 leaves room for clocks that disagree.
TOKEN_LIFETIME = timedelta(hours=12)
#: A cached token is replaced once it has less than this left.
TOKEN_MARGIN = timedelta(hours=1)


def b64url(data):
    """Encode bytes as unpadded base64url (the Push API's encoding)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    """Decode base64url with or without padding; raise ValueError on anything else."""
    if not isinstance(text, str) or not text.isascii():
        raise ValueError("not base64url")
    text = text.strip().rstrip("=")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url") from None


def push_contact(setting):
    """The VAPID `sub`: a mailto: or https: URI (a bare address becomes mailto:)."""
    setting = (setting or "").strip()
    if setting.startswith(("mailto:", "https:")):
        return setting
    return f"mailto:{setting or 'admin@localhost'}"


class VapidKey:
    """The application server's key pair, from the PEM or raw base64url form configuration holds."""

    def __init__(self, private_key):
        self.private_key = _load_private_key(private_key)
        #: What browsers get as `applicationServerKey`: the uncompressed point, base64url.
        self.public_key = VAPID.get_application_server_key(self.private_key.public_key())

    def authorization(self, origin, contact, now):
        """Return the `Authorization: vapid t=..., k=...` value for one push service origin."""
        claims = {"aud": origin, "exp": int((now + TOKEN_LIFETIME).timestamp()), "sub": contact}
        token = jwt.encode(claims, self.private_key, algorithm="ES256")
        return f"vapid t={token}, k={self.public_key}"


class VapidTokens:
    """Signed VAPID headers, one per push service origin, reused until near expiry: signing is
    half the cost of a message, and a push service sees the same token for a whole batch.

    The expiry is checked by the push service against its own clock, so it is set from the real
    time (clock), never from the time a dispatcher is told it is (tests move that one)."""

    def __init__(self, key, contact, clock=utcnow):
        self.key, self.contact, self.clock = key, push_contact(contact), clock
        self._cache = {}

    def header(self, origin):
        """The Authorization header for origin, valid for at least TOKEN_MARGIN from now."""
        now = self.clock()
        cached = self._cache.get(origin)
        if cached is None or cached[1] - now < TOKEN_MARGIN or cached[1] - now > TOKEN_LIFETIME:
            cached = (self.key.authorization(origin, self.contact, now), now + TOKEN_LIFETIME)
            self._cache[origin] = cached
        return cached[0]


def _load_private_key(value):
    if isinstance(value, bytes):
        value = value.decode("ascii")
    value = (value or "").strip()
    if "BEGIN" in value:
        key = load_pem_private_key(value.encode("ascii"), password=None)
    else:
        scalar = b64url_decode(value)
        if len(scalar) != 32:
            raise ValueError("VAPID_PRIVATE_KEY: expected a PEM key or 32 bytes in base64url")
        key = ec.derive_private_key(int.from_bytes(scalar, "big"), ec.SECP256R1())
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("VAPID_PRIVATE_KEY: the key must be on the P-256 curve")
    return key


def app_vapid_key(app):
    """The app's VapidKey, parsed once per app."""
    key = app.extensions.get("hallway.vapid")
    if key is None:
        key = app.extensions["hallway.vapid"] = VapidKey(app.config["VAPID_PRIVATE_KEY"])
    return key
