"""Create, change and delete a user's synced records: one way for the REST routes and for sync.

Each feature declares its types of record in its own kinds.py (models <- kinds <- services <-
routes, see pwa/__init__.py) and registers them here. This module knows none of them: it reads
what they declare, such as what hangs on what, so a parent never imports its children.
"""

import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.orm.attributes import flag_modified, set_committed_value

from .auth.models import User
from .db import db
from .errors import ApiError, invalid_field
from .fields import Schema


@dataclass(eq=False)
class RecordType:
    """What the record services need to know about one type of synced record."""

    #: The name sync and the app's local store use (REGISTRY lists them all).
    name: str
    model: Any
    #: The pydantic schema of the writable fields, all optional (PATCH semantics).
    fields: Any
    #: Fields that must hold a value on every saved record.
    required: tuple = ()
    #: field -> function(user, value) that raises ApiError when the reference is not the user's.
    references: dict = field(default_factory=dict)
    #: Called with (record, user) after a create, for fields the server fills (join codes).
    on_create: Any = None
    #: Called with (values, record) before a write (record is None on create), for rules that
    #: span fields, so they hold whether a change sends one of the fields or both.
    validate: Any = None
    #: (parent type, the field holding the parent's id): removing a parent removes these too.
    hangs_on: tuple = ()
    #: Columns the API shows but only the server writes (e.g. when a photo was uploaded).
    read_only: tuple = ()
    #: Called with (record, user, now) when a record is removed, for what hangs on it and is
    #: not a record (a contact's photo files); see hang_on.
    on_remove: list = field(default_factory=list)
    #: Called with a Written after a create or a change writes fields, for what the server keeps
    #: in step with them (a contact's follow-ups); see follow.
    on_write: list = field(default_factory=list)
    #: Called with (user, ids) before a batch writes these records, to load at once what on_write
    #: will look up for them (see follow and prefetch).
    on_prefetch: list = field(default_factory=list)
    #: An upsert of a deleted record of this type brings it back with the fields sent (a
    #: dismissal made again, under the id its user, event and person give it), where for the
    #: others it is a conflict.
    revived_by_upsert: bool = False

    def parse(self, data, prefix=""):
        """Validate writable fields; return only those the client sent."""
        try:
            return self.fields.model_validate(data).model_dump(exclude_unset=True)
        except ValidationError as e:
            raise invalid_field(e, prefix) from None


#: name -> RecordType, in the order the features registered them (pwa.kinds imports them all).
REGISTRY: dict[str, RecordType] = {}


def register(record_type):
    """Make a type of record known to sync and to the record routes."""
    REGISTRY[record_type.name] = record_type
    # After the model's own before_update listeners (declared with it, so registered first).
    event.listen(record_type.model, "before_update", _write_together)
    return record_type


def children(parent):
    """[(record type, field)] of the types that declare they hang on parent, by that field."""
    return [
        (record_type, record_type.hangs_on[1])
        for record_type in REGISTRY.values()
        if record_type.hangs_on and record_type.hangs_on[0] is parent
    ]


def hang_on(parent, remove):
    """Declare something that is not a record but hangs on parent's records (a contact's photo):
    remove(record, user, now) runs whenever one of them is removed."""
    parent.on_remove.append(remove)


def follow(record_type, react, expect=None):
    """Declare what the server does whenever records of record_type are written, whoever writes
    them (the routes, sync, an import, a scan): react(written) runs after each create or change,
    in the same transaction, and may itself write records (with insert and change).
    expect(user, ids), if given, learns what react will look up for those records (with
    expect_records or expect_missing), so a batch asks the database once, not once a record."""
    record_type.on_write.append(react)
    if expect is not None:
        record_type.on_prefetch.append(expect)


@dataclass
class Written:
    """One create or change, as those who follow a type of record (follow) see it."""

    record_type: RecordType
    record: Any
    user: Any
    now: datetime
    #: The fields written, with their new values.
    fields: dict
    #: Their values before (empty for a create).
    before: dict
    created: bool


@contextmanager
def watching(observe):
    """Call observe(record_type, record, fields, created) for every record written in this
    session until the block ends, those written by what follows them included (sync keeps
    its batch's bookkeeping by it)."""
    db.session.info["record_observer"] = observe
    try:
        yield
    finally:
        db.session.info.pop("record_observer", None)


def pending_or_stored(model, record_id):
    """The record with this id: one added to the session and not yet written (a bulk write
    flushes at its end), else the stored one, read without flushing the others first; asks the
    database nothing when expect_records already looked for it."""
    for record in db.session.new:
        if isinstance(record, model) and record.id == record_id:
            return record
    if record_id in db.session.info.get("absent", {}).get(model, ()):
        # absent when the batch began; made since, and already written, it is in the session
        return db.session.identity_map.get(db.session.identity_key(model, record_id))
    with db.session.no_autoflush:
        return db.session.get(model, record_id)


def expect_records(model, ids):
    """Load the records of model with these ids in one query and remember which do not exist,
    so that looking one of them up later in this batch (pending_or_stored, or the session's
    get) asks the database nothing. Return {id: record} of those found. Valid until
    forget_expected (the batch's end): a record another transaction makes later is not seen."""
    ids = set(ids)
    with db.session.no_autoflush:
        found = {
            record.id: record
            for record in db.session.scalars(select(model).where(model.id.in_(ids)))
        }
    _missing(model).update(ids - found.keys())
    return found


def expect_missing(model, ids):
    """Like expect_records, for records that will rarely be looked up: only which of them do not
    exist is learnt (one query of their ids), so looking those up asks nothing."""
    ids = set(ids)
    with db.session.no_autoflush:
        found = set(db.session.scalars(select(model.id).where(model.id.in_(ids))))
    _missing(model).update(ids - found)


def _missing(model):
    return db.session.info.setdefault("absent", {}).setdefault(model, set())


def forget_expected():
    """End what expect_records remembered (the batch is over, or is being tried again)."""
    db.session.info.pop("absent", None)


def prefetch(record_type, user, ids):
    """Load a batch's records of record_type at once, and what those who follow the type (see
    follow) will look up for them: return {id: record} of those that exist."""
    found = expect_records(record_type.model, ids)
    if found:
        for expect in record_type.on_prefetch:
            expect(user, list(found))  # a record being made has nothing to look up yet
    return found


def flush_together():
    """Write what the session holds with as few statements as the database allows: records of
    one type that changed different fields all write the union of them, so their UPDATEs go out
    as one executemany rather than one statement for each set of changed fields."""
    together = {}
    for record in db.session.dirty:
        state = inspect(record)
        together.setdefault(state.mapper, set()).update(state.committed_state)
    db.session.info["write_together"] = together
    try:
        db.session.flush()
    finally:
        db.session.info.pop("write_together", None)


def _write_together(mapper, _connection, record):
    """Before a record's UPDATE in flush_together's flush, add the fields the others of its type
    write. Only here, after the model's own before_update listeners: to them a field added is
    one changed (a follow-up would plan its reminder again, and send it twice)."""
    state = inspect(record)
    for name in state.session.info.get("write_together", {}).get(mapper, set()):
        if name not in state.committed_state and name in state.dict:
            flag_modified(record, name)


class Saved(Schema):
    """What serialize adds to every record's fields: put it first among the bases of a type's
    output schema, `class ContactOut(Saved, ContactFields)`, so the fields come first."""

    id: str
    version: int
    created_at: str
    updated_at: str


def serialize(record_type, record):
    """Return a record as the API (and sync) shows it."""
    data = {"id": str(record.id), "version": record.version}
    for name in (*record_type.fields.model_fields, *record_type.read_only):
        data[name] = json_value(getattr(record, name))
    data["created_at"] = record.created_at.isoformat()
    data["updated_at"] = record.updated_at.isoformat()
    return data


def json_value(value):
    """Return a column value as JSON shows it."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def find(record_type, user, record_id):
    """Return the user's live record with this id, or raise 404."""
    record = db.session.get(record_type.model, record_id)
    if record is None or record.user_id != user.id or record.deleted_at is not None:
        raise ApiError(404, "not_found", f"No {record_type.name} with this id.")
    return record


def create(record_type, user, values, now, record_id=None):
    """Create a record; a replay with the same id and content returns the existing one."""
    if record_id is not None:
        existing = db.session.get(record_type.model, record_id)
        if existing is not None:
            return _replayed(record_type, user, existing, values), False
    return insert(record_type, user, values, now, record_id), True


def insert(
    record_type,
    user,
    values,
    now,
    record_id=None,
    flush=True,
    created_at=None,
    follow=True,
    planned=False,
):
    """Create a record whose id is known to be free (flush=False: written with the session's
    next flush, together with others; created_at: when it was first made, if not now: a record
    brought in from elsewhere; follow=False: what follows it (see follow) does not run, for a
    restore that brings its follow-ups with it; planned: the server made the values itself, so
    they are not checked, and checking would make the session write what it holds so far)."""
    if not planned:
        _check(record_type, user, values, creating=True)
    record = record_type.model(
        id=record_id or uuid.uuid4(), user_id=user.id, created_at=created_at or now
    )
    _assign(record, values)
    if record_type.on_create:
        record_type.on_create(record, user)
    _touch(record, user, now, first=True, fields=values)
    db.session.add(record)
    _written(Written(record_type, record, user, now, values, {}, True), follow)
    if flush:
        db.session.flush()
    return record


def change(record_type, user, record, values, now, base_version=None, follow=True, planned=False):
    """Apply changed fields; refuse with 409 when base_version is not the current version
    (planned: as insert's)."""
    if base_version is not None and base_version != record.version:
        message = f"This {record_type.name} changed elsewhere (now version {record.version})"
        raise ApiError(409, "version_conflict", f"{message}; reload it.", "version")
    if not planned:
        _check(record_type, user, values, creating=False, record=record)
    changed = {name: value for name, value in values.items() if getattr(record, name) != value}
    if changed:
        before = {name: getattr(record, name) for name in changed}
        _assign(record, changed)
        _touch(record, user, now, fields=changed)
        _written(Written(record_type, record, user, now, changed, before, False), follow)
    return record


def _observe(record_type, record, fields, created):
    observe = db.session.info.get("record_observer")
    if observe is not None:
        observe(record_type, record, fields, created)


def _written(written, follow):
    _observe(written.record_type, written.record, written.fields, written.created)
    if follow:
        for react in written.record_type.on_write:
            react(written)


def remove(record_type, user, record, now):
    """Delete a record: keep a tombstone with no content so other devices learn of it. What
    hangs on it goes too (records of the types that declare so, then what hang_on added)."""
    for name in record_type.fields.model_fields:
        column = record_type.model.__table__.columns[name]
        if column.nullable:
            setattr(record, name, None)
    record.deleted_at = now
    _touch(record, user, now)
    _observe(record_type, record, {}, False)
    for child, parent_field in children(record_type):
        for hanging in db.session.scalars(live_children(child, parent_field, record)):
            remove(child, user, hanging, now)
    for remove_hanging in record_type.on_remove:
        remove_hanging(record, user, now)


def live_children(child, parent_field, parent):
    """The query of parent's live records of type child (which hangs on it by parent_field)."""
    model = child.model
    return select(model).where(
        getattr(model, parent_field) == parent.id, model.deleted_at.is_(None)
    )


def fill(record_type, user, record, values, now):
    """Write columns only the server writes (read_only ones, such as a contact's last touch) as
    a change the user's other devices learn of, followed like any other (see follow)."""
    changed = {name: value for name, value in values.items() if getattr(record, name) != value}
    if changed:
        before = {name: getattr(record, name) for name in changed}
        _assign(record, changed)
        _touch(record, user, now, fields=changed)
        _written(Written(record_type, record, user, now, changed, before, False), True)


def revive(record_type, user, record, values, now):
    """Bring a deleted record back with values (its content went when it was removed)."""
    version = record.version
    record.deleted_at = None
    change(record_type, user, record, values, now)
    if record.version == version:  # nothing in values differed: the revival is the change
        _touch(record, user, now)


def touch(record, user, now):
    """Record that the server changed this record (new version, new place in the sync order)."""
    _touch(record, user, now)


def _touch(record, user, now, first=False, fields=()):
    record.version = 1 if first else record.version + 1
    record.updated_at = now
    record.change_seq = next_change(user)
    if fields:
        versions = dict(record.field_versions or {})
        versions.update(dict.fromkeys(fields, record.version))
        record.field_versions = versions


@contextmanager
def counting_changes(user):
    """Hand out the user's change numbers from memory during a bulk write: one row lock at the
    start (held to commit, so order is kept), one write of the last number at the end."""
    users = User.__table__  # plain statements: the ORM would also look for the user's object
    lock = (
        update(users)
        .where(users.c.id == user.id)
        .values(change_seq=users.c.change_seq)
        .returning(users.c.change_seq)
    )
    counter = {"user": user.id, "value": db.session.execute(lock).scalar_one()}
    db.session.info["change_counter"] = counter
    try:
        yield
    finally:
        db.session.info.pop("change_counter", None)
    db.session.execute(
        update(users).where(users.c.id == user.id).values(change_seq=counter["value"])
    )
    set_committed_value(user, "change_seq", counter["value"])  # what the row now says


def next_change(user):
    """Take the user's next change number (locks the user's row until commit, keeping order)."""
    counter = db.session.info.get("change_counter")
    if counter is not None and counter["user"] == user.id:
        counter["value"] += 1
        return counter["value"]
    bump = (
        update(User)
        .where(User.id == user.id)
        .values(change_seq=User.change_seq + 1)
        .returning(User.change_seq)
    )
    return db.session.execute(bump).scalar_one()


def take_changes(counts):
    """Take change numbers for several users at once, for the server's own bulk writes (the
    reminder dispatcher): counts is {user id: how many}; return {user id: the first number}.
    Locks the users' rows until commit, like next_change, one after another in id order, so
    two callers never wait on each other in a circle."""
    if not counts:
        return {}
    users = User.__table__
    order = sorted(counts, key=str)
    bump = (
        update(users)
        .where(users.c.id == bindparam("b_id"))
        .values(change_seq=users.c.change_seq + bindparam("b_count"))
    )
    connection = db.session.connection()
    connection.execute(bump, [{"b_id": user_id, "b_count": counts[user_id]} for user_id in order])
    last = connection.execute(select(users.c.id, users.c.change_seq).where(users.c.id.in_(order)))
    return {user_id: seq - counts[user_id] + 1 for user_id, seq in last}


def _replayed(record_type, user, existing, values):
    same = (
        existing.user_id == user.id
        and existing.deleted_at is None
        and all(getattr(existing, name) == value for name, value in values.items())
    )
    if not same:
        raise ApiError(409, "id_taken", f"Another {record_type.name} already has this id.", "id")
    return existing


def _check(record_type, user, values, creating, record=None):
    for name in record_type.required:
        present = values.get(name, None if creating else getattr(record, name))
        if present is None or present == "":
            raise ApiError(422, "invalid_field", f"{name}: a value is required.", name)
    if record_type.validate:
        record_type.validate(values, record)
    for name, check in record_type.references.items():
        if values.get(name) is not None:
            check(user, values[name], values, record)


def _assign(record, values):
    for name, value in values.items():
        setattr(record, name, value)
