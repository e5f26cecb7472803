"""The JSON API blueprint and the helpers every API view uses: body parsing, paging, docs.

Views attach to the blueprint from their routes modules; create_app puts the caller check
(pwa.auth.security.load_caller) in front of them, so this module needs nothing from auth."""

import uuid

from flask import Blueprint, request
from pydantic import BaseModel, ValidationError

from .errors import ApiError, invalid_field
from .jsonfiles import MAX_JSON_DEPTH, json_depth

api = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_PAGE = 200
#: Deeper pages are refused: an offset past this is a client bug, and past 2**63 a database error.
MAX_OFFSET = 1_000_000


def documented(
    summary,
    body=None,
    response=None,
    status=200,
    query=None,
    auth=True,
    tag=None,
    form=None,
    errors=None,
):
    """Attach what the OpenAPI document says about a view (read by pwa.openapi); form is the
    JSON Schema of a multipart/form-data body (file uploads); errors maps each error status the
    view answers on purpose to what it means (with its error codes)."""

    def attach(view):
        view.openapi = {
            "summary": summary,
            "body": body,
            "response": response,
            "status": status,
            "query": query or {},
            "auth": auth,
            "tag": tag,
            "form": form,
            "errors": errors or {},
        }
        return view

    return attach


def file_form(description):
    """The JSON Schema of a multipart body holding one file, `file`, for @documented(form=...)."""
    file = {"type": "string", "format": "binary", "description": description}
    return {"type": "object", "required": ["file"], "properties": {"file": file}}


def json_body():
    """Return the request's JSON object, or raise a 4xx naming what is wrong with it."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the body as application/json.")
    if json_depth(request.get_data()) > MAX_JSON_DEPTH:
        raise ApiError(400, "bad_json", f"The body nests deeper than {MAX_JSON_DEPTH} levels.")
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "bad_json", "The body is not valid JSON.")
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json", "The body must be a JSON object.")
    return data


def validated(model: type[BaseModel], data):
    """Validate data against a pydantic model; the error names the first bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise invalid_field(e) from None


def parse_uuid(value, field="id"):
    """Parse a UUID from a path or query, or raise a 4xx naming the field."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ApiError(422, "invalid_field", f"{field}: not a valid UUID.", field) from None


def page_args():
    """Read ?limit= (at most MAX_PAGE), ?offset= (at most MAX_OFFSET) and ?cursor=."""
    limit = _int_arg("limit", 50)
    offset = _int_arg("offset", 0)
    if not 1 <= limit <= MAX_PAGE:
        raise ApiError(422, "invalid_field", f"limit: must be between 1 and {MAX_PAGE}.", "limit")
    if not 0 <= offset <= MAX_OFFSET:
        message = f"offset: must be between 0 and {MAX_OFFSET:,}."
        raise ApiError(422, "invalid_field", message, "offset")
    return limit, offset, request.args.get("cursor") or None


def _int_arg(name, default):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError(422, "invalid_field", f"{name}: must be an integer.", name) from None


PAGE_QUERY = {
    "limit": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 50},
    "offset": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
    "cursor": {"type": "string", "description": "next_cursor of the page before"},
}
