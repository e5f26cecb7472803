"""Follow-ups as iCalendar (RFC 5545): timed VEVENTs with a display alarm, which Google, Apple and
Outlook calendars all import (Google ignores VTODO and is reported to drop alarms; the event still
shows at the right time). Lines end in CRLF and fold at 75 octets; text values are escaped."""

from datetime import UTC, timedelta

from .messages import TITLES

PRODID = "-//Hallway//Follow-ups 1.0//EN"
#: How long a follow-up's event lasts in the calendar.
DURATION = "PT15M"
KIND_LABELS = {
    "thank_you": "Thank-you",
    "check_back": "Check-back",
    "keep_in_touch": "Keep in touch",
    "custom": "Follow-up",
}


def calendar(entries, now, base_url, name="Hallway follow-ups", promises=()):
    """The whole VCALENDAR for entries: (follow-up, contact name or None) pairs, and my promises
    not kept yet: (promise, contact name) pairs, each on its day."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        # Subscribed calendars: ask to be refreshed hourly (Apple, Outlook; Google decides itself).
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for followup, contact_name in entries:
        lines += event(followup, contact_name, now, base_url)
    for promise, contact_name in promises:
        lines += promise_event(promise, contact_name, now, base_url)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def event(followup, contact_name, now, base_url):
    """One follow-up as a VEVENT with a VALARM at its start."""
    title = TITLES.get(followup.kind, TITLES["custom"]).format(name=contact_name or "someone")
    path = f"/people/{followup.contact_id}" if followup.contact_id else "/followups"
    url = f"{base_url.rstrip('/')}{path}?followup={followup.id}"
    description = "\n\n".join(part for part in (followup.note, f"Open in Hallway: {url}") if part)
    return [
        "BEGIN:VEVENT",
        f"UID:followup-{followup.id}@hallway",
        f"DTSTAMP:{stamp(now)}",
        f"LAST-MODIFIED:{stamp(followup.updated_at)}",
        f"SEQUENCE:{followup.version}",
        f"DTSTART:{stamp(followup.effective_due())}",
        f"DURATION:{DURATION}",
        f"SUMMARY:{escape(title)}",
        f"DESCRIPTION:{escape(description)}",
        f"URL:{url}",
        f"CATEGORIES:Hallway,{escape(KIND_LABELS.get(followup.kind, 'Follow-up'))}",
        "STATUS:CONFIRMED",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape(title)}",
        "TRIGGER;RELATED=START:PT0S",
        "END:VALARM",
        "END:VEVENT",
    ]


def promise_event(promise, contact_name, now, base_url):
    """What I promised someone, as an all-day VEVENT on the day it is due."""
    title = f"Keep your promise to {contact_name or 'someone'}: {promise.text}"
    url = f"{base_url.rstrip('/')}/people/{promise.contact_id}"
    day = promise.due_on
    return [
        "BEGIN:VEVENT",
        f"UID:promise-{promise.id}@hallway",
        f"DTSTAMP:{stamp(now)}",
        f"LAST-MODIFIED:{stamp(promise.updated_at)}",
        f"SEQUENCE:{promise.version}",
        f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(day + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{escape(title)}",
        f"DESCRIPTION:{escape(f'Open in Hallway: {url}')}",
        f"URL:{url}",
        "CATEGORIES:Hallway,Promise",
        "STATUS:CONFIRMED",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def stamp(moment):
    """A UTC DATE-TIME value (form #2 of RFC 5545 3.3.5)."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape(text):
    """Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 3.3.11)."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(c for c in text if c == "\n" or c == "\t" or ord(c) >= 32 and c != "\x7f")
    for plain, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        text = text.replace(plain, escaped)
    return text


def fold(line, limit=75):
    """Fold a content line into lines of at most `limit` octets (a continuation starts with a
    space), never splitting a UTF-8 character."""
    data = line.encode()
    if len(data) <= limit:
        return line
    parts, start, room = [], 0, limit
    while start < len(data):
        end = min(start + room, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # inside a multi-byte character
            end -= 1
        parts.append(data[start:end].decode())
        start, room = end, limit - 1
    return "\r\n ".join(parts)
