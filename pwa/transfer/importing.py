"""Importing a file of contacts: recognise it by its content, check each entry with the
contact's own schema, find the person among my contacts (or earlier in the file) and merge, else
create; count what happened.

Everything is written through pwa.records in one transaction (versions, sync order, search
text, as for any create), a chunk of entries at a time so that a 100,000-row file never sits
in memory as objects. A preview runs exactly the same steps and rolls them back."""

import re
from itertools import islice
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import select

from .. import records
from ..contacts.kinds import CONTACT, ContactFields
from ..contacts.merging import merged_values
from ..contacts.models import Contact
from ..contacts.photos import process_photo, store_photo
from ..db import db
from ..errors import ApiError
from ..events.models import Event
from ..research.models import ResearchTarget
from ..spreadsheets import decode_text
from . import account, vcards
from .tables import read_contacts_table

#: Entries one import takes; more should be split into several files.
MAX_ENTRIES = 100_000
#: The answer lists this many entries and errors (the counts cover all of them).
LISTED = 1000
#: Entries checked, matched and written together: one query for their matches, one flush.
CHUNK = 500
#: Fewer digits than this is no phone number to recognise someone by.
MIN_PHONE_DIGITS = 7
#: The fields merged_values does not look at, filled only where the contact has nothing.
FILLED = ("no_next_step",)
#: The fields a person is recognised by.
MATCHED = ("name", "company", "email", "phone", "url")
LINKEDIN = re.compile(r"linkedin\.com/in/([^/?#\s]+)", re.IGNORECASE)


def import_file(user, data, filename, preview, now, mapping=None):
    """Import a file of contacts (vCard, Hallway JSON, or a CSV kind) into user's contacts;
    return the answer the API gives. With preview, nothing stays written."""
    kind = _kind_of(data)
    if kind == "json":
        if not account.is_account_document(data):
            raise _unknown_format("This JSON file is not a Hallway export (all.json).")
        return account.import_account(user, data, preview, now)
    if kind == "vcard":
        found, entries = "vcard", vcards.read_cards(data)
    else:
        found, entries = read_contacts_table(data, mapping)
    run = Run(user, now, preview)
    try:
        report = run.all(found, entries)
    finally:
        if preview:
            db.session.rollback()
    return report


def _kind_of(data):
    """vcard, json or csv, from the first characters of the file."""
    try:
        head = decode_text(data[:8192]).lstrip("\ufeff \t\r\n")
    except ApiError as e:
        if e.error == "unsupported_file_type":
            raise _unknown_format(e.message.split(". ")[0] + ", not a file of contacts.") from None
        raise
    if head[:11].upper() == "BEGIN:VCARD" or "\nBEGIN:VCARD" in head[:2048].upper():
        return "vcard"
    if head[:1] in ("{", "["):
        return "json"
    return "csv"


def _unknown_format(message):
    return ApiError(422, "unknown_format", f"{message} Hallway reads vCard, CSV and all.json.")


class Run:
    """One import: the index of who is known, the counts, the entries listed."""

    def __init__(self, user, now, preview):
        self.user, self.now, self.preview = user, now, preview
        #: hash of a matching key (email, phone digits, LinkedIn, name and company) -> contact id
        self.known = {}
        self.events = self._ids(Event)
        named = select(Event.name, Event.id).where(
            Event.user_id == user.id, Event.deleted_at.is_(None)
        )
        self.event_named = {
            name.casefold(): str(i) for name, i in db.session.execute(named) if name
        }
        self.targets = self._ids(ResearchTarget)
        self.counts = {"imported": 0, "updated": 0, "duplicates": 0, "skipped": 0}
        self.errors, self.listed = [], []

    def _ids(self, model):
        query = select(model.id).where(model.user_id == self.user.id, model.deleted_at.is_(None))
        return {str(record_id) for record_id in db.session.scalars(query)}

    def all(self, found, entries):
        """Import every entry (up to MAX_ENTRIES); return the answer."""
        self._know_my_contacts()
        entries = iter(entries)
        with records.counting_changes(self.user):
            while chunk := list(islice(entries, CHUNK)):
                self._chunk(chunk)
                db.session.flush()
                if sum(self.counts.values()) >= MAX_ENTRIES:
                    break
        if next(entries, None) is not None:
            reason = f"Only the first {MAX_ENTRIES:,} contacts were imported; split the file."
            self._error(None, reason)
        return {
            "format": found,
            **self.counts,
            "errors": self.errors,
            "preview": self.preview,
            "entries": self.listed,
        }

    def _know_my_contacts(self):
        columns = (Contact.id, Contact.email, Contact.phone, Contact.url, Contact.name)
        query = select(*columns, Contact.company).where(
            Contact.user_id == self.user.id, Contact.deleted_at.is_(None)
        )
        for row in db.session.execute(query.execution_options(yield_per=2000)):
            self._remember(row._asdict(), row.id)

    def _remember(self, values, contact_id, keys=None):
        for key in keys_of(values) if keys is None else keys:
            self.known.setdefault(key, contact_id)

    def _match(self, keys):
        return next((self.known[key] for key in keys if key in self.known), None)

    def _chunk(self, chunk):
        checked = [(entry, *self._checked(entry)) for entry in chunk]
        checked = [(*row, keys_of(row[1]) if row[1] else None) for row in checked]
        ids = {self._match(keys) for *_, keys in checked if keys} - {None}
        # One query loads the chunk's matches; they stay referenced (so cached) till it is done.
        matches = (
            db.session.scalars(select(Contact).where(Contact.id.in_(ids))).all() if ids else ()
        )
        for entry, values, problems, keys in checked:
            for problem in problems:
                self._error(entry, problem)
            if values is None:
                self._broken(entry, problems[-1])
                continue
            try:
                self._one(entry, values, keys)
            except ApiError as e:  # a rule across fields; refused before anything was written
                self._error(entry, e.message)
                self._broken(entry, e.message)
        del matches

    def _checked(self, entry):
        """(the entry's fields as the contact schema has them, or None when it is broken; the
        problems found, the reason it is broken last)."""
        if entry.error:
            return None, [entry.error]
        fields = {name: value for name, value in entry.fields.items() if value is not None}
        problems = []
        fields.pop("source", None)
        if entry.event and str(fields.get("event_id")) not in self.events:
            found = self.event_named.get(entry.event.strip().casefold())
            fields["event_id"] = found or fields.get("event_id")  # a fresh account's own event
        for name, known in (("event_id", self.events), ("target_id", self.targets)):
            if fields.get(name) and str(fields[name]) not in known:
                what = name.removesuffix("_id")
                problems.append(f"No {what} of yours has the id {fields.pop(name)}; left out.")
        while True:
            try:
                values = CONTACT.parse(fields)
            except ApiError as e:
                field = (e.field or "").split(".")[0]
                if field in ("", "name") or field not in fields:
                    return None, [*problems, e.message]
                del fields[field]
                problems.append(f"{e.message[:300]} Imported without it.")
                continue
            if not values.get("name"):
                return None, [*problems, "The name is missing."]
            return values, problems

    def _one(self, entry, values, keys):
        contact_id = self._match(keys)
        contact = db.session.get(Contact, contact_id) if contact_id else None
        if contact is None:
            created = {**values, "source": "import"}
            contact = records.insert(CONTACT, self.user, created, self.now, flush=False)
            action, changed = "new", sorted(values)
        else:
            changed = self._merged(contact, values)
            action = "update" if changed else "duplicate"
        if entry.photo and not contact.photo_at:
            self._photo(entry, contact)
        self._remember(values, contact.id, keys)
        key = {"new": "imported", "update": "updated", "duplicate": "duplicates"}[action]
        self.counts[key] += 1
        new_in_preview = action == "new" and self.preview
        self._list(entry, action, values["name"], None if new_in_preview else contact.id, changed)

    def _merged(self, contact, values):
        """Merge values into contact, losing nothing; return the names of the fields changed."""
        values = {**values, **_alike(contact, values)}
        other = SimpleNamespace(**{**dict.fromkeys(ContactFields.model_fields), **values})
        changes = merged_values(contact, other)
        for name in FILLED:
            if getattr(contact, name) is None and values.get(name) is not None:
                changes[name] = values[name]
        changes = {
            name: value for name, value in changes.items() if getattr(contact, name) != value
        }
        records.change(CONTACT, self.user, contact, changes, self.now)
        return sorted(changes)

    def _photo(self, entry, contact):
        """Add the entry's photo, cleaned as an uploaded one; a bad photo is only an error line.
        Stored now rather than after commit: 100,000 photos must not wait in memory."""
        try:
            photo, thumbnail = process_photo(entry.photo)
        except ApiError as e:
            self._error(entry, f"{e.message} The contact was imported without its photo.")
            return
        if not self.preview:
            store_photo(current_app.config["DATA_DIR"], contact, photo, thumbnail)
        if contact not in db.session.new:  # a new contact's first version has the photo
            records.touch(contact, self.user, self.now)
        contact.photo_at = self.now

    def _broken(self, entry, reason):
        self.counts["skipped"] += 1
        self._list(entry, "broken", entry.fields.get("name") or None, None, [], reason)

    def _error(self, entry, reason):
        if len(self.errors) < LISTED:
            self.errors.append({**_place(entry), "reason": reason})

    def _list(self, entry, action, name, contact_id, fields, reason=None):
        if len(self.listed) >= LISTED:
            return
        place = {"line": entry.line, "item": entry.item}
        self.listed.append(
            {
                **place,
                "action": action,
                "name": name if isinstance(name, str) else None,
                "contact_id": str(contact_id) if contact_id else None,
                "fields": fields,
                "reason": reason,
            }
        )


def _alike(contact, values):
    """The contact's own value where the entry's only differs in case, spacing or punctuation
    (ADA@example.com, +1 (555) 010-0200), so a merge notes no "Also email" for it."""
    alike = {}
    for name in MATCHED:
        mine, theirs = getattr(contact, name), values.get(name)
        if mine and theirs and normal(name, mine) == normal(name, theirs) != "":
            alike[name] = mine
    return alike


def _place(entry):
    if entry is None:
        return {}
    return {key: value for key in ("line", "item") if (value := getattr(entry, key)) is not None}


def keys_of(values):
    """What recognises a person: email (any case), phone digits, LinkedIn profile, and name with
    company (any case and spacing); hashed, so the index of 100,000 people stays small."""
    keys = [("name", normal("name", values.get("name")), normal("company", values.get("company")))]
    keys += [(name, normal(name, values.get(name))) for name in ("email", "phone", "url")]
    return [hash(key) for key in keys if all(key[1:2])]


def normal(name, value):
    """A field's value as people are matched by it ("" when it matches nobody)."""
    value = value or ""
    if name == "phone":
        digits = re.sub(r"\D", "", value)
        return digits if len(digits) >= MIN_PHONE_DIGITS else ""
    if name == "url":
        profile = LINKEDIN.search(value)
        return profile.group(1).casefold() if profile else ""
    return " ".join(value.split()).casefold()
