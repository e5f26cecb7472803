"""Attendee embeddings, made by the worker: after an import, each sweep of `hallway worker` (or
of the worker thread in `hallway serve`, or `hallway send-due`) turns the profiles that have no
vector yet, or one older than their last change, into vectors stored beside them. Without the
extra (hallway[match]) it does nothing, and suggestions stay lexical.

A vector is stored with the updated_at of the profile it was made from (embedded_at): a
profile changed while its vector was being made is left stale, and made again next time.
"""

from sqlalchemy import case, func, or_, select, update

from ..db import db
from ..events.models import Attendee
from . import semantic

#: Profiles embedded per transaction.
BATCH = 512
PROFILE = (Attendee.id, Attendee.title, Attendee.company, Attendee.bio, Attendee.links)
#: A profile whose vector is missing or older than the profile.
STALE = or_(Attendee.embedded_at.is_(None), Attendee.embedded_at < Attendee.updated_at)


def embed_pending():
    """Embed every profile whose vector is missing or stale, a batch per transaction, in one
    pass (one changed meanwhile waits for the next); return how many were embedded (0 without
    the extra, which is then never loaded)."""
    if not semantic.available():
        return 0
    done, after = 0, None
    pending = select(*PROFILE, Attendee.updated_at).where(STALE).order_by(Attendee.id)
    while rows := db.session.execute(_after(pending, after).limit(BATCH)).all():
        if semantic.model() is None:
            return done
        texts = [semantic.embedded_text(row._asdict()) for row in rows]
        vectors = semantic.encode(texts)
        values = [
            {"id": row.id, "embedding": semantic.to_bytes(vector), "embedded_at": row.updated_at}
            for row, vector in zip(rows, vectors, strict=True)
        ]
        db.session.execute(update(Attendee), values)
        db.session.commit()
        done, after = done + len(rows), rows[-1].id
    db.session.commit()
    return done


def _after(query, attendee_id):
    return query if attendee_id is None else query.where(Attendee.id > attendee_id)


def current_count():
    """The SQL count of an event's profiles whose vector is up to date (with func.count of its
    attendees: all of them, and the directory ranks by meaning)."""
    return func.coalesce(func.sum(case((STALE, 0), else_=1)), 0)
