"""The directory's side of an import: recognise the people already listed (by the source's own
id, then badge id, email, or name and company) and save new and changed people in bulk."""

import uuid

from sqlalchemy import insert, select, update

from ..db import db
from ..errors import ApiError
from .models import Attendee, Event

#: What an import writes on an attendee.
COLUMNS = ("name", "company", "title", "email", "badge_id", "bio", "links", "source_key")
PREVIEW_ROWS = 20
#: The report lists this many bad rows (error_count says how many there were).
MAX_ERRORS = 1000


def import_rows(event, parsed, now, apply=True):
    """Add the new people of parsed rows to the event's directory and update the known ones
    (nothing is written when apply is false); return the report the API answers with."""
    if apply:  # two imports into one directory at once would both add the same people
        live = select(Event.id).where(Event.id == event.id, Event.deleted_at.is_(None))
        if db.session.execute(live.with_for_update()).first() is None:
            raise ApiError(404, "not_found", "No event with this id.")  # deleted meanwhile
    directory = Directory(_existing(event))
    inserts, updates, preview, errors, matched = [], [], [], list(parsed.errors), 0
    for row in parsed.rows:
        place = {key: row[key] for key in ("line", "item") if key in row}
        entry, why = directory.find(row)
        if entry is not None and entry["claimed"]:
            reason = f"The same person as {entry['claimed']} ({why}); left out."
            errors.append({**place, "reason": reason})
            continue
        values = _merged(entry, row)
        if entry is None:
            action, entry = "new", {"id": uuid.uuid4(), **values}
            inserts.append({**entry, "event_id": event.id, "created_at": now, "updated_at": now})
        else:
            action, matched = "update", matched + 1
            if values != {name: entry[name] for name in COLUMNS}:
                updates.append({"id": entry["id"], **values, "updated_at": now})
        directory.claim(entry, values, place)
        if len(preview) < PREVIEW_ROWS:
            shown = {name: values[name] for name in COLUMNS if name != "source_key"}
            preview.append({**place, "action": action, **shown})
    if apply:
        _save(inserts, updates)
    errors.sort(key=lambda error: (error["line"], error.get("item", 0)))
    return {
        "format": parsed.format,
        "applied": apply,
        "imported": len(inserts),
        "updated": matched,
        "skipped": parsed.skipped,
        "errors": errors[:MAX_ERRORS],
        "error_count": len(errors),
        "ignored_columns": parsed.ignored_columns,
        "preview": preview,
    }


def _existing(event):
    """The event's directory as plain dicts (one query, no ORM objects to track)."""
    columns = [Attendee.id, *(getattr(Attendee, name) for name in COLUMNS)]
    query = select(*columns).where(Attendee.event_id == event.id)
    return [{**row._asdict(), "claimed": None} for row in db.session.execute(query)]


def _save(inserts, updates):
    """Write the whole import in a few statements (executemany), not one query per person."""
    if inserts:
        db.session.execute(insert(Attendee), inserts)
    if updates:
        db.session.execute(update(Attendee), updates)


def _merged(entry, row):
    """What an attendee becomes: the row's values where it has one, else what was known;
    links from both (the row's first)."""
    values = {name: row[name] or (entry or {}).get(name) for name in COLUMNS}
    known = [link for link in (entry or {}).get("links") or [] if link not in row["links"]]
    values["links"] = (row["links"] + known)[:20] or None
    return values


class Directory:
    """The people of one event, indexed the ways an imported row may recognise them."""

    def __init__(self, entries):
        self.by_key, self.by_badge, self.by_email, self.by_person = {}, {}, {}, {}
        for entry in entries:
            self._index(entry)

    def find(self, row):
        """Return the entry a row is about and how it was recognised, or (None, None)."""
        key = row["source_key"]
        if key and key in self.by_key:
            return self.by_key[key], "same id"
        candidates = (
            ("same badge id", self.by_badge.get(row["badge_id"], [])),
            ("same email", self.by_email.get(_folded(row["email"]), [])),
            ("same name and company", self.by_person.get(_person(row), [])),
        )
        for why, entries in candidates:
            for entry in entries:
                if _compatible(entry, row, why):
                    return entry, why
        return None, None

    def claim(self, entry, values, place):
        """Note which row is about entry (a later row about them is a repeat); index its new
        values."""
        where = f"item {place['item']}" if "item" in place else f"line {place['line']}"
        entry.update(values, claimed=where)
        self._index(entry)

    def _index(self, entry):
        if entry["source_key"]:
            self.by_key.setdefault(entry["source_key"], entry)
        if entry["badge_id"]:
            self.by_badge.setdefault(entry["badge_id"], []).append(entry)
        if entry["email"]:
            self.by_email.setdefault(_folded(entry["email"]), []).append(entry)
        self.by_person.setdefault(_person(entry), []).append(entry)


def _compatible(entry, row, why):
    """Two records of one source with different ids are different people, and so are two
    namesakes at one company with different emails."""
    theirs, mine = entry["source_key"], row["source_key"]
    if theirs and mine and theirs != mine and _source(theirs) == _source(mine):
        return False
    emails = _folded(entry["email"]), _folded(row["email"])
    return why != "same name and company" or not all(emails) or emails[0] == emails[1]


def _source(key):
    return key.partition(":")[0]


def _folded(text):
    return (text or "").casefold()


def _person(values):
    return _folded(values["name"]), _folded(values["company"])
