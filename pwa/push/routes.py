"""Push routes: the server's public key, and subscribing or unsubscribing this device."""

from typing import Annotated

from flask import current_app, g
from pydantic import Field, StringConstraints

from ..api import api, documented, json_body, validated
from ..db import db, utcnow
from ..fields import Schema
from ..paging import whole_list
from . import service
from .endpoints import MAX_ENDPOINT_LENGTH, AllowedPushHosts
from .keys import app_vapid_key

Endpoint = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ENDPOINT_LENGTH)]
Key = Annotated[str, StringConstraints(max_length=200)]


class ServerKey(Schema):
    #: The VAPID public key: pass it to pushManager.subscribe as applicationServerKey.
    publicKey: str


class SubscriptionKeys(Schema):
    p256dh: Key
    auth: Key


class Subscription(Schema):
    """What PushSubscription.toJSON() gives in the browser."""

    endpoint: Endpoint
    expirationTime: Annotated[float, Field(ge=0)] | None = None
    keys: SubscriptionKeys


class Unsubscription(Schema):
    endpoint: Endpoint


class Device(Schema):
    id: str
    endpoint: str
    created_at: str
    updated_at: str


@api.get("/push/key")
@documented("The server's VAPID public key (applicationServerKey)", response=ServerKey)
def push_key():
    """Give the browser the key its push subscription must be made with."""
    return {"publicKey": app_vapid_key(current_app).public_key}


@api.get("/push/subscriptions")
@documented("My devices that receive reminders", response=[Device])
def list_subscriptions():
    """List the devices subscribed to my reminders."""
    rows = [row.to_dict() for row in service.devices(g.user)]
    return whole_list(rows)


@api.post("/push/subscriptions")
@documented(
    "Send this device's reminders here (201 new, 200 renewed)",
    body=Subscription,
    response=Device,
    status=201,
)
def subscribe():
    """Save this browser's push subscription (validated; the endpoint is never fetched here)."""
    body = validated(Subscription, json_body())
    allowed = AllowedPushHosts.parse(current_app.config["PUSH_ALLOWED_HOSTS"])
    endpoint, p256dh, auth = service.check_subscription(
        allowed, body.endpoint, body.keys.p256dh, body.keys.auth
    )
    row, created = service.subscribe(g.user, endpoint, p256dh, auth, utcnow())
    db.session.commit()
    return row.to_dict(), 201 if created else 200


@api.delete("/push/subscriptions")
@documented("Stop sending reminders to this device", body=Unsubscription, status=204)
def unsubscribe():
    """Forget a device of mine (204 whether or not it was subscribed, so a retry is harmless)."""
    body = validated(Unsubscription, json_body())
    service.unsubscribe(g.user, body.endpoint)
    db.session.commit()
    return "", 204
