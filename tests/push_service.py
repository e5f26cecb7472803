"""A Web Push service on loopback, for tests and the benchmark: it does what the real ones do.

It checks each POST like a browser vendor's service (RFC 8030 TTL, RFC 8292 VAPID: an ES256 JWT
whose `aud` is this origin, `exp` within 24 hours, a mailto:/https: `sub`), decrypts the body
with the subscription's private key (RFC 8291, aes128gcm), and answers 201, or whatever a test
asked for: 404, 410, 413, 429 with Retry-After, 500. Anything malformed is recorded in `problems`
and refused the way the real services refuse it.
"""

import asyncio
import base64
import json
import os
import re
import socket
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field

import jwt
from aiohttp import web
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

MAX_BODY = 4096
#: Endpoints whose token starts with this share one subscriber's keys (see subscribe).
SHARED = "shared-"
URGENCIES = {"very-low", "low", "normal", "high"}
TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hkdf(salt, ikm, info, length):
    return HKDF(hashes.SHA256(), length, salt, info).derive(ikm)


def decrypt(body, ua_private, auth_secret):
    """Decrypt an aes128gcm Web Push body (RFC 8291 section 3, RFC 8188) as the browser does."""
    salt, rs, idlen = body[:16], int.from_bytes(body[16:20], "big"), body[20]
    as_public = body[21 : 21 + idlen]
    if rs < 18 or idlen != 65:
        raise ValueError("bad aes128gcm header")
    ua_public = ua_private.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), as_public)
    shared = ua_private.exchange(ec.ECDH(), peer)
    ikm = _hkdf(auth_secret, shared, b"WebPush: info\x00" + ua_public + as_public, 32)
    key = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
    nonce = int.from_bytes(_hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12), "big")
    records = body[21 + idlen :]
    chunks = [records[i : i + rs] for i in range(0, len(records), rs)] or [b""]
    plaintext = b""
    for seq, chunk in enumerate(chunks):
        record = AESGCM(key).decrypt((nonce ^ seq).to_bytes(12, "big"), chunk, None)
        record = record.rstrip(b"\x00")
        last = seq == len(chunks) - 1
        if not record or record[-1:] != (b"\x02" if last else b"\x01"):
            raise ValueError("bad padding delimiter")
        plaintext += record[:-1]
    return plaintext


@dataclass
class Subscriber:
    """A browser's side of one subscription: its keys, and what PushSubscription.toJSON() says."""

    endpoint: str
    private_key: object
    auth: bytes

    @property
    def token(self):
        return self.endpoint.rsplit("/", 1)[1]

    def to_json(self):
        public = self.private_key.public_key().public_bytes(
            Encoding.X962, PublicFormat.UncompressedPoint
        )
        keys = {"p256dh": b64url(public), "auth": b64url(self.auth)}
        return {"endpoint": self.endpoint, "expirationTime": None, "keys": keys}


@dataclass
class Received:
    """A message the service accepted and decrypted."""

    token: str
    status: int
    headers: dict
    #: The decrypted JSON (None for a message that is not JSON).
    payload: dict | None
    size: int


@dataclass
class PushService:
    """Start with `with PushService() as service:`; `service.origin` is what to allow."""

    latency: float = 0.0
    received: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def __post_init__(self):
        self.lock = threading.Lock()
        self.subscribers = {}
        self.scripts = {}
        self.tokens = {}  # VAPID JWT -> its claims, once verified (real services cache too)
        self.shared = Subscriber("shared", ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
        self.socket = socket.create_server(("127.0.0.1", 0), backlog=256)
        self.origin = f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def __enter__(self):
        # An event loop in a thread of its own, as the real services: many connections, one
        # thread, each message checked and decrypted as it arrives.
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._call(self._start())
        return self

    def __exit__(self, *exc):
        self._call(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    async def _start(self):
        app = web.Application()
        app.router.add_post("/push/{token}", self._post)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self.runner.setup()
        await web.SockSite(self.runner, self.socket).start()

    async def _stop(self):
        await self.runner.cleanup()
        # A message still waiting out `latency` (its client gave up) is cancelled, not dropped.
        left = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)

    async def _post(self, request):
        body = await request.read()
        if self.latency:
            await asyncio.sleep(self.latency)
        headers = {name.lower(): value for name, value in request.headers.items()}
        status, extra = self._handle(request.match_info["token"], headers, body)
        return web.Response(status=status, headers=extra)

    def subscribe(self, own_key=True):
        """A new browser subscription on this service. own_key=False shares one key pair and
        secret among every such subscription, which is quicker to make by the thousand."""
        if not own_key:
            endpoint = f"{self.origin}/push/{SHARED}{b64url(os.urandom(12))}"
            return Subscriber(endpoint, self.shared.private_key, self.shared.auth)
        key = ec.generate_private_key(ec.SECP256R1())
        subscriber = Subscriber(f"{self.origin}/push/{b64url(os.urandom(12))}", key, os.urandom(16))
        with self.lock:
            self.subscribers[subscriber.token] = subscriber
        return subscriber

    def answer(self, subscriber, *statuses, retry_after=None):
        """Answer the next messages for subscriber with these statuses, then 201 again."""
        with self.lock:
            queue = self.scripts.setdefault(subscriber.token, deque())
            queue.extend((status, retry_after) for status in statuses)

    def delivered(self):
        """The payloads of every message answered 201."""
        with self.lock:
            return [r.payload for r in self.received if r.status == 201 and r.payload]

    def delivered_count(self, key="followup_id"):
        """How many times each payload[key] was delivered."""
        return Counter(payload.get(key) for payload in self.delivered())

    def _handle(self, token, headers, body):
        """Check and decrypt one message; return (status, extra headers)."""
        subscriber = self.shared if token.startswith(SHARED) else self.subscribers.get(token)
        if subscriber is None:
            return 404, {}
        problem = self._check(headers, body)
        if problem is None:
            try:
                plaintext = decrypt(body, subscriber.private_key, subscriber.auth)
            except Exception as e:  # anything a browser could not read
                problem = f"cannot decrypt: {e!r}"
        if problem is not None:
            with self.lock:
                self.problems.append(problem)
            return (413 if problem.startswith("too large") else 400), {}
        with self.lock:
            queue = self.scripts.get(token)
            status, retry_after = queue.popleft() if queue else (201, None)
            self.received.append(Received(token, status, headers, _json(plaintext), len(body)))
        extra = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        if status == 201:
            extra["Location"] = f"{self.origin}/message/{b64url(os.urandom(9))}"
        return status, extra

    def _check(self, headers, body):
        """What a real push service would refuse in this request, or None."""
        if len(body) > MAX_BODY:
            return f"too large: {len(body)} bytes"
        ttl = headers.get("ttl")
        if ttl is None or not ttl.isdigit():
            return "TTL header missing or not a number"
        if headers.get("content-encoding") != "aes128gcm":
            return "Content-Encoding is not aes128gcm"
        if headers.get("urgency", "normal") not in URGENCIES:
            return f"bad Urgency {headers.get('urgency')!r}"
        if "topic" in headers and not TOPIC.match(headers["topic"]):
            return f"bad Topic {headers['topic']!r}"
        return self._check_vapid(headers.get("authorization", ""))

    def _check_vapid(self, authorization):
        match = re.fullmatch(r"vapid t=([\w.-]+), k=([\w-]+)", authorization)
        if not match:
            return f"Authorization is not VAPID: {authorization[:40]!r}"
        token, key = match.groups()
        claims = self.tokens.get((token, key))
        if claims is None:
            try:
                public = ec.EllipticCurvePublicKey.from_encoded_point(
                    ec.SECP256R1(), b64url_decode(key)
                )
                claims = jwt.decode(
                    token,
                    public,
                    algorithms=["ES256"],
                    audience=self.origin,
                    options={"require": ["exp", "sub", "aud"]},
                )
            except Exception as e:
                return f"VAPID JWT refused: {e!r}"
            self.tokens[(token, key)] = claims
        if claims["exp"] < time.time():
            return "VAPID JWT expired"
        if claims["exp"] > time.time() + 24 * 3600:
            return "VAPID exp more than 24 hours ahead"
        if not str(claims["sub"]).startswith(("mailto:", "https:")):
            return f"VAPID sub {claims['sub']!r} is not mailto: or https:"
        return None


def _json(plaintext):
    try:
        return json.loads(plaintext)
    except ValueError:
        return None


class PushServiceProcess:
    """A PushService in a child process, so that it has its own interpreter lock (benchmarks):
    `with PushServiceProcess() as service:` gives `origin`, `subscription()` and `stats()`."""

    def __init__(self, latency=0.0):
        import multiprocessing

        self.latency = latency
        self.conn, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=_child, args=(latency, child), daemon=True)

    def __enter__(self):
        self.process.start()
        self.origin, self.keys = self.conn.recv()
        return self

    def __exit__(self, *exc):
        self.conn.send("stop")
        self.process.join(timeout=10)

    def subscription(self):
        """A new subscription's JSON (every one shares the service's test key pair)."""
        return {
            "endpoint": f"{self.origin}/push/{SHARED}{b64url(os.urandom(12))}",
            "keys": self.keys,
        }

    def stats(self):
        """{"delivered": n, "received": n, "problems": [...], "twice": n (payloads delivered twice)}."""
        self.conn.send("stats")
        return self.conn.recv()

    def reset(self):
        """Forget what was received so far."""
        self.conn.send("reset")
        self.conn.recv()


def _child(latency, conn):
    with PushService(latency=latency) as service:
        keys = service.subscribe(own_key=False).to_json()["keys"]
        conn.send((service.origin, keys))
        while (command := conn.recv()) != "stop":
            if command == "reset":
                with service.lock:
                    service.received.clear()
                conn.send(None)
                continue
            counts = service.delivered_count()
            conn.send(
                {
                    "delivered": sum(counts.values()),
                    "received": len(service.received),
                    "problems": service.problems[:5],
                    "twice": sum(1 for n in counts.values() if n > 1),
                }
            )
