"""One error shape for the API: {"error": "<machine_code>", "message": "<human sentence>"}."""

import errno
import logging

from flask import jsonify, render_template, request
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A client error with its status, machine code, message and, when one is to blame, its field."""

    def __init__(self, status, error, message, field=None, headers=None):
        super().__init__(message)
        self.status, self.error, self.message = status, error, message
        self.field, self.headers = field, headers or {}


def invalid_field(e: ValidationError, prefix=""):
    """Turn a pydantic error into the API's 422, naming the field and what is wrong with it."""
    first = e.errors(include_url=False)[0]
    field = prefix + ".".join(str(part) for part in first["loc"])
    if first["type"] == "extra_forbidden":
        message = f"Unknown field '{field}'."
        return ApiError(422, "unknown_field", message, field)
    return ApiError(422, "invalid_field", f"{field}: {first['msg']}.", field)


def error_response(status, error, message, field=None, headers=None):
    """Build the JSON error response."""
    body = {"error": error, "message": message}
    if field:
        body["field"] = field
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers or {})
    return response


def wants_json():
    """Tell whether this request is an API call (JSON errors) rather than a page."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def register_error_handlers(app):
    """Turn every error into the documented JSON shape (API) or a plain page (HTML)."""

    @app.errorhandler(ApiError)
    def handle_api_error(e):
        if not wants_json():
            page = render_template("error.html", status=e.status, title="Sorry", message=e.message)
            return page, e.status, e.headers
        return error_response(e.status, e.error, e.message, e.field, e.headers)

    @app.errorhandler(HTTPException)
    def handle_http_error(e):
        code = _snake(e.name)
        if e.code == 413:
            code, e.description = "too_large", "The request body is larger than this route accepts."
        if wants_json():
            return error_response(e.code, code, e.description, headers=_allow(e))
        page = render_template("error.html", status=e.code, title=e.name, message=e.description)
        return page, e.code

    @app.errorhandler(OperationalError)
    @app.errorhandler(OSError)
    def handle_busy_or_full(e):
        """A database busy past its timeout (503) or a full disk (507); anything else is a crash."""
        if _busy(e):
            log.warning("database busy on %s %s: %s", request.method, request.path, e)
            message = "The server is busy; nothing was changed. Try again in a moment."
            headers = {"Retry-After": str(BUSY_RETRY_AFTER)}
            if wants_json():
                return error_response(503, "busy", message, headers=headers)
            page = render_template("error.html", status=503, title="Busy", message=message)
            return page, 503, headers
        if not _disk_full(e):
            return handle_crash(e)
        log.error("disk full on %s %s: %s", request.method, request.path, e)
        message = "The server's disk is full, so nothing was saved; everything already saved can still be read."
        if wants_json():
            return error_response(507, "disk_full", message)
        return render_template("error.html", status=507, title="Disk full", message=message), 507

    @app.errorhandler(Exception)
    def handle_crash(e):
        log.exception("unhandled error on %s %s", request.method, request.path)
        message = "Something went wrong on the server; nothing was changed."
        if wants_json():
            return error_response(500, "server_error", message)
        return render_template("error.html", status=500, title="Server error", message=message), 500


#: Seconds a client is asked to wait after a 503 busy.
BUSY_RETRY_AFTER = 2
#: PostgreSQL's lock_not_available, serialization_failure and deadlock_detected.
BUSY_SQLSTATES = {"55P03", "40001", "40P01"}


def _busy(e):
    """The database stayed locked past its timeout (SQLite) or gave up on a lock (PostgreSQL)."""
    if not isinstance(e, OperationalError):
        return False
    orig = e.orig
    text = str(orig)
    return (
        "database is locked" in text
        or "database is busy" in text
        or getattr(orig, "sqlstate", None) in BUSY_SQLSTATES
    )


def _disk_full(e):
    """SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100), or ENOSPC writing a file."""
    if isinstance(e, OperationalError):
        orig = e.orig
        return "database or disk is full" in str(orig) or getattr(orig, "sqlstate", None) == "53100"
    return e.errno == errno.ENOSPC


def _snake(name):
    return name.lower().replace(" ", "_").replace("'", "")


def _allow(e):
    allowed = getattr(e, "valid_methods", None)
    return {"Allow": ", ".join(allowed)} if allowed else {}
