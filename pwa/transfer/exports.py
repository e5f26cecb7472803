"""GET /api/v1/export/...: what I own, as files other programs open. Each export streams, so
100,000 contacts with their photos never sit in memory at once."""

from flask import Response, current_app, g, request, stream_with_context
from sqlalchemy import select

from ..api import api, documented
from ..contacts.filters import FILTERS, NEWEST_FIRST, contacts_query
from ..contacts.models import Contact
from ..contacts.photos import photo_paths
from ..db import db, utcnow
from ..downloads import attachment
from ..errors import ApiError
from ..events.models import Event
from ..paging import batches
from .account import export_account
from .tables import write_contacts_table
from .vcards import VERSIONS, write_cards

#: Contacts read from the database at a time while an export streams.
BATCH = 500


def _download(chunks, mimetype, filename, extension):
    """A streamed download (the request stays open while the database is read)."""
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Type"] = f"{mimetype}; charset=utf-8"
    response.headers["Content-Disposition"] = attachment(filename, extension)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _my_contacts(user):
    """My contacts narrowed by ?q=, ?event_id= and ?tag= (as GET /api/v1/contacts), newest
    first, read BATCH at a time when the download starts (Flask ends the view's session before
    streaming, so each batch is its own query: no cursor has to outlive a transaction). Built
    now, so that a bad filter is a 422, not a cut file."""
    query = contacts_query(user, request.args)

    def contacts():
        for contact in batches(query, NEWEST_FIRST, BATCH):
            yield contact
            db.session.expunge(contact)  # memory stays one batch, however many contacts

    return contacts


def _event_names(user):
    """The name of each event my contacts were met at (mine or one I joined)."""
    met_at = select(Contact.event_id).where(Contact.user_id == user.id)
    events = select(Event.id, Event.name).where(Event.id.in_(met_at))
    return dict(db.session.execute(events).all())


def _photo_of(data_dir):
    def photo(contact):
        if contact.photo_at is None:
            return None
        path = photo_paths(data_dir, contact.user_id, contact.id)[0]
        return path.read_bytes() if path.exists() else None

    return photo


@api.get("/export/contacts.vcf")
@documented(
    "My contacts as one vCard file (3.0, or ?version=4.0) with every field and the photos",
    query={"version": {"type": "string", "enum": list(VERSIONS)}, **FILTERS},
    tag="export",
)
def export_contacts_vcf():
    """Download my contacts (all, or those of an event, a tag, a search) for an address book."""
    version = request.args.get("version", "3.0")
    if version not in VERSIONS:
        message = f"version: must be one of {', '.join(VERSIONS)}."
        raise ApiError(422, "invalid_field", message, "version")
    contacts, names = _my_contacts(g.user), _event_names(g.user)
    photo_of = _photo_of(current_app.config["DATA_DIR"])

    def cards():
        yield from write_cards(contacts(), version, photo_of, names)

    return _download(cards(), "text/vcard", "hallway-contacts", "vcf")


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
    name = f"hallway-all-{now.date().isoformat()}"
    return _download(export_account(g.user, now), "application/json", name, "json")


@api.get("/export/contacts.csv")
@documented(
    "My contacts as Hallway CSV (UTF-8 with BOM, every field, no cell a spreadsheet runs)",
    query=FILTERS,
    tag="export",
)
def export_contacts_csv():
    """Download my contacts (all, or People's current filter) as a spreadsheet."""
    contacts = _my_contacts(g.user)

    def rows():
        yield from write_contacts_table(contacts())

    return _download(rows(), "text/csv", "hallway-contacts", "csv")
