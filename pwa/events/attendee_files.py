"""Read an uploaded attendee or speaker list, whatever it is: Eventbrite attendee reports,
Sessionize and pretalx speaker JSON, and any CSV or JSON list with a column mapping. Each parser returns plain
rows (the directory's fields, the source's own id as source_key, the line each came from) and the
problems of bad rows (attendee_rows.Parsed); the directory module saves them."""

from ..errors import ApiError
from ..spreadsheets import decode_text, read_table
from .attendee_csv import parse_csv
from .attendee_json import parse_json


def parse_file(data, mapping=None):
    """Recognise an uploaded file by its content and parse it (mapping: field -> CSV header or
    JSON key)."""
    text = decode_text(data)
    start = text.lstrip()[:1]
    if start in ("[", "{"):
        return parse_json(text, mapping)
    if start == "<":
        message = "This is a web page or an XML file. Upload a CSV file or a JSON export."
        raise ApiError(415, "unsupported_file_type", message, "file")
    return parse_csv(read_table(text), mapping)
