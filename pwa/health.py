"""GET /healthz: whether the server and its database answer (for load balancers and monitors)."""

from sqlalchemy import text

from .db import db
from .errors import error_response
from .web import web


@web.get("/healthz")
def healthz():
    """Say whether the server and its database answer."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        return error_response(503, "database_unavailable", "The database does not answer.")
    return {"status": "ok"}
