"""Writing vCard 3.0 that phone address books import cleanly (RFC 2426; fold at 75 octets)."""

import base64


def escape(value):
    """Escape a text value: backslash, newline (CRLF, CR or LF), comma, semicolon."""
    return (
        str(value)
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\\", "\\\\")
        .replace("\n", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def fold(line):
    """Fold a content line at 75 octets, never inside a UTF-8 sequence."""
    if line.isascii():  # a photo's base64: cut by slices, not character by character
        return "\r\n ".join([line[:75]] + [line[i : i + 74] for i in range(75, len(line), 74)])
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > (75 if not out else 74):
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def split_name(name):
    """Family and given names from a full name (the last word is taken as the family name)."""
    parts = (name or "").split()
    return (parts[-1], " ".join(parts[:-1])) if len(parts) > 1 else ("", name or "")


def vcard(person, uid=None, photo=None):
    """A vCard 3.0 of a dict with name, company, title, email, phone, url, note/intro; photo is
    JPEG bytes to embed (keep it small: a QR code cannot carry one at all)."""
    family, given = split_name(person.get("name"))
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{escape(family)};{escape(given)};;;"]
    lines.append(f"FN:{escape(person.get('name') or '')}")
    if person.get("company"):
        lines.append(f"ORG:{escape(person['company'])}")
    if person.get("title"):
        lines.append(f"TITLE:{escape(person['title'])}")
    if person.get("email"):
        lines.append(f"EMAIL;TYPE=INTERNET:{escape(person['email'])}")
    if person.get("phone"):
        lines.append(f"TEL;TYPE=CELL:{escape(person['phone'])}")
    if person.get("url"):
        lines.append(f"URL:{person['url']}")
    note = person.get("note") or person.get("intro") or person.get("headline")
    if note:
        lines.append(f"NOTE:{escape(note)}")
    if photo:
        lines.append(f"PHOTO;ENCODING=b;TYPE=JPEG:{base64.b64encode(photo).decode()}")
    if uid:
        lines.append(f"UID:{uid}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)
