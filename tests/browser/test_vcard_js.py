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
