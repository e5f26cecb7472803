"""Speaker lists as JSON: Sessionize (the Speakers or the All view) and pretalx (one page of its
API or many)."""

import re

from ..errors import ApiError
from ..jsonfiles import item_lines, items_at, load_documents
from .attendee_rows import COMPANY_NAMES, Parsed, check_size, norm

COMPANY_QUESTIONS = COMPANY_NAMES
TITLE_QUESTIONS = {"job title", "title", "position", "role", "occupation"}
SESSIONIZE_KEYS = {"fullName", "firstName", "tagLine", "profilePicture"}
TAGLINE_SPLIT = re.compile(r"\s+(?:at|@|\||-|–|—)\s+|\s+@(?=\S)", re.IGNORECASE)


def parse_json(text):
    """Parse a Sessionize (Speakers or All view) or pretalx (one page or many) speaker list."""
    documents = load_documents(text)
    fmt, path, questions = _speaker_list([value for _, value in documents])
    if len(documents) > 1:
        path = path[1:]  # pages written one after another, not inside a list
    items = [item for _, value in documents for item in items_at(value, path)]
    check_size(len(items))
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
