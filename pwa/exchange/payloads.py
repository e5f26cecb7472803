"""Read what a scanned QR code carries (vCard, MECARD, BIZCARD, links, tel:, mailto:, text) into the
fields of a contact. static/js/payloads.js is the same parser for the browser, function for
function, and tests/data/payloads.json holds both to the same answers. To agree on any input, both
use only ASCII-only regexes (Python `fullmatch`, JS `^(?:...)$`), their own trim and case mapping,
and count lengths in code points."""

import logging
import re

log = logging.getLogger(__name__)

#: The most characters read; a QR code holds at most about 7,000.
MAX_INPUT = 16384
#: The most characters kept as the raw payload (the contact's raw_payload limit).
MAX_RAW = 8192
#: The contact fields a scan fills, with the limits the contacts API enforces.
LIMITS = {"name": 200, "company": 200, "title": 200, "email": 320, "phone": 50, "url": 2048}
NOTES_LIMIT = 10000

SPACE = " \\t\\n\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
SPACES = re.compile(f"[{SPACE}]+")
SPACE_CHARS = frozenset(" \t\n\u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | frozenset(
    chr(c) for c in range(0x2000, 0x200B)
)
CONTROL = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]")
LONE_SURROGATE = re.compile("[\\ud800-\\udfff]")
NEWLINE = re.compile("\\r\\n?")
EMAIL = re.compile(f"[^@{SPACE}]+@[^@{SPACE}]+\\.[^@{SPACE}]+")
WEB_URL = re.compile(f"https?://[^/?#{SPACE}]+(?:[/?#][^{SPACE}]*)?", re.I | re.A)
DOMAIN = "(?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,63}"
#: A link without its scheme, in a field meant for links (vCard URL, URLTO:).
LOOSE_LINK = re.compile(f"{DOMAIN}(?:[/?#][^{SPACE}]*)?")
#: A link without its scheme as a whole payload: www.example.com or example.com/path.
BARE_LINK = re.compile(f"[Ww]{{3}}\\.{DOMAIN}(?:[/?#][^{SPACE}]*)?|{DOMAIN}/[^{SPACE}]*")
#: A Hallway public card link, on any server: /c/<token>.
HALLWAY_CARD = re.compile(f"[A-Za-z]+://[^/?#]+/c/([A-Za-z0-9_-]{{1,64}})/?(?:[?#][^{SPACE}]*)?")
APPLE_LABEL = re.compile("_\\$!<([^>]*)>!\\$_")
HEX_RUN = {mark: re.compile(f"(?:{mark}[0-9A-Fa-f]{{2}})+") for mark in ("=", "%")}
ESCAPE_OR_SEMICOLON = re.compile("\\\\[\\s\\S]|;")
VCARD_ESCAPE = re.compile("\\\\([\\s\\S])")
DIGIT = re.compile("[0-9]")
BADGE_TOKEN = re.compile("[A-Za-z0-9][A-Za-z0-9_-]{3,199}")
UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
LATIN = {
    "iso-8859-1",
    "iso8859-1",
    "latin1",
    "latin-1",
    "windows-1252",
    "cp1252",
    "us-ascii",
    "ascii",
}
#: windows-1252 as browsers decode it (the five undefined bytes map to C1 controls).
CP1252 = [bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(256)]
ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
PLAIN_TYPES = {"pref", "internet", "voice", "x400", "text", "uri"}
#: vCard properties read as labelled details: a phone, an email, a link or a line of the notes.
DETAILS = {
    "TEL": "Phone",
    "EMAIL": "Email",
    "URL": "URL",
    "X-SOCIALPROFILE": "URL",
    "ADR": "Address",
    "NICKNAME": "Nickname",
    "BDAY": "Birthday",
}
IDENTITY = ("FN", "N", "ORG", "TITLE", "ROLE")
MECARD_DETAILS = {"TEL": "Phone", "EMAIL": "Email", "URL": "URL", "NOTE": "Note"}
MECARD_DETAILS |= {"ADR": "Address", "NICKNAME": "Nickname", "BDAY": "Birthday"}


def parse_payload(text):
    """Return a payload's format, the contact fields it fills and the raw text to keep."""
    text = _as_text(text)
    try:
        result = _parse(_prepare(text))
    except Exception:  # a bug here must never lose a scan: keep the payload as a note instead
        log.exception("could not parse a scanned payload; keeping it as a note")
        result = _note(_prepare(text))
    result["raw_payload"] = text.replace("\x00", "")[:MAX_RAW]
    return result


def badge_candidates(text):
    """Return what in a payload may be an attendee's badge id: the whole payload, then each
    word with a digit in it (a registration number inside a URL or a vCard)."""
    payload = _prepare(_as_text(text))
    found = [payload] if 0 < len(payload) <= 200 else []
    for token in BADGE_TOKEN.findall(payload):
        if DIGIT.search(token) and token not in found:
            found.append(token)
    return found[:50]


def well_formed(text):
    """The text with each lone surrogate (no character; JSON can carry one) replaced by U+FFFD."""
    return LONE_SURROGATE.sub("\ufffd", text)


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", "replace")
    return well_formed(str(value)[:MAX_INPUT])


def _prepare(text):
    return trim(plain(text))


def _parse(payload):
    head = upper(payload[:12])
    for prefix, read in READERS:
        if head.startswith(prefix):
            result = read(payload[len(prefix) :], payload)
            return result or _note(payload)
    return _link(payload, BARE_LINK) or _note(payload)


def _note(payload):
    notes = clean_notes(payload)
    return {"format": "text", "contact": {"notes": notes} if notes else {}}


def _link(text, bare):
    """A Hallway card link or another http(s) link; `bare` says what may stand without a scheme."""
    url = web_url(text, bare)
    if not url:
        return None
    card = HALLWAY_CARD.fullmatch(url)
    if card:
        return {"format": "hallway", "contact": {"url": url}, "token": card[1]}
    return {"format": "url", "contact": {"url": url}}


def _urlto(rest, payload):
    return _link(trim(rest), LOOSE_LINK)


def _tel(rest, payload):
    phone = clean_line(tel_number(percent_decode(rest)), LIMITS["phone"])
    return {"format": "tel", "contact": {"phone": phone}} if DIGIT.search(phone) else None


def _mailto(rest, payload):
    card = Card()
    for address in percent_decode(rest.split("?")[0]).split(","):
        card.add("Email", address)
    result = card.result("email")
    return result if "email" in result["contact"] else None


def _mecard(rest, payload):
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


def _bizcard(rest, payload):
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


def _vcard(rest, payload):
    """vCard 2.1, 3.0 and 4.0 as phones and address books write them, leniently."""
    card, identity, labels, details, begun = Card(), {}, {}, [], False
    for line in _logical_lines(payload.split("\n")):
        prop = _property(line)
        if prop is None:
            continue
        group, name, params, value = prop
        if name in ("BEGIN", "END"):
            if name == "END" or begun:
                break  # one card per scan; a second BEGIN means the first never ended
            begun = True
            continue
        value = _decode(value, params)
        if value is None:
            continue
        parts = [trim(unescape(part)) for part in split_escaped(value)]
        value = ", ".join(part for part in parts if part) if name == "ADR" else unescape(value)
        if name in IDENTITY:
            identity.setdefault(name, parts if name in ("N", "ORG") else [trim(value)])
        elif name == "X-ABLABEL":
            labels[group] = APPLE_LABEL.sub(lambda m: m[1], trim(value))
        elif name == "NOTE":
            card.add("Note", value)
        elif name in DETAILS:
            if name == "TEL" and (params["uri"] or lower(trim(value)[:4]) == "tel:"):
                value = tel_number(value)
            details.append((DETAILS[name], value, group, params))
    for kind, value, group, params in details:
        card.add(kind, value, labels.get(group) or _type_label(params["types"]), params["pref"])
    _vcard_identity(card, identity)
    return card.result("vcard")


def _vcard_identity(card, identity):
    """Name (FN, else built from N), company and departments (ORG), title (TITLE, else ROLE)."""
    family, given, middle, prefix, suffix = (identity.get("N", []) + [""] * 5)[:5]
    n_name = " ".join(part for part in (prefix, given, middle, family, suffix) if part)
    card.name = identity.get("FN", [""])[0] or n_name
    org = [part for part in identity.get("ORG", []) if part]
    card.company = org[0] if org else ""
    card.add("Department", ", ".join(org[1:]))
    title, role = identity.get("TITLE", [""])[0], identity.get("ROLE", [""])[0]
    card.title = title or role
    if title and role != title:
        card.add("Role", role)


def _logical_lines(lines):
    """Undo folding (a line starting with a space or tab continues the one before) and
    quoted-printable soft breaks (a value ending in "=" continues on the next line)."""
    joined, soft = [], False
    for line in lines:
        if joined and soft and joined[-1].endswith("="):
            joined[-1] = joined[-1][:-1] + line
        elif joined and line[:1] in (" ", "\t"):
            joined[-1] += line[1:]
        else:
            joined.append(line)
            colon = line.find(":")
            soft = colon > 0 and "QUOTED-PRINTABLE" in upper(line[:colon])
    return joined


def _property(line):
    """Split `group.NAME;param=value;BARE:value`; a colon inside a quoted parameter is not the end."""
    colon, quoted = -1, False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            colon = i
            break
    if colon < 0:
        colon = line.find(":")
        if colon < 0:
            return None
    name, *params = line[:colon].split(";")
    group, _, name = name.rpartition(".")
    return trim(group), upper(trim(name)), _params(params), line[colon + 1 :]


def _params(parts):
    params = {"types": [], "encoding": "", "charset": "", "uri": False, "pref": False}
    for part in parts:
        key, equals, value = part.partition("=")
        key, value = upper(trim(key)), trim(value.replace('"', ""))
        if not equals:  # vCard 2.1 writes bare values: TEL;CELL;PREF, NOTE;QUOTED-PRINTABLE
            key, value = ("ENCODING" if key in ENCODINGS else "TYPE"), key
        if key == "TYPE":
            params["types"] += [lower(trim(t)) for t in value.split(",") if trim(t)]
        elif key == "ENCODING":
            params["encoding"] = upper(value)
        elif key == "CHARSET":
            params["charset"] = lower(value)
        elif key == "VALUE":
            params["uri"] = lower(value) == "uri"
        elif key == "PREF":
            params["pref"] = True
    params["pref"] = params["pref"] or "pref" in params["types"]
    return params


def _decode(value, params):
    """The value as text; None for base64 (photos, keys), which a contact does not hold."""
    if params["encoding"] in ("B", "BASE64"):
        return None
    if params["encoding"] == "QUOTED-PRINTABLE":
        return hex_decode(value, "=", params["charset"])
    return value


def _type_label(types):
    return ", ".join(dict.fromkeys(t for t in types if t not in PLAIN_TYPES))


READERS = (
    ("BEGIN:VCARD", _vcard),
    ("MECARD:", _mecard),
    ("BIZCARD:", _bizcard),
    ("URLTO:", _urlto),
    ("TEL:", _tel),
    ("MAILTO:", _mailto),
)


class Card:
    """What a card says, gathered detail by detail, then cut to the contact's fields and limits."""

    def __init__(self):
        self.name = self.company = self.title = ""
        self.phones, self.emails, self.urls = [], [], []
        self.notes, self.extras = [], []

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


def tel_number(value):
    """The number of a tel: URI (tel:+1-555-0100;ext=12 -> +1-555-0100 ext. 12)."""
    value = trim(value)
    if lower(value[:4]) == "tel:":
        value = value[4:]
    number, *params = [trim(part) for part in value.split(";")]
    ext = next((trim(p[4:]) for p in params if lower(p[:4]) == "ext="), "")
    return trim(number) + (f" ext. {ext}" if ext else "")


def split_escaped(text):
    """Split on semicolons that no backslash escapes (vCard components, MECARD fields)."""
    parts, start = [], 0
    for match in ESCAPE_OR_SEMICOLON.finditer(text):
        if match[0] == ";":
            parts.append(text[start : match.start()])
            start = match.end()
    return parts + [text[start:]]


def unescape(value):
    r"""vCard escapes \n \, \; \\, and in the wild \: (iOS) and \" (Google); others stay."""
    return VCARD_ESCAPE.sub(lambda m: _UNESCAPED.get(m[1], m[0]), value)


_UNESCAPED = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":", '"': '"'}


def hex_decode(text, mark, charset="utf-8"):
    """Decode runs of =XX (quoted-printable) or %XX (URL) bytes in the given charset."""
    return HEX_RUN[mark].sub(
        lambda m: _bytes_text(bytes.fromhex(m[0].replace(mark, "")), charset), text
    )


def percent_decode(text):
    return hex_decode(text, "%")


def _bytes_text(data, charset):
    if charset in LATIN:
        return "".join(CP1252[b] for b in data)
    return data.decode("utf-8", "replace")


def plain(text):
    """Unify line ends and drop control characters other than newline and tab."""
    return CONTROL.sub("", NEWLINE.sub("\n", text))


def clean_line(text, limit=None):
    """One line of text: no control characters, spaces collapsed, trimmed, cut to limit."""
    return trim(cut(trim(SPACES.sub(" ", plain(text))), limit))


def clean_notes(text):
    """Text for the notes: no control characters, trimmed, cut to the notes limit."""
    return trim(cut(trim(plain(text)), NOTES_LIMIT))


def cut(text, limit):
    return text if limit is None else text[:limit]


def trim(text):
    """Strip the spaces SPACE names (the same set in both languages, unlike str.strip)."""
    start, end = 0, len(text)
    while start < end and text[start] in SPACE_CHARS:
        start += 1
    while end > start and text[end - 1] in SPACE_CHARS:
        end -= 1
    return text[start:end]


def upper(text):
    return text.translate(UPPER)


def lower(text):
    return text.translate(LOWER)
