"""Calendar export: follow-ups as RFC 5545 events with alarms, and the private subscription URL."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from pwa.followups import ics

DUE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def people(make_user, make_contact, make_followup, api_as):
    """A user with three follow-ups (one done), and their API client."""
    user = make_user()
    ada = make_contact(user, name="Ada Lovelace")
    grace = make_contact(user, name="Grace Hopper, Rear Admiral; USN")
    thanks = make_followup(
        user,
        contact_id=str(ada.id),
        kind="thank_you",
        due_at=DUE.isoformat(),
        note="Send the paper, the slides; and \\ the notes\nThen book lunch.",
    )
    check = make_followup(
        user,
        contact_id=str(grace.id),
        kind="check_back",
        due_at=(DUE + timedelta(days=7)).isoformat(),
        snoozed_until=(DUE + timedelta(days=8)).isoformat(),
    )
    done = make_followup(user, contact_id=str(ada.id), due_at=DUE.isoformat())
    api = api_as(user)
    api.patch(f"/api/v1/followups/{done.id}", json={"done_at": DUE.isoformat()})
    return {"user": user, "api": api, "thanks": thanks, "check": check, "done": done}


def _events(body):
    calendar = icalendar.Calendar.from_ical(body)
    return calendar, {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _well_formed(body: bytes):
    """CRLF line ends only, and no line over 75 octets."""
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75


def test_the_export_is_timed_events_with_alarms(people):
    response = people["api"].get("/api/v1/export/followups.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    _well_formed(response.data)
    calendar, events = _events(response.data)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == ics.PRODID
    thanks, check = people["thanks"], people["check"]
    assert set(events) == {f"followup-{thanks.id}@hallway", f"followup-{check.id}@hallway"}
    event = events[f"followup-{thanks.id}@hallway"]
    assert event["SUMMARY"] == "Say thank you to Ada Lovelace"
    assert event.decoded("DTSTART") == DUE
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert event.decoded("DURATION") == timedelta(minutes=15)
    assert str(event["DESCRIPTION"]).startswith(
        "Send the paper, the slides; and \\ the notes\nThen book lunch.\n\nOpen in Hallway: http"
    )
    assert str(event["URL"]).endswith(f"/people/{thanks.contact_id}?followup={thanks.id}")
    [alarm] = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["DESCRIPTION"] == "Say thank you to Ada Lovelace"
    assert alarm.decoded("TRIGGER") == timedelta(0)
    snoozed = events[f"followup-{check.id}@hallway"]
    assert snoozed["SUMMARY"] == "Check back with Grace Hopper, Rear Admiral; USN"
    assert snoozed.decoded("DTSTART") == DUE + timedelta(days=8)


def test_text_is_escaped_and_long_lines_fold_without_splitting_characters(
    people, make_contact, make_followup
):
    user = people["user"]
    name = "Zoë Ångström 🎉 " * 8
    contact = make_contact(user, name=name.strip()[:200])
    note = "Ünïcödé, with; commas\\ and 🎉 emoji " * 40
    item = make_followup(user, contact_id=str(contact.id), due_at=DUE.isoformat(), note=note)
    body = people["api"].get("/api/v1/export/followups.ics").data
    _well_formed(body)
    body.decode("utf-8")  # every folded line is whole UTF-8
    _, events = _events(body)
    event = events[f"followup-{item.id}@hallway"]
    assert str(event["DESCRIPTION"]).startswith(note.strip())
    assert str(event["SUMMARY"]) == f"Say thank you to {name.strip()[:200]}"
    assert b"with\\; commas\\\\ and" in body.replace(b"\r\n ", b"")


def test_fold_and_escape():
    assert ics.escape("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    line = "DESCRIPTION:" + "é" * 100
    folded = ics.fold(line)
    parts = folded.split("\r\n ")
    assert all(len(part.encode()) <= 74 for part in parts[1:])
    assert len(parts[0].encode()) <= 75
    assert "".join(parts) == line
    assert ics.fold("SHORT:x") == "SHORT:x"


def test_a_private_subscription_url_can_be_rotated_and_revoked(people, client):
    api = people["api"]
    created = api.post("/api/v1/export/calendar-token")
    assert created.status_code == 201
    url = created.get_json()["url"]
    assert created.get_json()["webcal"].startswith("webcal://")
    path = url.split("://", 1)[1].split("/", 1)[1]
    feed = client.get(f"/{path}")  # a calendar app: no session, no token header
    assert feed.status_code == 200
    assert feed.headers["Content-Type"].startswith("text/calendar")
    _, events = _events(feed.data)
    assert len(events) == 2
    rotated = api.post("/api/v1/export/calendar-token").get_json()["url"]
    assert client.get(f"/{path}").status_code == 404
    new_path = rotated.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{new_path}").status_code == 200
    assert api.delete("/api/v1/export/calendar-token").status_code == 204
    assert client.get(f"/{new_path}").status_code == 404


def test_a_feed_shows_only_its_owners_follow_ups(people, make_user, api_as, client):
    stranger = api_as(make_user())
    url = stranger.post("/api/v1/export/calendar-token").get_json()["url"]
    feed = client.get("/" + url.split("://", 1)[1].split("/", 1)[1])
    _, events = _events(feed.data)
    assert events == {}
    assert stranger.get("/api/v1/export/followups.ics").status_code == 200


def test_my_promises_not_kept_are_all_day_events_on_their_day(people, make_promise):
    user, api = people["user"], people["api"]
    ada_id = people["thanks"].contact_id
    deck = make_promise(user, contact_id=str(ada_id), text="Send the deck", due_on="2026-11-25")
    make_promise(user, contact_id=str(ada_id), text="No date")  # nothing to put on a day
    theirs = make_promise(
        user, contact_id=str(ada_id), direction="theirs", text="An intro", due_on="2026-11-25"
    )
    kept = make_promise(user, contact_id=str(ada_id), text="Kept", due_on="2026-11-24")
    api.patch(f"/api/v1/promises/{kept.id}", json={"kept_at": DUE.isoformat()})
    response = api.get("/api/v1/export/followups.ics")
    _well_formed(response.data)
    _, events = _events(response.data)
    promised = {uid: e for uid, e in events.items() if uid.startswith("promise-")}
    assert set(promised) == {f"promise-{deck.id}@hallway"}
    event = promised[f"promise-{deck.id}@hallway"]
    assert event["SUMMARY"] == "Keep your promise to Ada Lovelace: Send the deck"
    assert event.decoded("DTSTART").isoformat() == "2026-11-25"
    assert event.decoded("DTEND").isoformat() == "2026-11-26"
    assert theirs.id and str(event["URL"]).endswith(f"/people/{ada_id}")
