"""Counting events per key in a sliding window, in the database so every process sees them.

A count and the event it lets through are one step for every process: on PostgreSQL the check
takes a transaction lock on the key (held until commit), and on SQLite every writing request
holds the database's write lock from its first statement (BEGIN IMMEDIATE). So requests spread
over many processes never slip past a limit between reading the count and adding to it."""

import math
from datetime import datetime, timedelta

from sqlalchemy import String, delete, func, select, text
from sqlalchemy.orm import Mapped, mapped_column

from .db import UTCDateTime, db
from .errors import ApiError


class RateEvent(db.Model):
    __tablename__ = "rate_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What is limited and for whom, e.g. "share-back:address:203.0.113.9".
    key: Mapped[str] = mapped_column(String(300), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


def limit(key, allowed, window: timedelta, now, what="requests"):
    """Count one event for key, or raise 429 when key already had `allowed` within window."""
    check(key, allowed, window, now, what)
    record(key, now)


#: No limit counts further back than this; older events of any key are dropped (README: what is
#: kept, and for how long).
LONGEST_WINDOW = timedelta(days=1)


def check(key, allowed, window: timedelta, now, what="requests"):
    """Raise 429 when key already had `allowed` events within window; count nothing, write
    nothing (a check can run as a read, before a slow step, and again under the lock)."""
    if window > LONGEST_WINDOW:
        raise ValueError("a limit's window is at most LONGEST_WINDOW")
    one_at_a_time(key)
    since = now - window
    count, oldest = db.session.execute(
        select(func.count(), func.min(RateEvent.at)).where(
            RateEvent.key == key, RateEvent.at >= since
        )
    ).one()
    refuse_if_over(count, oldest, allowed, window, now, what)


def one_at_a_time(key):
    """Make the rest of this transaction the only one counting for key (PostgreSQL; SQLite's
    writers already take turns). Callers lock several keys in one order, so two never wait on
    each other."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
        )


def record(key, now):
    """Count one event for key (commit to keep it); events older than any window go."""
    db.session.execute(delete(RateEvent).where(RateEvent.at < now - LONGEST_WINDOW))
    db.session.add(RateEvent(key=key, at=now))


def refuse_if_over(count, oldest, allowed, window, now, what):
    """Raise 429 with Retry-After (when the oldest counted event leaves the window) if count has
    reached allowed."""
    if count >= allowed:
        wait = max(1, math.ceil((oldest + window - now).total_seconds()))
        raise ApiError(
            429,
            "rate_limited",
            f"Too many {what}. Try again in {math.ceil(wait / 60)} minutes.",
            headers={"Retry-After": str(wait)},
        )
