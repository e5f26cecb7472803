"""Web Push: the VAPID key, subscribing devices (validated: no server-side request forgery), and
messages a real push service accepts and a browser can decrypt."""

import json
import stat
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from pwa.db import db
from pwa.followups import messages
from pwa.push.endpoints import AllowedPushHosts, origin_of
from pwa.push.keys import VapidKey, VapidTokens, b64url, b64url_decode
from pwa.push.models import PushSubscription
from pwa.push.sender import Device, Push, PushSender, classify
from tests.push_service import PushService, decrypt

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

#: RFC 8291 Appendix A: the complete worked example.
RFC8291 = {
    "plaintext": b"When I grow up, I want to be a watermelon",
    "ua_private": "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94",
    "ua_public": "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
    "auth": "BTBZMqHH6r4Tts7J_aSIgg",
    "body": "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmY"
    "WAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSx"
    "sj_Qulcy4a-fN",
}


def test_the_test_decryptor_reads_the_rfc_8291_example():
    ua = ec.derive_private_key(
        int.from_bytes(b64url_decode(RFC8291["ua_private"]), "big"), ec.SECP256R1()
    )
    public = ua.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    assert b64url(public) == RFC8291["ua_public"]
    body = b64url_decode(RFC8291["body"])
    assert len(body) == 144  # the RFC's example says Content-Length 145; the body is 144 bytes
    assert decrypt(body, ua, b64url_decode(RFC8291["auth"])) == RFC8291["plaintext"]
    tampered = body[:-1] + bytes([body[-1] ^ 1])
    with pytest.raises(Exception):  # noqa: B017 (any failure: the tag does not verify)
        decrypt(tampered, ua, b64url_decode(RFC8291["auth"]))


# The server's key


def test_the_public_key_is_an_uncompressed_p256_point_kept_in_the_data_dir(
    app, make_app, make_user, api_as
):
    key = api_as(make_user()).get("/api/v1/push/key").get_json()["publicKey"]
    point = b64url_decode(key)
    assert len(point) == 65 and point[0] == 4
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    path = Path(app.config["DATA_DIR"]) / "vapid_private_key.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    restarted = make_app()
    assert VapidKey(restarted.config["VAPID_PRIVATE_KEY"]).public_key == key


def test_the_key_can_come_from_configuration(make_app, monkeypatch):
    key = ec.generate_private_key(ec.SECP256R1())
    raw = b64url(key.private_numbers().private_value.to_bytes(32, "big"))
    expected = b64url(key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))
    monkeypatch.setenv("HALLWAY_VAPID_PRIVATE_KEY", raw)
    app = make_app()
    assert VapidKey(app.config["VAPID_PRIVATE_KEY"]).public_key == expected
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    assert VapidKey(pem).public_key == expected


# Subscribing


@pytest.fixture
def app(make_app):
    """The app, with the default push services plus one test origin allowed."""
    app = make_app(PUSH_ALLOWED_HOSTS="fcm.googleapis.com,*.push.apple.com,http://127.0.0.1:9000")
    with app.app_context():
        yield app


def _keys():
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return {"p256dh": b64url(public), "auth": b64url(b"0123456789abcdef")}


def _subscription(endpoint="https://fcm.googleapis.com/fcm/send/abc:def", **keys):
    return {"endpoint": endpoint, "expirationTime": None, "keys": {**_keys(), **keys}}


def test_subscribe_resubscribe_and_unsubscribe_several_devices(make_user, api_as):
    me = api_as(make_user())
    phone = _subscription("https://fcm.googleapis.com/fcm/send/phone")
    laptop = _subscription("https://web.push.apple.com/QGZ-laptop")
    assert me.post("/api/v1/push/subscriptions", json=phone).status_code == 201
    assert me.post("/api/v1/push/subscriptions", json=laptop).status_code == 201
    renewed = _subscription("https://fcm.googleapis.com/fcm/send/phone")
    response = me.post("/api/v1/push/subscriptions", json=renewed)
    assert response.status_code == 200
    devices = me.get("/api/v1/push/subscriptions").get_json()["items"]
    assert [d["endpoint"] for d in devices] == [phone["endpoint"], laptop["endpoint"]]
    stored = db.session.scalar(
        db.select(PushSubscription).where(PushSubscription.endpoint == phone["endpoint"])
    )
    assert stored.p256dh == renewed["keys"]["p256dh"]
    response = me.delete("/api/v1/push/subscriptions", json={"endpoint": phone["endpoint"]})
    assert response.status_code == 204
    devices = me.get("/api/v1/push/subscriptions").get_json()["items"]
    assert [d["endpoint"] for d in devices] == [laptop["endpoint"]]


def test_resubscribing_updates_the_keys_and_may_change_hands(make_user, api_as):
    first, second = make_user(), make_user()
    body = _subscription("https://fcm.googleapis.com/fcm/send/shared-tablet")
    api_as(first).post("/api/v1/push/subscriptions", json=body)
    newer = _subscription("https://fcm.googleapis.com/fcm/send/shared-tablet")
    assert api_as(second).post("/api/v1/push/subscriptions", json=newer).status_code == 200
    row = db.session.scalar(db.select(PushSubscription))
    assert (row.user_id, row.p256dh) == (second.id, newer["keys"]["p256dh"])
    # The first user cannot remove the device from the second.
    api_as(first).delete("/api/v1/push/subscriptions", json={"endpoint": body["endpoint"]})
    assert db.session.scalar(db.select(db.func.count()).select_from(PushSubscription)) == 1


REFUSED_ENDPOINTS = [
    ("http://fcm.googleapis.com/fcm/send/x", "https"),
    ("https://evil.example/fcm/send/x", "not a known browser push service"),
    ("https://fcm.googleapis.com.evil.example/x", "not a known browser push service"),
    ("https://notfcm.googleapis.com/x", "not a known browser push service"),
    ("https://push.apple.com/x", "not a known browser push service"),  # *. needs a subdomain
    ("https://127.0.0.1/x", "not an address"),
    ("https://[::1]/x", "not an address"),
    ("https://2130706433/x", "not an address"),
    ("https://169.254.169.254/latest/meta-data", "not an address"),
    ("https://user:pw@fcm.googleapis.com/x", "user name"),
    ("https://fcm.googleapis.com@evil.example/x", "user name"),
    ("https://fcm.googleapis.com\\@evil.example/x", "backslash"),
    ("https://evil.example#@fcm.googleapis.com/x", "fragment"),
    ("https://fcm.googleapis.com:8443/x", "standard port"),
    ("https://fcm.googleapis.com./x", "not an address"),
    (" https://fcm.googleapis.com/x", "spaces"),
    ("https://fcm.googleapis.com/x\n", "spaces"),
    ("https://fcm.googleapis.com/\u00e9", "non-ASCII"),
    ("file:///etc/passwd", "https"),
    ("javascript:alert(1)", "https"),
    ("http://127.0.0.1:9001/push/x", "https"),  # the allowed origin is port 9000 only
    ("https://127.0.0.1:9000/push/x", "standard port"),  # ...and over http only
    ("", "at least 1"),
]


@pytest.mark.parametrize("endpoint, reason", REFUSED_ENDPOINTS)
def test_a_subscription_elsewhere_is_refused(make_user, api_as, endpoint, reason):
    response = api_as(make_user()).post("/api/v1/push/subscriptions", json=_subscription(endpoint))
    assert response.status_code == 422
    body = response.get_json()
    assert body["field"] == "endpoint"
    assert reason in body["message"]


def test_the_allowed_origin_and_the_public_services_are_accepted(make_user, api_as):
    me = api_as(make_user())
    for endpoint in (
        "http://127.0.0.1:9000/push/abc",
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://web.push.apple.com/QGZ",
    ):
        assert (
            me.post("/api/v1/push/subscriptions", json=_subscription(endpoint)).status_code == 201
        )


def test_the_default_list_is_the_public_push_services():
    allowed = AllowedPushHosts.parse(None)
    for endpoint in (
        "https://fcm.googleapis.com/fcm/send/a",
        "https://updates.push.services.mozilla.com/wpush/v2/a",
        "https://web.push.apple.com/a",
        "https://wns2-par02p.notify.windows.com/w/?token=a",
    ):
        assert allowed.check(endpoint) == endpoint
    with pytest.raises(ValueError):
        allowed.check("http://127.0.0.1:9000/push/a")


def test_the_setting_replaces_the_default_list():
    allowed = AllowedPushHosts.parse("push.example.org")
    assert allowed.check("https://push.example.org/a")
    with pytest.raises(ValueError, match="not a known"):
        allowed.check("https://fcm.googleapis.com/fcm/send/a")


def test_a_refused_endpoint_is_never_requested(make_user, api_as):
    hits = []

    class Listener(BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.send_response(201)
            self.end_headers()

        do_GET = do_POST

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}/push/x"
        response = api_as(make_user()).post(
            "/api/v1/push/subscriptions", json=_subscription(endpoint)
        )
    finally:
        server.shutdown()
        server.server_close()
    assert response.status_code == 422
    assert hits == []


def _not_on_the_curve():
    point = bytearray(b64url_decode(_keys()["p256dh"]))
    point[-1] ^= 1
    return b64url(bytes(point))


def _compressed():
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    return b64url(key.public_bytes(Encoding.X962, PublicFormat.CompressedPoint))


@pytest.mark.parametrize(
    "keys, field",
    [
        ({"p256dh": _not_on_the_curve()}, "keys.p256dh"),
        ({"p256dh": _compressed()}, "keys.p256dh"),
        ({"p256dh": "not base64 at all!"}, "keys.p256dh"),
        ({"p256dh": b64url(b"\x04" + b"\x00" * 64)}, "keys.p256dh"),
        ({"auth": b64url(b"short")}, "keys.auth"),
        ({"auth": b64url(b"x" * 17)}, "keys.auth"),
        ({"auth": "%%%"}, "keys.auth"),
    ],
)
def test_keys_must_be_a_p256_point_and_a_16_byte_secret(make_user, api_as, keys, field):
    response = api_as(make_user()).post("/api/v1/push/subscriptions", json=_subscription(**keys))
    assert response.status_code == 422
    assert response.get_json()["field"] == field


def test_missing_keys_and_unknown_fields_are_named(make_user, api_as):
    me = api_as(make_user())
    response = me.post(
        "/api/v1/push/subscriptions", json={"endpoint": "https://fcm.googleapis.com/x"}
    )
    assert (response.status_code, response.get_json()["field"]) == (422, "keys")
    body = {**_subscription(), "extra": 1}
    response = me.post("/api/v1/push/subscriptions", json=body)
    assert (response.status_code, response.get_json()["field"]) == (422, "extra")


# Building and sending


@pytest.fixture
def push():
    """A push service on loopback."""
    with PushService() as service:
        yield service


@pytest.fixture
def sender():
    """A PushSender with a fresh VAPID key."""
    key = VapidKey(b64url(ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value.to_bytes(32, "big")))  # fmt: skip
    sender = PushSender(VapidTokens(key, "mailto:ops@example.org"), concurrency=4)
    yield sender
    sender.close()


def _device(subscriber):
    data = subscriber.to_json()
    return Device(1, data["endpoint"], data["keys"]["p256dh"], data["keys"]["auth"])


def test_messages_carry_ttl_urgency_topic_and_a_vapid_token_for_the_origin(push, sender):
    subscriber = push.subscribe()
    device = _device(subscriber)
    payload = json.dumps({"title": "Say thank you to Ada", "body": "x" * 3000}).encode()
    outcome = next(sender.send([Push(device, payload, ttl=3600, urgency="high", topic="fuABC")]))
    assert outcome.result == "delivered" and outcome.status == 201
    assert push.problems == []
    received = push.received[0]
    assert received.payload["title"] == "Say thank you to Ada"
    assert received.headers["ttl"] == "3600"
    assert received.headers["urgency"] == "high"
    assert received.headers["topic"] == "fuABC"
    assert received.size <= 4096
    # The token's audience keeps the port (webpush's own header would drop it).
    assert origin_of(device.endpoint) == push.origin


def test_each_message_is_keyed_afresh_and_decrypts_for_its_device(push, sender):
    subscriber = push.subscribe()
    device = _device(subscriber)
    bodies = [sender.build(device, b'{"n": 1}', ttl=60).body for _ in range(2)]
    sender_keys = {body[21 : 21 + body[20]] for body in bodies}  # the aes128gcm keyid
    assert len(sender_keys) == 2  # a new P-256 pair per message (RFC 8291 section 3.1)
    for body in bodies:
        assert decrypt(body, subscriber.private_key, subscriber.auth) == b'{"n": 1}'


def test_one_vapid_token_per_push_service_until_it_nears_expiry(sender):
    clock = {"now": NOW}
    tokens = VapidTokens(sender.tokens.key, "ops@example.org", clock=lambda: clock["now"])
    first = tokens.header("https://fcm.googleapis.com")
    assert "vapid t=" in first
    clock["now"] = NOW.replace(hour=18)
    assert tokens.header("https://fcm.googleapis.com") == first
    assert tokens.header("https://web.push.apple.com") != first
    clock["now"] = NOW.replace(hour=21)  # less than an hour of the 12 left
    assert tokens.header("https://fcm.googleapis.com") != first


def test_the_largest_payload_that_fits_is_delivered_and_one_byte_more_is_refused(push, sender):
    device = _device(push.subscribe())
    largest = b"x" * messages.MAX_PAYLOAD
    outcome = next(sender.send([Push(device, largest, ttl=60)]))
    assert outcome.result == "delivered"
    assert push.received[0].size == 4096
    with pytest.raises(messages.PayloadTooLarge):
        messages.encode({"body": "x" * messages.MAX_PAYLOAD})


@pytest.mark.parametrize(
    "status, result",
    [
        (201, "delivered"),
        (200, "delivered"),
        (404, "gone"),
        (410, "gone"),
        (413, "too_large"),
        (429, "rate_limited"),
        (500, "retry"),
        (503, "retry"),
        (400, "rejected"),
        (403, "rejected"),
    ],
)
def test_each_answer_of_the_push_service_is_understood(push, sender, status, result):
    subscriber = push.subscribe()
    push.answer(subscriber, status, retry_after=120 if status == 429 else None)
    outcome = next(sender.send([Push(_device(subscriber), b"{}", ttl=60)]))
    assert outcome.result == result
    if status == 429:
        assert outcome.retry_after == 120


def test_retry_after_as_an_http_date_is_read_against_the_answers_date():
    outcome = classify(
        429,
        {"Retry-After": "Mon, 23 Nov 2026 09:05:00 GMT", "Date": "Mon, 23 Nov 2026 09:00:00 GMT"},
    )
    assert outcome.retry_after == 300


def test_a_push_service_that_does_not_answer_is_retried_later():
    with PushService(latency=1.0) as slow:
        key = VapidKey(b64url(b"\x01" * 32))
        sender = PushSender(VapidTokens(key, "ops@example.org"), timeout=0.2)
        try:
            outcome = list(sender.send([Push(_device(slow.subscribe()), b"{}", ttl=60)]))
        finally:
            sender.close()
    assert outcome[0].result == "retry"
    assert "in time" in outcome[0].detail
