"""Attendee lists as CSV: Eventbrite attendee reports (recognised by their columns), and any other
list once the client says which column holds what (a mapping): a CSV, or JSON of no known program
whose keys are its columns."""

from ..errors import ApiError
from .attendee_rows import COMPANY_NAMES, Parsed, check_size, links_in, norm

#: The directory fields a column mapping may fill.
FIELDS = ("name", "company", "title", "email", "badge_id", "bio", "links")
#: Eventbrite's report headers (lower case, punctuation other than # removed), by role.
EVENTBRITE = {
    "first": {"first name", "firstname", "given name", "forename"},
    "last": {"last name", "lastname", "surname", "family name"},
    "email": {"email", "email address", "e mail", "e mail address"},
    "company": {"company", "company name", "organisation", "organization"},
    "title": {"job title", "position"},
    "attendee": {"attendee #", "attendee no", "attendee number", "attendee id"},
    "barcode": {"barcode #", "barcode", "barcode no", "barcode number"},
    "order": {"order #", "order no", "order number", "order id"},
    "status": {"attendee status", "status"},
    "website": {"website", "blog", "web site"},
}
#: Attendee statuses that mean the person is not coming.
NOT_COMING = {"refunded", "cancelled", "canceled", "deleted", "not attending", "transferred"}
#: Header names suggested for each field when a CSV needs a mapping.
SUGGESTIONS = {
    "name": {"name", "full name", "attendee name", "speaker name", "display name"},
    "company": COMPANY_NAMES,
    "title": {"title", "job title", "position", "role", "occupation"},
    "email": {"email", "e mail", "email address", "e mail address", "mail"},
    "badge_id": {"badge", "badge id", "badge #", "barcode", "barcode #", "ticket #", "ticket id"},
    "bio": {"bio", "biography", "about", "description"},
    "links": {"links", "link", "url", "website", "homepage", "linkedin", "twitter"},
}


class MappingRequired(Exception):
    """A file of no known program: the client must say which column (JSON: key) holds what."""

    def __init__(self, headers, suggested, kind="csv"):
        super().__init__("mapping required")
        #: csv, or json (the headers are the keys of the list's objects)
        self.headers, self.suggested, self.kind = headers, suggested, kind


def parse_csv(table, mapping=None):
    """An Eventbrite report (mapping may override its columns), or any CSV with a mapping."""
    check_size(len(table.rows))
    if is_eventbrite(table.headers):
        return parse_eventbrite(table, mapping)
    if mapping is None:
        raise MappingRequired(table.headers, suggest_mapping(table.headers))
    return parse_mapped_csv(table, mapping)


def _find(headers, names):
    return next((i for i, header in enumerate(headers) if norm(header) in names), None)


def eventbrite_columns(headers):
    """The index of each Eventbrite column present: {"first": 2, "status": 9, ...}."""
    found = {role: _find(headers, names) for role, names in EVENTBRITE.items()}
    return {role: index for role, index in found.items() if index is not None}


def is_eventbrite(headers):
    """Tell an Eventbrite attendee report by its columns (any order, US or UK names)."""
    found = eventbrite_columns(headers)
    ids = ("order", "attendee", "barcode")
    return "first" in found and "last" in found and any(role in found for role in ids)


def parse_eventbrite(table, mapping=None):
    """Parse an Eventbrite attendee report, leaving out refunded and cancelled attendees."""
    found = eventbrite_columns(table.headers)
    badge = found.get("barcode", found.get("attendee"))
    defaults = {
        "name": [found["first"], found["last"]],
        "email": [found["email"]] if "email" in found else [],
        "company": [found["company"]] if "company" in found else [],
        "title": [found["title"]] if "title" in found else [],
        "badge_id": [badge] if badge is not None else [],
        "links": [i for i, h in enumerate(table.headers) if norm(h) in EVENTBRITE["website"]],
    }
    columns = {**defaults, **resolve_mapping(table.headers, mapping, required=())}
    read = {found.get(role) for role in ("status", "attendee", "barcode")}
    parsed = Parsed("eventbrite", ignored_columns=_unused(table.headers, columns, read))
    for line, cells in table.rows:
        if _cell(cells, found.get("status")).casefold() in NOT_COMING:
            parsed.skipped += 1
            continue
        row = _row_from_cells(cells, columns, table.headers)
        if "info requested" in row["name"].casefold():  # the buyer gave no attendee details
            reason = "Eventbrite has no name for this attendee (Info Requested)."
            parsed.fail({"line": line}, reason)
            continue
        key = _cell(cells, found.get("attendee")) or _cell(cells, found.get("barcode"))
        row["source_key"] = f"eventbrite:{key}" if key else None
        parsed.add(row, {"line": line})
    return parsed


def parse_mapped_csv(table, mapping):
    """Parse any CSV whose columns the client named: {"name": "Full name", "company": "Org"}."""
    rows = (({"line": line}, cells) for line, cells in table.rows)
    return parse_mapped("csv", table.headers, rows, mapping)


def parse_mapped(fmt, headers, rows, mapping):
    """Parse rows of cells [(place, cells)] under headers, with the columns the client named."""
    columns = resolve_mapping(headers, mapping)
    parsed = Parsed(fmt, ignored_columns=_unused(headers, columns))
    for place, cells in rows:
        row = _row_from_cells(cells, columns, headers)
        row["source_key"] = None
        parsed.add(row, place)
    return parsed


def resolve_mapping(headers, mapping, required=("name",), fields=FIELDS):
    """Turn {field: header or [headers]} into {field: [column indexes]}, or raise a 422."""
    if mapping is None:
        mapping = {}
    if not isinstance(mapping, dict):
        raise _bad_mapping('send a JSON object such as {"name": "Full name"}')
    where = {}
    for index, header in enumerate(headers):
        where.setdefault(header.strip().casefold(), index)
    columns = {}
    for name, chosen in mapping.items():
        if name not in fields:
            raise _bad_mapping(f"unknown field '{name}'; the fields are {', '.join(fields)}")
        chosen = [chosen] if isinstance(chosen, str) else chosen or []
        if not isinstance(chosen, list) or not all(isinstance(h, str) for h in chosen):
            raise _bad_mapping(f"{name}: name a column, or a list of columns")
        missing = [h for h in chosen if h.strip() and h.strip().casefold() not in where]
        if missing:
            raise _bad_mapping(f"{name}: the file has no column '{missing[0]}'")
        columns[name] = [where[h.strip().casefold()] for h in chosen if h.strip()]
    for name in required:
        if not columns.get(name):
            raise _bad_mapping(f"say which column holds the {name}")
    return columns


def _bad_mapping(problem):
    return ApiError(422, "invalid_field", f"mapping: {problem}.", "mapping")


def suggest_mapping(headers):
    """Guess which header holds each field, for the mapping step to start from."""
    suggested = {}
    for name, known in SUGGESTIONS.items():
        index = _find(headers, known)
        if index is not None:
            suggested[name] = headers[index]
    first, last = _find(headers, EVENTBRITE["first"]), _find(headers, EVENTBRITE["last"])
    if "name" not in suggested and first is not None and last is not None:
        suggested["name"] = [headers[first], headers[last]]
    return suggested


def _unused(headers, columns, read=()):
    used = {index for indexes in columns.values() for index in indexes} | set(read)
    return [header for index, header in enumerate(headers) if index not in used and header]


def _cell(cells, index):
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _row_from_cells(cells, columns, headers):
    def joined(name):
        return " ".join(filter(None, (_cell(cells, i) for i in columns.get(name, []))))

    row = {name: joined(name) for name in ("name", "company", "title", "email", "badge_id")}
    bio = columns.get("bio", [])
    if len(bio) == 1:
        row["bio"] = _cell(cells, bio[0])
    else:  # several columns: say which answer is which
        answers = ((headers[i], _cell(cells, i)) for i in bio)
        row["bio"] = "\n".join(f"{header}: {value}" for header, value in answers if value)
    row["links"] = links_in(joined("links"))
    return row
