"""Hostile input on every screen: one account whose every typed field holds markup, script links,
an RTL override, template syntax, emoji and long unbroken strings (seeded over the API, an
attendee file through the import screen, a share-back through the public card, scanned codes
through the scanner's decoder). On each screen: no dialog, no CSP violation, no element or
`javascript:` link made from data, the text shown as text, an RTL override that reverses only its
own value, and nothing that scrolls sideways or is cut off at 320 px.

`HALLWAY_HOSTILE_SHOTS=DIR` also saves 320 px screenshots, light and dark, to look at."""

import csv
import datetime as dt
import io
import os
import urllib.error
import uuid
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from tests.harness import CHROMIUM_ARGS, LiveServer

from .conftest import Server
from .helpers import PASSWORD, open_more, sign_up
from .scenes import open_screen

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload=alert(1)>'
JS = "javascript:alert(1)"
RTL = "\u202egnp.exe"  # an RTL override, never closed: shows "exe.png"
TEMPLATE = "{{7*7}}"
EMOJI = "👩‍👩‍👧‍👦🏳️‍🌈"


def hostile(label, length=0):
    """A value naming where it was typed, with every hostile kind in it, padded to `length` with
    one unbroken word (the worst case for wrapping)."""
    value = f"{label} {SCRIPT}{IMG}{SVG} {JS} {RTL} {TEMPLATE} {EMOJI}"
    return value + " " + "W" * (length - len(value) - 1) if length else value


USER = hostile("Ada")
CONTACT = {
    "name": hostile("Grace"),
    "company": "C" * 200,
    "title": hostile("Title", 200),
    "email": '"><svg/onload=alert(1)>@example.com',
    "phone": "+1 555 0100 <img src=x onerror=alert(1)>",
    "url": 'https://example.com/"><svg onload=alert(1)>/' + "u" * 200,
    "notes": hostile("Notes", 10_000),
    "tags": [IMG, SVG, TEMPLATE, RTL, EMOJI, "T" * 50],
    "i_promised": hostile("Mine", 2000),
    "they_promised": hostile("Theirs"),
    "next_step": hostile("Next"),
}
EVENT = {
    "name": hostile("Event"),
    "location": hostile("Place", 300),
    "timezone": "Europe/Lisbon",
    "goals": [{"text": hostile("Goal", 500)}],
}
TARGET = {
    "name": hostile("Target"),
    "company": hostile("Org"),
    "title": hostile("Rank", 200),
    "why": hostile("Why", 2000),
    "offer": hostile("Offer"),
    "ask": hostile("Ask"),
    "questions": hostile("Question"),
    "agenda": hostile("Agenda"),
    "outcome": hostile("Outcome"),
}
CARD = {
    "name": hostile("Card"),
    "headline": hostile("Headline"),
    "company": "K" * 200,
    "title": hostile("Role"),
    "email": "<img/src=x/onerror=alert(1)>@example.com",
    "phone": "+44 20 7946 0000",
    "url": 'https://ada.example.com/"><svg onload=alert(1)>',
    "intro": hostile("Intro", 2000),
    "shared_fields": ["name", "headline", "company", "title", "email", "phone", "url", "intro"],
}
SHARE_BACK = {
    "Name": hostile("Visitor"),
    "Company": hostile("VisitorOrg"),
    "Title": hostile("VisitorTitle"),
    "Note": hostile("VisitorNote", 3000),
}


def attendee_file():
    """A CSV of no known program (so its columns are mapped on screen), with a hostile header."""
    rows = [
        ["Name", "Company", "Title", "Bio", "Links", IMG],
        [
            hostile("Attendee"),
            hostile("AttendeeOrg"),
            "A" * 200,
            hostile("Bio", 1000),
            f"{JS} https://x.example/{SVG}",
            "ignored",
        ],
    ]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode()


#: Scanned codes, each through the scanner's own decoder.
SCANS = {
    "vcard": "\r\n".join(
        [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"FN:{hostile('Scanned')}",
            f"ORG:{IMG}",
            f"URL:{JS}",
            "EMAIL:x@y.z?body=<script>",
            "NOTE:" + "V" * 3000,
            "END:VCARD",
        ]
    ),
    "mecard": f"MECARD:N:{SVG},{RTL};URL:{JS};NOTE:{TEMPLATE} {EMOJI};;",
    "url": 'https://example.com/"><svg onload=alert(1)>' + "x" * 1500,
    "text": hostile("Text", 2000),
}

#: Listens in every document (an init script runs before the app's own).
LISTEN = """window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));"""

#: What a screen shows, and what in it was made from data.
INSPECT = r"""(known) => {
  const elements = [...document.querySelectorAll('*')];
  const markup = elements.filter((e) => e.matches('img[src="x"], svg[onload], iframe, object, embed')
    || e.getAttributeNames().some((name) => name.startsWith('on')));
  const scripts = [...document.scripts].filter((s) => !s.src || new URL(s.src).origin !== location.origin);
  const links = elements.flatMap((e) => ['href', 'src', 'action', 'formaction', 'xlink:href']
    .map((name) => (e.getAttribute(name) || '').trim())
    .filter((value) => /^(javascript|vbscript|data:text\/html)/i.test(value)));
  // A right-to-left override reverses what follows it up to the end of the paragraph, unless
  // the element holding the value isolates it (a block of its own, <bdi>, unicode-bidi: isolate).
  // `known` (unless false): the seeded values are on show, so what follows an override in them
  // is known.
  const spills = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()); ) {
    if (!node.data.includes('\u202e')) continue;
    let box = node.parentElement;
    while (getComputedStyle(box).display === 'inline'
        && !/isolate|plaintext/.test(getComputedStyle(box).unicodeBidi)) box = box.parentElement;
    const after = document.createRange();
    after.setStart(node, node.length);
    after.setEnd(box, box.childNodes.length);
    const reversed = known !== false ? node.data.split('\u202e').slice(1) : [''];
    reversed.push(`${reversed.pop()}${after}`.split('\n')[0]);
    for (const text of reversed) {
      const rest = text.replace(/^gnp\.exe( \{\{7\*7\}\} \S+( W+)?)?/, '').trim();
      if (rest) spills.push(`${box.localName}.${box.className}: ${rest.slice(0, 40)}`);
    }
  }
  // Text cut short on purpose.
  const ellipsis = (e) => e && (getComputedStyle(e).textOverflow === 'ellipsis'
    || ellipsis(e.parentElement));
  return {
    spills,
    made: [...markup, ...scripts].map((e) => e.outerHTML.slice(0, 120)),
    links,
    violations: window.__violations.splice(0),
    text: document.body.innerText,
    values: [...document.querySelectorAll('input, textarea')].map((e) => e.value),
    // Cut off at the edge of the screen (inside a box that hides what overflows it, say).
    cut: elements.filter((e) => e.closest('main') && !e.closest('.visually-hidden') && !ellipsis(e))
      .map((e) => [e, e.getBoundingClientRect()])
      .filter(([, box]) => box.width > 1 && box.height > 1 && box.right > innerWidth + 1)
      .map(([e, box]) => `${e.localName}.${e.className} ${Math.round(box.right)}`),
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: window.innerWidth,
  };
}"""


@pytest.fixture(scope="module")
def hallway_url(tmp_path_factory):
    """One live server for the module."""
    with LiveServer(tmp_path_factory.mktemp("hostile")) as server:
        yield server.url


@pytest.fixture(scope="module")
def problems():
    """Every dialog, script error and console error (CSP violations included) the tab saw."""
    return []


@pytest.fixture(scope="module")
def tab(chromium_path, tmp_path_factory, problems):
    """One 320 px wide tab for the module, its problems kept in `problems`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=chromium_path,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 320, "height": 640},
        )
        context.add_init_script(LISTEN)
        page = context.pages[0]
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on(
            "console",
            lambda m: (
                m.type == "error"
                and not m.text.startswith("Failed to load resource")
                and problems.append(m.text)
            ),
        )
        yield page
        context.close()


def seed(server):
    """Fill the account over the API, as another of the user's devices would."""
    server.sign_in("ada@example.com", PASSWORD)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    today = now.date()
    event = server.call("POST", "/events", {**EVENT, "starts_on": today.isoformat()})
    target = server.call("POST", "/targets", {**TARGET, "event_id": event["id"], "priority": 1})
    contact = server.call(
        "POST",
        "/contacts",
        {
            **CONTACT,
            "id": str(uuid.uuid4()),
            "event_id": event["id"],
            "met_at": (now - dt.timedelta(days=2)).isoformat(),
            "next_step_due": (today + dt.timedelta(days=3)).isoformat(),
        },
    )
    # The thank-you the server planned for the contact, given a hostile note.
    [thank_you] = [
        f
        for f in server.items("/followups")
        if f["contact_id"] == contact["id"] and f["kind"] == "thank_you"
    ]
    server.call("PATCH", f"/followups/{thank_you['id']}", {"note": hostile("Due")})
    # Someone who introduced us, and an introduction to them the contact agreed to.
    other = server.call(
        "POST",
        "/contacts",
        {"name": hostile("Other"), "company": hostile("OtherOrg"), "email": "o@example.com"},
    )
    server.call(
        "PATCH",
        f"/contacts/{contact['id']}",
        {"trust": "would_vouch", "introduced_by_id": other["id"]},
    )
    server.call(
        "POST",
        "/introductions",
        {
            "contact_id": contact["id"],
            "to_id": other["id"],
            "note": hostile("Intro"),
            "asked_at": now.isoformat(),
            "agreed_at": now.isoformat(),
        },
    )
    server.call(
        "POST",
        "/interactions",
        {
            "contact_id": contact["id"],
            "kind": "note",
            "at": now.isoformat(),
            "note": hostile("Log"),
        },
    )
    card = server.call("PATCH", "/me/card", CARD)
    return {
        "event": event["id"],
        "target": target["id"],
        "contact": contact["id"],
        "other": other["id"],
        "card": card,
    }


@pytest.fixture(scope="module")
def account(tab, hallway_url):
    """Ada's account, hostile through and through, synced to the tab; a share-back and an
    attendee import sent through their real pages."""
    sign_up(tab, hallway_url, name=USER)
    data = seed(Server(hallway_url))
    token = data["card"]["public_token"]
    tab.goto(f"{hallway_url}/c/{token}")
    data["public card"] = tab.evaluate(INSPECT)
    photograph(tab, "public card")
    for label, value in SHARE_BACK.items():
        tab.get_by_label(label).fill(value)
    tab.get_by_role("button", name="Send my details").click()
    expect(tab.get_by_role("heading", name="Thank you!")).to_be_visible()
    data["share-back sent"] = tab.evaluate(INSPECT)
    data["vcard"] = tab.request.get(f"{hallway_url}/c/{token}.vcf")  # as a phone fetches it

    tab.goto(f"{hallway_url}/people")
    expect(tab.get_by_role("link", name=SHARE_BACK["Name"])).to_be_visible(timeout=15_000)
    expect(tab.get_by_role("link", name=CONTACT["name"])).to_be_visible()
    open_screen(tab, f"/events/{data['event']}")
    tab.get_by_label("Attendee file").set_input_files(
        {"name": "attendees.csv", "mimeType": "text/csv", "buffer": attendee_file()}
    )
    data["attendee columns"] = tab.evaluate(INSPECT)  # the file's own headers, to pick from
    tab.get_by_role("button", name="Preview with these columns").click()
    expect(tab.get_by_role("button", name="Import these people")).to_be_visible()
    data["attendee import preview"] = tab.evaluate(INSPECT)
    tab.get_by_role("button", name="Import these people").click()
    expect(tab.locator("#attendee-list")).to_contain_text(hostile("Attendee"))
    return data


def click(name):
    """A step that presses the button of that name (to open a dialog)."""
    return lambda page: page.get_by_role("button", name=name, exact=True).click()


def screens(data):
    """(name, path, what to do there, the values it shows as text, the values in its fields)
    for every screen."""
    contact, event, target = data["contact"], data["event"], data["target"]
    person = [CONTACT[name] for name in ("name", "title", "notes", "i_promised", "they_promised")]
    person += [CONTACT[name] for name in ("next_step", "email", "url")]
    person += [", ".join(CONTACT["tags"]), hostile("Due"), hostile("Log"), EVENT["name"]]
    person += [hostile("Other"), hostile("Intro")]
    homework = [TARGET[name] for name in ("name", "why", "offer", "ask", "agenda", "outcome")]
    return [
        ("people", "/people", None, [CONTACT["name"], SHARE_BACK["Name"], "C" * 200], []),
        ("person", f"/people/{contact}", None, person, []),
        (
            "capture (edit)",
            f"/people/{contact}/edit",
            None,
            [],
            [CONTACT["name"], CONTACT["notes"]],
        ),
        (
            "introduce",
            f"/people/{contact}/introduce",
            lambda tab: tab.get_by_label("Introduce them to").select_option(data["other"]),
            [CONTACT["name"], hostile("Other"), hostile("OtherOrg"), CONTACT["title"]],
            [],
        ),
        ("events", "/events", None, [EVENT["name"]], []),
        (
            "event",
            f"/events/{event}",
            None,
            [EVENT["name"], EVENT["goals"][0]["text"], hostile("Attendee"), hostile("AttendeeOrg")],
            [EVENT["name"], EVENT["location"]],
        ),
        ("research", "/research", None, [TARGET["name"]], []),
        ("research target", f"/research/{target}", None, [], [TARGET["name"], TARGET["why"]]),
        (
            "my card",
            "/card",
            None,
            [CARD[name] for name in ("name", "headline", "intro", "url")],
            [],
        ),
        ("card full screen", "/card", click("Show full screen"), [CARD["name"]], []),
        ("my intro", "/card", click("My intro"), [CARD["intro"]], []),
        ("prep", f"/research/{target}/prep", None, homework + [CARD["intro"]], []),
        ("follow-ups", "/followups", None, [CONTACT["name"], hostile("Due")], []),
        ("account", "/data", None, [USER], []),
    ]


def problems_on(name, seen, texts=(), values=()):
    """What is wrong on a screen, in words."""
    found = [f"{name}: made from data: {made}" for made in seen["made"]]
    found += [f"{name}: unsafe link {link[:80]}" for link in seen["links"]]
    found += [f"{name}: reversed by an RTL override: {s}" for s in seen.get("spills", [])]
    found += [f"{name}: CSP violation {v}" for v in seen["violations"]]
    found += [f"{name}: not shown as text: {t[:40]!r}" for t in texts if t not in seen["text"]]
    found += [f"{name}: not in a field: {v[:40]!r}" for v in values if v not in seen["values"]]
    found += [f"{name}: cut off at the edge: {cut}" for cut in seen["cut"][:5]]
    if seen["scrollWidth"] > seen["innerWidth"]:
        found.append(f"{name}: scrolls sideways ({seen['scrollWidth']} px at 320)")
    return found


def photograph(page, name):
    """With HALLWAY_HOSTILE_SHOTS set, the screen at 320 px, light and dark."""
    folder = os.environ.get("HALLWAY_HOSTILE_SHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=f"{folder}/{name.replace(' ', '-')}-{scheme}.png", full_page=True)
    page.emulate_media(color_scheme="light")


def test_the_api_refuses_script_links(hallway_url):
    server = Server(hallway_url)
    server.call(
        "POST", "/auth/register", {"email": "eve@example.com", "password": PASSWORD, "name": "Eve"}
    )
    server.sign_in("eve@example.com", PASSWORD)
    eve = server.call("POST", "/contacts", {"name": "Eve"})
    for method, path, body in [
        ("POST", "/contacts", {"name": "Eve", "url": JS}),
        ("PATCH", f"/contacts/{eve['id']}", {"url": " JavaScript:alert(1)"}),
        ("PATCH", "/me/card", {"url": JS}),
        ("POST", "/contacts", {"name": "Eve", "email": JS}),
    ]:
        with pytest.raises(urllib.error.HTTPError) as refused:
            server.call(method, path, body)
        refused.value.close()
        assert refused.value.code == 422, (method, path, body)
    change = {"kind": "contact", "id": str(uuid.uuid4()), "op": "upsert", "base_version": None}
    answer = server.call(
        "POST",
        "/sync",
        {"cursor": None, "changes": [{**change, "fields": {"name": "Eve", "url": JS}}]},
    )
    assert [result["status"] for result in answer["results"]] == ["rejected"]


def test_every_screen_shows_hostile_text_as_text(tab, account, problems):
    # The inspection is really looking: markup put in with innerHTML is caught.
    before = len(problems)
    tab.evaluate(f"document.querySelector('#main').insertAdjacentHTML('beforeend', {IMG!r})")
    tab.wait_for_timeout(100)
    planted = problems_on("planted", tab.evaluate(INSPECT))
    assert any("made from data" in p for p in planted), planted
    assert any("CSP violation" in p for p in planted), planted
    tab.evaluate("document.querySelector('#main img[src=x]').remove()")
    del problems[before:]  # the planted handler's CSP report

    found = problems_on(
        "public card", account["public card"], [CARD[n] for n in ("name", "intro", "url")]
    )
    found += problems_on("share-back sent", account["share-back sent"], [CARD["name"]])
    found += problems_on("attendee columns", account["attendee columns"])
    found += problems_on(
        "attendee import preview",
        account["attendee import preview"],
        [hostile("Attendee"), "<img src=x onerror=alert(1)>"],
    )
    for name, path, then, texts, values in screens(account):
        open_screen(tab, path, then)
        tab.wait_for_timeout(300)  # lists that load from the network settle
        found += problems_on(name, tab.evaluate(INSPECT), texts, values)
        if name == "person":  # the thank-you draft, in its mailto: link
            draft = unquote(tab.locator("#thank-you").get_attribute("href"))
            found += [f"thank-you: no {t[:20]!r}" for t in (EVENT["name"], USER) if t not in draft]
        photograph(tab, name)
        if then:
            tab.keyboard.press("Escape")  # the dialog closes
    assert found + problems == []

    # The public card's vCard is a file, with the values as they were typed.
    vcard = account["vcard"]
    assert vcard.headers["content-type"].startswith("text/vcard")
    unfolded = vcard.text().replace("\r\n ", "")
    assert f"FN:{CARD['name']}\r\n" in unfolded
    assert f"NOTE:{CARD['intro']}\r\n" in unfolded


#: What each scanned code must show as text.
SCANNED = {
    "vcard": hostile("Scanned"),
    "mecard": TEMPLATE,
    "url": SCANS["url"],
    "text": SCANS["text"],
}


def test_scanned_codes_and_typed_links_show_as_text(tab, account, problems):
    found = []
    for kind, payload in SCANS.items():
        open_screen(tab, "/scan")
        expect(tab.get_by_role("button", name="Start camera")).to_be_visible()
        tab.evaluate(
            "async (payload) => (await import('/static/js/screens/scan.js')).showResult(payload)",
            payload,
        )
        expect(tab.locator("#scan-result")).to_be_visible()
        kept = tab.evaluate(
            "async (p) => (await import('/static/js/payloads.js')).parsePayload(p).raw_payload",
            payload,
        )
        assert tab.locator("#scan-raw").text_content() == kept
        # What follows an override in a scanned value is the code's own text, not the app's.
        found += problems_on(f"scan {kind}", tab.evaluate(INSPECT, False), [SCANNED[kind]])
        photograph(tab, f"scan-{kind}")
        tab.get_by_role("button", name="Save as note").click()
        expect(tab.get_by_label("Name")).to_have_value("Scanned note")

    # Typed on this device, a script link is kept until the server refuses it: never a link.
    open_screen(tab, "/capture")
    tab.get_by_label("Name").fill("Mallory")
    open_more(tab)
    tab.get_by_label("URL").fill(JS)
    tab.get_by_role("button", name="Save", exact=True).click()
    expect(tab.get_by_text("Saved Mallory.")).to_be_visible()
    tab.get_by_role("link", name="People").click()
    tab.get_by_role("link", name="Mallory").click()
    expect(tab.get_by_role("heading", name="Mallory")).to_be_visible()
    assert problems_on("Mallory", tab.evaluate(INSPECT)) + found + problems == []
