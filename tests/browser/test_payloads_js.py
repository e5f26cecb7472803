"""The browser's scan parser (static/js/payloads.js, used offline) gives the corpus's answers and
agrees with the server's parser on every input, in a real Chromium."""

import json

from pwa.exchange.payloads import badge_candidates, parse_payload

from ..payload_fuzz import random_payloads
from ..test_payloads import CORPUS

#: Runs in the page: import the module as the app does, parse each payload, answer as JSON text
#: (strings travel as JSON both ways, so nothing is altered on the way).
PARSE_ALL = """async (payloads) => {
    const { parsePayload, badgeCandidates } = await import('/static/js/payloads.js');
    return JSON.stringify(JSON.parse(payloads).map((text) => [parsePayload(text), badgeCandidates(text)]));
}"""


def parse_in_browser(page, payloads):
    """Parse payloads with the JavaScript parser in the page."""
    return json.loads(page.evaluate(PARSE_ALL, json.dumps(payloads)))


def test_the_javascript_parser_gives_the_corpus_answers(page, live_server):
    page.goto(live_server)
    results = parse_in_browser(page, [case["payload"] for case in CORPUS])
    wrong = []
    for case, (result, candidates) in zip(CORPUS, results, strict=True):
        raw = result.pop("raw_payload")
        if result != case["expected"] or raw != parse_payload(case["payload"])["raw_payload"]:
            wrong.append((case["name"], result))
        assert candidates == badge_candidates(case["payload"]), case["name"]
    assert wrong == []


def test_the_javascript_and_python_parsers_agree_on_random_payloads(page, live_server):
    page.goto(live_server)
    payloads = random_payloads(seed=11, count=2000)
    results = parse_in_browser(page, payloads)
    disagreements = [
        (payload, result)
        for payload, result in zip(payloads, results, strict=True)
        if result != [parse_payload(payload), badge_candidates(payload)]
    ]
    assert disagreements[:3] == []
