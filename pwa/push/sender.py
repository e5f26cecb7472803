"""Sending Web Push messages: encrypted (RFC 8291) with `http_ece`'s public API, posted many at a
time over kept-alive connections by one event loop, each answer sorted into what the dispatcher
does next."""

import asyncio
import email.utils
import logging
import threading
from dataclasses import dataclass

import aiohttp
import http_ece
from cryptography.hazmat.primitives.asymmetric import ec

from .endpoints import origin_of
from .keys import b64url_decode

log = logging.getLogger(__name__)

URGENCIES = ("very-low", "low", "normal", "high")
#: When a 429 says nothing about when to come back.
DEFAULT_RETRY_AFTER = 60


@dataclass(frozen=True)
class Device:
    """One subscribed browser: where to post, and the keys to encrypt for it."""

    id: object
    endpoint: str
    p256dh: str
    auth: str


@dataclass(frozen=True)
class Push:
    """What to send to one device: the payload (at most 3,993 bytes), how long the push service
    may keep it (TTL, seconds), its Urgency and an optional Topic (a newer one replaces it)."""

    device: Device
    data: bytes
    ttl: int
    urgency: str = "normal"
    topic: str | None = None


@dataclass(frozen=True)
class Message:
    """One encrypted push message for one device, ready to post."""

    device: Device
    body: bytes
    headers: dict


@dataclass(frozen=True)
class Outcome:
    """What became of one message: delivered, gone (unsubscribed), too_large, rate_limited,
    retry (5xx, timeout, network) or rejected (another 4xx)."""

    result: str
    status: int | None = None
    retry_after: int | None = None
    detail: str = ""


def encrypt(data, device):
    """RFC 8291: aes128gcm in one record, keyed by a fresh P-256 pair per message (its public half
    travels as the keyid), the device's p256dh key and its auth secret."""
    return http_ece.encrypt(
        data,
        private_key=ec.generate_private_key(ec.SECP256R1()),
        dh=b64url_decode(device.p256dh),
        auth_secret=b64url_decode(device.auth),
        version="aes128gcm",
    )


class PushSender:
    """Builds and posts push messages; one per dispatcher. Messages are encrypted in the caller's
    thread and posted by an event loop in a thread of its own: many on the wire at once, over
    kept-alive connections, with no thread per message."""

    def __init__(self, tokens, concurrency=64, timeout=10.0):
        self.tokens = tokens
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="hallway-push", daemon=True
        )
        self.thread.start()
        self.http = self._call(self._open(concurrency, timeout))

    def build(self, device, data, ttl, urgency="normal", topic=None):
        """Encrypt data (at most 3,993 bytes) for device and add the RFC 8030/8292 headers."""
        if urgency not in URGENCIES:
            raise ValueError(f"urgency must be one of {URGENCIES}")
        # The VAPID header is signed once per push service (tokens), not per message. The tests
        # decrypt every message with the subscription's private key.
        body = encrypt(data, device)
        headers = {
            "TTL": str(int(ttl)),
            "Urgency": urgency,
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "Authorization": self.tokens.header(origin_of(device.endpoint)),
        }
        if topic:
            headers["Topic"] = topic
        return Message(device, body, headers)

    def send(self, pushes):
        """Encrypt every Push, start posting them, up to `concurrency` at a time, and return their
        outcomes in the same order: an iterator that waits for them when first read. Encrypting
        is done here, in the caller's thread: in the event loop's it would hold the interpreter
        lock for long stretches, and keep the caller (the dispatcher's database work) waiting."""
        messages = [self.build(p.device, p.data, p.ttl, p.urgency, p.topic) for p in pushes]
        sending = asyncio.run_coroutine_threadsafe(self._send_all(messages), self.loop)
        return _when_done(sending)

    def close(self):
        """Close the connections and stop the event loop."""
        if self.loop.is_closed():
            return
        self._call(self.http.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    async def _open(self, concurrency, timeout):
        # aiohttp verifies certificates and host names, keeps connections alive per push service
        # and notices when one is closed by the other end.
        connector = aiohttp.TCPConnector(limit=concurrency)
        # Per connection attempt and per wait for an answer: a message queued behind others for a
        # free connection is not timed out for the wait.
        timeouts = aiohttp.ClientTimeout(
            total=None, sock_connect=min(timeout, 5.0), sock_read=timeout
        )
        return aiohttp.ClientSession(
            connector=connector,
            timeout=timeouts,
            cookie_jar=aiohttp.DummyCookieJar(),  # nothing a push service sets is kept
            auto_decompress=False,
        )

    async def _send_all(self, messages):
        return await asyncio.gather(*(self._send_one(message) for message in messages))

    async def _send_one(self, message):
        try:
            async with self.http.post(
                message.device.endpoint,
                data=message.body,
                headers=message.headers,
                allow_redirects=False,  # a push service never redirects; following one is SSRF
            ) as response:
                await response.read()
                return classify(response.status, response.headers, message)
        except TimeoutError:
            return Outcome("retry", detail="the push service did not answer in time")
        except (aiohttp.ClientError, OSError) as e:
            return Outcome("retry", detail=f"could not reach the push service ({type(e).__name__})")


def _when_done(sending):
    yield from sending.result()


def classify(status, headers=None, message=None):
    """Sort a push service's answer (RFC 8030 and what the real services do)."""
    if status in (200, 201, 202):  # 201 by the RFC; Apple has been seen answering 200
        return Outcome("delivered", status)
    if status in (404, 410):
        return Outcome("gone", status, detail="the device unsubscribed")
    if status == 413:
        size = len(message.body) if message else "?"
        log.error("push service refused a %s-byte message as too large (a bug)", size)
        return Outcome("too_large", status, detail="the reminder was too large to send")
    if status == 429:
        headers = headers or {}
        wait = _retry_after(headers.get("Retry-After"), headers.get("Date"))
        return Outcome("rate_limited", status, wait, "the push service asked to slow down")
    if status >= 500:
        return Outcome("retry", status, detail=f"the push service failed (HTTP {status})")
    log.warning("push service refused a message with HTTP %s", status)
    return Outcome("rejected", status, detail=f"the push service refused it (HTTP {status})")


def _retry_after(value, date=None):
    """Seconds to wait from a Retry-After header: seconds, or an HTTP date (read against the
    answer's own Date header, so neither clock needs to agree with ours)."""
    value = (value or "").strip()
    if value.isdigit():
        return max(1, int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
        wait = (when - email.utils.parsedate_to_datetime(date)).total_seconds()
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER
    return max(1, int(wait))
