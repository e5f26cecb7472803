"""The REST routes of a type of record: list, create (idempotent), read, change, delete.

A factory, called by each feature's routes module with its record type from its kinds.py."""

from flask import g, url_for
from sqlalchemy import select

from . import records
from .api import PAGE_QUERY, api, documented, json_body, parse_uuid
from .db import db, utcnow
from .errors import ApiError
from .paging import paginate


def split_meta(data):
    """Take the id and version (sent beside the fields) out of a request body."""
    record_id = data.pop("id", None)
    version = data.pop("version", None)
    if record_id is not None:
        record_id = parse_uuid(record_id)
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise ApiError(422, "invalid_field", "version: must be an integer.", "version")
    return record_id, version


def add_routes(
    record_type,
    path,
    schema_out,
    list_query=None,  # (record_type, user) -> (query, order), order as pwa.paging.paginate takes
    list_args=None,
    show=records.serialize,
    readable=records.find,
    change=None,  # (record_type, user, record_id, data) -> record, for a type with its own rules
):
    """Register the five REST routes of a record type under path (e.g. "/contacts")."""
    name = record_type.name
    fields = record_type.fields

    @documented(
        f"List my {name}s", response=[schema_out], query={**PAGE_QUERY, **(list_args or {})}
    )
    def list_view():
        query, order = (list_query or _default_query)(record_type, g.user)
        return paginate(query, lambda record: show(record_type, record), order)

    @documented(
        f"Create a {name} (idempotent with a client-chosen id)",
        body=fields,
        response=schema_out,
        status=201,
    )
    def create_view():
        data = json_body()
        record_id, _ = split_meta(data)
        record, created = records.create(
            record_type, g.user, record_type.parse(data), utcnow(), record_id
        )
        db.session.commit()
        location = url_for(f"api.{name}_get", record_id=record.id)
        return show(record_type, record), 201 if created else 200, {"Location": location}

    @documented(f"Read one {name}", response=schema_out)
    def get_view(record_id):
        return show(record_type, readable(record_type, g.user, parse_uuid(record_id)))

    @documented(
        f"Change a {name}; send version to refuse a stale edit (409)",
        body=fields,
        response=schema_out,
    )
    def patch_view(record_id):
        record = (change or change_record)(record_type, g.user, parse_uuid(record_id), json_body())
        db.session.commit()
        return show(record_type, record)

    @documented(f"Delete a {name} (a tombstone remains for sync)", status=204)
    def delete_view(record_id):
        record = records.find(record_type, g.user, parse_uuid(record_id))
        records.remove(record_type, g.user, record, utcnow())
        db.session.commit()
        return "", 204

    for view, suffix in (
        (list_view, "list"),
        (create_view, "create"),
        (get_view, "get"),
        (patch_view, "update"),
        (delete_view, "delete"),
    ):
        view.__name__ = f"{name}_{suffix}"
    api.add_url_rule(path, view_func=list_view, methods=["GET"])
    api.add_url_rule(path, view_func=create_view, methods=["POST"])
    api.add_url_rule(f"{path}/<record_id>", view_func=get_view, methods=["GET"])
    api.add_url_rule(f"{path}/<record_id>", view_func=patch_view, methods=["PATCH"])
    api.add_url_rule(f"{path}/<record_id>", view_func=delete_view, methods=["DELETE"])


def change_record(record_type, user, record_id, data):
    """Apply a PATCH body to one of the user's records."""
    record = records.find(record_type, user, record_id)
    _, version = split_meta(data)
    records.change(record_type, user, record, record_type.parse(data), utcnow(), version)
    return record


def _default_query(record_type, user):
    model = record_type.model
    query = select(model).where(model.user_id == user.id, model.deleted_at.is_(None))
    return query, [(model.created_at, True), (model.id, True)]
