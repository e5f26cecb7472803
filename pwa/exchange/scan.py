"""Scanning: what a QR code or badge carries, as a pre-filled contact (POST /scan/parse)."""

import uuid
from typing import Literal

from flask import g
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from ..api import api, documented, json_body, validated
from ..db import db
from ..events.kinds import check_event
from ..events.models import Attendee
from ..fields import Schema
from .payloads import (
    LIMITS,
    MAX_RAW,
    badge_candidates,
    clean_line,
    parse_payload,
    valid_email,
    web_url,
    well_formed,
)

#: Formats whose own fields are worth keeping beside a directory entry's.
CARD_FORMATS = ("vcard", "mecard", "bizcard")


class ScanRequest(Schema):
    #: The text the QR code or barcode carries.
    payload: str = Field(min_length=1, max_length=MAX_RAW)
    #: An event I own or joined, whose attendee directory may know the badge.
    event_id: uuid.UUID | None = None


class ScannedContact(BaseModel):
    name: str | None = None
    company: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    notes: str | None = None
    #: A vCard's CATEGORIES.
    tags: list[str] | None = None


class ScanOut(BaseModel):
    format: Literal["vcard", "mecard", "bizcard", "hallway", "url", "tel", "email", "badge", "text"]
    #: Only the fields the payload filled, each within the contact's limits.
    contact: ScannedContact
    attendee_id: str | None = None
    #: The payload as a contact's raw_payload can store it.
    raw_payload: str
    #: The public card token of a Hallway card link (format "hallway").
    token: str | None = None


@api.post("/scan/parse")
@documented(
    "Read a scanned QR code or badge into contact fields (a badge id via the event's directory)",
    body=ScanRequest,
    response=ScanOut,
)
def scan_parse():
    """Parse a scanned payload; with an event, a badge id in its directory gives that attendee."""
    data = json_body()
    if isinstance(data.get("payload"), str):  # hostile input is data, even a lone surrogate
        data["payload"] = well_formed(data["payload"])
    body = validated(ScanRequest, data)
    result = {**parse_payload(body.payload), "attendee_id": None}
    if body.event_id is not None:
        check_event(g.user, body.event_id, None, None)
        attendee = find_attendee(body.event_id, body.payload)
        if attendee is not None:
            result = badge_result(result, attendee)
    return result


def find_attendee(event_id, payload):
    """Return the event's attendee whose badge id the payload is or contains, or None."""
    candidates = [candidate.lower() for candidate in badge_candidates(payload)]
    if not candidates:
        return None
    badge = func.lower(Attendee.badge_id)
    query = select(Attendee).where(Attendee.event_id == event_id, badge.in_(candidates))
    found = {}
    for attendee in db.session.scalars(query.order_by(Attendee.created_at, Attendee.id)):
        found.setdefault(attendee.badge_id.lower(), attendee)
    return next((found[c] for c in candidates if c in found), None)


def badge_result(parsed, attendee):
    """The scan as the attendee: directory fields first, a scanned card's own fields beside them."""
    contact = dict(parsed["contact"]) if parsed["format"] in CARD_FORMATS else {}
    values = {
        "name": attendee.name,
        "company": attendee.company,
        "title": attendee.title,
        "email": attendee.email if attendee.email and valid_email(attendee.email) else None,
        "url": _profile_link(attendee.links),
    }
    for key, value in values.items():
        value = clean_line(value or "", LIMITS[key])
        if value:
            contact[key] = value
    return {
        "format": "badge",
        "contact": contact,
        "attendee_id": str(attendee.id),
        "raw_payload": parsed["raw_payload"],
    }


def _profile_link(links):
    """The attendee's LinkedIn link, else their first web link."""
    urls = [link.get("url") for link in links or [] if isinstance(link, dict)]
    urls = [url for url in urls if isinstance(url, str) and web_url(url, None)]
    linkedin = [url for url in urls if "linkedin." in url.lower()]
    return (linkedin or urls or [None])[0]
