"""POST /sync: the offline store's outbox in, other devices' changes out."""

from flask import g

from ..api import api, documented, json_body, validated
from ..db import commit_keeping_loaded, one_writer, read_only, utcnow
from ..errors import ApiError
from .schemas import SyncRequest, SyncResponse
from .service import apply_batch, check, pull


@api.post("/sync")
@documented(
    "Apply this device's changes in order, then return other changes after cursor",
    body=SyncRequest,
    response=SyncResponse,
)
def sync():
    """Apply the outbox batch and answer with what changed since the device's cursor."""
    body = validated(SyncRequest, json_body())
    after = _cursor(body.cursor)
    known = {}  # what the device now holds as the server does: the answer leaves it out
    changes = [check(raw) for raw in body.changes]  # before this request's turn to write
    with one_writer():
        results = apply_batch(g.user, body.batch_id, changes, utcnow(), known)
        commit_keeping_loaded()  # the pull after it needs none of it again
    with read_only():  # the write lock is already given back; reading what is new needs none
        pulled, cursor, more = pull(g.user, after, known)
    return {"cursor": str(cursor), "more": more, "results": results, "changes": pulled}


MAX_CURSOR = 2**31 - 1  # change numbers are INTEGER columns (32 bits in PostgreSQL)


def _cursor(raw):
    if raw in (None, ""):
        return 0
    # isdigit() alone lets "²" through (int() refuses it); a huge number overflows the database.
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_CURSOR:
        message = "cursor: use the cursor from the last answer."
        raise ApiError(422, "invalid_field", message, "cursor")
    return int(raw)
