"""What a reminder notification says: one follow-up, or a digest of several (JSON for the service
worker, which shows it with showNotification and handles its actions)."""

import json
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from ..push.keys import b64url

#: RFC 8291: a 4,096-byte record holds at most 3,993 bytes of plaintext.
MAX_PAYLOAD = 3993
#: Digests list at most this many follow-up ids (the service worker may mark them seen).
DIGEST_IDS = 40
SNOOZE_SECONDS = 3600

TITLES = {
    "thank_you": "Say thank you to {name}",
    "check_back": "Check back with {name}",
    "keep_in_touch": "Keep in touch with {name}",
    "custom": "Follow up with {name}",
}
NOUNS = {
    "thank_you": ("thank-you", "thank-yous"),
    "check_back": ("check-back", "check-backs"),
    "keep_in_touch": ("keep-in-touch note", "keep-in-touch notes"),
    "custom": ("follow-up", "follow-ups"),
}
REMINDER_ACTIONS = [
    {"action": "done", "title": "Done"},
    {"action": "snooze", "title": "Snooze an hour"},
    {"action": "open", "title": "Open"},
]


class PayloadTooLarge(Exception):
    """A notification that cannot fit in one push message (a bug: payloads are built to fit)."""


@dataclass
class Due:
    """A claimed follow-up, with what its notification needs to say."""

    id: uuid.UUID
    user_id: uuid.UUID
    kind: str | None
    note: str | None
    due: datetime | None
    contact_id: uuid.UUID | None = None
    contact_name: str | None = None
    i_promised: str | None = None
    next_step: str | None = None
    event_id: uuid.UUID | None = None
    event_name: str | None = None
    #: What the row held when claimed, so finishing can keep or count on from it.
    attempts: int = 0
    reminded_at: datetime | None = None


def reminder(due):
    """The notification for one follow-up: title, body, ids, the URL to open and the actions."""
    name = _short(due.contact_name or "someone", 80)
    url = f"/people/{due.contact_id}?followup={due.id}" if due.contact_id else "/followups"
    return {
        "type": "reminder",
        "title": TITLES.get(due.kind, TITLES["custom"]).format(name=name),
        "body": _short(_body(due), 240),
        "followup_id": str(due.id),
        "contact_id": str(due.contact_id) if due.contact_id else None,
        "kind": due.kind,
        "due_at": due.due.isoformat() if due.due else None,
        "url": url,
        "tag": f"followup-{due.id}",
        "actions": REMINDER_ACTIONS,
        "snooze_seconds": SNOOZE_SECONDS,
    }


def digest(dues, met_at_event):
    """One notification for several follow-ups. When they all come from one event: "You met 14
    people at PyCon; 5 thank-yous due today." met_at_event: event id -> people met there."""
    events = {due.event_id for due in dues}
    summary = _kinds(dues)
    event = dues[0] if len(events) == 1 and dues[0].event_id else None
    if event is not None:
        place = _short(event.event_name or "the event", 80)
        title = f"{place}: {len(dues)} follow-ups"
        met = met_at_event.get(event.event_id, 0)
        people = "person" if met == 1 else "people"
        body = f"You met {met} {people} at {place}; {summary} due today."
    else:
        title = f"{len(dues)} follow-ups due"
        names = [_short(due.contact_name or "someone", 40) for due in dues[:3]]
        more = f" and {len(dues) - 3} more" if len(dues) > 3 else ""
        body = f"{summary}: {', '.join(names)}{more}."
    return {
        "type": "digest",
        "title": title,
        "body": body[0].upper() + body[1:],
        "count": len(dues),
        "followup_ids": [str(due.id) for due in dues[:DIGEST_IDS]],
        "url": "/followups",
        "tag": "digest",
        "actions": [{"action": "open", "title": "Open"}],
    }


def encode(payload):
    """The payload as compact UTF-8 JSON, within the size one push message can carry."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    if len(data) > MAX_PAYLOAD:
        raise PayloadTooLarge(f"{len(data)} bytes; at most {MAX_PAYLOAD} fit in a push message")
    return data


def topic_for(payload):
    """RFC 8030 Topic (at most 32 base64url characters): a newer message with the same topic
    replaces one the push service still holds for an offline phone."""
    if payload["type"] == "digest":
        return "digest"
    return "fu" + b64url(uuid.UUID(payload["followup_id"]).bytes)


def _body(due):
    promised = f"You promised: {due.i_promised}" if due.i_promised else None
    if due.note and promised and due.kind in ("thank_you", "check_back"):
        return f"{due.note}. {promised}"  # what I promised is in every reminder that is its moment
    if due.note:
        return due.note
    if due.kind in ("thank_you", "check_back") and promised:
        return promised
    if due.kind == "check_back" and due.next_step:
        return f"Next step: {due.next_step}"
    if due.kind == "keep_in_touch":
        return "It has been a while. Say hello, and ask for nothing."
    if due.kind == "thank_you":
        return "A short thank-you today: what you talked about, and what comes next."
    return "Open Hallway to follow up."


def _kinds(dues):
    counts = Counter(due.kind if due.kind in NOUNS else "custom" for due in dues)
    parts = [f"{counts[kind]} {NOUNS[kind][counts[kind] != 1]}" for kind in NOUNS if counts[kind]]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _short(text, limit):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
