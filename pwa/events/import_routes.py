"""Importing an event's attendee directory from a file (multipart upload, the event's owner only)."""

from flask import g

from .. import records
from ..api import api, documented, parse_uuid
from ..db import db, read_only, utcnow
from ..fields import Schema
from ..uploads import (
    PREVIEW_QUERY,
    flag,
    form_mapping,
    import_form,
    mapping_required,
    uploaded_file,
)
from .attendee_csv import FIELDS, MappingRequired
from .attendee_files import parse_file
from .directory import import_rows
from .kinds import EVENT


class ImportProblem(Schema):
    #: Where the bad row starts in the file (CSV: its line; JSON: the line its object starts on).
    line: int
    #: JSON only: the speaker's position in the list (1 = first).
    item: int | None = None
    reason: str


class ImportedAttendee(Schema):
    line: int
    item: int | None = None
    #: new or update
    action: str
    name: str
    company: str | None
    title: str | None
    email: str | None
    badge_id: str | None
    bio: str | None
    links: list[dict] | None


class ImportReport(Schema):
    #: eventbrite, sessionize, pretalx, csv or json (JSON of no known program, mapped)
    format: str
    #: False for a preview: nothing was written.
    applied: bool
    imported: int
    updated: int
    #: Left out on purpose (refunded or cancelled tickets).
    skipped: int
    errors: list[ImportProblem]
    error_count: int
    #: Columns nothing was read from; a mapping can send them to a field (e.g. bio).
    ignored_columns: list[str]
    #: The first rows as they are (or would be) saved.
    preview: list[ImportedAttendee]


IMPORT_FORM = import_form(
    "Eventbrite attendee report CSV, Sessionize or pretalx speaker JSON, "
    "or any CSV or JSON list of people with a mapping; up to 50 MB.",
    FIELDS,
)


@api.post("/events/<event_id>/attendees/import")
@documented(
    "Import the event's attendee directory from a file; re-importing updates, ?preview=1 "
    "writes nothing; a CSV or JSON of no known program answers 422 mapping_required with its "
    "headers (JSON: the keys of its list's objects)",
    response=ImportReport,
    query=PREVIEW_QUERY,
    form=IMPORT_FORM,
)
def import_attendees(event_id):
    """Import an attendee or speaker list into the directory of an event I own."""
    with read_only():  # the file is read and parsed before anything takes the write lock
        event = records.find(EVENT, g.user, parse_uuid(event_id, "event_id"))
    data = uploaded_file("the attendee list")
    preview = flag("preview")
    try:
        parsed = parse_file(data, form_mapping())
    except MappingRequired as e:
        return mapping_required(e, FIELDS)
    if preview:  # writes nothing, so waits for no writer
        with read_only():
            return import_rows(event, parsed, utcnow(), apply=False)
    report = import_rows(event, parsed, utcnow())
    db.session.commit()
    return report
