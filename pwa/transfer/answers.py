"""What an import of an all.json answers: the contact import's counts and entries (one per
contact, the first MAX_LISTED), the errors, and how many records of every other kind it wrote."""

#: The answer lists this many contacts and this many errors (the counts cover them all).
MAX_LISTED = 1000


class Tally:
    """The answer of one import, kept as it goes."""

    def __init__(self, preview, contact_lines=()):
        self.preview = preview
        #: The line each contact of the file starts on.
        self.contact_lines = list(contact_lines)
        self.counts = {"new": 0, "update": 0, "duplicate": 0, "broken": 0}
        self.kinds = {}
        self.entries, self.errors = [], []

    def answer(self):
        """The import route's answer: contacts counted one by one, the other kinds in `kinds`."""
        return {
            "format": "hallway_json",
            "imported": self.counts["new"],
            "updated": self.counts["update"],
            "duplicates": self.counts["duplicate"],
            "skipped": self.counts["broken"],
            "errors": self.errors,
            "preview": self.preview,
            "entries": self.entries,
            "kinds": self.kinds,
        }

    def contact(self, item, position, action, record, changed, notes):
        """Count a contact of the file and list its entry (action: new, update, duplicate,
        or broken; notes: what to tell about it)."""
        name = item.get("name") if isinstance(item, dict) else None
        name = name if isinstance(name, str) else None
        line = self.contact_lines[position - 1] if position <= len(self.contact_lines) else None
        reason = " ".join(notes) or None
        self.counts[action] += 1
        if action == "broken":
            self.error(f"{name or f'Contact {position}'}: {reason}", line, position)
        if len(self.entries) < MAX_LISTED:
            self.entries.append(
                {
                    "line": line,
                    "item": position,
                    "action": action,
                    "name": name,
                    "contact_id": str(record.id) if record is not None else None,
                    "fields": changed if action == "update" else [],
                    "reason": reason,
                }
            )

    def count(self, kind, wrote):
        """Count a record of another kind (wrote: whether the import changed anything)."""
        self.kinds[kind] = self.kinds.get(kind, 0) + (1 if wrote else 0)

    def error(self, reason, line=None, item=None):
        """Note what could not be imported, and why (where, for a contact; the reason names
        any other record: "Event 2: ...")."""
        if len(self.errors) < MAX_LISTED:
            place = {"line": line, "item": item}
            self.errors.append(
                {**{k: v for k, v in place.items() if v is not None}, "reason": reason}
            )
