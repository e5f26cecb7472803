"""The export downloads: GET /api/v1/export/... (each a file in an open format)."""

from flask import Response, g, stream_with_context

from ..api import api, documented
from ..db import utcnow
from ..downloads import attachment
from .account import export_account


@api.get("/export/all.json")
@documented(
    "Everything my account owns as one JSON document (all.json, docs/all-json.md), streamed; "
    "POST /import/contacts imports it into another account with nothing lost",
    response=None,
    tag="export",
)
def export_all():
    """Download everything I own: settings, card, events, research, contacts, photos, history."""
    now = utcnow()
    body = stream_with_context(export_account(g.user, now))
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = attachment(
        f"hallway-all-{now.date().isoformat()}", "json"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
