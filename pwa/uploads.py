"""What the import routes share: the uploaded file (within MAX_IMPORT_LENGTH, 413 beyond), the
form's column mapping, a yes/no flag such as ?preview=1, and the 422 that asks for a mapping."""

import json

from flask import current_app, request

from .errors import ApiError

#: The largest file an import accepts (config MAX_IMPORT_LENGTH); the app's other routes keep
#: MAX_CONTENT_LENGTH.
DEFAULT_LIMIT = 50 * 1024 * 1024
#: Room for the multipart envelope and the small form fields around the file.
FORM_SLACK = 1024 * 1024
YES = {"1", "true", "yes", "on"}


def import_form(file, fields):
    """The OpenAPI schema of an import's multipart form: the file (file says what it may be),
    the mapping of a CSV's columns to fields, and preview."""
    mapping = 'JSON, for a CSV of no known program: the column of each field, e.g. {"name": '
    mapping += '["First", "Last"], "company": "Org"} (several columns are joined). Fields: '
    return {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary", "description": file},
            "mapping": {"type": "string", "description": mapping + ", ".join(fields)},
            "preview": {"type": "string", "description": "1: read and report, write nothing"},
        },
    }


PREVIEW_QUERY = {"preview": {"type": "boolean", "description": "read and report, write nothing"}}


def uploaded_file(what="the file"):
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
        message = f"file: send {what} as the multipart field 'file'."
        raise ApiError(422, "invalid_field", message, "file")
    try:
        data = upload.read(limit + 1)
    finally:
        upload.close()  # a large upload is spooled to a temporary file: let it go now
    if len(data) > limit:
        raise _too_large(limit)
    return data


def _too_large(limit):
    size = f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
    message = f"The file is larger than {size}, the most an import takes; nothing was imported."
    return ApiError(413, "too_large", message, "file")


def form_mapping():
    """The form field mapping (JSON {field: CSV header}), or None."""
    raw = request.form.get("mapping", "").strip()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        message = 'mapping: not valid JSON; send e.g. {"name": "Full name", "company": "Org"}.'
        raise ApiError(422, "invalid_field", message, "mapping") from None


def flag(name):
    """Whether the query or the form says yes to name (1, true, yes, on)."""
    values = (request.args.get(name, ""), request.form.get(name, ""))
    return any(value.strip().casefold() in YES for value in values)


def mapping_required(e, fields):
    """422 with the file's headers (JSON: its objects' keys) and a guess, so the client can ask
    which is what; format says csv or json."""
    kind = getattr(e, "kind", "csv")
    column = "key" if kind == "json" else "column"
    body = {
        "error": "mapping_required",
        "message": f"Which {column} holds what? Send a mapping, e.g. "
        '{"name": "Full name", "company": "Org"}.',
        "field": "mapping",
        "format": kind,
        "headers": e.headers,
        "suggested_mapping": e.suggested,
        "fields": list(fields),
    }
    return body, 422
