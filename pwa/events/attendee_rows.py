"""What every attendee-list parser returns (tidy directory rows, the problems of the rows that
cannot be imported) and what they share: the rules a row must meet whatever file it came from,
how many rows an import takes, how headers and questions are compared."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..errors import ApiError
from ..fields import EMAIL_RE

#: Rows (or speakers) one import takes: about ten seconds of work; more should be split.
MAX_ROWS = 100_000
#: Names of the column (CSV) or question (Sessionize, pretalx) that holds the company.
COMPANY_NAMES = {
    "company",
    "company name",
    "organisation",
    "organization",
    "org",
    "employer",
    "affiliation",
}
#: Text longer than this is cut (with an ellipsis) rather than refused.
CUT_AT = {"name": 200, "company": 200, "title": 200, "bio": 10000}
MAX_LINKS = 20
URL_RE = re.compile(r"(?:https?://|www\.)[^\s,;|<>\"']+", re.IGNORECASE)
WEB_URL = re.compile(r"https?://[^\s/?#]+\S*$", re.IGNORECASE)


@dataclass
class Parsed:
    """What a parser read: the rows to import and what was wrong with the others."""

    #: eventbrite, sessionize, pretalx, csv or json (JSON of no known program, mapped)
    format: str
    #: The directory's fields, source_key, and the "line" (JSON: also "item") each came from.
    rows: list = field(default_factory=list)
    #: [{"line": N, "reason": "..."}] (JSON rows also say which "item" of the list).
    errors: list = field(default_factory=list)
    #: Rows left out on purpose (refunded or cancelled tickets).
    skipped: int = 0
    #: Columns of the file that nothing was read from.
    ignored_columns: list = field(default_factory=list)

    def add(self, row, place):
        """Keep a row once tidied, or note why it cannot be imported."""
        reason = clean_row(row)
        if reason:
            self.fail(place, reason)
        else:
            self.rows.append({**row, **place})

    def fail(self, place, reason):
        """Note a row that cannot be imported, and why."""
        self.errors.append({**place, "reason": reason})


def check_size(count):
    """Refuse a file with more rows than one import takes."""
    if count > MAX_ROWS:
        message = f"The file has {count:,} rows; an import takes up to {MAX_ROWS:,}. Split it."
        raise ApiError(422, "too_many_rows", message, "file")


def norm(header):
    """A header or question as compared with known names: lower case, no punctuation but #."""
    return re.sub(r"[^\w#]+", " ", header.casefold()).replace("_", " ").strip()


def clean_row(row):
    """Tidy a row in place (trim, cut long text, keep web links only); return why it cannot be
    imported, or None."""
    for name in ("name", "company", "title", "email", "badge_id", "bio", "source_key"):
        value = (row.get(name) or "").replace("\x00", "").replace("\r\n", "\n").strip()
        if name in ("name", "company", "title"):
            value = " ".join(value.split())
        limit = CUT_AT.get(name)
        if limit and len(value) > limit:
            value = value[: limit - 1].rstrip() + "…"
        row[name] = value or None
    row["links"] = web_links(row.get("links"))
    if not row["name"]:
        return "The name is missing."
    email = row["email"]
    if email and (len(email) > 320 or not EMAIL_RE.match(email)):
        return f"The email address '{email[:80]}' is not valid."
    if row["badge_id"] and len(row["badge_id"]) > 200:
        return "The badge id is longer than 200 characters."
    if row["source_key"] and len(row["source_key"]) > 200:
        return "The id is longer than 200 characters."
    return None


def web_links(links):
    """Keep http(s) links only (no javascript: or data: URLs), each once, at most MAX_LINKS."""
    kept, seen = [], set()
    for link in links or []:
        url = link.get("url") if isinstance(link, dict) else None
        if not isinstance(url, str):
            continue
        url = url.strip()
        if url.casefold().startswith("www."):
            url = "https://" + url
        if WEB_URL.match(url) and len(url) <= 2048 and url not in seen:
            seen.add(url)
            title = link.get("title") if isinstance(link.get("title"), str) else ""
            kept.append({"title": title.strip()[:100] or site_name(url), "url": url})
    return kept[:MAX_LINKS]


def links_in(text):
    """The web links written in a cell (several may be separated by spaces, commas, ...)."""
    links = []
    for url in URL_RE.findall(text or ""):
        url = url.rstrip(".)")
        links.append({"title": "", "url": url})
    return web_links(links)


def site_name(url):
    """A link's title when it has none: its host, without www."""
    host = urlsplit(url if "://" in url else "https://" + url).hostname or "Link"
    return host.removeprefix("www.")
