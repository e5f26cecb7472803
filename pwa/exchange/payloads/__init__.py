"""Read what a scanned QR code carries (vCard, MECARD, BIZCARD, links, tel:, mailto:, text) into the
fields of a contact. static/js/payloads.js is the same parser for the browser, module for module
(static/js/payloads/) and function for function, and tests/data/payloads.json holds both to the
same answers. To agree on any input, both use only ASCII-only regexes (Python `fullmatch`, JS
`^(?:...)$`), their own trim and case mapping, and count lengths in code points.

This module recognises the format and hands the payload to its reader: text.py holds the limits
and text cleaning, decoding.py escapes and encoded bytes, card.py the card gathered into contact
fields, links.py the links, mecard.py MECARD and BIZCARD, vcard.py vCards."""

import logging
import re

from .card import valid_email, web_url
from .links import BARE_LINK, link, read_mailto, read_tel, read_urlto
from .mecard import read_bizcard, read_mecard
from .text import DIGIT, LIMITS, MAX_INPUT, MAX_RAW, clean_line, clean_notes, plain, trim, upper
from .vcard import read_vcard

__all__ = [
    "LIMITS",
    "MAX_RAW",
    "READERS",
    "badge_candidates",
    "clean_line",
    "parse_payload",
    "valid_email",
    "web_url",
    "well_formed",
]

log = logging.getLogger(__name__)

LONE_SURROGATE = re.compile("[\\ud800-\\udfff]")
BADGE_TOKEN = re.compile("[A-Za-z0-9][A-Za-z0-9_-]{3,199}")
#: Each format's prefix (compared in upper case) and the reader of what follows it.
READERS = (
    ("BEGIN:VCARD", read_vcard),
    ("MECARD:", read_mecard),
    ("BIZCARD:", read_bizcard),
    ("URLTO:", read_urlto),
    ("TEL:", read_tel),
    ("MAILTO:", read_mailto),
)


def parse_payload(text):
    """Return a payload's format, the contact fields it fills and the raw text to keep."""
    text = _as_text(text)
    try:
        result = _parse(_prepare(text))
    except Exception:  # a bug here must never lose a scan: keep the payload as a note instead
        log.exception("could not parse a scanned payload; keeping it as a note")
        result = _note(_prepare(text))
    result["raw_payload"] = text.replace("\x00", "")[:MAX_RAW]
    return result


def badge_candidates(text):
    """Return what in a payload may be an attendee's badge id: the whole payload, then each
    word with a digit in it (a registration number inside a URL or a vCard)."""
    payload = _prepare(_as_text(text))
    found = [payload] if 0 < len(payload) <= 200 else []
    for token in BADGE_TOKEN.findall(payload):
        if DIGIT.search(token) and token not in found:
            found.append(token)
    return found[:50]


def well_formed(text):
    """The text with each lone surrogate (no character; JSON can carry one) replaced by U+FFFD."""
    return LONE_SURROGATE.sub("\ufffd", text)


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", "replace")
    return well_formed(str(value)[:MAX_INPUT])


def _prepare(text):
    return trim(plain(text))


def _parse(payload):
    head = upper(payload[:12])
    for prefix, read in READERS:
        if head.startswith(prefix):
            result = read(payload[len(prefix) :], payload)
            return result or _note(payload)
    return link(payload, BARE_LINK) or _note(payload)


def _note(payload):
    notes = clean_notes(payload)
    return {"format": "text", "contact": {"notes": notes} if notes else {}}
