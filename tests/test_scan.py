"""POST /api/v1/scan/parse: a scanned payload as contact fields; badge ids via the event directory."""

import pytest
from openapi_schema_validator import OAS31Validator

from pwa.db import db
from pwa.events.models import Attendee, EventMember

BADGE = "SB1234567"


@pytest.fixture
def make_attendee(app):
    """Return a factory of attendees (committed) in an event's directory."""

    def make(event, **fields):
        attendee = Attendee(event_id=event.id, **{"name": "Katherine Johnson", **fields})
        db.session.add(attendee)
        db.session.commit()
        return attendee

    return make


@pytest.fixture
def owner(make_user):
    return make_user(email="owner@example.com")


@pytest.fixture
def event(owner, make_event, make_attendee):
    """An event whose directory has one badge, and an attendee without one."""
    event = make_event(owner)
    make_attendee(event, name="No Badge")
    return event


@pytest.fixture
def katherine(event, make_attendee):
    return make_attendee(
        event,
        company="NASA",
        title="Mathematician",
        email="katherine@nasa.example",
        badge_id=BADGE,
        links=[
            {"title": "Blog", "url": "javascript:alert(1)"},
            {"title": "Site", "url": "https://kj.example"},
            {"title": "LinkedIn", "url": "https://www.linkedin.com/in/kj"},
        ],
    )


def scan(client, payload, event=None):
    body = {"payload": payload}
    if event is not None:
        body["event_id"] = str(event.id)
    return client.post("/api/v1/scan/parse", json=body)


def test_a_vcard_is_parsed(owner, api_as):
    payload = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nTEL:+44 20 7946 0000\r\nEND:VCARD\r\n"
    )
    response = scan(api_as(owner), payload)
    assert response.status_code == 200
    assert response.get_json() == {
        "format": "vcard",
        "contact": {"name": "Ada Lovelace", "phone": "+44 20 7946 0000"},
        "attendee_id": None,
        "raw_payload": payload,
    }


def test_a_hallway_link_gives_its_token(owner, api_as):
    body = scan(api_as(owner), "https://hallway.example/c/q3Zk8vR2LwYp0sXn4TfA1g").get_json()
    assert body["format"] == "hallway"
    assert body["token"] == "q3Zk8vR2LwYp0sXn4TfA1g"


@pytest.mark.parametrize(
    "payload",
    [
        BADGE,
        f"  {BADGE.lower()}\n",
        f"https://reg.example.com/badge/{BADGE}?ref=qr",
        f"URLTO:{BADGE}",
    ],
)
def test_a_badge_id_in_the_directory_gives_the_attendee(owner, api_as, event, katherine, payload):
    body = scan(api_as(owner), payload, event).get_json()
    assert body == {
        "format": "badge",
        "attendee_id": str(katherine.id),
        "contact": {
            "name": "Katherine Johnson",
            "company": "NASA",
            "title": "Mathematician",
            "email": "katherine@nasa.example",
            "url": "https://www.linkedin.com/in/kj",
        },
        "raw_payload": payload,
    }


def test_a_badge_vcard_keeps_its_own_fields_beside_the_directory(owner, api_as, event, katherine):
    payload = (
        f"BEGIN:VCARD\nVERSION:3.0\nFN:K. Johnson\nTEL:+1 757 555 0100\nUID:{BADGE}\nEND:VCARD"
    )
    body = scan(api_as(owner), payload, event).get_json()
    assert body["format"] == "badge"
    assert body["attendee_id"] == str(katherine.id)
    assert body["contact"]["name"] == "Katherine Johnson"
    assert body["contact"]["phone"] == "+1 757 555 0100"


def test_a_member_of_the_event_finds_badges_too(owner, make_user, api_as, event, katherine):
    member = make_user(email="member@example.com")
    db.session.add(EventMember(event_id=event.id, user_id=member.id))
    db.session.commit()
    body = scan(api_as(member), BADGE, event).get_json()
    assert body["attendee_id"] == str(katherine.id)


def test_an_unknown_badge_is_kept_as_text(owner, api_as, event, katherine):
    body = scan(api_as(owner), "SB7654321", event).get_json()
    assert body == {
        "format": "text",
        "contact": {"notes": "SB7654321"},
        "attendee_id": None,
        "raw_payload": "SB7654321",
    }


def test_a_badge_of_another_event_is_not_found(owner, api_as, make_event, katherine):
    other = make_event(owner, name="Other event")
    body = scan(api_as(owner), BADGE, other).get_json()
    assert body["format"] == "text"
    assert body["attendee_id"] is None


def test_someone_elses_event_is_refused(make_user, api_as, event, katherine):
    stranger = api_as(make_user(email="stranger@example.com"))
    response = scan(stranger, BADGE, event)
    assert response.status_code == 422
    assert response.get_json()["field"] == "event_id"
    assert "Katherine" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"payload": "x" * 8193}, "payload"),
        ({"payload": ""}, "payload"),
        ({"payload": 4711}, "payload"),
        ({}, "payload"),
        ({"payload": "x", "event_id": "not-a-uuid"}, "event_id"),
        ({"payload": "x", "extra": 1}, "extra"),
    ],
)
def test_bad_bodies_are_refused(owner, api_as, body, field):
    response = api_as(owner).post("/api/v1/scan/parse", json=body)
    assert response.status_code == 422
    assert response.get_json()["field"] == field


def test_the_largest_payload_is_accepted(owner, api_as):
    response = scan(api_as(owner), "é" * 8192)
    assert response.status_code == 200
    assert response.get_json()["raw_payload"] == "é" * 8192


def test_hostile_payloads_are_data(owner, api_as):
    api = api_as(owner)
    for payload in ("javascript:alert(1)", "<script>alert(1)</script>", "Ada\x00\x1b[0m\ud800"):
        response = scan(api, payload)
        assert response.status_code == 200
        body = response.get_json()
        assert body["format"] == "text"
        assert "\x00" not in body["raw_payload"]


def test_answers_match_the_openapi_document(client, owner, api_as, event, katherine):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/scan/parse"]["post"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    validator = OAS31Validator({**schema, "components": document["components"]})
    api = api_as(owner)
    for payload in (BADGE, "https://hallway.example/c/abc", "MECARD:N:Doe,Jo;;", "tel:+1"):
        validator.validate(scan(api, payload, event).get_json())
