"""The database handle and the columns every synced record shares."""

import sqlite3
import threading
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from flask import current_app, has_request_context
from flask.globals import app_ctx, request_ctx
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, DateTime, ForeignKey, Index, MetaData, TypeDecorator, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: Set by code outside requests that writes (the dispatcher): its SQLite transactions then take
#: the write lock when they begin, so they queue behind other writers instead of failing.
writing = ContextVar("hallway_writing", default=False)
#: Set for a stretch of a writing request that only reads (who is asking, what to send back):
#: its SQLite transaction then begins deferred, beside other writers, not holding the write lock.
reading = ContextVar("hallway_reading", default=False)


@contextmanager
def read_only():
    """Run a stretch that only reads in a transaction of its own that never takes SQLite's write
    lock, ended (keeping what it loaded) before whatever comes next writes. Writing in it is a
    bug: on SQLite it may fail as busy (write in a `write_now()` inside it instead)."""
    with _own_transaction(reading, writing):
        yield


@contextmanager
def write_now():
    """Write something small at once, in its own transaction (committed at the end), from
    wherever the code is, a read_only() stretch included: what came before is ended first."""
    commit_keeping_loaded(db.session())
    with _own_transaction(writing, reading):
        yield


@contextmanager
def _own_transaction(mode, other):
    """A transaction of its own in `mode` (reading or writing), the other mode unset for it: a
    read_only() stretch of the worker, which otherwise writes, reads without the write lock."""
    token, other_token = mode.set(True), other.set(False)
    session = db.session()
    try:
        yield
    except BaseException:
        session.rollback()
        raise
    else:
        commit_keeping_loaded(session)
    finally:
        mode.reset(token)
        other.reset(other_token)


def commit_keeping_loaded(session=None):
    """Commit, keeping the objects loaded so far as they are (no reload on the next access):
    for a request that goes on reading after its write, where what it loaded is still true."""
    session = session or db.session()
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


#: SQLite has one writer at a time; the threads of this process take turns here (one_writer).
_one_writer = threading.RLock()


@contextmanager
def one_writer():
    """Around a write transaction a request makes under load (a sync batch), from its first
    write to its commit: on SQLite, the threads of this process queue here, and the next one
    starts the moment the last commits. Left to SQLite's busy handler, they would poll for its
    lock, sleeping up to 100 ms between tries, while the lock stood free. Waiting longer than
    the busy timeout is busy (503), as SQLite's own would be. Other processes on the same file
    still queue on SQLite's busy handler; PostgreSQL locks rows, so there it does nothing."""
    if db.engine.dialect.name != "sqlite":
        yield
        return
    if not _one_writer.acquire(timeout=current_app.config["DATABASE_BUSY_TIMEOUT"]):
        raise OperationalError("(waiting for this process's writer)", {}, _LOCKED)
    try:
        yield
    except BaseException:
        db.session.rollback()  # SQLite's lock goes with the turn, not later at the teardown
        raise
    finally:
        _one_writer.release()


_LOCKED = sqlite3.OperationalError("database is locked")


def utcnow():
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _session_scope():
    """One database session per request (and per app context outside requests), so that a test
    holding an app context open never shares its session, or pending changes, with a request."""
    if has_request_context():
        return id(request_ctx._get_current_object())
    return id(app_ctx._get_current_object())


db = SQLAlchemy(model_class=Base, session_options={"scopefunc": _session_scope})
migrate = Migrate()


def after_commit(action):
    """Run action once the current transaction has committed (files follow rows, never lead)."""
    db.session.info.setdefault("after_commit", []).append(action)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session):
    for action in session.info.pop("after_commit", []):
        action()


@event.listens_for(Session, "after_rollback")
def _forget_after_commit(session):
    session.info.pop("after_commit", None)


class Record:
    """A user's record that syncs: client-chosen UUID, a version bumped on each change, a tombstone."""

    #: Chosen by the client (or the server when absent), so offline creates need no round trip.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    #: Incremented by the server on every change; a client sends it back as base_version.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when deleted; the row stays (emptied) so other devices learn of the delete.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The owner's change counter at this record's last change: the sync cursor orders by it.
    change_seq: Mapped[int] = mapped_column(default=0)
    #: {field: version at which it last changed}: sync merges two devices' edits field by field.
    field_versions: Mapped[dict] = mapped_column(JSON, default=dict)

    @declared_attr
    def user_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(ForeignKey("users.id", ondelete="CASCADE"))

    @declared_attr.directive
    def __table_args__(cls):
        # Sync pulls "this user's changes after N"; lists read "this user's records".
        return (Index(f"ix_{cls.__tablename__}_user_change", "user_id", "change_seq"),)
