"""POST /sync: the offline store's outbox in, other devices' changes out."""

from flask import g

from ..api import api, documented, json_body, validated
from ..db import db, utcnow
from ..errors import ApiError
from .schemas import SyncRequest, SyncResponse
from .service import apply_batch, pull


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
    results = apply_batch(g.user, body.batch_id, body.changes, utcnow())
    db.session.commit()
    changes, cursor, more = pull(g.user, after)
    return {"cursor": str(cursor), "more": more, "results": results, "changes": changes}


def _cursor(raw):
    if raw in (None, ""):
        return 0
    if not raw.isdigit():
        raise ApiError(422, "invalid_field", "cursor: use the cursor from the last answer.", "cursor")
    return int(raw)
