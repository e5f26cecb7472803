"""Attendee embeddings, made by the worker: after an import, each sweep of `hallway worker` (or
of the worker thread in `hallway serve`, or `hallway send-due`) turns the profiles that have no
vector yet, or one older than their last change, into vectors stored beside them. Without the
extra (hallway[match]) it does nothing, and suggestions stay lexical.

A vector is stored with the updated_at of the profile it was made from (embedded_at): a
profile changed while its vector was being made is left stale, and made again next time.
"""

from datetime import timedelta

from sqlalchemy import bindparam, case, func, or_, select, update

from ..db import db, utcnow, write_now
from ..events.models import Attendee
from . import semantic

#: Profiles claimed and embedded together.
BATCH = 512
#: How long a worker holds the profiles it claimed: one that dies loses nothing, as they are
#: claimed again once it ends.
LEASE = timedelta(minutes=5)
_table = Attendee.__table__
PROFILE = (_table.c.id, _table.c.title, _table.c.company, _table.c.bio, _table.c.links)
#: A profile whose vector is missing or older than the profile.
STALE = or_(Attendee.embedded_at.is_(None), Attendee.embedded_at < Attendee.updated_at)
#: A profile's vector, made from the profile as it was at b_at, and the claim on it let go.
_STORE = (
    update(_table)
    .where(_table.c.id == bindparam("b_id"))
    .values(
        embedding=bindparam("b_vector"),
        embedded_at=bindparam("b_at"),
        embedding_claimed_until=None,
    )
)


def embed_pending(clock=utcnow):
    """Embed every profile whose vector is missing or stale, a batch at a time, in one pass (one
    changed meanwhile waits for the next); return how many were embedded (0 without the extra,
    which is then never loaded).

    Each batch is claimed first, in one short statement, as the reminders are (followups/
    claims.py): workers side by side embed different people, never the same ones twice. No
    transaction is open while the model works, so the syncs of `hallway serve`, whose thread
    this may be, never wait on it; the vectors are written in a short transaction of their own."""
    if not semantic.available():
        return 0
    db.session.commit()  # what came before is ended: each claim is a transaction of its own
    done, after = 0, None
    while rows := _claim(clock(), after):
        if semantic.model() is None:
            _release(rows)
            return done
        vectors = semantic.encode(semantic.embedded_text(row._asdict()) for row in rows)
        values = [
            {"b_id": row.id, "b_vector": semantic.to_bytes(vector), "b_at": row.updated_at}
            for row, vector in zip(rows, vectors, strict=True)
        ]
        with write_now():  # a profile deleted since it was claimed is simply not there
            db.session.connection().execute(_STORE, values)
        done, after = done + len(rows), rows[-1].id
    return done


def _claim(now, after):
    """Claim, until now + LEASE, the next batch of stale profiles after the id `after` that no
    other worker holds (SKIP LOCKED on PostgreSQL; SQLite's one writer elsewhere); return them."""
    free = or_(_table.c.embedding_claimed_until.is_(None), _table.c.embedding_claimed_until < now)
    batch = _after(select(_table.c.id).where(STALE, free), after)
    batch = batch.order_by(_table.c.id).limit(BATCH).with_for_update(skip_locked=True)
    statement = (
        update(_table)
        .where(_table.c.id.in_(batch.scalar_subquery()))
        .values(embedding_claimed_until=now + LEASE)
        .returning(*PROFILE, _table.c.updated_at)
    )
    with write_now():
        rows = db.session.connection().execute(statement).all()
    return sorted(rows, key=lambda row: row.id)


def _release(rows):
    """Let go of claimed profiles (for the next sweep, or another worker)."""
    ids = [row.id for row in rows]
    with write_now():
        db.session.execute(
            update(_table).where(_table.c.id.in_(ids)).values(embedding_claimed_until=None)
        )


def _after(query, attendee_id):
    return query if attendee_id is None else query.where(_table.c.id > attendee_id)


def current_count():
    """The SQL count of an event's profiles whose vector is up to date (with func.count of its
    attendees: all of them, and the directory ranks by meaning)."""
    return func.coalesce(func.sum(case((STALE, 0), else_=1)), 0)
