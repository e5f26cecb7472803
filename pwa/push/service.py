"""Subscribing devices to push: validate what a browser sends, keep one row per endpoint."""

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..db import db
from ..errors import ApiError
from .keys import b64url, b64url_decode
from .models import PushSubscription

P256_POINT_LENGTH = 65
AUTH_SECRET_LENGTH = 16


def check_subscription(allowed, endpoint, p256dh, auth):
    """Return (endpoint, p256dh, auth) normalised, or raise 422 naming the field at fault.
    Nothing is ever requested from the endpoint here."""
    try:
        allowed.check(endpoint)
    except ValueError as e:
        raise ApiError(422, "invalid_field", f"endpoint: {e}.", "endpoint") from None
    return endpoint, _p256dh(p256dh), _auth(auth)


def subscribe(user, endpoint, p256dh, auth, now):
    """Save a device's subscription; the same endpoint again updates it (and may change hands:
    whoever subscribed last on a device gets its notifications). Return (row, created)."""
    for _ in range(2):  # the loser of two simultaneous first subscriptions updates instead
        row = db.session.scalar(
            select(PushSubscription).where(PushSubscription.endpoint == endpoint)
        )
        if row is not None:
            row.user_id, row.p256dh, row.auth, row.updated_at = user.id, p256dh, auth, now
            return row, False
        row = PushSubscription(
            user_id=user.id, endpoint=endpoint, p256dh=p256dh, auth=auth, created_at=now
        )
        row.updated_at = now
        try:
            with db.session.begin_nested():
                db.session.add(row)
            return row, True
        except IntegrityError:
            continue
    raise ApiError(409, "conflict", "This device subscribed twice at once; try again.")


def unsubscribe(user, endpoint):
    """Forget one of the user's devices (nothing happens for an endpoint that is not theirs)."""
    db.session.execute(
        delete(PushSubscription).where(
            PushSubscription.user_id == user.id, PushSubscription.endpoint == endpoint
        )
    )


def devices(user):
    """The user's subscribed devices, oldest first."""
    query = (
        select(PushSubscription)
        .where(PushSubscription.user_id == user.id)
        .order_by(PushSubscription.created_at, PushSubscription.id)
    )
    return db.session.scalars(query).all()


def _p256dh(value):
    try:
        point = b64url_decode(value)
        if len(point) != P256_POINT_LENGTH or point[0] != 4:
            raise ValueError
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise ApiError(
            422,
            "invalid_field",
            "keys.p256dh: must be an uncompressed P-256 public key in base64url.",
            "keys.p256dh",
        ) from None
    return b64url(point)


def _auth(value):
    try:
        secret = b64url_decode(value)
    except ValueError:
        secret = b""
    if len(secret) != AUTH_SECRET_LENGTH:
        raise ApiError(
            422,
            "invalid_field",
            "keys.auth: must be a 16-byte secret in base64url.",
            "keys.auth",
        )
    return b64url(secret)
