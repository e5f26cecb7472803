"""Browser sessions kept on the server: the cookie holds a random id, the row says whose it is.
Signing out deletes the row, so every copy of that cookie stops working at once; the owner sees
their signed-in browsers (which browser, which network, last seen) and ends any of them."""

import hashlib
import ipaddress
import re
import secrets
import uuid
from datetime import timedelta

from sqlalchemy import delete, select

from ..db import db, utcnow, write_now
from .models import BrowserSession, User

#: How long a session lasts unused (the cookie's own lifetime is the same 30 days).
LIFETIME = timedelta(days=30)
#: last_seen_at is written at most this often: a read stays a read.
SEEN_EVERY = timedelta(minutes=10)
BROWSERS = (
    ("Edge", r"Edg/"),
    ("Samsung Internet", r"SamsungBrowser/"),
    ("Firefox", r"Firefox/|FxiOS/"),
    ("Chrome", r"Chrome/|CriOS/|Chromium/"),
    ("Safari", r"Safari/"),
)
SYSTEMS = (
    ("Android", r"Android"),
    ("iPhone", r"iPhone"),
    ("iPad", r"iPad"),
    ("Windows", r"Windows"),
    ("macOS", r"Mac OS X|Macintosh"),
    ("Linux", r"Linux"),
)


def _digest(sid):
    return hashlib.sha256(sid.encode()).hexdigest()


def start(user, user_agent, address):
    """Record a new signed-in browser for user; return the id its cookie carries."""
    sid = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.execute(  # the user's sessions that ended by themselves go
        delete(BrowserSession).where(
            BrowserSession.user_id == user.id, BrowserSession.last_seen_at < now - LIFETIME
        )
    )
    db.session.add(
        BrowserSession(
            id_hash=_digest(sid),
            handle=str(uuid.uuid4()),
            user_id=user.id,
            browser=browser_name(user_agent),
            network=network_of(address),
            created_at=now,
            last_seen_at=now,
        )
    )
    db.session.commit()
    return sid


def user_of(sid):
    """The user a live session belongs to, or None (ended, expired or never issued)."""
    found = db.session.execute(
        select(BrowserSession, User)
        .join(User, User.id == BrowserSession.user_id)
        .where(BrowserSession.id_hash == _digest(str(sid)))
    ).first()
    now = utcnow()
    if found is None or found.BrowserSession.last_seen_at < now - LIFETIME:
        return None
    if found.BrowserSession.last_seen_at < now - SEEN_EVERY:
        with write_now():
            found.BrowserSession.last_seen_at = now
    return found.User


def end(sid):
    """End one session by the id its cookie carries."""
    db.session.execute(delete(BrowserSession).where(BrowserSession.id_hash == _digest(str(sid))))
    db.session.commit()


def listed(user, current_sid):
    """The user's signed-in browsers, the one asking marked, most recently seen first."""
    rows = db.session.scalars(
        select(BrowserSession)
        .where(
            BrowserSession.user_id == user.id,
            BrowserSession.last_seen_at >= utcnow() - LIFETIME,
        )
        .order_by(BrowserSession.last_seen_at.desc())
    )
    mine = _digest(current_sid) if current_sid else None
    return [
        {
            "id": row.handle,
            "browser": row.browser,
            "network": row.network,
            "created_at": row.created_at.isoformat(),
            "last_seen_at": row.last_seen_at.isoformat(),
            "current": row.id_hash == mine,
        }
        for row in rows
    ]


def end_by_handle(user, handle):
    """End one of the user's sessions by its shown id; False when there is none."""
    gone = db.session.execute(
        delete(BrowserSession).where(
            BrowserSession.user_id == user.id, BrowserSession.handle == handle
        )
    )
    return gone.rowcount > 0


def end_all(user, keep_sid=None):
    """End every session of the user, but the one whose id is keep_sid."""
    query = delete(BrowserSession).where(BrowserSession.user_id == user.id)
    if keep_sid:
        query = query.where(BrowserSession.id_hash != _digest(keep_sid))
    db.session.execute(query)


def browser_name(user_agent):
    """ "Chrome on Android" from a User-Agent header; "A browser" when it says nothing known."""
    found = next((name for name, pattern in BROWSERS if re.search(pattern, user_agent)), None)
    system = next((name for name, pattern in SYSTEMS if re.search(pattern, user_agent)), None)
    if found and system:
        return f"{found} on {system}"
    return found or system or "A browser"


def network_of(address):
    """The network an address is in (a /24 for IPv4, a /48 for IPv6), never the address."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
