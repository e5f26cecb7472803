"""A card's details gathered into a contact's fields, and what its link and email fields accept."""

import re

from .text import LIMITS, MAX_TAGS, SPACE, TAG_LIMIT, clean_line, clean_notes, plain, trim

EMAIL = re.compile(f"[^@{SPACE}]+@[^@{SPACE}]+\\.[^@{SPACE}]+")
WEB_URL = re.compile(f"https?://[^/?#{SPACE}]+(?:[/?#][^{SPACE}]*)?", re.I | re.A)
DOMAIN = "(?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,63}"
#: A link without its scheme, in a field meant for links (vCard URL, URLTO:).
LOOSE_LINK = re.compile(f"{DOMAIN}(?:[/?#][^{SPACE}]*)?")


class Card:
    """What a card says, gathered detail by detail, then cut to the contact's fields and limits."""

    def __init__(self):
        self.name = self.company = self.title = ""
        self.phones, self.emails, self.urls = [], [], []
        self.notes, self.extras, self.tags = [], [], []

    def add(self, kind, value, label="", pref=False):
        """Keep a phone, email or link (the preferred or first usable one fills the field), a
        note, or a labelled line for the notes."""
        value = trim(plain(value)) if kind == "Note" else clean_line(value)
        if not value:
            return
        if kind in ("Phone", "Email", "URL"):
            if kind == "URL":
                value = web_url(value, LOOSE_LINK) or value
            lists = {"Phone": self.phones, "Email": self.emails, "URL": self.urls}
            lists[kind].append((value, clean_line(label), pref))
        elif kind == "Note":
            self.notes.append(value)
        else:
            self.extras.append(_line(kind, clean_line(label), value))

    def result(self, fmt):
        """The scan's answer: format and the contact's fields, each within its limit."""
        phone, phone_lines = _choose(self.phones, "Phone", lambda v: True)
        email, email_lines = _choose(self.emails, "Email", valid_email)
        url, url_lines = _choose(self.urls, "URL", lambda v: web_url(v, None) == v)
        values = {"name": self.name, "company": self.company, "title": self.title}
        values |= {"email": email, "phone": phone, "url": url}
        contact = {key: clean_line(value, LIMITS[key]) for key, value in values.items()}
        lines = self.notes + phone_lines + email_lines + url_lines + self.extras
        contact["notes"] = clean_notes("\n".join(lines))
        tags = [clean_line(tag, TAG_LIMIT) for tag in self.tags]
        contact["tags"] = list(dict.fromkeys(tag for tag in tags if tag))[:MAX_TAGS]
        return {"format": fmt, "contact": {key: value for key, value in contact.items() if value}}


def _choose(entries, kind, usable):
    """The preferred usable entry (else the first usable one) and note lines for the others."""
    usable_at = [i for i, (value, _, _) in enumerate(entries) if usable(value)]
    chosen = next((i for i in usable_at if entries[i][2]), usable_at[0] if usable_at else -1)
    lines = [_line(kind, e[1], e[0]) for i, e in enumerate(entries) if i != chosen]
    return (entries[chosen][0] if chosen >= 0 else ""), lines


def _line(kind, label, value):
    return f"{kind} ({label}): {value}" if label else f"{kind}: {value}"


def web_url(text, bare):
    """The text as an http(s) link with no spaces, within the URL limit; `bare` (a pattern) may
    match a link written without its scheme, which then gets https://."""
    if len(text) > LIMITS["url"]:
        return None
    if WEB_URL.fullmatch(text):
        return text
    if bare is not None and bare.fullmatch(text) and len(text) <= LIMITS["url"] - 8:
        return "https://" + text
    return None


def valid_email(value):
    """An address the contacts API accepts."""
    return len(value) <= LIMITS["email"] and EMAIL.fullmatch(value) is not None
