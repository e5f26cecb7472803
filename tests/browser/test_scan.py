"""The scanner in a real browser: Chromium's fake camera shows a QR code the test made."""

import hashlib
import json
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import qrcode
from PIL import Image
from playwright.sync_api import expect

from .helpers import PASSWORD, open_more, sign_up

STATIC = Path(__file__).resolve().parents[2] / "static"
VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Hopper;Grace;;;\r\nFN:Grace Hopper\r\n"
    "ORG:US Navy\r\nTITLE:Rear Admiral\r\nEMAIL;TYPE=INTERNET:grace@example.com\r\n"
    "TEL;TYPE=CELL:+1 555 0100\r\nEND:VCARD\r\n"
)
#: Payloads a stranger's badge may carry; each must render as inert text.
HOSTILE = [
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 1; alert(1)">',
    "javascript:window.__pwned=1//https://example.com",
    "JaVaScRiPt:alert(document.cookie)",
    "tel:javascript:alert(1)",
    "mailto:x@example.com?body=<script>alert(1)</script>",
    "\x00\x01\x07\x1b[31mred\x7f\u202eevil\ud800 \u0085end",
    "BEGIN:VCARD\nVERSION:3.0\nFN:<svg onload=alert(1)>\nURL:javascript:alert(1)\n"
    "EMAIL:<b>@x.co\nTEL:javascript:alert(1)\nORG:;;;\nN:=\n=C3=\nPHOTO;ENCODING=b:@@@",
    "MECARD:N:<iframe src=javascript:alert(1)>;URL:data:text/html,<script>alert(1)</script>;;",
    "<a href=javascript:alert(1)>x</a>" + "&#x3C;\u0000<\x1b" * 380,  # 3 KB of junk
]
SAFE_LINK = re.compile(r"^(https?:|tel:|mailto:)", re.I)


def camera(tmp_path, payload):
    """Chromium flags for a fake camera filming a QR code of payload, or nothing (a Y4M file
    written with Pillow)."""
    frame = Image.new("RGB", (640, 480), "white")
    if payload is not None:
        code = qrcode.make(payload, border=4).get_image().convert("RGB")
        frame.paste(code.resize((440, 440), Image.NEAREST), (100, 20))
    y, cb, cr = frame.convert("YCbCr").split()
    planes = y.tobytes() + cb.resize((320, 240)).tobytes() + cr.resize((320, 240)).tobytes()
    video = tmp_path / f"camera-{hashlib.sha1(str(payload).encode()).hexdigest()[:8]}.y4m"
    video.write_bytes(b"YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg\n" + b"FRAME\n" + planes)
    return [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]


@pytest.fixture
def tab(launch):
    """Return a function opening a tab (in its own profile) that fails the test on any script
    error, console error or dialog."""
    problems = []

    def open_tab(profile="profile", extra_args=()):
        context = launch(profile, extra_args=extra_args)
        page = context.pages[0] if context.pages else context.new_page()
        page.on(
            "console",
            lambda m: (
                m.type == "error"
                and not m.text.startswith("Failed to load resource")
                and problems.append(m.text)
            ),
        )
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        return page

    yield open_tab
    assert problems == []


def contacts_of(server, email, until, seconds=10):
    """The user's contacts on the server, once `until(contacts)` holds (sync is asynchronous)."""
    server.sign_in(email, PASSWORD)
    deadline = time.monotonic() + seconds
    while True:
        contacts = server.items("/contacts")
        if until(contacts) or time.monotonic() > deadline:
            return contacts
        time.sleep(0.2)


def test_the_camera_reads_a_vcard_into_a_capture_that_reaches_the_server(
    tab, tmp_path, live_server, server
):
    page = tab(extra_args=camera(tmp_path, VCARD))
    sign_up(page, live_server)
    page.get_by_role("link", name="Scan").click()
    page.get_by_role("button", name="Start camera").click()
    expect(page.get_by_text("A contact card (vCard)")).to_be_visible()
    page.get_by_role("button", name="Save as contact").click()

    expect(page.get_by_role("heading", name="Check and save")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("Grace Hopper")
    expect(page.get_by_label("Company")).to_have_value("US Navy")
    expect(page.get_by_label("Title")).to_have_value("Rear Admiral")
    open_more(page)
    expect(page.get_by_label("Email")).to_have_value("grace@example.com")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved Grace Hopper.")).to_be_visible()

    contacts = contacts_of(server, "ada@example.com", lambda found: found)
    assert [(c["name"], c["company"], c["email"], c["source"]) for c in contacts] == [
        ("Grace Hopper", "US Navy", "grace@example.com", "scan")
    ]
    assert contacts[0]["raw_payload"] == VCARD.strip()


def test_a_hallway_card_link_is_a_mutual_exchange(tab, tmp_path, live_server, server):
    grace = tab("grace")
    sign_up(grace, live_server, name="Grace Hopper", email="grace@example.com")
    server.sign_in("grace@example.com", PASSWORD)
    link = f"{live_server}/c/{server.call('GET', '/me/card')['public_token']}"

    ada = tab("ada", extra_args=camera(tmp_path, link))
    sign_up(ada, live_server)
    ada.get_by_role("link", name="Scan").click()
    ada.get_by_role("button", name="Start camera").click()
    expect(ada.get_by_text("You and Grace Hopper exchanged cards.")).to_be_visible()
    expect(ada.get_by_role("heading", name="Grace Hopper")).to_be_visible()
    assert re.search(r"/people/[0-9a-f-]{36}$", ada.url)

    adas = contacts_of(server, "ada@example.com", lambda found: found)
    assert [(c["name"], c["source"]) for c in adas] == [("Grace Hopper", "scan")]
    graces = contacts_of(server, "grace@example.com", lambda found: found)
    assert [(c["name"], c["source"]) for c in graces] == [("Ada Lovelace", "exchange")]
    grace.get_by_role("link", name="People").click()
    grace.reload()
    expect(grace.get_by_role("link", name="Ada Lovelace")).to_be_visible(timeout=10_000)


def test_offline_a_scanned_card_link_is_exchanged_once_back_online(
    tab, tmp_path, live_server, server
):
    grace = tab("grace")
    sign_up(grace, live_server, name="Grace Hopper", email="grace@example.com")
    server.sign_in("grace@example.com", PASSWORD)
    link = f"{live_server}/c/{server.call('GET', '/me/card')['public_token']}"
    photo = tmp_path / "card-link.png"
    qrcode.make(link, border=4).save(photo)

    page = tab("ada")
    sign_up(page, live_server)
    page.context.set_offline(True)
    page.reload()  # the decoder and its .wasm come from the service worker's cache
    page.get_by_role("link", name="Scan").click()
    page.get_by_label("Photo of a code").set_input_files(photo)
    expect(page.get_by_text("A Hallway card link")).to_be_visible()
    expect(page.get_by_text("the cards will be exchanged as soon as you are back")).to_be_visible()
    expect(page.get_by_role("button", name="Save as contact")).to_be_hidden()
    scanned = datetime.now(UTC)
    page.reload()  # what waits is on the device, not in the page
    page.wait_for_timeout(1000)

    page.context.set_offline(False)
    expect(page.get_by_text("You and Grace Hopper exchanged cards.")).to_be_visible(timeout=15_000)
    [theirs] = contacts_of(server, "ada@example.com", lambda found: found)
    assert (theirs["name"], theirs["source"]) == ("Grace Hopper", "scan")
    assert datetime.fromisoformat(theirs["met_at"]) < scanned  # dated when scanned
    [mine] = contacts_of(server, "grace@example.com", lambda found: found)
    assert mine["name"] == "Ada Lovelace"
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("link", name="Grace Hopper")).to_be_visible()


#: A browser with its own BarcodeDetector (as Chrome on Android) that reads a vCard in any frame.
NATIVE_DETECTOR = """window.BarcodeDetector = class {
    static async getSupportedFormats() { return ['qr_code', 'ean_13']; }
    async detect() { return [{ rawValue: %s, format: 'qr_code' }]; }
};"""


def test_the_browsers_own_detector_is_used_and_the_wasm_never_loads(tab, tmp_path, live_server):
    page = tab(extra_args=camera(tmp_path, None))
    page.context.add_init_script(NATIVE_DETECTOR % json.dumps(VCARD))
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    sign_up(page, live_server)
    page.get_by_role("link", name="Scan").click()
    page.get_by_role("button", name="Start camera").click()
    expect(page.get_by_text("A contact card (vCard)")).to_be_visible()
    expect(page.locator("#scan-fields")).to_contain_text("Grace Hopper")
    assert (
        page.evaluate(
            "async () => (await import('/static/js/decoder.js')).qrDetector().then((d) => d.kind)"
        )
        == "native"
    )
    assert not [url for url in fetched if "barcode-detector" in url or ".wasm" in url]


def test_leaving_the_screen_stops_the_camera(tab, tmp_path, live_server):
    page = tab(extra_args=camera(tmp_path, None))
    sign_up(page, live_server)
    page.get_by_role("link", name="Scan").click()
    page.get_by_role("button", name="Start camera").click()
    expect(page.get_by_role("button", name="Stop camera")).to_be_visible()
    assert (
        page.evaluate(
            """() => { window.__track = document.querySelector('#scan-video').srcObject
            .getVideoTracks()[0]; return window.__track.readyState; }"""
        )
        == "live"
    )
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__track.readyState") == "ended"


RENDER = """async (payload) => {
    const { showResult } = await import('/static/js/screens/scan.js');
    await showResult(payload);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const result = document.querySelector('#scan-result');
    return {
        pwned: window.__pwned,
        elements: [...result.querySelectorAll('*')].map((e) => e.localName),
        links: [...result.querySelectorAll('a')].map((a) => a.getAttribute('href')),
        raw: document.querySelector('#scan-raw').textContent,
    };
}"""


def test_hostile_payloads_render_inert_and_save_as_a_note(tab, tmp_path, live_server, server):
    page = tab()
    sign_up(page, live_server)
    page.get_by_role("link", name="Scan").click()
    # The scanner loads on first use: wait until its screen is up, as a person would.
    expect(page.get_by_role("button", name="Start camera")).to_be_visible()
    expected = {"section", "h2", "p", "dl", "dt", "dd", "a", "pre", "div", "button"}
    for payload in HOSTILE:
        seen = page.evaluate(RENDER, payload)
        assert seen["pwned"] is None, payload
        assert set(seen["elements"]) <= expected, payload
        assert all(SAFE_LINK.match(href) for href in seen["links"]), seen["links"]
        assert seen["raw"] == page.evaluate(
            "async (p) => (await import('/static/js/payloads.js')).parsePayload(p).raw_payload",
            payload,
        )
        expect(page.get_by_role("button", name="Save as note")).to_be_visible()

    # Even a parser that let a hostile link through would not make it a link.
    forged = {
        "url": "javascript:window.__pwned=1",
        "email": "x@y.z?body=<script>",
        "phone": "1;javascript:alert(1)",
        "name": "<img src=x onerror=alert(1)>",
    }
    links = page.evaluate(
        """async (contact) => {
            const { renderResult } = await import('/static/js/screens/scan.js');
            renderResult({ format: 'vcard', contact, raw_payload: 'forged' });
            return [...document.querySelectorAll('#scan-fields a')].map((a) => a.href);
        }""",
        forged,
    )
    assert all(SAFE_LINK.match(href) for href in links), links
    expect(page.get_by_text("<img src=x onerror=alert(1)>")).to_be_visible()

    # A real photo of a hostile code, through the picker, saved as a note.
    photo = tmp_path / "badge.png"
    qrcode.make(HOSTILE[1], border=4).save(photo)
    page.get_by_label("Photo of a code").set_input_files(photo)
    expect(page.get_by_label("Scanned text")).to_have_text(HOSTILE[1])
    page.get_by_role("button", name="Save as note").click()
    expect(page.get_by_label("Name")).to_have_value("Scanned note")
    expect(page.get_by_label("Notes")).to_have_value(HOSTILE[1])
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved Scanned note.")).to_be_visible()
    assert page.evaluate("() => window.__pwned") is None

    contacts = contacts_of(server, "ada@example.com", lambda found: found)
    assert [(c["name"], c["notes"], c["raw_payload"]) for c in contacts] == [
        ("Scanned note", HOSTILE[1], HOSTILE[1])
    ]


def test_the_vendored_wasm_is_the_build_barcode_detector_expects():
    ponyfill = (STATIC / "vendor/barcode-detector/zxing-exported.js").read_text()
    wasm = (STATIC / "vendor/zxing-wasm/zxing_reader.wasm").read_bytes()
    assert hashlib.sha256(wasm).hexdigest() in ponyfill
