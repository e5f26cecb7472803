"""Undo what payloads encode: backslash escapes, escaped semicolons, =XX and %XX bytes in a charset."""

import re

HEX_RUN = {mark: re.compile(f"(?:{mark}[0-9A-Fa-f]{{2}})+") for mark in ("=", "%")}
ESCAPE_OR_SEMICOLON = re.compile("\\\\[\\s\\S]|;")
VCARD_ESCAPE = re.compile("\\\\([\\s\\S])")
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
