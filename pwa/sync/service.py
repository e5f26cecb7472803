"""Sync: apply a device's changes in order, idempotently, merging field by field; pull the rest."""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from pydantic import ValidationError
from sqlalchemy import bindparam, delete, literal, select, union_all
from sqlalchemy.exc import IntegrityError

from .. import records
from ..db import db
from ..errors import ApiError, invalid_field
from .models import SyncBatch
from .schemas import Change

PULL_PAGE = 500
NOT_SAVED = "The database refused this change (its id may be taken); nothing of it was saved."
KEEP_BATCHES = timedelta(days=7)


@dataclass
class Checked:
    """One change of a batch, checked before the batch writes anything (check): its shape and
    its fields' values are valid (change, and values for an upsert), or it is rejected."""

    change: Change | None = None
    values: dict | None = None
    rejected: dict | None = None


def check(raw):
    """Check one change as sent, by itself: what needs no database (and no write lock)."""
    try:
        change = Change.model_validate(raw)
    except ValidationError as e:
        return Checked(rejected=_rejected(raw.get("id") if isinstance(raw, dict) else None, e))
    if change.op == "delete":
        return Checked(change)
    try:
        return Checked(change, records.REGISTRY[change.kind].parse(change.fields, "fields."))
    except ApiError as e:
        return Checked(rejected=_rejected(str(change.id), e))


def apply_batch(user, batch_id, changes, now, known=None):
    """Apply changes (each checked first, see check) in order; each one applies or is rejected
    alone. Replayed batches re-answer.
    The user's row is locked first: a batch delivered twice at once (a retry racing the first
    try, through two processes) waits for the first delivery, then answers from its outcome.

    Each change is checked against the database too before it touches anything, so a bad one is
    rejected alone and the rest are written together at the end, in one flush (a few multi-row
    statements, not a savepoint and a statement per change). Only if that flush fails (a
    database constraint no check foresaw) is the batch applied again one change at a time, each
    in its own savepoint.

    known (a dict) is filled with {(kind, id): change number} of the records whose state the
    device now holds exactly as the server does (what it sent, on what it had seen): the pull
    after the batch leaves them out, as the results already carry their versions."""
    with records.counting_changes(user):
        if batch_id is not None:
            stored = db.session.get(SyncBatch, (user.id, batch_id))
            if stored is not None:
                return stored.results
        try:
            batch = _prefetch(user, changes)
            with db.session.begin_nested():
                with records.watching(batch.saw):
                    results = [_apply_checked(user, checked, now, batch) for checked in changes]
                records.flush_together()
        except IntegrityError:
            records.forget_expected()
            batch = _prefetch(user, changes)  # what the failed try left is gone
            with records.watching(batch.saw):
                results = [_apply_alone(user, checked, now, batch) for checked in changes]
        finally:
            records.forget_expected()
        if known is not None:
            known.update((key, record.change_seq) for key, record in batch.device_has.items())
    if batch_id is not None:
        db.session.add(SyncBatch(user_id=user.id, batch_id=batch_id, results=results))
    return results


def forget_old_batches(now):
    """Forget the answers kept for batches older than KEEP_BATCHES (the worker's sweep does it:
    were every sync to, syncs side by side would wait on each other's deletes of the same rows).
    Return how many went."""
    batches = SyncBatch.__table__
    return db.session.execute(
        delete(batches).where(batches.c.created_at < now - KEEP_BATCHES)
    ).rowcount


def _prefetch(user, changes):
    """A Batch that knows the batch's existing records, loaded in one query per kind (and what
    follows them, see records.prefetch), and the (kind, id) pairs that do not exist yet, so
    nobody asks the database again."""
    wanted = {}
    for checked in changes:
        if checked.change is not None:
            wanted.setdefault(checked.change.kind, set()).add(checked.change.id)
    batch = Batch()
    for name, ids in wanted.items():
        found = records.prefetch(records.REGISTRY[name], user, ids)
        batch.known.update(((name, record_id), record) for record_id, record in found.items())
        batch.not_in_database.update((name, record_id) for record_id in ids - found.keys())
    return batch


@dataclass
class Earlier:
    """What earlier changes of the same batch did to one record (the same device made them)."""

    #: The record's version before this batch first touched it.
    start: int
    #: The fields this batch wrote: later changes in it build on them, never conflict with them.
    fields: set = field(default_factory=set)


@dataclass
class Batch:
    """What applying one batch knows as it goes."""

    #: (kind, id) of records not in the database (when the batch began, less those it made).
    not_in_database: set = field(default_factory=set)
    #: (kind, id) -> Earlier: what this batch already did to each record.
    earlier: dict = field(default_factory=dict)
    #: (kind, id) -> record: what this batch loaded at the start or has created since (not
    #: flushed yet, so no query would find it).
    known: dict = field(default_factory=dict)
    #: (kind, id) -> record: those the device holds just as the server now does.
    device_has: dict = field(default_factory=dict)
    #: (kind, id) of the record the device's current change writes.
    current: tuple | None = None
    #: (kind, id) of records the server itself wrote as it applied the batch (what follows a
    #: contact's change: its follow-ups, see records.follow): the device learns them by pull.
    server_wrote: set = field(default_factory=set)

    def saw(self, record_type, record, fields, created):
        """Keep track of a record written during the batch (records.watching): later changes
        find it, and build on what it wrote rather than conflict with it."""
        key = (record_type.name, record.id)
        self.known[key] = record
        self.not_in_database.discard(key)
        start = 0 if created else record.version - 1
        self.earlier.setdefault(key, Earlier(start)).fields.update(fields)
        if key == self.current:
            self.current = None  # the device's own write; what follows it is the server's
        else:
            self.server_wrote.add(key)
            self.device_has.pop(key, None)

    def holds(self, key, record):
        """Note that the device holds record as the server does (unless the server wrote it)."""
        if key not in self.server_wrote:
            self.device_has[key] = record


def _apply_checked(user, checked, now, batch):
    """Apply one change, written at the batch's flush; a bad change becomes a "rejected" result.
    Safe without a savepoint: every check runs before the change touches a record."""
    return _apply_one(
        checked, lambda: apply_change(user, checked.change, now, batch, checked.values, False)
    )


def _apply_alone(user, checked, now, batch):
    """Apply one change inside a savepoint, flushed at once (the fallback path)."""

    def in_savepoint():
        try:
            with db.session.begin_nested():
                return apply_change(user, checked.change, now, batch, checked.values)
        except IntegrityError:
            raise ApiError(409, "not_saved", NOT_SAVED) from None

    return _apply_one(checked, in_savepoint)


def _apply_one(checked, apply):
    if checked.rejected is not None:
        return checked.rejected
    try:
        return apply()
    except ApiError as e:
        if e.field in records.REGISTRY[checked.change.kind].fields.model_fields:
            e.field = f"fields.{e.field}"  # records names it as a REST body does; here it is nested
        return _rejected(str(checked.change.id), e)


def _rejected(record_id, error):
    if isinstance(error, ValidationError):
        error = invalid_field(error)
    body = {"error": error.error, "message": error.message}
    if error.field:
        body["field"] = error.field
    return {"id": record_id, "status": "rejected", "version": None, "error": body}


def apply_change(user, change, now, batch=None, values=None, flush=True):
    """Apply one upsert (of values, its checked fields) or delete and say what happened to it
    (batch: this batch so far; flush: write a new record at once rather than with the rest)."""
    record_type = records.REGISTRY[change.kind]
    batch = batch or Batch()
    key = (record_type.name, change.id)
    if key in batch.known:
        record = batch.known[key]
    elif key in batch.not_in_database:
        record = None
    else:
        record = db.session.get(record_type.model, change.id)
    if record is not None and record.user_id != user.id:
        raise ApiError(409, "id_taken", f"Another {record_type.name} already has this id.", "id")
    start = record.version if record is not None else 0
    batch.earlier.setdefault((record_type.name, change.id), Earlier(start))
    batch.current = key
    try:
        return _apply_upsert_or_delete(record_type, user, record, change, values, now, batch, flush)
    finally:
        batch.current = None


def _apply_upsert_or_delete(record_type, user, record, change, values, now, batch, flush):
    key = (record_type.name, change.id)
    earlier = batch.earlier[key]
    if change.op == "delete":
        result = _delete(record_type, user, record, change, now, earlier)
        if result["status"] == "applied":
            batch.holds(key, record)  # the device deleted it already
        return result
    if record is None:
        record = records.insert(record_type, user, values, now, change.id, flush=flush)
        batch.not_in_database.discard(key)
        batch.known[key] = record
        earlier.fields.update(values)
        names = record_type.fields.model_fields
        if all(getattr(record, name) == values.get(name) for name in names):
            batch.holds(key, record)  # nothing filled in by the server: not sent back
        return _result(record, "applied")
    if record.deleted_at is not None and record_type.revived_by_upsert:
        records.revive(record_type, user, record, values, now)
        batch.holds(key, record)
        return _result(record, "applied")
    if record.deleted_at is not None:
        return _result(record, "conflict", deleted=True)
    differing = {name: v for name, v in values.items() if getattr(record, name) != v}
    if not differing:
        return _result(record, "duplicate")
    base = change.base_version or 0
    # A field the device may write: no other device changed it since the version it saw (or
    # this batch itself did).
    unchanged_elsewhere = {
        name: value
        for name, value in differing.items()
        if base >= record.version
        or record.field_versions.get(name, 0) <= base
        or name in earlier.fields
    }
    changed_elsewhere = {
        name: differing[name] for name in differing if name not in unchanged_elsewhere
    }
    if unchanged_elsewhere:
        records.change(record_type, user, record, unchanged_elsewhere, now)
        earlier.fields.update(unchanged_elsewhere)
    if not changed_elsewhere:
        if base >= earlier.start or key in batch.device_has:
            batch.holds(key, record)  # it had everything before, and now what it wrote
        else:
            batch.device_has.pop(key, None)
        return _result(record, "applied")
    batch.device_has.pop(key, None)
    mine = {name: records.json_value(value) for name, value in changed_elsewhere.items()}
    conflicts = sorted(changed_elsewhere)
    return _result(record, "conflict", conflicts=conflicts, mine=mine, record_type=record_type)


def _delete(record_type, user, record, change, now, earlier):
    if record is None or record.deleted_at is not None:
        return {"id": str(change.id), "status": "duplicate", "version": record and record.version}
    # Versions after earlier.start came from this batch; only those up to it can be foreign.
    if change.base_version is not None and change.base_version < earlier.start:
        return _result(
            record, "conflict", record_type=record_type
        )  # edited elsewhere since: keep it
    records.remove(record_type, user, record, now)
    return _result(record, "applied")


def _result(record, status, deleted=False, conflicts=None, mine=None, record_type=None):
    result = {"id": str(record.id), "status": status, "version": record.version}
    if status == "conflict":
        result["deleted"] = deleted or record.deleted_at is not None
        if record_type is not None:
            result["server"] = records.serialize(record_type, record)
        if conflicts:
            result["conflicts"] = conflicts
            result["mine"] = mine
    return result


def pull(user, after, known=None):
    """Return the user's changes after cursor `after`, oldest first, at most PULL_PAGE, less
    those the device is known to hold already (known: {(kind, id): change number}).

    The page is found from the change numbers alone, in one statement (an index of each kind's
    table holds them); only the records the device lacks are then read whole, as plain rows."""
    known = known or {}
    types = list(records.REGISTRY.values())
    heads = db.session.execute(_heads(), {"user_id": user.id, "after": after}).all()
    page = heads[:PULL_PAGE]
    lacking = {}  # kind -> ids
    for seq, kind, record_id in page:
        if known.get((types[kind].name, record_id)) != seq:
            lacking.setdefault(kind, []).append(record_id)
    rows = {}  # (kind, id) -> row
    for kind, ids in lacking.items():
        table = types[kind].model.__table__
        for row in db.session.execute(select(table).where(table.c.id.in_(ids))):
            rows[(kind, row.id)] = row
    changes = [
        _pulled(types[kind], rows[(kind, record_id)])
        for _seq, kind, record_id in page
        if (kind, record_id) in rows
    ]
    return changes, page[-1][0] if page else after, len(heads) > PULL_PAGE


@cache
def _heads():
    """The first PULL_PAGE + 1 (change number, kind, id) after :after of :user_id's records of
    every kind: each kind's table read in its (user, change number) index as far as the page
    can reach, then merged. The kind is its place in records.REGISTRY (all are registered once
    pwa.kinds is imported, before the first request). Built once: a pull is made on every sync."""
    parts = []
    for kind, record_type in enumerate(records.REGISTRY.values()):
        table = record_type.model.__table__
        head = (
            select(table.c.change_seq, literal(kind).label("kind"), table.c.id)
            .where(table.c.user_id == bindparam("user_id"), table.c.change_seq > bindparam("after"))
            .order_by(table.c.change_seq)
            .limit(PULL_PAGE + 1)
            .subquery()
        )
        parts.append(select(head.c.change_seq, head.c.kind, head.c.id))
    merged = union_all(*parts).subquery()
    return select(merged).order_by(merged.c.change_seq).limit(PULL_PAGE + 1)


def _pulled(record_type, record):
    fields = {} if record.deleted_at else records.serialize(record_type, record)
    for meta in ("id", "version"):
        fields.pop(meta, None)
    return {
        "kind": record_type.name,
        "id": str(record.id),
        "version": record.version,
        "deleted": record.deleted_at is not None,
        "fields": fields,
    }
