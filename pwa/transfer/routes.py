"""`POST /api/v1/import/contacts`: a file of contacts in (any format Hallway reads), with a
preview that writes nothing."""

from flask import g, request

from ..api import api, documented
from ..db import db, utcnow
from ..fields import Schema
from ..uploads import (
    PREVIEW_QUERY,
    flag,
    form_mapping,
    import_form,
    mapping_required,
    uploaded_file,
)
from .importing import import_file
from .tables import MAPPABLE, MappingRequired


class ContactImportProblem(Schema):
    #: Where the entry starts in the file (1 = first line); absent for the file as a whole.
    line: int | None = None
    #: JSON only: the entry's position in its list (1 = first).
    item: int | None = None
    reason: str


class ImportedEntry(Schema):
    line: int | None
    item: int | None
    #: new, update (fields says which change), duplicate (adds nothing) or broken (see reason)
    action: str
    name: str | None
    #: The contact it became or was merged into (none for a new one in a preview).
    contact_id: str | None
    fields: list[str]
    reason: str | None


class ImportAnswer(Schema):
    #: vcard, linkedin, google, outlook, hallway_csv, csv (mapped) or hallway_json
    format: str
    imported: int
    updated: int
    duplicates: int
    #: Entries that could not be imported (broken).
    skipped: int
    errors: list[ContactImportProblem]
    #: True: nothing was written.
    preview: bool
    #: The first 1,000 entries, each with what happens to it.
    entries: list[ImportedEntry]
    #: all.json only: how many records of each other kind were written.
    kinds: dict | None = None


IMPORT_FORM = import_form(
    "A .vcf (one or many cards), LinkedIn Connections.csv, Google or "
    "Outlook CSV, Hallway CSV or all.json; recognised by content; up to 50 MB.",
    MAPPABLE,
)


@api.post("/import/contacts")
@documented(
    "Import contacts from a file: duplicates (by email, phone, LinkedIn profile, or name and "
    "company) are merged, the same file twice changes nothing; ?preview=1 writes nothing; "
    "422 unknown_format for a file of no contacts, 422 mapping_required for an unknown CSV",
    response=ImportAnswer,
    query=PREVIEW_QUERY,
    form=IMPORT_FORM,
)
def import_contacts():
    """Import a file of contacts into mine."""
    data = uploaded_file("the contacts file")
    preview = flag("preview")
    upload = request.files["file"]
    try:
        answer = import_file(g.user, data, upload.filename, preview, utcnow(), form_mapping())
    except MappingRequired as e:
        return mapping_required(e, MAPPABLE)
    if not preview:
        db.session.commit()
    return answer
