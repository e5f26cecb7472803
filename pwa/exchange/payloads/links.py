"""Payloads that are links: http(s) (a Hallway card link among them), URLTO:, tel: and mailto:."""

import re

from .card import DOMAIN, LOOSE_LINK, Card, web_url
from .decoding import percent_decode
from .text import DIGIT, LIMITS, SPACE, clean_line, lower, trim

#: A link without its scheme as a whole payload: www.example.com or example.com/path.
BARE_LINK = re.compile(f"[Ww]{{3}}\\.{DOMAIN}(?:[/?#][^{SPACE}]*)?|{DOMAIN}/[^{SPACE}]*")
#: A Hallway public card link, on any server: /c/<token>.
HALLWAY_CARD = re.compile(f"[A-Za-z]+://[^/?#]+/c/([A-Za-z0-9_-]{{1,64}})/?(?:[?#][^{SPACE}]*)?")


def link(text, bare):
    """A Hallway card link or another http(s) link; `bare` says what may stand without a scheme."""
    url = web_url(text, bare)
    if not url:
        return None
    card = HALLWAY_CARD.fullmatch(url)
    if card:
        return {"format": "hallway", "contact": {"url": url}, "token": card[1]}
    return {"format": "url", "contact": {"url": url}}


def read_urlto(rest, payload):
    return link(trim(rest), LOOSE_LINK)


def read_tel(rest, payload):
    phone = clean_line(tel_number(percent_decode(rest)), LIMITS["phone"])
    return {"format": "tel", "contact": {"phone": phone}} if DIGIT.search(phone) else None


def read_mailto(rest, payload):
    card = Card()
    for address in percent_decode(rest.split("?")[0]).split(","):
        card.add("Email", address)
    result = card.result("email")
    return result if "email" in result["contact"] else None


def tel_number(value):
    """The number of a tel: URI (tel:+1-555-0100;ext=12 -> +1-555-0100 ext. 12)."""
    value = trim(value)
    if lower(value[:4]) == "tel:":
        value = value[4:]
    number, *params = [trim(part) for part in value.split(";")]
    ext = next((trim(p[4:]) for p in params if lower(p[:4]) == "ext="), "")
    return trim(number) + (f" ext. {ext}" if ext else "")
