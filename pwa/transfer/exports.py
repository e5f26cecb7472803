"""`GET /api/v1/export/...`: my contacts in open formats, streamed (People's filters apply:
?event_id=, ?tag=, ?q= mean what they mean for GET /api/v1/contacts)."""

from flask import Response, g, request, stream_with_context

from ..api import api, documented
from ..contacts.models import Contact
from ..contacts.search import contacts_query
from ..db import db
from ..downloads import attachment
from .tables import write_contacts_table

#: Rows read from the database at a time while a large export streams.
BATCH = 500
FILTERS = {
    "event_id": {"type": "string", "format": "uuid"},
    "tag": {"type": "string"},
    "q": {"type": "string"},
}


def _my_contacts():
    """The contacts the request's filters select, read a batch at a time once the response
    streams (the query is built now, so a bad filter is a 422 before the download starts)."""
    query = contacts_query(g.user, request.args).order_by(Contact.met_at.desc(), Contact.id.desc())
    query = query.execution_options(yield_per=BATCH)

    def read():
        yield from db.session.scalars(query)

    return read()


@api.get("/export/contacts.csv")
@documented(
    "My contacts as Hallway CSV (UTF-8 with BOM, every field, no cell a spreadsheet runs)",
    query=FILTERS,
    tag="export",
)
def export_contacts_csv():
    """Download my contacts (all, or People's current filter) as a spreadsheet."""
    contacts = _my_contacts()
    return Response(
        stream_with_context(write_contacts_table(contacts)),
        mimetype="text/csv",
        headers={"Content-Disposition": attachment("hallway-contacts", "csv")},
    )
