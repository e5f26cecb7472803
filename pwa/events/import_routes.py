"""Importing an event's attendee directory from a file (multipart upload, the event's owner only)."""

import json

from flask import current_app, g, request

from .. import records
from ..api import api, documented, parse_uuid
from ..db import db, utcnow
from ..errors import ApiError
from ..fields import Schema
from .attendee_csv import FIELDS, MappingRequired
from .attendee_files import parse_file
from .directory import import_rows
from .kinds import EVENT

#: The largest file an import accepts (config MAX_IMPORT_LENGTH); the app's other routes keep
#: MAX_CONTENT_LENGTH.
DEFAULT_LIMIT = 50 * 1024 * 1024
#: Room for the multipart envelope and the small form fields around the file.
FORM_SLACK = 1024 * 1024
YES = {"1", "true", "yes", "on"}


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


IMPORT_FORM = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "Eventbrite attendee report CSV, Sessionize or pretalx speaker JSON, "
            "or any CSV or JSON list of people with a mapping; up to 50 MB.",
        },
        "mapping": {
            "type": "string",
            "description": 'JSON: the CSV header (or JSON key) for each field, e.g. {"name": '
            '"Full name", "company": "Org"} (a list of headers is joined). Fields: '
            + ", ".join(FIELDS),
        },
        "preview": {"type": "string", "description": "1: parse and report, write nothing"},
    },
}


@api.post("/events/<event_id>/attendees/import")
@documented(
    "Import the event's attendee directory from a file; re-importing updates, ?preview=1 "
    "writes nothing; a CSV or JSON of no known program answers 422 mapping_required with its "
    "headers (JSON: the keys of its list's objects)",
    response=ImportReport,
    query={"preview": {"type": "boolean", "description": "parse and report, write nothing"}},
    form=IMPORT_FORM,
)
def import_attendees(event_id):
    """Import an attendee or speaker list into the directory of an event I own."""
    event = records.find(EVENT, g.user, parse_uuid(event_id, "event_id"))
    data = _uploaded_file()
    preview = _flag("preview")
    try:
        parsed = parse_file(data, _mapping())
    except MappingRequired as e:
        return _mapping_required(e)
    report = import_rows(event, parsed, utcnow(), apply=not preview)
    if not preview:
        db.session.commit()
    return report


def _uploaded_file():
    """Return the uploaded file's bytes, or raise a 4xx (wrong kind of body, no file, too big)."""
    limit = current_app.config.get("MAX_IMPORT_LENGTH", DEFAULT_LIMIT)
    if request.content_length is not None and request.content_length > limit + FORM_SLACK:
        raise _too_large(limit)
    request.max_content_length = limit + FORM_SLACK  # this route only; the app keeps 1 MiB
    if request.mimetype != "multipart/form-data":
        message = "Send the file as multipart/form-data, in the field 'file'."
        raise ApiError(415, "unsupported_media_type", message)
    upload = request.files.get("file")
    if upload is None:
        message = "file: send the attendee list as the multipart field 'file'."
        raise ApiError(422, "invalid_field", message, "file")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    return data


def _too_large(limit):
    size = f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
    message = f"The file is larger than {size}, the most an import takes; nothing was imported."
    return ApiError(413, "too_large", message, "file")


def _mapping():
    """The form field mapping (JSON {field: CSV header}), or None."""
    raw = request.form.get("mapping", "").strip()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        message = 'mapping: not valid JSON; send e.g. {"name": "Full name", "company": "Org"}.'
        raise ApiError(422, "invalid_field", message, "mapping") from None


def _flag(name):
    values = (request.args.get(name, ""), request.form.get(name, ""))
    return any(value.strip().casefold() in YES for value in values)


def _mapping_required(e):
    """422 with the file's headers (JSON: keys) and a guess, so the client can ask which is what."""
    column = "key" if e.kind == "json" else "column"
    body = {
        "error": "mapping_required",
        "message": f"Which {column} holds what? Send a mapping, e.g. "
        '{"name": "Full name", "company": "Org"}.',
        "field": "mapping",
        "format": e.kind,
        "headers": e.headers,
        "suggested_mapping": e.suggested,
        "fields": list(FIELDS),
    }
    return body, 422
