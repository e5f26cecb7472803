"""Merging two cards of the same person into one, losing nothing: the route."""

import uuid

from flask import current_app, g
from pydantic import Field

from .. import records
from ..api import api, documented, json_body, parse_uuid, validated
from ..db import db, utcnow
from ..errors import ApiError
from ..fields import Schema
from .kinds import CONTACT, ContactOut
from .merging import merge


class MergeRequest(Schema):
    other_id: uuid.UUID = Field(description="The duplicate to fold into this contact.")


@api.post("/contacts/<record_id>/merge")
@documented(
    "Merge a duplicate into this contact, keeping every field",
    body=MergeRequest,
    response=ContactOut,
)
def merge_contacts(record_id):
    """Merge other_id into this contact."""
    keep = records.find(CONTACT, g.user, parse_uuid(record_id))
    body = validated(MergeRequest, json_body())
    if body.other_id == keep.id:
        raise ApiError(
            422, "invalid_field", "other_id: a contact cannot merge with itself.", "other_id"
        )
    try:
        other = records.find(CONTACT, g.user, body.other_id)
    except ApiError:
        raise ApiError(422, "invalid_field", "other_id: no such contact.", "other_id") from None
    merge(g.user, keep, other, utcnow(), current_app.config["DATA_DIR"])
    db.session.commit()
    return records.serialize(CONTACT, keep)
