"""Speaker lists as JSON: Sessionize (the Speakers or the All view) and pretalx (one page of its
API or many), each recognised by the fields its speakers always have; a list of objects of any
other shape is read once the client says which key holds what (a mapping, as for a CSV)."""

import re

from ..errors import ApiError
from ..jsonfiles import item_lines, items_at, load_documents
from .attendee_csv import MappingRequired, parse_mapped, suggest_mapping
from .attendee_rows import COMPANY_NAMES, Parsed, check_size, norm

COMPANY_QUESTIONS = COMPANY_NAMES
TITLE_QUESTIONS = {"job title", "title", "position", "role", "occupation"}
#: Keys every speaker has in Sessionize's exports (either view), and in pretalx's API.
SESSIONIZE_KEYS = {"id", "firstName", "lastName", "fullName"}
PRETALX_KEYS = {"code", "name"}
#: What an object of another program calls its list of people, when it holds several lists.
PEOPLE_LISTS = {"speakers", "attendees", "people", "participants", "contacts", "guests"}
#: At most this many keys are offered in a mapping step.
MAX_KEYS = 200
TAGLINE_SPLIT = re.compile(r"\s+(?:at|@|\||-|–|—)\s+|\s+@(?=\S)", re.IGNORECASE)
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
NOT_AN_OBJECT = "This is not a speaker (no JSON object)."


def parse_json(text, mapping=None):
    """Parse a Sessionize (Speakers or All view) or pretalx (one page or many) speaker list, or a
    list of people of any other shape with a mapping ({field: key}; without one, MappingRequired)."""
    documents = load_documents(text)
    values = [value for _, value in documents]
    path = _list_path(values)
    items = [item for value in values for item in items_at(value, path)]
    check_size(len(items))
    lines = item_lines(text, documents, path)
    if len(lines) != len(items):  # a key given twice: json keeps the last one
        lines = [1] * len(items)
    places = [{"line": line, "item": n} for n, line in enumerate(lines, 1)]
    fmt = _format(items)
    if fmt == "json":
        return parse_mapped_json(items, places, mapping)
    parsed = Parsed(fmt)
    questions = values[0].get("questions") if isinstance(values[0], dict) else None
    asked = {q.get("id"): q.get("question") for q in _objects(questions)}
    for item, place in zip(items, places, strict=True):
        if not isinstance(item, dict):
            parsed.fail(place, NOT_AN_OBJECT)
        elif fmt == "sessionize":
            parsed.add(sessionize_row(item, asked), place)
        else:
            parsed.add(pretalx_row(item), place)
    return parsed


def _is_page(value):
    """One page of an API answer (pretalx's, or another paginated API's)."""
    return isinstance(value, dict) and "count" in value and isinstance(value.get("results"), list)


def _list_path(values):
    """The path to the list of people inside each document (see jsonfiles.items_at)."""
    doc = values[0]
    if len(values) > 1 or _is_page(doc):
        if all(_is_page(value) for value in values):
            return ("results",)
    elif isinstance(doc, list):
        return ("*", "results") if doc and all(_is_page(value) for value in doc) else ()
    elif isinstance(doc, dict):
        lists = [key for key, value in doc.items() if _objects(value)]
        people = [key for key in lists if norm(key) in PEOPLE_LISTS]
        if people or lists:
            return ((people or lists)[0],)
        if not doc or any(doc.get(key) == [] for key in PEOPLE_LISTS):
            raise ApiError(422, "empty_file", "The file holds no speakers.", "file")
    message = "This JSON holds no list of people: it is not a speaker or attendee list."
    raise ApiError(422, "unknown_format", message, "file")


def _format(items):
    """sessionize or pretalx when every speaker has that program's keys, else json."""
    objects = _objects(items)
    if not items:
        raise ApiError(422, "empty_file", "The file holds no speakers.", "file")
    if not objects:
        message = "This JSON list holds no objects: it is not a speaker or attendee list."
        raise ApiError(422, "unknown_format", message, "file")
    for fmt, keys in (("sessionize", SESSIONIZE_KEYS), ("pretalx", PRETALX_KEYS)):
        if all(keys <= item.keys() for item in objects):
            return fmt
    return "json"


def parse_mapped_json(items, places, mapping):
    """A list of objects of no known program: each key (a nested object's as "outer.inner") is a
    column, and the client's mapping says which holds the name, the company, ..."""
    flat = [_flatten(item) if isinstance(item, dict) else None for item in items]
    keys = list(dict.fromkeys(key for cells in flat if cells for key in cells))[:MAX_KEYS]
    if mapping is None:
        raise MappingRequired(keys, suggest_keys(keys), "json")
    rows = [
        (place, [cells.get(key, "") for key in keys])
        for place, cells in zip(places, flat, strict=True)
        if cells is not None
    ]
    parsed = parse_mapped("json", keys, rows, mapping)
    for place, cells in zip(places, flat, strict=True):
        if cells is None:
            parsed.fail(place, NOT_AN_OBJECT)
    parsed.errors.sort(key=lambda error: error["item"])
    return parsed


def suggest_keys(keys):
    """suggest_mapping for JSON keys, which may be written camelCase (fullName, jobTitle)."""
    spaced = {CAMEL.sub(" ", key): key for key in keys}
    guessed = suggest_mapping(list(spaced))
    suggested = {
        name: [spaced[h] for h in chosen] if isinstance(chosen, list) else spaced[chosen]
        for name, chosen in guessed.items()
    }
    return {**suggest_mapping(keys), **suggested}


def _flatten(item, prefix=""):
    """{key: text} for an object's values; a nested object's keys as "outer.inner" (one level)."""
    cells = {}
    for key, value in item.items():
        if isinstance(value, dict) and not prefix:
            cells.update(_flatten(value, f"{key}."))
        elif not isinstance(value, dict):
            cells[f"{prefix}{key}"] = _cell(value)
    return cells


def _cell(value):
    """A JSON value as a cell's text: a list's items (an object's values) joined."""
    if isinstance(value, list):
        parts = (
            " ".join(filter(None, map(_text, item.values())))
            if isinstance(item, dict)
            else _text(item)
            for item in value
        )
        return ", ".join(filter(None, parts))
    return _text(value)


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
    company = next((a for q, a in answers if a and norm(q) in COMPANY_QUESTIONS), "")
    title = next((a for q, a in answers if a and norm(q) in TITLE_QUESTIONS), "")
    said_title, said_company = split_tagline(tagline)
    return title or said_title, company or said_company


def split_tagline(tagline):
    """Split "CTO at Acme", "CTO @ Acme", "CTO | Acme" into (title, company); a tagline that names
    no company is all title."""
    parts = TAGLINE_SPLIT.split(tagline, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else (tagline, "")


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
