"""The OpenAPI 3.1 document, built from the routes' @documented metadata and their pydantic schemas."""

import re

from flask import current_app
from pydantic.json_schema import models_json_schema

from .api import api, documented
from .auth.security import CSRF_HEADER, public
from .paging import PAGE_SCHEMA_FIELDS

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "Machine-readable code, e.g. invalid_field."},
        "message": {"type": "string", "description": "A sentence for people."},
        "field": {"type": "string", "description": "The field to blame, when there is one."},
    },
}


def build_document(app):
    """Describe every /api/v1 route of app."""
    operations = list(_operations(app))
    models = {model for _, _, _, meta in operations for model in _models(meta)}
    refs, defs = models_json_schema(
        [(model, "validation") for model in sorted(models, key=lambda m: m.__name__)],
        ref_template="#/components/schemas/{model}",
    )
    paths = {}
    for path, method, endpoint, meta in operations:
        paths.setdefault(path, {})[method] = _operation(endpoint, meta, path, refs)
    schemas = {**defs.get("$defs", {}), "Error": ERROR}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Hallway API",
            "version": "1",
            "description": (
                "Errors are JSON {error, message[, field]}. Browser sessions send the "
                f"{CSRF_HEADER} header (from GET /me) on unsafe methods; API tokens do not."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "hallway_session"},
            },
        },
    }


def undocumented_routes(app):
    """Return the API endpoints that carry no @documented metadata."""
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        and not hasattr(app.view_functions[rule.endpoint], "openapi")
    )


def _operations(app):
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        meta = getattr(app.view_functions[rule.endpoint], "openapi", None)
        if meta is None:
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield path, method.lower(), rule.endpoint, meta


def _models(meta):
    for value in (meta["body"], meta["response"]):
        if isinstance(value, list):
            value = value[0]
        if value is not None:
            yield value


def _path_schema(name):
    """Every id in an API path is a record's UUID, so /contacts/0 is invalid before it is sent."""
    return {"type": "string", "format": "uuid"} if name.endswith("id") else {"type": "string"}


def _operation(endpoint, meta, path, refs):
    op = {
        "operationId": endpoint.removeprefix("api."),
        "summary": meta["summary"],
        "tags": [meta["tag"] or path.strip("/").split("/")[0]],
        "parameters": [
            {"name": name, "in": "path", "required": True, "schema": _path_schema(name)}
            for name in re.findall(r"{([^}]+)}", path)
        ]
        + [
            {"name": name, "in": "query", "schema": schema}
            for name, schema in meta["query"].items()
        ],
        "responses": _responses(meta, refs),
    }
    if meta["body"] is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(meta["body"], refs)}},
        }
    if meta.get("form") is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"multipart/form-data": {"schema": meta["form"]}},
        }
    op["security"] = [{"token": []}, {"session": []}] if meta["auth"] else []
    return op


def _responses(meta, refs):
    """The success answer, each error status the view answers on purpose, and any other 4xx."""
    errors = dict(meta["errors"])
    if meta["auth"]:
        errors.setdefault(401, "Sign in, or send a valid API token (unauthorized)")
    error = {"$ref": "#/components/schemas/Error"}
    return {
        str(meta["status"]): _response(meta, refs),
        **{str(status): _json_response(what, error) for status, what in sorted(errors.items())},
        "4XX": _json_response("A client error", error),
    }


def _response(meta, refs):
    response = meta["response"]
    if response is None:
        return {"description": "Done"}
    if isinstance(response, list):
        schema = {
            "type": "object",
            "required": ["items", "next_cursor", "has_more"],
            "properties": {
                "items": {"type": "array", "items": _ref(response[0], refs)},
                **PAGE_SCHEMA_FIELDS,
            },
        }
    else:
        schema = _ref(response, refs)
    return _json_response("Success", schema)


def _json_response(description, schema):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(model, refs):
    return refs[(model, "validation")]


@api.get("/openapi.json")
@public
@documented("This document", auth=False, tag="meta")
def openapi_document():
    """Serve the OpenAPI 3.1 description of the API."""
    return build_document(current_app)
