"""Seeded random scan payloads: mangled vCards, MECARDs, links and junk, for the parsers' fuzz tests."""

import random

PREFIXES = ["BEGIN:VCARD\n", "BEGIN:VCARD\r\nVERSION:2.1\r\n", "MECARD:", "BIZCARD:", "URLTO:"]
PREFIXES += ["tel:", "TEL:", "mailto:", "https://", "http://", "www.", "", ""]
NAMES = ["FN", "N", "ORG", "TITLE", "ROLE", "TEL", "EMAIL", "URL", "NOTE", "ADR", "NICKNAME"]
NAMES += [
    "BDAY",
    "PHOTO",
    "X-ABLabel",
    "X-SOCIALPROFILE",
    "item1.URL",
    "item1.X-ABLabel",
    "END",
    "B",
]
NAMES += ["BEGIN", "E", "T", "C", "M", "A", "X", "UID"]
PARAMS = ["", ";CELL", ";PREF", ";type=pref", ";TYPE=work,voice", ";VALUE=uri", ";ENCODING=b"]
PARAMS += [";ENCODING=QUOTED-PRINTABLE", ";CHARSET=UTF-8;QUOTED-PRINTABLE", ";CHARSET=ISO-8859-1"]
PARAMS += [';X="a:b"', ';"', ";ENCODING=QUOTED-PRINTABLE;CHARSET=windows-1252"]
PIECES = [
    "=",
    "=C3=A9",
    "=0D=0A",
    "=FF",
    "=ED=A0=80",
    "=81",
    "%E2%82%AC",
    "%4",
    "\\n",
    "\\,",
    "\\;",
]
PIECES += ["\\:", '\\"', "\\\\", "\\", ";", ",", ":", " ", "  ", "\t", "\n", "\r\n", "\n ", "\n  "]
PIECES += [
    "=\n",
    "ada@example.com",
    "a@b",
    "+1 (555) 010-0100",
    "tel:+1-555;ext=9",
    "http\\://x.io",
]
PIECES += ["example.com/in/ada", "https://h.example/c/Tok_en-123", "javascript:alert(1)", "data:,x"]
PIECES += [
    "<script>alert(1)</script>",
    "Ada",
    "Lovelace",
    "é",
    "ß",
    "ſ",
    "\u212a",
    "😀",
    "中文",
    "SB12345",
]
PIECES += ["\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\u00a0", "\u2028", "\ufeff", "_$!<Home>!$_"]


def random_payload(rng):
    """One payload: a prefix, then property-like lines or fields built from tricky pieces."""
    out = [rng.choice(PREFIXES)]
    for _ in range(rng.randint(0, 12)):
        if rng.random() < 0.6:
            out.append(rng.choice(NAMES) + rng.choice(PARAMS) + ":")
        out.extend(rng.choice(PIECES) for _ in range(rng.randint(0, 5)))
        if rng.random() < 0.2:
            out.append("".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(1, 4))))
        out.append(rng.choice(["\r\n", "\n", ";", ";;", ""]))
    if rng.random() < 0.05:
        out.append(rng.choice(PIECES) * rng.randint(100, 2000))
    return "".join(out)


def random_payloads(seed, count, surrogates=False):
    """count payloads from a fixed seed; without surrogates, any that a browser could not hold
    as a well-formed string are made well-formed (JSON transport to the page would alter them)."""
    rng = random.Random(seed)
    payloads = [random_payload(rng) for _ in range(count)]
    if surrogates:
        return payloads
    return [p.encode("utf-8", "replace").decode("utf-8") for p in payloads]
