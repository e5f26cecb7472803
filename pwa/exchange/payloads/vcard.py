"""vCard 2.1, 3.0 and 4.0: logical lines, properties and their parameters, decoded values, identity."""

import re

from .card import Card
from .decoding import hex_decode, split_escaped, unescape
from .links import tel_number
from .text import lower, trim, upper

APPLE_LABEL = re.compile("_\\$!<([^>]*)>!\\$_")
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


def read_vcard(rest, payload):
    """vCard 2.1, 3.0 and 4.0 as phones and address books write them, leniently."""
    properties, begun = [], False
    for _, line in logical_lines(payload.split("\n")):
        prop = content_line(line)
        if prop is None:
            continue
        if prop[1] in ("BEGIN", "END"):
            if prop[1] == "END" or begun:
                break  # one card per scan; a second BEGIN means the first never ended
            begun = True
            continue
        properties.append(prop)
    return card_of(properties).result("vcard")


def card_of(properties):
    """The card that a vCard's properties (group, NAME, params, raw value) describe."""
    card, identity, labels, details = Card(), {}, {}, []
    for group, name, params, raw in properties:
        text = decoded(raw, params)
        if text is None:
            continue
        parts = [trim(unescape(part)) for part in split_escaped(text)]
        value = ", ".join(part for part in parts if part) if name == "ADR" else unescape(text)
        if name in IDENTITY:
            identity.setdefault(name, parts if name in ("N", "ORG") else [trim(value)])
        elif name == "X-ABLABEL":
            labels[group] = APPLE_LABEL.sub(lambda m: m[1], trim(value))
        elif name == "NOTE":
            card.add("Note", value)
        elif name == "CATEGORIES":
            card.tags += [unescape(tag) for tag in split_escaped(text, ",")]
        elif name in DETAILS:
            if name == "TEL" and (params["uri"] or lower(trim(value)[:4]) == "tel:"):
                value = tel_number(value)
            details.append((DETAILS[name], value, group, params))
    for kind, value, group, params in details:
        card.add(kind, value, labels.get(group) or _type_label(params["types"]), params["pref"])
    _vcard_identity(card, identity)
    return card


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


def logical_lines(lines):
    """Undo folding (a line starting with a space or tab continues the one before) and
    quoted-printable soft breaks (a value ending in "=" continues on the next line): yield each
    logical line with the number of the line it starts on (1 = first). The pieces of a line are
    joined once, so a photo folded over 100,000 lines takes no longer than its size."""
    start, pieces, soft = 0, None, False
    for number, line in enumerate(lines, 1):
        if pieces and soft and pieces[-1].endswith("="):
            pieces[-1] = pieces[-1][:-1]
            pieces.append(line)
        elif pieces and line[:1] in (" ", "\t"):
            pieces.append(line[1:])
        else:
            if pieces is not None:
                yield start, "".join(pieces)
            start, pieces = number, [line]
            colon = line.find(":")
            soft = colon > 0 and "QUOTED-PRINTABLE" in upper(line[:colon])
    if pieces is not None:
        yield start, "".join(pieces)


def content_line(line):
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


def decoded(value, params):
    """The value as text, quoted-printable bytes decoded in the declared charset and escapes
    kept; None for base64 (photos, keys), which a contact does not hold."""
    if params["encoding"] in ("B", "BASE64"):
        return None
    if params["encoding"] == "QUOTED-PRINTABLE":
        return hex_decode(value, "=", params["charset"])
    return value


def _type_label(types):
    return ", ".join(dict.fromkeys(t for t in types if t not in PLAIN_TYPES))
