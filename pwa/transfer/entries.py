"""What a reader of an import file yields: one entry per contact found, or the reason it is broken."""

from dataclasses import dataclass, field


@dataclass
class Entry:
    #: The contact's fields, by the API's names (name, company, title, email, phone, url, notes,
    #: tags, met_at, i_promised, they_promised, next_step, next_step_due, ...); values as the API
    #: takes them in JSON (strings, lists of strings), checked later by the contact's own schema.
    fields: dict = field(default_factory=dict)
    #: Where the entry starts in the file: its line (1 = first), and for a JSON list its position.
    line: int | None = None
    item: int | None = None
    #: A photo found with the entry (raw image bytes, cleaned later by the contact photo path).
    photo: bytes | None = None
    #: Set when the entry cannot be read at all: one sentence, shown to the person importing.
    error: str | None = None
    #: The name of the event the person was met at, when the file names it (a Hallway vCard's
    #: X-HALLWAY-EVENT): the importer may find the event by it when the event_id in fields is
    #: none of the importing account's (a fresh account).
    event: str | None = None
