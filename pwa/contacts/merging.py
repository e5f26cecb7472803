"""Merging two cards of the same person into one, losing nothing (the merge route, and an import
that finds someone it already knows)."""

from .. import records
from ..db import after_commit, db
from .kinds import CONTACT
from .photos import photo_paths

#: Free text that is kept in full: both values joined.
JOINED = ("notes", "i_promised", "they_promised", "next_step")
#: One value only: the other one, when different, goes into the notes.
SINGLE = ("name", "company", "title", "email", "phone", "url", "source", "raw_payload")
LABELS = {"raw_payload": "scanned"}


def merged_values(keep, other):
    """The fields keep gets so that everything other knew is still there."""
    values, extra = {}, []
    for name in JOINED:
        mine, theirs = getattr(keep, name), getattr(other, name)
        if theirs and theirs not in (mine or ""):  # already there: merging again adds nothing
            values[name] = f"{mine}\n{theirs}" if mine else theirs
    for name in SINGLE:
        mine, theirs = getattr(keep, name), getattr(other, name)
        also = f"Also {LABELS.get(name, name)}: {theirs}"
        if theirs and not mine:
            values[name] = theirs
        elif theirs and mine != theirs and also not in _lines(values.get("notes", keep.notes)):
            extra.append(also)
    if extra:
        notes = values.get("notes", keep.notes)
        values["notes"] = "\n".join(filter(None, [notes, *extra]))
    tags = list(dict.fromkeys([*(keep.tags or []), *(other.tags or [])]))
    if tags != (keep.tags or []):
        values["tags"] = tags
    for name in ("event_id", "target_id", "next_step_due", "met_at"):
        if getattr(keep, name) is None and getattr(other, name) is not None:
            values[name] = getattr(other, name)
    if other.met_at and keep.met_at and other.met_at < keep.met_at:
        values["met_at"] = other.met_at  # we met when we first met
    return values


def _lines(text):
    return (text or "").splitlines()


def merge(user, keep, other, now, data_dir):
    """Fold other into keep: fields, what hangs on it (follow-ups, history) and the photo move;
    other is deleted."""
    records.change(CONTACT, user, keep, merged_values(keep, other), now)
    for child, parent_field in records.children(CONTACT):
        for record in db.session.scalars(records.live_children(child, parent_field, other)):
            records.change(child, user, record, {parent_field: keep.id}, now)
    if other.photo_at and not keep.photo_at:
        moves = zip(
            photo_paths(data_dir, user.id, other.id),
            photo_paths(data_dir, user.id, keep.id),
            strict=True,
        )
        after_commit(lambda: _move_files(list(moves)))
        keep.photo_at = other.photo_at
        records.touch(keep, user, now)
        other.photo_at = None
    records.remove(CONTACT, user, other, now)
    return keep


def _move_files(moves):
    for source, target in moves:
        if source.exists():
            source.replace(target)
