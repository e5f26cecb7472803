"""People met: one card per person, captured in seconds."""

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Record, UTCDateTime, db


class Contact(Record, db.Model):
    __tablename__ = "contacts"

    name: Mapped[str | None] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(50))
    url: Mapped[str | None] = mapped_column(String(2048))
    notes: Mapped[str | None] = mapped_column(Text)
    #: ["investor", "rust"]: free-form labels, filterable.
    tags: Mapped[list | None] = mapped_column(JSON)
    event_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    #: When and so where (with event_id) we met.
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: How the card came in: capture, scan, share-back, import.
    source: Mapped[str | None] = mapped_column(String(20))
    #: What a scanned QR code or badge carried, kept verbatim.
    raw_payload: Mapped[str | None] = mapped_column(Text)
    i_promised: Mapped[str | None] = mapped_column(Text)
    they_promised: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    next_step_due: Mapped[date | None]
    #: True when the user decided, explicitly, that there is no next step with this person.
    no_next_step: Mapped[bool | None]
    #: The research target this person was, now met.
    target_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("research_targets.id", ondelete="SET NULL")
    )
    #: Days between keep-in-touches with this person (None: from their tags, or none).
    cadence_days: Mapped[int | None]
    #: How well I know them: met_once, talked, worked_together or would_vouch.
    trust: Mapped[str | None] = mapped_column(String(20))
    #: The contact of mine who introduced us (checked on write; no foreign key, as adding one
    #: would make SQLite rebuild the table, and a rebuild cascades to what hangs on contacts).
    introduced_by_id: Mapped[uuid.UUID | None]
    #: The last meeting, interaction, scan, share-back or exchange (kept by the server).
    last_touch_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the current photo was uploaded (None: no photo); the files live in the uploads folder.
    photo_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Name, company, notes and tags in lower case: what ?q= searches (kept up to date on write).
    search_text: Mapped[str | None] = mapped_column(Text)


#: People, newest first: read straight from this index.
Index("ix_contacts_user_met", Contact.user_id, Contact.met_at, Contact.id)

SEARCHED = ("name", "company", "notes")


def search_text_of(values):
    """The lower-cased text a contact is found by."""
    parts = [values.get(name) or "" for name in SEARCHED] + list(values.get("tags") or [])
    return " ".join(part for part in parts if part).lower()


@event.listens_for(Contact, "before_insert")
@event.listens_for(Contact, "before_update")
def _keep_search_text(_mapper, _connection, contact):
    contact.search_text = search_text_of(
        {name: getattr(contact, name) for name in (*SEARCHED, "tags")}
    )


class Interaction(Record, db.Model):
    """One thing that happened with a contact: met, scanned, emailed, called, a note."""

    __tablename__ = "interactions"

    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    #: met, scanned, emailed, called, messaged, note.
    kind: Mapped[str | None] = mapped_column(String(20))
    at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
