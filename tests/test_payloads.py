"""The scan payload parser reads every corpus case as expected and any input at all into fields
the contacts API accepts. tests/browser/test_payloads_js.py holds the browser's parser to the same."""

import json
import logging
import re
from pathlib import Path

import pytest

from pwa.contacts.kinds import ContactFields
from pwa.exchange.payloads import badge_candidates, parse_payload

from .payload_fuzz import random_payloads

CORPUS = json.loads((Path(__file__).parent / "data" / "payloads.json").read_text("utf-8"))
FORMATS = {"vcard", "mecard", "bizcard", "hallway", "url", "tel", "email", "text"}
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_corpus_covers_every_format():
    assert len(CORPUS) >= 40
    assert {case["expected"]["format"] for case in CORPUS} == FORMATS
    assert len({case["name"] for case in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("case", CORPUS, ids=[case["name"] for case in CORPUS])
def test_corpus_case(case, caplog):
    result = parse_payload(case["payload"])
    assert {key: value for key, value in result.items() if key != "raw_payload"} == case["expected"]
    assert caplog.records == []


@pytest.mark.parametrize("case", CORPUS, ids=[case["name"] for case in CORPUS])
def test_corpus_results_fit_the_contact_fields(case):
    result = parse_payload(case["payload"])
    ContactFields.model_validate({**result["contact"], "raw_payload": result["raw_payload"]})


def test_raw_payload_is_kept_as_scanned_without_nul():
    payload = "BEGIN:VCARD\r\nFN:Ada\x00 \x07\r\n  \tEND:VCARD  "
    assert parse_payload(payload)["raw_payload"] == payload.replace("\x00", "")
    assert parse_payload("x" * 9000)["raw_payload"] == "x" * 8192


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, {"format": "text", "contact": {}}),
        (b"tel:+1 555 0100", {"format": "tel", "contact": {"phone": "+1 555 0100"}}),
        (b"\xff\xfeSB1", {"format": "text", "contact": {"notes": "\ufffd\ufffdSB1"}}),
        (4711, {"format": "text", "contact": {"notes": "4711"}}),
    ],
)
def test_input_that_is_not_a_string(value, expected):
    result = parse_payload(value)
    result.pop("raw_payload")
    assert result == expected


def test_fuzzed_payloads_never_raise_and_always_fit_the_contact_fields(caplog):
    caplog.set_level(logging.ERROR)
    for payload in random_payloads(seed=6, count=3000, surrogates=True):
        result = parse_payload(payload)
        assert result["format"] in FORMATS, payload
        contact = result["contact"]
        ContactFields.model_validate({**contact, "raw_payload": result["raw_payload"]})
        assert all(value and not CONTROL.search(value) for value in contact.values()), payload
        assert re.match("https?://", contact.get("url", "http://"), re.I), payload
        assert ("token" in result) == (result["format"] == "hallway"), payload
    assert caplog.records == []  # the parser's safety net (log, keep as a note) never fired


def test_hostile_links_never_fill_url():
    for payload in (
        "javascript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "data:text/html,<b>",
        "vbscript:x",
    ):
        result = parse_payload(payload)
        assert result["format"] == "text"
        assert "url" not in result["contact"]


@pytest.mark.parametrize(
    "payload, first",
    [
        ("SB1234567", "SB1234567"),
        ("  sb-1234567\n", "sb-1234567"),
        ("https://reg.example.com/badge/SB1234567?ref=qr", "SB1234567"),
        ("BEGIN:VCARD\nFN:Ada\nUID:SB1234567\nEND:VCARD", "SB1234567"),
    ],
)
def test_badge_candidates(payload, first):
    candidates = badge_candidates(payload)
    assert first in candidates
    if len(payload.strip()) <= 200 and "\n" not in payload.strip():
        assert candidates[0] == payload.strip()
    assert all(len(candidate) <= 200 for candidate in candidates)


def test_badge_candidates_skip_words_without_digits():
    assert badge_candidates("BEGIN:VCARD\nFN:Ada Lovelace\nEND:VCARD")[1:] == []
    assert badge_candidates("") == []
