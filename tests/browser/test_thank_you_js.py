"""The thank-you draft (static/js/phrasing.js) reads as a person writes, whatever was
typed in a hurry, in a real Chromium; without an email it has no mailto: link."""

import json
from urllib.parse import parse_qs, urlparse

import pytest

#: Runs in the page: import the module as the app does, draft each contact, answer as JSON text.
DRAFT_ALL = """async (contacts) => {
    const { thankYouDraft } = await import('/static/js/phrasing.js');
    return JSON.stringify(JSON.parse(contacts).map((c) =>
        thankYouDraft(c, { myName: 'Ada Lovelace', eventName: 'PyCon Lisbon',
                           promises: c.promises })));
}"""

MINE = "I'll send you the deck and metrics as promised."
PROMISES = [
    ("Send deck and metrics", MINE),
    ("send the deck and metrics", MINE),
    ("I will send the deck and metrics", MINE),
    ("I'll send the deck and metrics.", MINE),
    ("I’ll send the deck and metrics", MINE),
    ("will send deck and metrics", MINE),
    ("share slides", "I'll share the slides with you as promised."),
    ("intro to Jane", "I'll introduce you to Jane as promised."),
    ("Introduce Jane from Stripe", "I'll introduce you to Jane from Stripe as promised."),
    ("call about the pilot", "I'll call you about the pilot as promised."),
    ("follow up on pricing", "I'll follow up on pricing as promised."),
    # Where a rule would garble the words, they stay as they were typed.
    ("send over the deck", "I'll send over the deck as promised."),
    ("send it tomorrow", "I'll send it tomorrow as promised."),
    ("send the deck to Bob", "I'll send the deck to Bob as promised."),
    ("send you the slides", "I'll send you the slides as promised."),
    ("Send API docs", "I'll send you API docs as promised."),
    ("Deck + pricing", "As promised: Deck + pricing."),
    ("the deck and metrics", "As promised: the deck and metrics."),
]
THEIRS = [
    ("an intro to their platform team", "You offered an intro to your platform team."),
    ("they will send the recording", "You mentioned you would send me the recording."),
    ("Intro to their CTO", "You mentioned you would introduce me to your CTO."),
    ("Stripe credits", "You offered Stripe credits."),
]


def drafts(page, contacts):
    """Draft a thank-you to each contact with the JavaScript in the page."""
    return json.loads(page.evaluate(DRAFT_ALL, json.dumps(contacts)))


@pytest.fixture
def app_page(page, live_server):
    page.goto(live_server)
    return page


def test_what_i_promised_reads_as_a_sentence(app_page):
    answers = drafts(app_page, [{"name": "Grace", "i_promised": typed} for typed, _ in PROMISES])
    said = [draft["body"].split("\n")[3] for draft in answers]
    assert said == [sentence for _, sentence in PROMISES]


def test_what_they_promised_reads_as_a_sentence(app_page):
    answers = drafts(app_page, [{"name": "Grace", "they_promised": typed} for typed, _ in THEIRS])
    said = [draft["body"].split("\n")[3] for draft in answers]
    assert said == [sentence for _, sentence in THEIRS]


def test_a_whole_draft_by_email_and_without(app_page):
    grace = {
        "name": "Grace Hopper",
        "email": "grace@example.com",
        "i_promised": "Send deck and metrics",
        "next_step": "Call about the pilot",
        "next_step_due": "2026-12-08",
    }
    with_email, without = drafts(app_page, [grace, {**grace, "email": None}])
    assert with_email["subject"] == "Great to meet you at PyCon Lisbon"
    lines = with_email["body"].split("\n")
    assert lines[:4] == [
        "Hi Grace,",
        "",
        "Thank you for the conversation at PyCon Lisbon.",
        "I'll send you the deck and metrics as promised.",
    ]
    assert lines[4].startswith("I'll call you about the pilot on ")
    assert "December" in lines[4] and "8" in lines[4]
    assert lines[-2:] == ["Best,", "Ada Lovelace"]
    link = urlparse(with_email["mailto"])
    assert link.scheme == "mailto" and link.path == "grace%40example.com"
    assert parse_qs(link.query)["body"] == [with_email["body"]]
    assert without["mailto"] is None and without["body"] == with_email["body"]


def test_the_draft_confirms_the_open_promise_records(app_page):
    def promise(direction, text, kept_at=None, contact_id="g"):
        return {"contact_id": contact_id, "direction": direction, "text": text, "kept_at": kept_at}

    grace = {
        "id": "g",
        "name": "Grace",
        "i_promised": "the card's own words",
        "they_promised": "Stripe credits",
        "promises": [
            promise("mine", "send the deck"),
            promise("mine", "book a call", kept_at="2026-12-01T10:00:00Z"),  # kept: not repeated
            promise("mine", "share slides"),
            promise("theirs", "an intro to their CTO"),
            promise("mine", "someone else's", contact_id="x"),
        ],
    }
    [draft] = drafts(app_page, [grace])
    assert draft["body"].split("\n")[3:6] == [
        "I'll send you the deck as promised.",
        "I'll share the slides with you as promised.",
        "You offered an intro to your CTO.",
    ]
    assert "card's own words" not in draft["body"] and "book a call" not in draft["body"]
    # Without records (not synced yet), the card's fields say what was promised.
    [draft] = drafts(app_page, [{**grace, "promises": []}])
    assert draft["body"].split("\n")[3:5] == [
        "As promised: the card's own words.",
        "You offered Stripe credits.",
    ]
