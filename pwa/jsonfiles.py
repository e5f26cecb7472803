"""JSON files people upload: one document, or several written one after another (pages of an
API saved with `cat`), and the line on which each item of a list starts, so a problem with an
item can name its line."""

import json
import re

from .errors import ApiError

SPACE = re.compile(r"[ \t\n\r]*")
DECODER = json.JSONDecoder()

#: Deeper than any record Hallway takes (a sync batch is about five levels); deeper bodies are
#: refused before the parser could recurse through them.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS = bytes.maketrans(b"[{]}", b"\x01\x01\x02\x02")
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[{]}"))


def json_depth(raw):
    """How deeply a JSON text nests arrays and objects (strings left out), counted at C speed
    but for one step per bracket."""
    brackets = _JSON_STRING.sub(b"", raw).translate(_BRACKETS, _NOT_BRACKETS)
    depth = deepest = 0
    for step in brackets:
        depth += 1 if step == 1 else -1
        deepest = max(deepest, depth)
    return deepest


def load_documents(text):
    """Return [(offset, value)] for each JSON document in text, or raise 400 bad_json."""
    documents = []
    index = _skip_space(text, 0)
    while index < len(text):
        try:
            value, end = DECODER.raw_decode(text, index)
        except json.JSONDecodeError as e:
            where = f"line {e.lineno}, column {e.colno}: {e.msg}"
            message = f"The file is not valid JSON ({where}); nothing was imported."
            raise ApiError(400, "bad_json", message, "file") from None
        except RecursionError:
            message = "The file nests too deeply to be an attendee list; nothing was imported."
            raise ApiError(400, "bad_json", message, "file") from None
        documents.append((index, value))
        index = _skip_space(text, end)
    return documents


def items_at(value, path):
    """The list found by following path, a tuple of keys ("*": into every element of a list)."""
    if not path:
        return value if isinstance(value, list) else []
    step, rest = path[0], path[1:]
    if step == "*":
        return [item for element in value for item in items_at(element, rest)]
    return items_at(value.get(step), rest) if isinstance(value, dict) else []


def item_lines(text, documents, path):
    """The line on which each item of items_at(document, path) starts, over every document."""
    offsets = []
    for start, _ in documents:
        _item_offsets(text, start, path, offsets)
    lines, line, seen = [], 1, 0
    for offset in offsets:
        line += text.count("\n", seen, offset)
        seen = offset
        lines.append(line)
    return lines


def _item_offsets(text, index, path, out):
    """Append where each item at path starts: items_at, walked on the raw text."""
    index = _skip_space(text, index)
    if not path or path[0] == "*":
        if text.startswith("[", index):
            for start in _members(text, index):
                if path:
                    _item_offsets(text, start, path[1:], out)
                else:
                    out.append(start)
    elif text.startswith("{", index):
        for key, start in _members(text, index):
            if key == path[0]:
                _item_offsets(text, start, path[1:], out)


def _members(text, index):
    """Yield where each element of the array at index starts (for an object: (key, start))."""
    is_object = text[index] == "{"
    index = _skip_space(text, index + 1)
    while index < len(text) and text[index] not in "]}":
        if is_object:
            key, index = DECODER.raw_decode(text, index)
            index = _skip_space(text, _skip_space(text, index) + 1)  # past the colon
            yield key, index
        else:
            yield index
        _, index = DECODER.raw_decode(text, index)
        index = _skip_space(text, index)
        if text.startswith(",", index):
            index = _skip_space(text, index + 1)


def _skip_space(text, index):
    return SPACE.match(text, index).end()
