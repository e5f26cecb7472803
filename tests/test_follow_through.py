"""The server plans every next step: whatever creates or changes a contact, its thank-you,
check-back, promises and keep-in-touch are planned once, with the ids the app plans offline;
interactions close the thank-you and reset the keep-in-touch clock; the Reconnect list and the
follow-through report. On SQLite and PostgreSQL."""

import io
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from pwa import kinds, records
from pwa.db import db, utcnow
from pwa.followups.keeping_in_touch import reconnect, set_cadences
from pwa.followups.models import FollowUp
from pwa.followups.plans import plan_id
from pwa.followups.report import follow_through
from pwa.promises.models import Promise
from tests.test_sync import sync, upsert

API = "/api/v1"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def as_ada(api_as, ada):
    ada.timezone = "Europe/Paris"
    db.session.commit()
    return api_as(ada)


def live(model, contact_id):
    db.session.expire_all()
    query = select(model).where(model.contact_id == uuid.UUID(str(contact_id)))
    return [row for row in db.session.scalars(query) if row.deleted_at is None]


def by_kind(contact_id):
    return {f.kind: f for f in live(FollowUp, contact_id)}


def just_met(hours_ago=1):
    return (utcnow() - timedelta(hours=hours_ago)).replace(microsecond=0)


def create_contact(client, **fields):
    response = client.post(f"{API}/contacts", json={"name": "Grace Hopper", **fields})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def morning(day):
    return datetime.combine(day, datetime.min.time().replace(hour=9), tzinfo=PARIS)


# Every creation path plans the same follow-ups once


def test_a_contact_created_over_rest_gets_its_thank_you_and_check_back(as_ada):
    met = just_met()
    contact = create_contact(
        as_ada, met_at=met.isoformat(), next_step_due="2031-03-04", next_step="Send the deck"
    )
    planned = by_kind(contact["id"])
    assert set(planned) == {"thank_you", "check_back"}
    thanks, check_back = planned["thank_you"], planned["check_back"]
    assert thanks.id == plan_id(uuid.UUID(contact["id"]), "thank_you")
    assert thanks.due_at == morning(met.astimezone(PARIS).date() + timedelta(days=1))
    assert check_back.id == plan_id(uuid.UUID(contact["id"]), "check_back")
    assert check_back.due_at == morning(date(2031, 3, 4))
    assert check_back.note == "Send the deck"
    listed = as_ada.get(f"{API}/followups").get_json()["items"]
    assert sorted(f["kind"] for f in listed) == ["check_back", "thank_you"]


def test_someone_met_long_ago_or_imported_gets_no_thank_you(as_ada):
    old = create_contact(as_ada, met_at="2020-01-01T10:00:00+00:00")
    assert by_kind(old["id"]) == {}
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Katherine Johnson\r\nEND:VCARD\r\n"
    response = as_ada.post(
        f"{API}/import/contacts",
        data={"file": (io.BytesIO(card), "k.vcf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    people = as_ada.get(f"{API}/contacts?q=katherine").get_json()["items"]
    assert [p["source"] for p in people] == ["import"]
    assert by_kind(people[0]["id"]) == {}


def test_the_apps_offline_plan_and_the_servers_are_the_same_records(as_ada, ada):
    """The app sends the card and its own plan (its clock in another zone); nothing doubles,
    nothing conflicts, and the app's times stand."""
    contact_id = uuid.uuid4()
    met = just_met()
    app_due = "2031-03-04T09:00:00+00:00"  # 09:00 in London, not Paris
    changes = [
        upsert(
            "contact", contact_id, name="Ada", met_at=met.isoformat(), next_step_due="2031-03-04"
        ),
        upsert(
            "followup",
            plan_id(contact_id, "thank_you"),
            contact_id=str(contact_id),
            kind="thank_you",
            due_at=(met + timedelta(hours=20)).isoformat(),
            note="Say thank you and confirm what each side offered",
        ),
        upsert(
            "followup",
            plan_id(contact_id, "check_back"),
            contact_id=str(contact_id),
            kind="check_back",
            due_at=app_due,
            note="Check back as agreed",
        ),
    ]
    answer = sync(as_ada, changes)
    assert [r["status"] for r in answer["results"]] == ["applied"] * 3
    planned = by_kind(contact_id)
    assert len(live(FollowUp, contact_id)) == 2
    assert planned["check_back"].due_at == datetime.fromisoformat(app_due)
    # sent again (a retry without its batch id): still two
    again = sync(as_ada, changes)
    assert {r["status"] for r in again["results"]} <= {"duplicate", "applied"}
    assert len(live(FollowUp, contact_id)) == 2


def test_a_card_synced_by_another_client_gets_the_plan_and_the_device_pulls_it(as_ada):
    contact_id = uuid.uuid4()
    answer = sync(
        as_ada,
        [
            upsert(
                "contact",
                contact_id,
                name="Ada",
                met_at=just_met().isoformat(),
                source="capture",
                tags=[],
                i_promised="Intro to Bob",
            )
        ],
    )
    pulled = {(c["kind"], c["id"]) for c in answer["changes"]}
    assert ("followup", str(plan_id(contact_id, "thank_you"))) in pulled
    assert ("promise", str(plan_id(contact_id, "promise:mine"))) in pulled
    assert ("contact", str(contact_id)) not in pulled  # the device sent it: not echoed


def test_a_share_back_plans_one_thank_you(client, as_ada):
    token = as_ada.get(f"{API}/me/card").get_json()["public_token"]
    response = client.post(f"/c/{token}", data={"name": "Linus", "email": "l@example.com"})
    assert response.status_code == 200
    contacts = as_ada.get(f"{API}/contacts").get_json()["items"]
    assert [c["source"] for c in contacts] == ["share-back"]
    planned = live(FollowUp, contacts[0]["id"])
    assert [(f.kind, f.note) for f in planned] == [
        ("thank_you", "They sent you their details from your card")
    ]


# Date moves


def test_moving_the_date_moves_the_check_back_and_clearing_it_removes_it(as_ada):
    contact = create_contact(as_ada, met_at=just_met().isoformat(), next_step_due="2031-03-04")
    url = f"{API}/contacts/{contact['id']}"
    assert as_ada.patch(url, json={"next_step_due": "2031-04-05"}).status_code == 200
    assert by_kind(contact["id"])["check_back"].due_at == morning(date(2031, 4, 5))
    assert as_ada.patch(url, json={"next_step_due": None}).status_code == 200
    assert "check_back" not in by_kind(contact["id"])
    assert as_ada.patch(url, json={"next_step_due": "2031-05-06"}).status_code == 200
    assert by_kind(contact["id"])["check_back"].due_at == morning(date(2031, 5, 6))
    assert as_ada.patch(url, json={"no_next_step": True}).status_code == 200
    assert "check_back" not in by_kind(contact["id"])


def test_a_date_added_later_plans_a_check_back(as_ada):
    contact = create_contact(as_ada, met_at=just_met().isoformat())
    assert set(by_kind(contact["id"])) == {"thank_you"}
    as_ada.patch(f"{API}/contacts/{contact['id']}", json={"next_step_due": "2031-03-04"})
    assert by_kind(contact["id"])["check_back"].due_at == morning(date(2031, 3, 4))


def test_a_done_check_back_stays_history_and_the_next_date_gets_its_own(as_ada):
    contact = create_contact(as_ada, met_at=just_met().isoformat(), next_step_due="2031-03-04")
    first = by_kind(contact["id"])["check_back"]
    done = as_ada.patch(f"{API}/followups/{first.id}", json={"done_at": "2031-03-04T10:00:00Z"})
    assert done.status_code == 200
    as_ada.patch(f"{API}/contacts/{contact['id']}", json={"next_step_due": "2031-06-01"})
    check_backs = [f for f in live(FollowUp, contact["id"]) if f.kind == "check_back"]
    assert len(check_backs) == 2
    kept = next(f for f in check_backs if f.id == first.id)
    assert kept.due_at == morning(date(2031, 3, 4)) and kept.done_at is not None
    new = next(f for f in check_backs if f.id != first.id)
    assert new.id == plan_id(uuid.UUID(contact["id"]), "check_back:2031-06-01")
    assert new.due_at == morning(date(2031, 6, 1)) and new.done_at is None


# Interactions close the loop


@pytest.mark.parametrize("kind", ["emailed", "called", "messaged"])
def test_reaching_out_after_meeting_marks_the_thank_you_done(as_ada, kind):
    met = just_met(hours_ago=3)
    contact = create_contact(as_ada, met_at=met.isoformat())
    at = (met + timedelta(hours=2)).isoformat()
    response = as_ada.post(
        f"{API}/interactions", json={"contact_id": contact["id"], "kind": kind, "at": at}
    )
    assert response.status_code == 201
    assert by_kind(contact["id"])["thank_you"].done_at == datetime.fromisoformat(at)


def test_a_note_or_an_email_before_we_met_leaves_the_thank_you_open(as_ada):
    met = just_met(hours_ago=3)
    contact = create_contact(as_ada, met_at=met.isoformat())
    for kind, at in (("note", met + timedelta(hours=1)), ("emailed", met - timedelta(days=2))):
        as_ada.post(
            f"{API}/interactions",
            json={"contact_id": contact["id"], "kind": kind, "at": at.isoformat()},
        )
    assert by_kind(contact["id"])["thank_you"].done_at is None


# Cadences and the last touch


def test_cadences_plan_keep_in_touch_and_every_touch_resets_the_clock(as_ada):
    met = just_met(hours_ago=48)
    contact = create_contact(as_ada, met_at=met.isoformat(), tags=["investor"])
    assert "keep_in_touch" not in by_kind(contact["id"])
    put = as_ada.put(f"{API}/me/cadences", json={"investor": 42})
    assert put.status_code == 200 and put.get_json() == {"investor": 42}
    assert as_ada.get(f"{API}/me/cadences").get_json() == {"investor": 42}
    nudge = by_kind(contact["id"])["keep_in_touch"]
    assert nudge.due_at == morning(met.astimezone(PARIS).date() + timedelta(days=42))
    touched = met + timedelta(hours=30)
    as_ada.post(
        f"{API}/interactions",
        json={"contact_id": contact["id"], "kind": "called", "at": touched.isoformat()},
    )
    shown = as_ada.get(f"{API}/contacts/{contact['id']}").get_json()
    assert datetime.fromisoformat(shown["last_touch_at"]) == touched
    nudge = by_kind(contact["id"])["keep_in_touch"]
    assert nudge.due_at == morning(touched.astimezone(PARIS).date() + timedelta(days=42))
    # the contact's own cadence wins over its tags'
    as_ada.patch(f"{API}/contacts/{contact['id']}", json={"cadence_days": 7})
    nudge = by_kind(contact["id"])["keep_in_touch"]
    assert nudge.due_at == morning(touched.astimezone(PARIS).date() + timedelta(days=7))
    # done is a touch: the next one comes a cadence after it
    done_at = touched + timedelta(days=8)
    as_ada.patch(f"{API}/followups/{nudge.id}", json={"done_at": done_at.isoformat()})
    nudge = by_kind(contact["id"])["keep_in_touch"]
    assert nudge.done_at is None
    assert nudge.due_at == morning(done_at.astimezone(PARIS).date() + timedelta(days=7))
    # no cadence left: the open one goes
    as_ada.patch(f"{API}/contacts/{contact['id']}", json={"cadence_days": None})
    as_ada.put(f"{API}/me/cadences", json={})
    assert "keep_in_touch" not in by_kind(contact["id"])


def test_bad_cadences_are_refused(as_ada):
    for body in ({"investor": 0}, {"investor": "often"}, {"": 7}, ["investor"]):
        response = as_ada.put(f"{API}/me/cadences", json=body)
        assert response.status_code in (400, 422), body
        assert "error" in response.get_json()


def test_a_share_back_scan_or_exchange_is_a_touch(as_ada, ada):
    contact = create_contact(as_ada, met_at=just_met(hours_ago=100).isoformat(), cadence_days=30)
    scanned = just_met()
    as_ada.post(
        f"{API}/interactions",
        json={"contact_id": contact["id"], "kind": "scanned", "at": scanned.isoformat()},
    )
    shown = as_ada.get(f"{API}/contacts/{contact['id']}").get_json()
    assert datetime.fromisoformat(shown["last_touch_at"]) == scanned


def test_reconnect_ranks_people_by_how_overdue_they_are(app, ada):
    now = datetime(2031, 1, 1, 12, tzinfo=UTC)
    set_cadences(ada, {"investor": 30}, now)
    contact = kinds.CONTACT
    made = {}
    for name, days_ago, own in (("Soon", 10, None), ("Late", 60, None), ("Later", 30, 10)):
        values = contact.parse(
            {
                "name": name,
                "tags": ["investor"],
                "met_at": (now - timedelta(days=days_ago)).isoformat(),
            }
        )
        if own:
            values["cadence_days"] = own
        made[name] = records.insert(contact, ada, values, now)
    records.insert(contact, ada, contact.parse({"name": "No cadence"}), now)
    db.session.commit()
    ranked = reconnect(ada, now, 10)
    assert [item["name"] for item in ranked] == ["Later", "Late", "Soon"]
    assert [item["overdue_ratio"] for item in ranked] == [3.0, 2.0, 0.33]
    assert ranked[0]["cadence_days"] == 10 and ranked[1]["cadence_days"] == 30


def test_the_reconnect_route_answers_the_documented_shape(as_ada):
    create_contact(as_ada, met_at=just_met(hours_ago=24 * 20).isoformat(), cadence_days=10)
    items = as_ada.get(f"{API}/reconnect").get_json()["items"]
    assert len(items) == 1
    assert set(items[0]) == {"contact_id", "name", "last_touch_at", "cadence_days", "overdue_ratio"}
    assert items[0]["overdue_ratio"] == pytest.approx(2.0, abs=0.01)
    assert as_ada.get(f"{API}/reconnect?limit=0").status_code == 422


# Promises


def test_promises_from_a_capture_follow_the_check_back_date(as_ada):
    contact = create_contact(
        as_ada,
        met_at=just_met().isoformat(),
        next_step_due="2031-03-04",
        i_promised="Send the deck",
        they_promised="An intro to their CTO",
    )
    mine = as_ada.get(f"{API}/promises?direction=mine").get_json()["items"]
    theirs = as_ada.get(f"{API}/promises?direction=theirs").get_json()["items"]
    assert [(p["text"], p["due_on"]) for p in mine] == [("Send the deck", "2031-03-04")]
    assert [p["text"] for p in theirs] == ["An intro to their CTO"]
    assert mine[0]["id"] == str(plan_id(uuid.UUID(contact["id"]), "promise:mine"))
    as_ada.patch(f"{API}/contacts/{contact['id']}", json={"next_step_due": "2031-04-05"})
    moved = as_ada.get(f"{API}/promises/{mine[0]['id']}").get_json()
    assert moved["due_on"] == "2031-04-05"
    kept = as_ada.patch(f"{API}/promises/{mine[0]['id']}", json={"kept_at": "2031-04-01T10:00:00Z"})
    assert kept.status_code == 200
    as_ada.patch(f"{API}/contacts/{contact['id']}", json={"i_promised": None})
    assert [p.text for p in live(Promise, contact["id"]) if p.direction == "mine"] == [
        "Send the deck"
    ]  # kept promises are history


def test_a_promise_is_refused_without_its_text_or_with_a_bad_direction(as_ada):
    contact = create_contact(as_ada)
    for body in ({"direction": "mine"}, {"direction": "ours", "text": "x"}):
        response = as_ada.post(f"{API}/promises", json={"contact_id": contact["id"], **body})
        assert response.status_code == 422


# Introductions and trust


def test_an_introduction_joins_two_of_my_contacts(as_ada, api_as, bob):
    grace = create_contact(as_ada, trust="would_vouch")
    linus = create_contact(as_ada, name="Linus", introduced_by_id=grace["id"], trust="talked")
    assert linus["introduced_by_id"] == grace["id"] and linus["trust"] == "talked"
    made = as_ada.post(
        f"{API}/introductions",
        json={"contact_id": linus["id"], "to_id": grace["id"], "note": "Both build compilers"},
    )
    assert made.status_code == 201
    listed = as_ada.get(f"{API}/introductions?contact_id={grace['id']}").get_json()["items"]
    assert [i["id"] for i in listed] == [made.get_json()["id"]]
    same = as_ada.post(
        f"{API}/introductions", json={"contact_id": linus["id"], "to_id": linus["id"]}
    )
    assert same.status_code == 422 and same.get_json()["field"] == "to_id"
    bobs = create_contact(api_as(bob), name="Bob's friend")
    theirs = as_ada.post(
        f"{API}/introductions", json={"contact_id": linus["id"], "to_id": bobs["id"]}
    )
    assert theirs.status_code == 422 and theirs.get_json()["field"] == "to_id"
    bad = as_ada.patch(f"{API}/contacts/{linus['id']}", json={"trust": "best_friends"})
    assert bad.status_code == 422
    self_made = as_ada.patch(
        f"{API}/contacts/{linus['id']}", json={"introduced_by_id": linus["id"]}
    )
    assert self_made.status_code == 422 and self_made.get_json()["field"] == "introduced_by_id"


# The follow-through report


def test_the_report_counts_a_seeded_event(app, ada, make_event):
    ada.timezone = "Europe/Paris"
    now = datetime(2031, 3, 10, 12, tzinfo=UTC)
    met = datetime(2031, 3, 2, 15, tzinfo=UTC)
    event = make_event(ada)
    contact, followup, promise = kinds.CONTACT, kinds.FOLLOWUP, kinds.PROMISE

    def person(name, **fields):
        values = contact.parse(
            {"name": name, "event_id": str(event.id), "met_at": met.isoformat(), **fields}
        )
        return records.insert(contact, ada, values, met)

    thanked = person("Thanked", next_step_due="2031-03-05", i_promised="Deck")
    late = person("Thanked late", next_step_due="2031-03-06", they_promised="Intro")
    person("Said none", no_next_step=True)
    person("Nothing planned")
    person("Far future", next_step_due="2031-12-01")
    db.session.flush()

    def planned(record, what):
        return db.session.get(FollowUp, plan_id(record.id, what))

    records.change(
        followup, ada, planned(thanked, "thank_you"), {"done_at": met + timedelta(hours=20)}, now
    )
    records.change(
        followup, ada, planned(late, "thank_you"), {"done_at": met + timedelta(hours=30)}, now
    )
    # on time: done by the end of the due day, Paris time (23:30 Paris is 22:30 UTC)
    records.change(
        followup,
        ada,
        planned(thanked, "check_back"),
        {"done_at": datetime(2031, 3, 5, 22, 30, tzinfo=UTC)},
        now,
    )
    records.change(
        followup,
        ada,
        planned(late, "check_back"),
        {"done_at": datetime(2031, 3, 7, 8, tzinfo=UTC)},
        now,
    )
    records.change(
        promise,
        ada,
        db.session.get(Promise, plan_id(thanked.id, "promise:mine")),
        {"kept_at": now},
        now,
    )
    db.session.commit()
    assert follow_through(ada, now, event.id) == {
        "met": 5,
        "thank_you_within_day": 1,
        "check_backs_due": 2,
        "check_backs_on_time": 1,
        "promises_mine": 1,
        "promises_mine_kept": 1,
        "promises_theirs": 1,
        "promises_theirs_kept": 0,
        "without_next_step": 1,
    }
    assert follow_through(ada, now, uuid.uuid4())["met"] == 0


def test_the_report_route_takes_an_event_and_refuses_a_bad_one(as_ada):
    create_contact(as_ada, met_at=just_met().isoformat())
    overall = as_ada.get(f"{API}/report").get_json()
    assert overall["met"] == 1 and overall["without_next_step"] == 1
    assert as_ada.get(f"{API}/report?event_id=nope").status_code == 422


def test_the_reminder_of_a_thank_you_or_check_back_names_what_i_promised():
    from pwa.followups.messages import Due, reminder

    due = Due(uuid.uuid4(), uuid.uuid4(), "check_back", "Call about the pilot", None)
    due.contact_name, due.i_promised = "Ada", "Send the deck"
    assert reminder(due)["body"] == "Call about the pilot. You promised: Send the deck"
    due.kind = "keep_in_touch"
    assert reminder(due)["body"] == "Call about the pilot"


def test_exchanging_cards_again_is_a_touch(as_ada, make_user, api_as):
    grace = make_user(email="grace@example.com", name="Grace Hopper")
    token = api_as(grace).get(f"{API}/me/card").get_json()["public_token"]
    first = just_met(hours_ago=50)
    made = as_ada.post(f"{API}/exchange", json={"token": token, "met_at": first.isoformat()})
    assert made.status_code == 201, made.get_data(as_text=True)
    again = just_met()
    answer = as_ada.post(f"{API}/exchange", json={"token": token, "met_at": again.isoformat()})
    assert answer.status_code in (200, 201)
    shown = as_ada.get(f"{API}/contacts/{made.get_json()['id']}").get_json()
    assert datetime.fromisoformat(shown["last_touch_at"]) == again


def test_an_imported_card_with_a_next_step_gets_one_check_back_however_often_imported(
    as_ada, api_as, bob
):
    create_contact(as_ada, met_at="2020-01-01T10:00:00+00:00", next_step_due="2031-03-04")
    table = as_ada.get(f"{API}/export/contacts.csv").get_data()
    as_bob = api_as(bob)
    for _ in range(2):
        answer = as_bob.post(
            f"{API}/import/contacts",
            data={"file": (io.BytesIO(table), "contacts.csv")},
            content_type="multipart/form-data",
        )
        assert answer.status_code == 200, answer.get_data(as_text=True)
    [contact] = as_bob.get(f"{API}/contacts").get_json()["items"]
    planned = live(FollowUp, contact["id"])
    assert [(f.kind, f.due_at.date()) for f in planned] == [("check_back", date(2031, 3, 4))]


def test_after_a_done_check_back_the_next_one_moves_and_goes_like_the_first(as_ada):
    contact = create_contact(as_ada, met_at=just_met().isoformat(), next_step_due="2031-03-04")
    url = f"{API}/contacts/{contact['id']}"
    first = by_kind(contact["id"])["check_back"]
    as_ada.patch(f"{API}/followups/{first.id}", json={"done_at": "2031-03-04T10:00:00Z"})
    as_ada.patch(url, json={"next_step_due": "2031-06-01"})
    as_ada.patch(url, json={"next_step_due": "2031-07-01"})  # moves the second, makes no third
    check_backs = [f for f in live(FollowUp, contact["id"]) if f.kind == "check_back"]
    assert sorted(f.due_at.date().isoformat() for f in check_backs) == ["2031-03-04", "2031-07-01"]
    as_ada.patch(url, json={"next_step_due": None})
    check_backs = [f for f in live(FollowUp, contact["id"]) if f.kind == "check_back"]
    assert [f.id for f in check_backs] == [first.id]  # the done one is history
