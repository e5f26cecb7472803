"""Read attendee and speaker lists: Eventbrite attendee reports, Sessionize and pretalx speaker
JSON, and any CSV with a column mapping. Each parser returns plain rows (the directory's fields,
the source's own id as source_key, the line each came from) and the problems of bad rows."""

import re

from ..errors import ApiError
from ..jsonfiles import item_lines, items_at, load_documents
from ..spreadsheets import decode_text, read_table
from .parsed import Parsed, links_in

#: The directory fields a column mapping may fill.
FIELDS = ("name", "company", "title", "email", "badge_id", "bio", "links")
#: Rows (or speakers) one import takes: about ten seconds of work; more should be split.
MAX_ROWS = 100_000

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
    "company": {
        "company",
        "company name",
        "organisation",
        "organization",
        "org",
        "employer",
        "affiliation",
    },
    "title": {"title", "job title", "position", "role", "occupation"},
    "email": {"email", "e mail", "email address", "e mail address", "mail"},
    "badge_id": {"badge", "badge id", "badge #", "barcode", "barcode #", "ticket #", "ticket id"},
    "bio": {"bio", "biography", "about", "description"},
    "links": {"links", "link", "url", "website", "homepage", "linkedin", "twitter"},
}
COMPANY_QUESTIONS = SUGGESTIONS["company"]
TITLE_QUESTIONS = {"job title", "title", "position", "role", "occupation"}
SESSIONIZE_KEYS = {"fullName", "firstName", "tagLine", "profilePicture"}
TAGLINE_SPLIT = re.compile(r"\s+(?:at|@|\||-|–|—)\s+|\s+@(?=\S)", re.IGNORECASE)


class MappingRequired(Exception):
    """A CSV of no known program: the client must say which column holds what."""

    def __init__(self, headers, suggested):
        super().__init__("mapping required")
        self.headers, self.suggested = headers, suggested


def parse_file(data, mapping=None):
    """Recognise an uploaded file by its content and parse it (mapping: field -> CSV header)."""
    text = decode_text(data)
    start = text.lstrip()[:1]
    if start in ("[", "{"):
        return parse_json(text)
    if start == "<":
        message = "This is a web page or an XML file. Upload a CSV file or a JSON export."
        raise ApiError(415, "unsupported_file_type", message, "file")
    return parse_csv(read_table(text), mapping)


# CSV files


def parse_csv(table, mapping=None):
    """An Eventbrite report (mapping may override its columns), or any CSV with a mapping."""
    _check_size(len(table.rows))
    if is_eventbrite(table.headers):
        return parse_eventbrite(table, mapping)
    if mapping is None:
        raise MappingRequired(table.headers, suggest_mapping(table.headers))
    return parse_mapped_csv(table, mapping)


def _check_size(count):
    if count > MAX_ROWS:
        message = f"The file has {count:,} rows; an import takes up to {MAX_ROWS:,}. Split it."
        raise ApiError(422, "too_many_rows", message, "file")


def _norm(header):
    return re.sub(r"[^\w#]+", " ", header.casefold()).replace("_", " ").strip()


def _find(headers, names):
    return next((i for i, header in enumerate(headers) if _norm(header) in names), None)


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
        "links": [i for i, h in enumerate(table.headers) if _norm(h) in EVENTBRITE["website"]],
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
    columns = resolve_mapping(table.headers, mapping)
    parsed = Parsed("csv", ignored_columns=_unused(table.headers, columns))
    for line, cells in table.rows:
        row = _row_from_cells(cells, columns, table.headers)
        row["source_key"] = None
        parsed.add(row, {"line": line})
    return parsed


def resolve_mapping(headers, mapping, required=("name",)):
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
        if name not in FIELDS:
            raise _bad_mapping(f"unknown field '{name}'; the fields are {', '.join(FIELDS)}")
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


# JSON speaker lists


def parse_json(text):
    """Parse a Sessionize (Speakers or All view) or pretalx (one page or many) speaker list."""
    documents = load_documents(text)
    fmt, path, questions = _speaker_list([value for _, value in documents])
    if len(documents) > 1:
        path = path[1:]  # pages written one after another, not inside a list
    items = [item for _, value in documents for item in items_at(value, path)]
    _check_size(len(items))
    lines = item_lines(text, documents, path)
    if len(lines) != len(items):  # a key given twice: json keeps the last one
        lines = [1] * len(items)
    parsed = Parsed(fmt)
    asked = {q.get("id"): q.get("question") for q in questions if isinstance(q, dict)}
    for n, (item, line) in enumerate(zip(items, lines, strict=True), 1):
        place = {"line": line, "item": n}
        if not isinstance(item, dict):
            parsed.fail(place, "This is not a speaker (no JSON object).")
        elif fmt == "sessionize":
            parsed.add(sessionize_row(item, asked), place)
        else:
            parsed.add(pretalx_row(item), place)
    return parsed


def _is_page(value):
    return isinstance(value, dict) and isinstance(value.get("results"), list)


def _speaker_list(values):
    """(format, path to the speakers in each document, Sessionize's questions)."""
    if len(values) > 1 and all(_is_page(value) for value in values):
        return "pretalx", ("*", "results"), ()
    doc = values[0] if len(values) == 1 else None
    if _is_page(doc):
        return "pretalx", ("results",), ()
    if isinstance(doc, dict) and isinstance(doc.get("speakers"), list):
        questions = doc.get("questions")
        return "sessionize", ("speakers",), questions if isinstance(questions, list) else ()
    if isinstance(doc, list) and doc and all(_is_page(value) for value in doc):
        return "pretalx", ("*", "results"), ()
    first = doc[0] if isinstance(doc, list) and doc else None
    if isinstance(first, dict) and SESSIONIZE_KEYS & first.keys():
        return "sessionize", (), ()
    if isinstance(first, dict) and {"code", "name"} <= first.keys():
        return "pretalx", (), ()
    if doc == [] or (isinstance(doc, dict) and not doc):
        raise ApiError(422, "empty_file", "The file holds no speakers.", "file")
    message = "This JSON is neither a Sessionize nor a pretalx speaker list."
    raise ApiError(422, "unknown_format", message, "file")


def sessionize_row(speaker, asked=None):
    """A Sessionize speaker (either view) as a directory row."""
    names = (_text(speaker.get("firstName")), _text(speaker.get("lastName")))
    answers = [
        (_text(a.get("question")) or _text((asked or {}).get(a.get("questionId"))), a)
        for a in _objects(speaker.get("questionAnswers"))
    ]
    answers = [(q, _text(a.get("answer")) or _text(a.get("answerValue"))) for q, a in answers]
    title, company = _role(_text(speaker.get("tagLine")), answers)
    links = [
        {"title": _text(link.get("title")) or _text(link.get("linkType")), "url": link.get("url")}
        for link in _objects(speaker.get("links"))
    ]
    key = _text(speaker.get("id"))
    return {
        "name": _text(speaker.get("fullName")) or " ".join(filter(None, names)),
        "company": company,
        "title": title,
        "email": _text(speaker.get("email")),
        "badge_id": None,
        "bio": _text(speaker.get("bio")),
        "links": links + _photo(speaker.get("profilePicture")),
        "source_key": f"sessionize:{key}" if key else None,
    }


def pretalx_row(speaker):
    """A pretalx speaker (current or pre-2025 field names) as a directory row."""
    answers = [
        (_i18n(a["question"].get("question")) if isinstance(a.get("question"), dict) else "", a)
        for a in _objects(speaker.get("answers"))
    ]
    title, company = _role("", [(q, _text(a.get("answer"))) for q, a in answers])
    key = _text(speaker.get("code"))
    return {
        "name": _text(speaker.get("name")),
        "company": company,
        "title": title,
        "email": _text(speaker.get("email")),
        "badge_id": None,
        "bio": _text(speaker.get("biography")),
        "links": _photo(speaker.get("avatar_url") or speaker.get("avatar")),
        "source_key": f"pretalx:{key}" if key else None,
    }


def _role(tagline, answers):
    """(title, company) from answers to "Company?"/"Job title?", else a tagline "CTO at Acme"."""
    company = next((a for q, a in answers if a and _norm(q) in COMPANY_QUESTIONS), "")
    title = next((a for q, a in answers if a and _norm(q) in TITLE_QUESTIONS), "")
    parts = TAGLINE_SPLIT.split(tagline, maxsplit=1)
    said_title, said_company = (parts[0], parts[1]) if len(parts) == 2 else (tagline, "")
    return title or said_title, company or said_company


def split_tagline(tagline):
    """Split "CTO at Acme", "CTO @ Acme", "CTO | Acme" into (title, company)."""
    return _role(tagline, [])


def _photo(url):
    return [{"title": "Photo", "url": url}] if isinstance(url, str) and url else []


def _objects(value):
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value):
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return str(value).strip()


def _i18n(value):
    if isinstance(value, dict):
        return _text(value.get("en")) or next((_text(v) for v in value.values() if _text(v)), "")
    return _text(value)
