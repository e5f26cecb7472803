"""The app's own vCard writer (static/js/export.js), in a real Chromium: a note typed with
CRLF or a bare CR (every share-back note has CRLF) stays inside its property."""

VCARD = """async (contact) => {
    const { vcard } = await import('/static/js/export.js');
    return vcard(contact);
}"""


def test_newlines_of_any_kind_stay_inside_the_note(page, live_server):
    page.goto(live_server)
    text = page.evaluate(
        VCARD,
        {"id": "c1", "name": "Ada Lovelace", "notes": "one\rtwo\r\nthree\nfour", "tags": []},
    )
    lines = text.split("\r\n")
    assert "\r" not in "".join(lines) and "\n" not in "".join(lines)
    assert "NOTE:one\\ntwo\\nthree\\nfour" in lines


ROUND_TRIP = """async (contact) => {
    const { vcard } = await import('/static/js/export.js');
    const { parsePayload } = await import('/static/js/payloads.js');
    return parsePayload(vcard(contact)).contact;
}"""


def test_tags_written_as_categories_are_read_back_as_tags(page, live_server):
    page.goto(live_server)
    tags = ["investor", "rust, wasm", "a;b\\\\c"]
    contact = page.evaluate(ROUND_TRIP, {"id": "c1", "name": "Ada Lovelace", "tags": tags})
    assert contact["tags"] == tags
