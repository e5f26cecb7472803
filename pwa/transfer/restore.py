"""Putting an all.json's records into an account: each under a new id of its own (the original
ids may belong to the account it came from, on this very server), every reference followed to
the new id, each record checked by its kind's own schema and written through pwa.records, so
versions, sync and search work as for any create. A broken record is an error; the rest goes in.

A record's new id is the same each time (uuid5 of the account and the original id), so importing
a file twice finds what the first import wrote and changes nothing; a record that is still in
the account it was exported from keeps its id, so a file imported back where it came from does
not double anything either."""

import base64
import binascii
import json
import uuid
from datetime import datetime

from flask import current_app
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select

from .. import records
from ..contacts.photos import MAX_UPLOAD, process_photo, store_photo
from ..db import db
from ..errors import ApiError, invalid_field
from ..events.kinds import EVENT
from ..events.models import Attendee, Event, EventMember
from ..exchange.cards import MINE, my_card
from ..exchange.models import SHAREABLE
from ..exchange.schemas import CardFields
from ..fields import Clock, Name, Timezone, text
from ..followups.keeping_in_touch import Cadences
from .answers import Tally

#: The name of the list each kind of record is written under: event -> "events".
SECTION = "{}s"
#: A field that points at another record -> the kind it points at. Every UUID field of every
#: kind must be here (tests/test_account_json.py checks), so a new reference is never copied raw.
REFERENCES = {
    "event_id": "event",
    "target_id": "target",
    "contact_id": "contact",
    "attendee_id": "attendee",
    "introduced_by_id": "contact",
    "to_id": "contact",
}
#: References that may point at a record later in the same list (who introduced a contact is
#: another contact, perhaps further down): set once the whole list is in.
LATER_IN_THE_LIST = {"introduced_by_id"}
#: Where the new ids come from (any fixed UUID; changing it would double a re-imported file).
NAMESPACE = uuid.UUID("4f1d7c2e-93b5-4a57-8a0e-6b2f0d9c1e77")
#: Records are looked up this many at a time.
CHUNK = 500
#: Base64 of the largest photo an upload may be.
MAX_PHOTO_TEXT = MAX_UPLOAD * 4 // 3 + 4


class Settings(BaseModel):
    """The account settings an import sets (the email, the sign-in name, is never changed)."""

    name: Name | None = None
    timezone: Timezone | None = None
    quiet_hours: dict[str, Clock] | None = None
    cadences: Cadences | None = None


class Link(BaseModel):
    title: text(200) = ""
    url: text(2048)


class AttendeeFields(BaseModel):
    name: text(200, min_length=1)
    company: text(200) | None = None
    title: text(200) | None = None
    email: text(320) | None = None
    badge_id: text(200) | None = None
    bio: text(10000) | None = None
    links: list[Link] | None = Field(default=None, max_length=20)
    source_key: text(200) | None = None


class Restore:
    """One import of an all.json into one account: what went where, and what to answer."""

    def __init__(self, user, now, preview, contact_lines=()):
        self.user, self.now, self.preview = user, now, preview
        #: (kind, original id) -> the id it has in this account, for what made it in.
        self.placed = {}
        #: What the answer says: counts, the contacts' entries, the errors.
        self.tally = Tally(preview, contact_lines)
        #: Of the chunk being imported: the original ids that are this account's own records,
        #: and the records already here under the ids the chunk's records get.
        self.own, self.loaded = set(), {}
        #: (record type, record, field, original id) of references to set after their list.
        self.later = []

    # The account itself: its settings and its card.

    def settings(self, data):
        """Take the account's name, time zone and quiet hours from the file."""
        try:
            settings = Settings.model_validate(
                {k: data[k] for k in ("name", "timezone", "quiet_hours", "cadences") if k in data}
            )
        except ValidationError as e:
            return self.tally.error(f"The account settings: {invalid_field(e).message}")
        values = {"name": settings.name, "timezone": settings.timezone}
        if settings.cadences is not None:
            values["cadences"] = {**(self.user.cadences or {}), **settings.cadences.root}
        if settings.quiet_hours:
            values["quiet_start"] = settings.quiet_hours.get("start")
            values["quiet_end"] = settings.quiet_hours.get("end")
        changed = self._set(self.user, values)
        self.tally.count("settings", bool(changed))

    def card(self, data):
        """Take my card's fields, what it shares and its photo from the file."""
        try:
            fields = CardFields.model_validate(
                {k: data[k] for k in (*SHAREABLE, "shared_fields") if k in data}
            ).model_dump(exclude_unset=True, exclude={"version"})
        except ValidationError as e:
            return self.tally.error(f"Your card: {invalid_field(e).message}")
        card = my_card(self.user)
        changed = self._set(card, fields)
        if (
            card.photo_at is None
            and data.get("photo")
            and self._store_photo(card, MINE, data["photo"], None)
        ):
            changed.append("photo")
        if changed:
            card.version += 1
            card.updated_at = self.now
        self.tally.count("card", bool(changed))

    def joined_events(self, items):
        """Take my own goals for the events I joined from the file (joined_events), for each
        I am a member of here: the goals only (the event is its owner's), and never emptied
        by a file that has none."""
        for position, item in enumerate(items if isinstance(items, list) else [], 1):
            try:
                event_id = uuid.UUID(str(item.get("id") if isinstance(item, dict) else None))
                goals = EVENT.parse({"goals": item.get("goals")}).get("goals")
            except ValueError:
                self.tally.error(f"Joined event {position}: id: not a valid UUID.")
                continue
            except ApiError as e:
                self.tally.error(f"Joined event {position}: {e.message}")
                continue
            member = db.session.get(EventMember, (event_id, self.user.id))
            if member is None or goals is None:
                continue
            member.goals = [{"done": False, **goal} for goal in goals]

    # The records.

    def section(self, record_type, items):
        """Import one kind's list of records, in order, a chunk at a time."""
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            self._prefetch(record_type, chunk)
            for position, item in enumerate(chunk, start=start + 1):
                self.record(record_type, item, position)
        self._set_later()

    def _set_later(self):
        for record_type, record, name, original in self.later:
            placed = self.placed.get((REFERENCES[name], original))
            if placed is not None and placed != record.id and getattr(record, name) != placed:
                records.change(
                    record_type, self.user, record, {name: placed}, self.now, follow=False
                )
        self.later = []

    def _prefetch(self, record_type, chunk):
        """Find in two queries which of the chunk's records are already this account's, under
        their own id or an earlier import's."""
        model, kind = record_type.model, record_type.name
        originals = {_original(item) for item in chunk if isinstance(item, dict)} - {None}
        mine = select(model.id).where(model.id.in_(originals), model.user_id == self.user.id)
        self.own = set(db.session.scalars(mine))
        ids = {o if o in self.own else new_id(self.user.id, kind, o) for o in originals}
        self.loaded = {r.id: r for r in db.session.scalars(select(model).where(model.id.in_(ids)))}

    def record(self, record_type, item, position):
        """Import one record inside its own savepoint: if it fails, nothing of it stays."""
        kind = record_type.name
        notes = []
        try:
            with db.session.begin_nested():
                record, action, changed = self._write(record_type, item, notes)
        except ApiError as e:
            action, record, changed = "broken", None, []
            notes.insert(0, e.message)
        if record is not None:
            self.placed[(kind, _original(item))] = record.id
            if kind == "event":
                self._attendees(record, item.get("attendees"), position)
        if kind == "contact":
            self.tally.contact(item, position, action, record, changed, notes)
        elif action == "broken":
            self.tally.error(f"{_label(kind)} {position}: {notes[0]}")
        else:
            self.tally.count(kind, action in ("new", "update"))

    def _write(self, record_type, item, notes):
        if not isinstance(item, dict):
            raise ApiError(422, "invalid_field", "not a JSON object.")
        record_id = self._new_id(record_type.name, item)
        raw = {name: item[name] for name in record_type.fields.model_fields if name in item}
        later = {}
        for name in raw.keys() & REFERENCES.keys():
            if name in LATER_IN_THE_LIST and raw[name] is not None:
                later[name] = raw.pop(name)
                continue
            raw[name] = self._followed(record_type, name, raw, notes)
        values = record_type.parse(raw)
        existing = self.loaded.get(record_id)
        if existing is None:
            present = {name: value for name, value in values.items() if value is not None}
            made = _when(item.get("created_at"), self.now)
            # follow=False: the file brings the follow-ups and promises the server would plan
            record = records.insert(
                record_type, self.user, present, self.now, record_id, created_at=made, follow=False
            )
            _keep_last_touch(record, item)
            self.loaded[record_id] = record  # the same id twice in a file is one record
            action, changed = "new", list(present)
        elif existing.user_id != self.user.id:
            raise ApiError(409, "id_taken", "another account has a record with its id.")
        elif existing.deleted_at is not None:
            notes.append("It was deleted after an earlier import; it stays deleted.")
            return None, "duplicate", []
        else:
            record = existing
            changed = [name for name, value in values.items() if getattr(record, name) != value]
            records.change(record_type, self.user, record, values, self.now, follow=False)
            action = "update" if changed else "duplicate"
        for name, value in later.items():
            try:
                self.later.append((record_type, record, name, uuid.UUID(str(value))))
            except ValueError:
                raise ApiError(422, "invalid_field", f"{name}: not a valid UUID.", name) from None
        if (
            record_type.name == "contact"
            and item.get("photo")
            and record.photo_at is None
            and self._store_photo(record, record.id, item["photo"], notes)
        ):
            if action != "new":
                records.touch(record, self.user, self.now)
                action = "update"
            changed.append("photo")
        return record, action, changed

    def _new_id(self, kind, item):
        """The id the record gets here: its own when it is already this account's, else one
        made from the account and the original (a record without an id: from its content)."""
        original = _original(item)
        if original is None:
            raise ApiError(422, "invalid_field", "id: not a valid UUID.", "id")
        return original if original in self.own else new_id(self.user.id, kind, original)

    def _followed(self, record_type, name, raw, notes):
        """The new id of what a reference points at. A record not in the file (or broken in it)
        stays pointed at only if the account may point at it (an event the user joined)."""
        value = raw[name]
        if value is None:
            return None
        try:
            original = uuid.UUID(str(value))
        except ValueError:
            return value  # the kind's schema refuses it, naming the field
        kind = REFERENCES[name]
        if (kind, original) in self.placed:
            return self.placed[(kind, original)]
        try:
            record_type.references[name](self.user, original, raw, None)
        except (ApiError, KeyError):
            notes.append(f"Its {kind} is not in the file; imported without it.")
            return None
        return original

    def _attendees(self, event, items, position):
        """Import an event's directory (the people listed in it)."""
        if not isinstance(items, list):
            return
        for number, item in enumerate(items, start=1):
            try:
                fields = AttendeeFields.model_validate(item).model_dump(mode="json")
                if _original(item) is None:
                    raise ApiError(422, "invalid_field", "id: not a valid UUID.", "id")
            except (ValidationError, ApiError) as e:
                why = invalid_field(e).message if isinstance(e, ValidationError) else e.message
                self.tally.error(f"Event {position}, attendee {number}: {why}")
                continue
            self.tally.count("attendee", self._attendee(event, item, fields))

    def _attendee(self, event, item, fields):
        original = _original(item)
        mine = db.session.get(Attendee, original)
        owner = mine and db.session.get(Event, mine.event_id)
        attendee_id = (
            original
            if owner is not None and owner.user_id == self.user.id
            else new_id(self.user.id, "attendee", original)
        )
        self.placed[("attendee", original)] = attendee_id
        attendee = mine if attendee_id == original else db.session.get(Attendee, attendee_id)
        if attendee is None:
            attendee = Attendee(id=attendee_id, event_id=event.id, created_at=self.now, **fields)
            attendee.updated_at = self.now
            db.session.add(attendee)
            db.session.flush()
            return True
        changed = self._set(attendee, fields)
        if changed:
            attendee.updated_at = self.now
        return bool(changed)

    def _store_photo(self, owner, name, text_value, notes):
        """Clean and keep a base64 photo (not in a preview); say why when it cannot be read."""
        try:
            if not isinstance(text_value, str) or len(text_value) > MAX_PHOTO_TEXT:
                raise ValueError
            photo, thumbnail = process_photo(base64.b64decode(text_value, validate=True))
        except (ValueError, binascii.Error):
            problem = "The photo is not base64 of an image."
        except ApiError as e:
            problem = f"The photo: {e.message}"
        else:
            if not self.preview:
                folder = current_app.config["DATA_DIR"]
                store_photo(folder, _Named(owner.user_id, name), photo, thumbnail)
            owner.photo_at = self.now
            return True
        if notes is None:
            self.tally.error(f"Your card: {problem}")
        else:
            notes.append(problem)
        return False

    def _set(self, target, values):
        """Set the values that differ; return their names."""
        changed = [
            name
            for name, value in values.items()
            if value is not None and getattr(target, name) != value
        ]
        for name in changed:
            setattr(target, name, values[name])
        return changed


def _keep_last_touch(record, item):
    """A contact's last touch, as the file has it (when it makes sense), else when we met: the
    server keeps it, and no planning runs on a restore to set it."""
    if not hasattr(record, "last_touch_at"):
        return
    record.last_touch_at = record.met_at
    try:
        when = datetime.fromisoformat(item.get("last_touch_at"))
    except (TypeError, ValueError):
        return
    if when.tzinfo is not None and (record.met_at is None or when > record.met_at):
        record.last_touch_at = when


def new_id(user_id, kind, original):
    """The id a record of the file gets in the account (the same for every import)."""
    return uuid.uuid5(NAMESPACE, f"{user_id}/{kind}/{original}")


class _Named:
    """What store_photo needs to name the files: the owner and the name (an id, or MINE)."""

    def __init__(self, user_id, name):
        self.user_id, self.id = user_id, name


#: What a person calls a record of each kind, in an error ("Follow-up 2: ...").
LABELS = {
    "target": "Research target",
    "followup": "Follow-up",
    "interaction": "History entry",
    "introduction": "Introduction",
    "promise": "Promise",
}


def _label(kind):
    return LABELS.get(kind, kind.capitalize())


def _original(item):
    """The record's id in the file as a UUID (a record written without one: a UUID made from
    its content, the same each time), or None when the id is not a UUID."""
    if item.get("id") is None:
        return uuid.uuid5(NAMESPACE, json.dumps(item, sort_keys=True, default=str))
    try:
        return uuid.UUID(str(item["id"]))
    except ValueError:
        return None


def _when(value, now):
    """The record's created_at from the file when it is a sensible time, else now."""
    try:
        when = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return now
    return when if when.tzinfo is not None and when <= now else now
