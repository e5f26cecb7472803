"""Text files people bring from spreadsheets and other programs (recognise, decode, read as a
table), and the cells of CSV files we hand back, which a spreadsheet must show as plain text."""

import codecs
import csv
import io
import re
from dataclasses import dataclass

from .errors import ApiError

#: Leading bytes of files people upload by mistake, and what to call them.
SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive or an Excel workbook (.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls, .doc)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
)
DELIMITERS = (",", ";", "\t", "|")
#: What a spreadsheet may run as a formula when a cell starts with it (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    """A CSV file read as text: the header row's cells and the rows after it, with line numbers."""

    headers: list
    #: (line where the row starts, its cells); blank rows are left out.
    rows: list
    delimiter: str


def decode_text(data):
    """Return an uploaded file's text, or raise a 4xx when it is empty or not a text file."""
    if not data.strip():
        raise ApiError(422, "empty_file", "The file is empty.", "file")
    kind = _binary_kind(data)
    if kind:
        raise ApiError(
            415,
            "unsupported_file_type",
            f"This file is {kind}. Upload a CSV file or a JSON export.",
            "file",
        )
    text = _decode(data)
    if "\x00" in text:
        message = "This is not a text file. Upload a CSV file or a JSON export."
        raise ApiError(415, "unsupported_file_type", message, "file")
    return text


def _binary_kind(data):
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image"
    if data[4:8] == b"ftyp":
        return "a photo or video (HEIC, MP4)"
    return None


def _decode(data):
    """Decode by byte-order mark, then UTF-16 by its zero bytes, then UTF-8, then Windows-1252
    (what Excel on Windows writes for "CSV")."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    text = utf16_text(data)
    if text is not None:
        return text
    return decode_8bit(data)


def decode_8bit(data):
    """Text with no byte-order mark: UTF-8 when it is, else Windows-1252, else Latin-1."""
    for codec in ("utf-8", "cp1252"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1")


def utf16_text(data):
    """The text of a UTF-16 file (by its byte-order mark, else by its zero bytes), else None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    sample = data[:4000]
    odd_zeros, even_zeros = sample[1::2].count(0), sample[0::2].count(0)
    if odd_zeros > len(sample) // 4 and even_zeros * 10 < odd_zeros:
        return data.decode("utf-16-le", errors="replace")
    if even_zeros > len(sample) // 4 and odd_zeros * 10 < even_zeros:
        return data.decode("utf-16-be", errors="replace")
    return None


def read_table(text):
    """Read CSV text (any of , ; tab | as delimiter, quoted newlines) into a Table."""
    first_line = 1
    declared = re.match(r"sep=(.)\r?\n", text)  # Excel's own hint on the first line
    if declared:
        text, first_line = text[declared.end() :], 2
    delimiter = declared.group(1) if declared else sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, line = [], first_line
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((line, cells))
            line = reader.line_num + first_line
    except csv.Error as e:
        message = f"Line {reader.line_num + first_line - 1}: {e}; nothing was imported."
        raise ApiError(422, "bad_csv", f"The CSV file is damaged. {message}", "file") from None
    if not rows:
        raise ApiError(422, "empty_file", "The file is empty.", "file")
    headers = [cell.strip().lstrip("\ufeff") for cell in rows[0][1]]
    return Table(headers=headers, rows=rows[1:], delimiter=delimiter)


def sniff_delimiter(text):
    """Guess the delimiter from the header line: the most frequent candidate outside quotes."""
    header = next((line for line in text[:65536].splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def export_cell(value):
    """Return a value for a CSV cell that spreadsheets show as text, never run as a formula:
    text starting with = + - @ (or a tab or carriage return) gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_row(values):
    """Return a row of values made safe with export_cell, ready for csv.writer."""
    return [export_cell(value) for value in values]
