"""Sync: apply a device's changes in order, idempotently, merging field by field; pull the rest."""

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from pydantic import ValidationError
from sqlalchemy import delete, select

from .. import records
from ..api import invalid_field
from ..crud import json_value, serialize
from ..db import db
from ..errors import ApiError
from .models import SyncBatch
from .schemas import Change

PULL_PAGE = 500
KEEP_BATCHES = timedelta(days=7)


def apply_batch(user, batch_id, changes, now):
    """Apply changes in order; each one applies or is rejected alone. Replayed batches re-answer."""
    if batch_id is not None:
        stored = db.session.get(SyncBatch, (user.id, batch_id))
        if stored is not None:
            return stored.results
    batch = Batch(absent=_prefetch(changes))
    with records.counting_changes(user):
        results = [_apply_alone(user, raw, now, batch) for raw in changes]
    if batch_id is not None:
        db.session.execute(delete(SyncBatch).where(SyncBatch.created_at < now - KEEP_BATCHES))
        db.session.add(SyncBatch(user_id=user.id, batch_id=batch_id, results=results))
    return results


def _prefetch(changes):
    """Load the batch's existing records in one query per kind (the session then holds them);
    return the (kind, id) pairs that do not exist yet, so nobody asks the database again."""
    wanted = {}
    for raw in changes:
        if isinstance(raw, dict) and raw.get("kind") in records.KINDS:
            try:
                wanted.setdefault(raw["kind"], set()).add(uuid.UUID(str(raw.get("id"))))
            except ValueError:
                continue
    absent = set()
    for name, ids in wanted.items():
        model = records.KINDS[name].model
        found = set(db.session.scalars(select(model.id).where(model.id.in_(ids))))
        db.session.scalars(select(model).where(model.id.in_(found))).all()
        absent.update((name, record_id) for record_id in ids - found)
    return absent


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

    #: (kind, id) of records not in the database when the batch began.
    absent: set = field(default_factory=set)
    #: (kind, id) -> Earlier: what this batch already did to each record.
    earlier: dict = field(default_factory=dict)


def _apply_alone(user, raw, now, batch):
    """Apply one change inside a savepoint; a bad change becomes a "rejected" result."""
    echo = raw.get("id") if isinstance(raw, dict) else None
    try:
        change = Change.model_validate(raw)
    except ValidationError as e:
        return _rejected(echo, invalid_field(e))
    try:
        with db.session.begin_nested():
            return apply_change(user, change, now, batch)
    except ApiError as e:
        if e.field in records.KINDS[change.kind].fields.model_fields:
            e.field = f"fields.{e.field}"  # records names it as a REST body does; here it is nested
        return _rejected(str(change.id), e)


def _rejected(record_id, error):
    body = {"error": error.error, "message": error.message}
    if error.field:
        body["field"] = error.field
    return {"id": record_id, "status": "rejected", "version": None, "error": body}


def apply_change(user, change, now, batch=None):
    """Apply one upsert or delete and say what happened to it (batch: this batch so far)."""
    kind = records.KINDS[change.kind]
    batch = batch or Batch()
    if (kind.name, change.id) in batch.absent:
        record = None
    else:
        record = db.session.get(kind.model, change.id)
    if record is not None and record.user_id != user.id:
        raise ApiError(409, "id_taken", f"Another {kind.name} already has this id.", "id")
    start = record.version if record is not None else 0
    ours = batch.earlier.setdefault((kind.name, change.id), Earlier(start))
    if change.op == "delete":
        return _delete(kind, user, record, change, now, ours)
    values = kind.parse(change.fields, prefix="fields.")
    if record is None:
        record = records.insert(kind, user, values, now, change.id)
        batch.absent.discard((kind.name, change.id))
        ours.fields.update(values)
        return _result(record, "applied")
    if record.deleted_at is not None:
        return _result(record, "conflict", deleted=True)
    differing = {name: v for name, v in values.items() if getattr(record, name) != v}
    if not differing:
        return _result(record, "duplicate")
    base = change.base_version or 0
    untouched_here = {
        name: value
        for name, value in differing.items()
        if base >= record.version
        or record.field_versions.get(name, 0) <= base
        or name in ours.fields
    }
    clashing = {name: differing[name] for name in differing if name not in untouched_here}
    if untouched_here:
        records.change(kind, user, record, untouched_here, now)
        ours.fields.update(untouched_here)
    if not clashing:
        return _result(record, "applied")
    mine = {name: json_value(value) for name, value in clashing.items()}
    return _result(record, "conflict", conflicts=sorted(clashing), mine=mine, kind=kind)


def _delete(kind, user, record, change, now, ours):
    if record is None or record.deleted_at is not None:
        return {"id": str(change.id), "status": "duplicate", "version": record and record.version}
    # Versions after ours.start came from this batch; only those up to it can be foreign.
    if change.base_version is not None and change.base_version < ours.start:
        return _result(record, "conflict", kind=kind)  # edited elsewhere since: keep it
    records.remove(kind, user, record, now)
    return _result(record, "applied")


def _result(record, status, deleted=False, conflicts=None, mine=None, kind=None):
    result = {"id": str(record.id), "status": status, "version": record.version}
    if status == "conflict":
        result["deleted"] = deleted or record.deleted_at is not None
        if kind is not None:
            result["server"] = serialize(kind, record)
        if conflicts:
            result["conflicts"] = conflicts
            result["mine"] = mine
    return result


def pull(user, after):
    """Return the user's changes after cursor `after`, oldest first, at most PULL_PAGE."""
    candidates = []
    for kind in records.KINDS.values():
        model = kind.model
        query = (
            select(model)
            .where(model.user_id == user.id, model.change_seq > after)
            .order_by(model.change_seq)
            .limit(PULL_PAGE + 1)
        )
        candidates.extend((row.change_seq, kind, row) for row in db.session.scalars(query))
    candidates.sort(key=lambda item: item[0])
    page = candidates[:PULL_PAGE]
    cursor = page[-1][0] if page else after
    return [_pulled(kind, row) for _, kind, row in page], cursor, len(candidates) > PULL_PAGE


def _pulled(kind, record):
    fields = {} if record.deleted_at else serialize(kind, record)
    for meta in ("id", "version"):
        fields.pop(meta, None)
    return {
        "kind": kind.name,
        "id": str(record.id),
        "version": record.version,
        "deleted": record.deleted_at is not None,
        "fields": fields,
    }
