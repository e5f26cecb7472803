"""Undo what payloads encode: backslash escapes, escaped semicolons, =XX and %XX bytes in a charset."""

import re

HEX_RUN = {mark: re.compile(f"(?:{mark}[0-9A-Fa-f]{{2}})+") for mark in ("=", "%")}
ESCAPE_OR = {mark: re.compile(f"\\\\[\\s\\S]|{mark}") for mark in (";", ",")}
HEX_BYTE = re.compile(b"=([0-9A-Fa-f]{2})")
UTF8 = {"", "utf-8", "utf8"}
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
#: Shift_JIS as browsers (and Windows, and Japanese phones) decode it: Microsoft's superset.
SHIFT_JIS = {"shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "windows-31j", "cp932"}
#: windows-1252 as browsers decode it (the five undefined bytes map to C1 controls).
CP1252 = [bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(256)]


def split_escaped(text, mark=";"):
    """Split on semicolons (or commas) that no backslash escapes (vCard components and lists,
    MECARD fields)."""
    parts, start = [], 0
    for match in ESCAPE_OR[mark].finditer(text):
        if match[0] == mark:
            parts.append(text[start : match.start()])
            start = match.end()
    return parts + [text[start:]]


def unescape(value):
    r"""vCard escapes \n \, \; \\, and in the wild \: (iOS) and \" (Google); others stay."""
    return VCARD_ESCAPE.sub(lambda m: _UNESCAPED.get(m[1], m[0]), value)


_UNESCAPED = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":", '"': '"'}


def hex_decode(text, mark, charset="utf-8"):
    """Decode runs of =XX (quoted-printable) or %XX (URL) bytes in the given charset. In a
    charset of several bytes per character that is not UTF-8 (Shift_JIS, GBK, Big5, ...), a
    character's second byte may be written as itself (=8ER is 山's 0x8E 0x52): there the whole
    value is made bytes first, then decoded."""
    if mark == "=" and charset not in LATIN and charset not in UTF8 and text.isascii():
        return _bytes_text(
            HEX_BYTE.sub(lambda m: bytes.fromhex(m[1].decode()), text.encode()), charset
        )
    return HEX_RUN[mark].sub(
        lambda m: _bytes_text(bytes.fromhex(m[0].replace(mark, "")), charset), text
    )


def percent_decode(text):
    return hex_decode(text, "%")


def _bytes_text(data, charset):
    """Bytes in a charset: windows-1252 for the Latin-1 family, any other the browser knows too
    (Shift_JIS, ISO-8859-2, windows-1251, ...), else UTF-8."""
    if charset in LATIN:
        return "".join(CP1252[b] for b in data)
    try:
        return data.decode("cp932" if charset in SHIFT_JIS else charset or "utf-8", "replace")
    except (LookupError, UnicodeError, ValueError):
        return data.decode("utf-8", "replace")
