"""The limits a scan keeps to and the text cleaning every reader shares: spaces, trim, case."""

import re

#: The most characters read; a QR code holds at most about 7,000.
MAX_INPUT = 16384
#: The most characters kept as the raw payload (the contact's raw_payload limit).
MAX_RAW = 8192
#: The contact fields a scan fills, with the limits the contacts API enforces.
LIMITS = {"name": 200, "company": 200, "title": 200, "email": 320, "phone": 50, "url": 2048}
NOTES_LIMIT = 10000
#: A contact's tags: how many, and how long each.
MAX_TAGS, TAG_LIMIT = 50, 50

SPACE = " \\t\\n\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
SPACES = re.compile(f"[{SPACE}]+")
SPACE_CHARS = frozenset(" \t\n\u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | frozenset(
    chr(c) for c in range(0x2000, 0x200B)
)
CONTROL = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]")
NEWLINE = re.compile("\\r\\n?")
DIGIT = re.compile("[0-9]")
UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


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
    if not text or (text[0] not in SPACE_CHARS and text[-1] not in SPACE_CHARS):
        return text  # most values: nothing to strip, and a file has 100,000 cards of them
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
