"""STAND-IN for engineer "vcards"'s module (only what the import route's tests need: a few
properties of simple vCards). At merge the owner's version replaces this file whole."""

import base64
import re

from .entries import Entry

PROPERTIES = {"FN": "name", "ORG": "company", "TITLE": "title", "EMAIL": "email", "TEL": "phone"}
PROPERTIES |= {"URL": "url", "NOTE": "notes"}


def read_cards(data):
    """Yield an Entry per BEGIN:VCARD ... END:VCARD (stand-in: unfolded lines, no charsets)."""
    text = re.sub(r"\r?\n[ \t]", "", data.decode("utf-8", errors="replace"))
    entry = None
    for number, line in enumerate(text.splitlines(), start=1):
        name, _, value = line.partition(":")
        key = name.split(";")[0].split(".")[-1].upper()
        if key == "BEGIN":
            entry = Entry(line=number)
        elif entry is None:
            continue
        elif key == "END":
            yield entry
            entry = None
        elif key in PROPERTIES and PROPERTIES[key] not in entry.fields:
            value = value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";")
            entry.fields[PROPERTIES[key]] = value.split(";")[0] if key == "ORG" else value
        elif key == "CATEGORIES":
            entry.fields["tags"] = [tag for tag in value.split(",") if tag]
        elif key == "PHOTO":
            entry.photo = base64.b64decode(value, validate=False)
    if entry is not None:
        yield entry


def write_cards(contacts, version="3.0", photo_of=None):
    """Stand-in: not written here."""
    raise NotImplementedError
