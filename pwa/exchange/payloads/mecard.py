"""MECARD and BIZCARD cards: KEY:value fields between semicolons that no backslash escapes."""

from .card import Card
from .decoding import VCARD_ESCAPE, split_escaped
from .text import trim, upper

MECARD_DETAILS = {"TEL": "Phone", "EMAIL": "Email", "URL": "URL", "NOTE": "Note"}
MECARD_DETAILS |= {"ADR": "Address", "NICKNAME": "Nickname", "BDAY": "Birthday"}


def read_mecard(rest, payload):
    """MECARD:N:Last,First;TEL:...;EMAIL:...;ORG:...;; with repeatable TEL, EMAIL, URL, ADR."""
    card = Card()
    for key, value in _fields(rest):
        if key == "N":
            last, comma, first = value.partition(",")
            card.name = card.name or (f"{first} {last}" if comma else value)
        elif key == "ORG":
            card.company = card.company or value
        elif key == "TITLE":
            card.title = card.title or value
        elif key in MECARD_DETAILS:
            if key == "ADR":
                value = ", ".join(trim(part) for part in value.split(",") if trim(part))
            card.add(MECARD_DETAILS[key], value)
    return card.result("mecard")


def read_bizcard(rest, payload):
    """BIZCARD:N:First;X:Last;T:Title;C:Company;A:Address;B:Phone;M:Mobile;F:Fax;E:Email;;"""
    fields = {}
    for key, value in _fields(rest):
        fields.setdefault(key, value)
    card = Card()
    card.name = f"{fields.get('N', '')} {fields.get('X', '')}"
    card.title, card.company = fields.get("T", ""), fields.get("C", "")
    for key, kind, label in (("B", "Phone", ""), ("M", "Phone", "mobile"), ("E", "Email", "")):
        card.add(kind, fields.get(key, ""), label)
    card.add("Fax", fields.get("F", ""))
    card.add("Address", fields.get("A", ""))
    return card.result("bizcard")


def _fields(body):
    """MECARD-style KEY:value fields; a backslash escapes the character after it."""
    for field in split_escaped(body):
        key, colon, value = field.partition(":")
        if colon:
            yield upper(trim(key)), VCARD_ESCAPE.sub(lambda m: m[1], value)
