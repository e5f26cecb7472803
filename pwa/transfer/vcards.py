"""vCard files in and out: every card of a file (2.1, 3.0 and 4.0 as Apple, Google, Outlook,
Android, Thunderbird and CardDAV servers write them) read into entries, and a person's contacts
written as one vCard 3.0 or 4.0 file with every field.

Reading reuses the scan parser's pieces (pwa/exchange/payloads/vcard.py: logical lines, content
lines, decoding, the card's fields) and adds what a file has and a QR code does not: many cards,
photos, Hallway's own X-HALLWAY-... properties, and bytes in any encoding. Writing reuses the
public card's escape and fold (pwa/exchange/vcard.py)."""

import base64
import binascii
import codecs
import re
from datetime import date, datetime

from ..exchange.payloads.decoding import SHIFT_JIS, unescape
from ..exchange.payloads.text import clean_line, trim, upper
from ..exchange.payloads.vcard import card_of, content_line, decoded, logical_lines
from ..exchange.vcard import escape, fold, split_name
from ..spreadsheets import utf16_text
from .entries import Entry

VERSIONS = ("3.0", "4.0")
#: The contact's fields that no standard vCard property holds, and the property each is written as.
HALLWAY = {
    "met_at": "X-HALLWAY-MET-AT",
    "event": "X-HALLWAY-EVENT",
    "event_id": "X-HALLWAY-EVENT-ID",
    "i_promised": "X-HALLWAY-I-PROMISED",
    "they_promised": "X-HALLWAY-THEY-PROMISED",
    "next_step": "X-HALLWAY-NEXT-STEP",
    "next_step_due": "X-HALLWAY-NEXT-STEP-DUE",
    "no_next_step": "X-HALLWAY-NO-NEXT-STEP",
    "source": "X-HALLWAY-SOURCE",
    "raw_payload": "X-HALLWAY-RAW-PAYLOAD",
}
FIELD_OF = {prop: name for name, prop in HALLWAY.items()}
#: A property's name (after an optional group): a line inside a card that is not one continues
#: the line before it (a fold that lost its leading space, base64 written without indent).
PROPERTY_NAME = re.compile("(?:[A-Za-z0-9-]+\\.)?[A-Za-z0-9-]+")
CHARSET = re.compile(rb";\s*charset\s*=\s*\"?([A-Za-z0-9_.:-]+)", re.I)
#: What a line that is neither UTF-8 nor in a declared charset is read as.
FALLBACK = "cp1252"


def read_cards(data):
    """Each card of a vCard file as an Entry (its fields by the API's names, its photo as bytes),
    or an Entry with the error and the line of a card that cannot be read; the rest goes on."""
    card = None
    for number, line in logical_lines(_lines(data)):
        head = line.partition(":")[0].split(";")[0].strip()
        prop = content_line(line) if PROPERTY_NAME.fullmatch(head) else None
        if card is not None and prop is None:
            card.continue_last(line)
            continue
        if prop is None:
            continue
        name, value = prop[1], upper(trim(prop[3]))
        if name == "BEGIN" and value == "VCARD":
            if card is not None and card.nests():
                card.depth += 1
                continue
            if card is not None:  # the card before never ended
                yield card.entry()
            card = _Card(number)
        elif card is None:
            continue
        elif name == "END" and value == "VCARD" and card.depth:
            card.depth -= 1
        elif name == "END" and value == "VCARD":
            yield card.entry()
            card = None
        elif not card.depth:
            card.properties.append(prop)
    if card is not None:  # a file that ends without END:VCARD
        yield card.entry()


class _Card:
    """The properties of one card being read, from the line its BEGIN:VCARD is on."""

    def __init__(self, line):
        self.line, self.properties, self.depth = line, [], 0

    def nests(self):
        """True when a BEGIN:VCARD here starts a card inside this one (vCard 2.1's AGENT)."""
        return self.depth > 0 or (
            bool(self.properties)
            and self.properties[-1][1] == "AGENT"
            and not trim(self.properties[-1][3])
        )

    def continue_last(self, line):
        if self.properties and not self.depth:
            group, name, params, value = self.properties[-1]
            self.properties[-1] = (group, name, params, value + line)

    def entry(self):
        try:
            return _entry(self.line, self.properties)
        except Exception:  # noqa: BLE001 - one odd card must not stop the file
            return Entry(line=self.line, error="This card could not be read.")


def _entry(line, properties):
    photo, extra, standard = None, {}, []
    for prop in properties:
        _, name, params, raw = prop
        if name == "PHOTO":
            photo = photo or _photo(raw, params)
        elif name in FIELD_OF:
            extra.setdefault(FIELD_OF[name], decoded(raw, params))
        elif name != "AGENT":
            standard.append(prop)
    fields = card_of(standard).result("vcard")["contact"]
    if fields.get("tags"):  # Google's group of every contact is no tag of the person's
        fields["tags"] = [tag for tag in fields["tags"] if tag != "myContacts"] or None
        fields = {name: value for name, value in fields.items() if value}
    if not fields.get("name"):
        return Entry(line=line, error="This card has no name (FN or N).")
    for name, value in extra.items():
        value = _hallway_value(name, value)
        if value is not None:
            fields[name] = value
    return Entry(fields=fields, line=line, photo=photo, event=fields.pop("event", None))


def _hallway_value(name, raw):
    """An X-HALLWAY-... value as the API takes it; None when it is empty or not what it says."""
    if raw is None:
        return None
    value = unescape(raw)
    if name in ("met_at", "next_step_due"):
        value = trim(value)
        try:
            when = (datetime if name == "met_at" else date).fromisoformat(value)
        except ValueError:
            return None
        if name == "met_at" and when.tzinfo is None:
            return None
    elif name == "no_next_step":
        value = {"TRUE": True, "FALSE": False}.get(upper(trim(value)))
    elif name in ("event", "event_id", "source"):
        value = clean_line(value, 200)
    return value if value != "" else None


def _photo(raw, params):
    """A photo's bytes: base64 (ENCODING=b or BASE64, or a data: URI); a link is not fetched."""
    value = trim(raw)
    if params["encoding"] not in ("B", "BASE64"):
        head, comma, rest = value.partition(",")
        if not (comma and head[:5].lower() == "data:" and ";base64" in head.lower()):
            return None
        value = rest
    try:
        return base64.b64decode(value + "=" * (-len(value.rstrip("=")) % 4)) or None
    except (binascii.Error, ValueError):
        return None


def _lines(data):
    """The file's lines as text (line ends and a byte-order mark removed). UTF-16 files are
    decoded whole; otherwise each line is UTF-8 if it can be, else in the charset its property
    declares (kept for its folded continuation lines), else windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    text = utf16_text(data)
    if text is not None:
        for line in text.lstrip("\ufeff").split("\n"):
            yield line.removesuffix("\r")
        return
    start, charset = 0, FALLBACK
    while start <= len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        raw = data[start:end].removesuffix(b"\r")
        start = end + 1
        if raw[:1] not in (b" ", b"\t"):
            colon = raw.find(b":")
            declared = CHARSET.search(raw, 0, colon if colon >= 0 else 0)
            charset = _known(declared[1].decode()) if declared else FALLBACK
        yield _line_text(raw, charset)


def _line_text(raw, charset):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode(charset, "replace")
    except (LookupError, UnicodeError, ValueError):  # a charset that is not one, or not text
        return raw.decode(FALLBACK, "replace")


def _known(charset):
    """The charset Python decodes a declared one with (Shift_JIS as Windows and browsers do)."""
    name = charset.lower()
    return "cp932" if name in SHIFT_JIS else name


def write_cards(contacts, version="3.0", photo_of=None, event_names=None):
    """Each contact as a vCard (3.0 or 4.0) with every field, CRLF line ends, folded at 75
    octets; photo_of(contact) gives its JPEG bytes or None, event_names maps event ids to names."""
    if version not in VERSIONS:
        raise ValueError(f"vCard version must be one of {', '.join(VERSIONS)}")
    for contact in contacts:
        photo = photo_of(contact) if photo_of else None
        yield card_text(contact, version, photo, event_names or {})


def card_text(contact, version, photo=None, event_names=None):
    """One contact (a model or a dict of its fields) as a vCard."""
    get = contact.get if isinstance(contact, dict) else lambda name: getattr(contact, name, None)
    name = get("name") or ""
    family, given = split_name(name)
    lines = ["BEGIN:VCARD", f"VERSION:{version}", f"FN:{escape(name)}"]
    lines.append(f"N:{escape(family)};{escape(given)};;;")
    standard = {
        "company": "ORG",
        "title": "TITLE",
        "email": "EMAIL" if version == "4.0" else "EMAIL;TYPE=INTERNET",
        "phone": "TEL;VALUE=text;TYPE=cell" if version == "4.0" else "TEL;TYPE=CELL",
        "url": "URL",
        "notes": "NOTE",
    }
    for field, prop in standard.items():
        if get(field):
            lines.append(f"{prop}:{escape(get(field))}")
    if get("tags"):
        lines.append("CATEGORIES:" + ",".join(escape(tag) for tag in get("tags")))
    values = {field: get(field) for field in HALLWAY if field != "event"}
    values["event"] = (event_names or {}).get(get("event_id")) or get("event")
    values["event_id"] = values["event_id"] and str(values["event_id"])
    for field, prop in HALLWAY.items():
        value = values[field]
        if isinstance(value, bool):
            value = "TRUE" if value else "FALSE"
        elif isinstance(value, datetime | date):
            value = value.isoformat().replace("+00:00", "Z")
        if value not in (None, ""):
            lines.append(f"{prop}:{escape(value)}")
    if photo:
        data = base64.b64encode(photo).decode()
        if version == "4.0":
            lines.append(f"PHOTO:data:image/jpeg;base64,{data}")
        else:
            lines.append(f"PHOTO;ENCODING=b;TYPE=JPEG:{data}")
    if get("id"):
        lines.append(f"UID:urn:uuid:{get('id')}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)
