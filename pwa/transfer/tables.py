"""Contacts as CSV: the files LinkedIn, Google Contacts and Outlook export, Hallway's own CSV
(read and written), and any other CSV once the person says which column holds what.

Rows are read one at a time (a 100,000-row file never sits in memory as rows), each becoming an
Entry whose fields are the contact's API names; the contact schema checks them later."""

import codecs
import csv
import io
import re
from datetime import UTC, datetime

from ..contacts.kinds import ContactFields
from ..errors import ApiError
from ..events.attendee_csv import MappingRequired, resolve_mapping
from ..spreadsheets import decode_8bit, decode_text, export_cell, sniff_delimiter
from .entries import Entry

#: Hallway's CSV: one column per contact field, by its API name.
COLUMNS = tuple(ContactFields.model_fields)
#: The fields a mapping may fill from an unknown CSV's columns.
MAPPABLE = ("name", "company", "title", "email", "phone", "url", "notes", "tags")
#: Header names suggested for each field when a CSV needs a mapping.
SUGGESTIONS = {
    "name": ("name", "full name", "display name", "contact name"),
    "company": ("company", "organization", "organisation", "employer", "org"),
    "title": ("title", "job title", "position", "role"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail"),
    "phone": ("phone", "mobile", "telephone", "phone number", "cell"),
    "url": ("url", "website", "linkedin", "homepage", "web page"),
    "notes": ("notes", "note", "comments"),
    "tags": ("tags", "labels", "categories", "groups"),
}
#: A file's header is looked for among its first rows (LinkedIn writes notes above it).
HEADER_WITHIN = 10
#: LinkedIn's "Connected On": "26 Dec 2025" now, "1/8/18, 6:14 PM" in 2018.
CONNECTED_ON = ("%d %b %Y", "%m/%d/%y, %I:%M %p", "%m/%d/%Y", "%Y-%m-%d")
#: Google puts several values in one cell, and labels in one cell, separated by this.
GOOGLE_SEPARATOR = " ::: "
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def read_contacts_table(data, mapping=None):
    """Recognise a contacts CSV by its columns; return (format name, Entry iterator).
    A CSV of no known program raises MappingRequired unless mapping names its columns."""
    rows = _rows(_text_of(data))
    headers, header_line = _header(rows)
    names = [_norm(header) for header in headers]
    if mapping is not None:
        columns = resolve_mapping(headers, mapping, fields=MAPPABLE)
        return "csv", _entries(rows, lambda cells: _mapped(cells, columns))
    kind = recognise(names)
    if kind is None:
        raise MappingRequired(headers, suggest_mapping(headers))
    read = READERS[kind]
    return kind, _entries(rows, lambda cells: read(dict(zip(names, cells, strict=False))))


def recognise(names):
    """Which program wrote a CSV with these (normalised) headers, or None."""
    present = set(names)
    if {"name", "i_promised", "next_step"} <= present:
        return "hallway_csv"
    if {"first name", "last name", "connected on"} <= present:
        return "linkedin"
    google = {"e-mail 1 - value", "phone 1 - value", "group membership", "labels"}
    if present & google and present & {"name", "given name", "first name"}:
        return "google"
    outlook = {"e-mail address", "business phone", "mobile phone", "job title"}
    if {"first name", "last name"} <= present and present & outlook:
        return "outlook"
    return None


def suggest_mapping(headers):
    """Guess which header holds each field, for the mapping step to start from."""
    suggested = {}
    for field, known in SUGGESTIONS.items():
        found = next((header for header in headers if _norm(header) in known), None)
        if found:
            suggested[field] = found
    first = next((h for h in headers if _norm(h) in ("first name", "given name")), None)
    last = next((h for h in headers if _norm(h) in ("last name", "family name", "surname")), None)
    if "name" not in suggested and first and last:
        suggested["name"] = [first, last]
    return suggested


def _text_of(data):
    """The file's text: decode_text's rules, and a file that mixes UTF-8 with Windows-1252 (rows
    pasted together from two programs) decoded line by line, so neither half turns to mojibake."""
    text = decode_text(data)
    unicode = data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not unicode and b"\x00" not in data[:4000] and not _is_utf8(data):
        text = "".join(decode_8bit(line) for line in data.splitlines(keepends=True))
    return text


def _is_utf8(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _rows(text):
    """(line where the row starts, cells) for each row with something in it; a row the csv
    module cannot read (a quote left open by a truncated file) is (line, None)."""
    text = text.removeprefix("\ufeff")
    declared = re.match(r"sep=(.)\r?\n", text)  # Excel's own hint on the first line
    first_line = 2 if declared else 1
    text = text[declared.end() :] if declared else text
    delimiter = declared.group(1) if declared else sniff_delimiter(text)
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    line = first_line
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield line, None
            return  # the reader's place in the file is lost: stop, keep what was read
        if any(cell.strip() for cell in cells):
            yield line, cells
        line = reader.line_num + first_line


def _lines(text):
    """The text's lines with their ends, one at a time (a StringIO would copy the whole text
    at four bytes a character)."""
    for match in LINE.finditer(text):
        if match.group():
            yield match.group()


def _header(rows):
    """The header row: the first of the first rows with two or more cells in it."""
    for _ in range(HEADER_WITHIN):
        line, cells = next(rows, (None, None))
        if line is None:
            break
        if cells and sum(1 for cell in cells if cell.strip()) >= 2:
            return [cell.strip().lstrip("\ufeff") for cell in cells], line
    message = "This file has no table of contacts (no row of column names). "
    raise ApiError(422, "unknown_format", message + "Hallway reads vCard, CSV and all.json.")


def _entries(rows, read):
    """Turn each row into an Entry with read(its cells, stripped)."""
    for line, cells in rows:
        if cells is None:
            yield Entry(line=line, error="The file ends in the middle of this row.")
            continue
        found = read([cell.strip() for cell in cells])
        fields = {name: value for name, value in found.items() if value not in ("", None, [])}
        yield Entry(fields=fields, line=line)


def _norm(header):
    return " ".join(header.replace("\ufeff", "").split()).casefold()


def _joined(*parts):
    return " ".join(part for part in parts if part)


def _also(label, values):
    """Values with no field of their own, kept in the notes: "Also email: ..."."""
    return [f"Also {label}: {value}" for value in values if value]


def _notes(*parts):
    return "\n".join(part for part in parts if part)


def _linkedin(row):
    return {
        "name": _joined(row.get("first name"), row.get("last name")),
        "url": row.get("url"),
        "email": row.get("email address"),
        "company": row.get("company"),
        "title": row.get("position"),
        "met_at": _connected_on(row.get("connected on", "")),
    }


def _connected_on(value):
    for pattern in CONNECTED_ON:
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=UTC).isoformat()
        except ValueError:
            pass
    return None


def _google(row):
    def values(prefix, suffix):
        found = []
        for number in range(1, 10):
            cell = row.get(f"{prefix} {number} - {suffix}", "")
            found += [value.strip() for value in cell.split(GOOGLE_SEPARATOR) if value.strip()]
        return found

    name = row.get("name") or _joined(
        *(row.get(key) for key in ("name prefix", "given name", "first name", "additional name")),
        *(row.get(key) for key in ("middle name", "family name", "last name", "name suffix")),
    )
    emails, phones = values("e-mail", "value"), values("phone", "value")
    labels = row.get("labels") or row.get("group membership") or ""
    tags = [label.strip() for label in labels.split(GOOGLE_SEPARATOR)]
    return {
        "name": name,
        "email": emails[0] if emails else None,
        "phone": phones[0] if phones else None,
        "company": row.get("organization 1 - name") or row.get("organization name"),
        "title": row.get("organization 1 - title") or row.get("organization title"),
        "url": next(iter(values("website", "value")), None),
        "notes": _notes(row.get("notes"), *_also("email", emails[1:]), *_also("phone", phones[1:])),
        "tags": [tag for tag in tags if tag and not tag.startswith("*")],  # * myContacts
    }


OUTLOOK_PHONES = ("mobile phone", "business phone", "home phone", "other phone", "primary phone")


def _outlook(row):
    emails = [row.get(key) for key in ("e-mail address", "e-mail 2 address", "e-mail 3 address")]
    emails = [email for email in emails if email]
    phones = [row.get(key) for key in OUTLOOK_PHONES if row.get(key)]
    return {
        "name": _joined(*(row.get(key) for key in ("first name", "middle name", "last name"))),
        "company": row.get("company"),
        "title": row.get("job title"),
        "email": emails[0] if emails else None,
        "phone": phones[0] if phones else None,
        "url": row.get("web page"),
        "notes": _notes(row.get("notes"), *_also("email", emails[1:]), *_also("phone", phones[1:])),
        "tags": [tag.strip() for tag in row.get("categories", "").split(";") if tag.strip()],
    }


def _hallway(row):
    fields = {name: _unescaped(row.get(name, "")) for name in COLUMNS}
    fields["tags"] = split_tags(fields["tags"])
    flag = fields["no_next_step"].casefold()
    fields["no_next_step"] = {"true": True, "false": False}.get(flag, fields["no_next_step"])
    return fields


def _mapped(cells, columns):
    def joined(field):
        return _joined(*(cells[i] for i in columns.get(field, []) if i < len(cells)))

    fields = {field: joined(field) for field in MAPPABLE}
    fields["tags"] = [tag.strip() for tag in re.split(r"[,;]", fields["tags"]) if tag.strip()]
    return fields


READERS = {"hallway_csv": _hallway, "linkedin": _linkedin, "google": _google, "outlook": _outlook}


# Writing Hallway's CSV


def write_contacts_table(contacts):
    """Hallway's CSV of contacts, a line at a time: UTF-8 with a byte-order mark (so Excel reads
    it as UTF-8), every field, no cell a spreadsheet would run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield "\ufeff" + _taken(out)
    for contact in contacts:
        writer.writerow([_cell(name, getattr(contact, name)) for name in COLUMNS])
        yield _taken(out)


def _taken(out):
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text


def _cell(name, value):
    if name == "tags":
        value = join_tags(value or [])
    elif isinstance(value, bool):
        value = "true" if value else "false"
    elif value is not None and not isinstance(value, str):
        value = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if isinstance(value, str) and value.startswith("'"):
        return "'" + value  # so the apostrophe export_cell adds can always be taken off again
    return export_cell(value)


def _unescaped(cell):
    """A Hallway CSV cell as it was before export_cell: one leading apostrophe off."""
    return cell[1:] if cell.startswith("'") else cell


def join_tags(tags):
    """Tags in one cell: "investor, rust"; a comma or backslash inside a tag is escaped."""
    return ", ".join(tag.replace("\\", "\\\\").replace(",", "\\,") for tag in tags)


def split_tags(cell):
    """The tags join_tags wrote."""
    tags, current, escaped = [], [], False
    for char in cell:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            tags.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    tags.append("".join(current).strip())
    return [tag for tag in tags if tag]


__all__ = ["MappingRequired", "read_contacts_table", "write_contacts_table"]
