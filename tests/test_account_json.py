"""all.json: everything an account owns, downloaded as one documented JSON document and imported
into a fresh account (on the same server, where the original ids are taken) with nothing lost;
a second import changes nothing; bad files are 4xx, a broken record is one error."""

import base64
import io
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import func, select

from pwa import kinds, records
from pwa.api import MAX_JSON_DEPTH
from pwa.auth.models import User
from pwa.contacts.models import Contact
from pwa.contacts.photos import process_photo, store_photo
from pwa.db import db, utcnow
from pwa.errors import ApiError
from pwa.events.models import Attendee, Event, EventMember
from pwa.exchange.cards import MINE, my_card
from pwa.transfer.account import export_account, import_account, is_account_document
from pwa.transfer.restore import REFERENCES, new_id

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def png(colour="red", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def exported(user, now=NOW):
    return json.loads("".join(export_account(user, now)))


def restored(user, document, preview=False):
    answer = import_account(user, json.dumps(document).encode(), preview, utcnow())
    db.session.commit()
    return answer


# What "nothing lost" compares: every field, ids mapped, less what the server keeps itself.

#: Kept by the server, not by the owner: a fresh account has its own.
SERVER_KEPT = {"version", "updated_at", "photo_at", "reminder_status", "reminded_at"}


def id_map(document, user):
    """original id -> the id the records get when imported into user's account."""
    mapping = {}
    for kind in kinds.NAMES:
        for record in document[f"{kind}s"]:
            mapping[record["id"]] = str(new_id(user.id, kind, uuid.UUID(record["id"])))
            for attendee in record.get("attendees", []):
                mapping[attendee["id"]] = str(
                    new_id(user.id, "attendee", uuid.UUID(attendee["id"]))
                )
    return mapping


def comparable(value, mapping=None):
    """The document with ids mapped, server-kept fields and the date of export left out, and
    each photo as its size (photos are cleaned again on the way in)."""
    mapping = mapping or {}
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in SERVER_KEPT or key == "exported_at":
                continue
            if key == "photo":
                out[key] = item and Image.open(io.BytesIO(base64.b64decode(item))).size
            else:
                out[key] = comparable(item, mapping)
        return out
    if isinstance(value, list):
        return [comparable(item, mapping) for item in value]
    return mapping.get(value, value) if isinstance(value, str) else value


def by_id(document):
    """Each section as {id: record}, so order does not matter."""
    return {
        key: {item["id"]: item for item in value}
        if isinstance(value, list) and value and "id" in value[0]
        else value
        for key, value in document.items()
    }


def assert_same_account(original, copy, user):
    expected = by_id(comparable(original, id_map(original, user)))
    got = by_id(comparable(copy))
    for section in ("account", "card"):
        got[section] = {k: v for k, v in got[section].items() if k not in ("email", "created_at")}
        expected[section] = {
            k: v for k, v in expected[section].items() if k not in ("email", "created_at")
        }
    assert got == expected


# An account made through the API, every kind of record in it.


@pytest.fixture
def full_account(app, make_user, api_as):
    """Ada's account, built as the app builds it: settings, card and photo, an event with goals
    and a directory, a research target, contacts with photos, follow-ups, history."""
    ada = make_user(email="ada@example.com", name="Ada Lovelace")
    api = api_as(ada)
    api.patch(
        "/api/v1/me",
        json={"timezone": "Europe/Warsaw", "quiet_hours": {"start": "22:30", "end": "07:15"}},
    )
    card = {"headline": "Engines", "intro": "Hi,\r\nI build; engines.", "phone": "+44 1"}
    assert api.patch("/api/v1/me/card", json={**card, "shared_fields": ["name"]}).status_code == 200
    photo = {"file": (io.BytesIO(png("blue")), "me.png")}
    assert api.post("/api/v1/me/card/photo", data=photo).status_code == 200
    event = api.post(
        "/api/v1/events",
        json={
            "name": "PyCon Łódź",
            "starts_on": "2026-05-01",
            "ends_on": "2026-05-03",
            "timezone": "Europe/Warsaw",
            "goals": [{"text": "Find a co-founder", "done": True}, {"text": "Hire"}],
        },
    ).json
    directory = "name,company,email\nGrace Hopper,Navy,grace@example.com\nLinus,OSDL,\n"
    answer = api.post(
        f"/api/v1/events/{event['id']}/attendees/import",
        data={
            "file": (io.BytesIO(directory.encode()), "people.csv"),
            "mapping": json.dumps({"name": "name", "company": "company", "email": "email"}),
        },
    )
    assert answer.status_code == 200, answer.json
    grace = db.session.scalar(select(Attendee).where(Attendee.name == "Grace Hopper"))
    linus = db.session.scalar(select(Attendee).where(Attendee.name == "Linus"))
    dismissed = api.post(f"/api/v1/events/{event['id']}/suggestions/{linus.id}/dismiss")
    assert dismissed.status_code == 201, dismissed.json
    target = api.post(
        "/api/v1/targets",
        json={
            "name": "Grace Hopper",
            "event_id": event["id"],
            "attendee_id": str(grace.id),
            "why": "COBOL",
            "priority": 1,
        },
    ).json
    margaret = api.post(
        "/api/v1/contacts",
        json={
            "name": "Margaret Hamilton",
            "company": "MIT, Inc; Apollo",
            "notes": "Line one\r\nline two\rline three\nend",
            "tags": ["apollo", "zażółć"],
            "event_id": event["id"],
            "target_id": target["id"],
            "met_at": "2026-05-01T10:00:00+02:00",
            "i_promised": "Send the paper",
            "they_promised": "An intro",
            "next_step": "Call",
            "next_step_due": "2026-05-10",
        },
    ).json
    photo = {"file": (io.BytesIO(png("green", (60, 80))), "m.png")}
    assert api.post(f"/api/v1/contacts/{margaret['id']}/photo", data=photo).status_code == 200
    wang = api.post("/api/v1/contacts", json={"name": "王芳", "no_next_step": True}).json
    api.post(
        "/api/v1/followups",
        json={
            "contact_id": margaret["id"],
            "kind": "thank_you",
            "due_at": "2026-05-02T09:00:00+02:00",
            "note": "Thanks!",
        },
    )
    api.post(
        "/api/v1/interactions",
        json={"contact_id": wang["id"], "kind": "note", "at": "2026-05-02T12:00:00Z", "note": "x"},
    )
    return ada


def test_the_download_is_the_documented_document(full_account, api_as):
    answer = api_as(full_account).get("/api/v1/export/all.json")
    assert answer.status_code == 200
    assert answer.is_streamed
    assert answer.mimetype == "application/json"
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="hallway-all-')
    assert answer.headers["Cache-Control"] == "private, no-store"
    document = json.loads(answer.get_data())
    assert (document["format"], document["version"]) == ("hallway", 1)
    assert document["account"]["timezone"] == "Europe/Warsaw"
    assert document["account"]["quiet_hours"] == {"start": "22:30", "end": "07:15"}
    assert document["card"]["intro"] == "Hi,\r\nI build; engines."
    assert document["card"]["shared_fields"] == ["name"]
    assert Image.open(io.BytesIO(base64.b64decode(document["card"]["photo"]))).format == "JPEG"
    [event] = document["events"]
    assert event["goals"] == [
        {"text": "Find a co-founder", "done": True},
        {"text": "Hire"},
    ]
    assert {a["name"] for a in event["attendees"]} == {"Grace Hopper", "Linus"}
    assert [t["attendee_id"] for t in document["targets"]] == [
        next(a["id"] for a in event["attendees"] if a["name"] == "Grace Hopper")
    ]
    assert [(d["event_id"], d["attendee_id"]) for d in document["dismissals"]] == [
        (event["id"], next(a["id"] for a in event["attendees"] if a["name"] == "Linus"))
    ]
    margaret, wang = document["contacts"]
    assert margaret["notes"] == "Line one\r\nline two\rline three\nend"
    assert Image.open(io.BytesIO(base64.b64decode(margaret["photo"]))).size == (60, 80)
    assert wang["photo"] is None
    # the one written, and those the server planned: Margaret's check-back (met too long ago for
    # a thank-you) and Wang's thank-you
    assert sorted(f["kind"] for f in document["followups"]) == [
        "check_back",
        "thank_you",
        "thank_you",
    ]
    assert sorted(p["direction"] for p in document["promises"]) == ["mine", "theirs"]
    assert [i["kind"] for i in document["interactions"]] == ["note"]


def test_nothing_secret_is_in_the_download(full_account, api_as):
    text = api_as(full_account).get("/api/v1/export/all.json").get_data(as_text=True)
    card = my_card(full_account)
    user = db.session.get(User, full_account.id)
    for secret in (user.password_hash, card.public_token, "join_code", "token", "session"):
        assert secret not in text


def test_a_real_account_goes_into_a_fresh_account_with_nothing_lost(full_account, make_user):
    original = exported(full_account)
    fresh = make_user(email="fresh@example.com", name="Someone New")
    answer = restored(fresh, original)
    assert (answer["imported"], answer["updated"], answer["errors"]) == (2, 0, [])
    assert answer["kinds"] == {
        "settings": 1,
        "card": 1,
        "event": 1,
        "attendee": 2,
        "target": 1,
        "followup": 3,
        "interaction": 1,
        "promise": 2,
        "dismissal": 1,
    }
    assert {entry["action"] for entry in answer["entries"]} == {"new"}
    copy = exported(fresh)
    assert_same_account(original, copy, fresh)
    assert copy["account"]["name"] == "Ada Lovelace"
    assert copy["account"]["email"] == "fresh@example.com"  # the sign-in stays the account's own
    # Through pwa.records: versions, sync and search as for any create.
    contact = db.session.get(Contact, uuid.UUID(answer["entries"][0]["contact_id"]))
    assert contact.version >= 1 and contact.change_seq > 0
    assert "zażółć" in contact.search_text


def test_importing_the_same_file_twice_changes_nothing_the_second_time(full_account, make_user):
    original = exported(full_account)
    fresh = make_user(email="fresh@example.com")
    restored(fresh, original)
    first = exported(fresh)
    seq = db.session.get(User, fresh.id).change_seq
    again = restored(fresh, original)
    assert (again["imported"], again["updated"], again["duplicates"]) == (0, 0, 2)
    assert set(again["kinds"].values()) == {0}
    assert {entry["action"] for entry in again["entries"]} == {"duplicate"}
    assert exported(fresh) == first  # versions included
    assert db.session.get(User, fresh.id).change_seq == seq


def test_a_file_imported_back_into_its_own_account_doubles_nothing(full_account):
    answer = restored(full_account, exported(full_account))
    assert (answer["imported"], answer["duplicates"]) == (0, 2)
    assert set(answer["kinds"].values()) == {0}
    count = select(func.count()).select_from(Contact).where(Contact.user_id == full_account.id)
    assert db.session.scalar(count) == 2


def test_a_preview_writes_nothing(full_account, make_user, app):
    original = exported(full_account)
    fresh = make_user(email="fresh@example.com", name="Fresh")
    answer = restored(fresh, original, preview=True)
    assert answer["preview"] is True and answer["imported"] == 2
    assert answer["kinds"]["event"] == 1
    copy = exported(fresh)
    assert copy["events"] == copy["contacts"] == [] and copy["account"]["name"] == "Fresh"
    assert not (Path(app.config["DATA_DIR"]) / "uploads" / str(fresh.id)).exists()


def test_each_contact_names_the_line_it_starts_on(full_account, make_user):
    text = "".join(export_account(full_account, NOW))
    starts = [n for n, line in enumerate(text.splitlines(), 1) if '"name": "Margaret' in line]
    answer = import_account(make_user(), text.encode(), True, utcnow())
    assert answer["entries"][0]["line"] == starts[0] > 5


def test_an_edit_made_after_the_import_is_an_update_naming_the_fields(full_account, make_user):
    original = exported(full_account)
    fresh = make_user(email="fresh@example.com")
    first = restored(fresh, original)
    contact = db.session.get(Contact, uuid.UUID(first["entries"][0]["contact_id"]))
    records.change(kinds.CONTACT, fresh, contact, {"company": "Elsewhere"}, utcnow())
    db.session.commit()
    again = restored(fresh, original)
    assert again["updated"] == 1
    assert again["entries"][0]["action"] == "update"
    assert again["entries"][0]["fields"] == ["company"]
    assert db.session.get(Contact, contact.id).company == "MIT, Inc; Apollo"


def test_a_contact_deleted_after_an_import_stays_deleted(full_account, make_user):
    original = exported(full_account)
    fresh = make_user(email="fresh@example.com")
    first = restored(fresh, original)
    contact = db.session.get(Contact, uuid.UUID(first["entries"][1]["contact_id"]))
    records.remove(kinds.CONTACT, fresh, contact, utcnow())
    db.session.commit()
    again = restored(fresh, original)
    assert again["duplicates"] == 2 and again["entries"][1]["action"] == "duplicate"
    assert "deleted" in again["entries"][1]["reason"]
    assert "王芳" not in json.dumps(exported(fresh)["contacts"], ensure_ascii=False)


# A broken record is one error; the rest goes in.


def test_a_broken_record_is_an_error_and_the_rest_goes_in(full_account, make_user):
    original = exported(full_account)
    margaret = original["contacts"][0]
    margaret["email"] = "not an email"
    original["events"][0]["attendees"][1]["name"] = ""
    original["interactions"].append("not a record")
    fresh = make_user(email="fresh@example.com")
    answer = restored(fresh, original)
    assert answer["imported"] == 1  # Wang
    broken = answer["entries"][0]
    assert (broken["action"], broken["name"]) == ("broken", "Margaret Hamilton")
    assert "email" in broken["reason"]
    reasons = [error["reason"] for error in answer["errors"]]
    assert any(error.startswith("Margaret Hamilton: email") for error in reasons)
    # What hangs on the broken contact cannot go in either, and says why.
    assert any("Follow-up 1: contact_id" in reason for reason in reasons)
    assert any("attendee 2" in reason for reason in reasons)
    assert any("History entry 2: not a JSON object" in reason for reason in reasons)
    assert answer["kinds"]["interaction"] == 1 and answer["kinds"]["attendee"] == 1
    # her thank-you, her check-back and both promises hang on her: each says so
    assert any("Promise 2: contact_id" in reason for reason in reasons)
    # and the dismissal of the broken attendee (Linus)
    assert any("Dismissal 1: attendee_id" in reason for reason in reasons)
    assert len(answer["errors"]) == 8 and answer["skipped"] == 1
    reason = f"Margaret Hamilton: {broken['reason']}"
    assert answer["errors"][1] == {"line": broken["line"], "item": 1, "reason": reason}


def test_a_reference_to_something_not_in_the_file_is_left_out(make_user, make_contact):
    ada = make_user()
    document = exported(ada)
    document["contacts"] = [
        {"id": str(uuid.uuid4()), "name": "Ada", "event_id": str(uuid.uuid4())},
    ]
    answer = restored(make_user(), document)
    assert answer["imported"] == 1
    assert "not in the file" in answer["entries"][0]["reason"]


def test_a_contact_at_an_event_i_joined_keeps_it(make_user, make_event, make_contact):
    owner, ada, fresh = make_user(), make_user(), make_user()
    shared = make_event(owner, name="Shared")
    for member in (ada, fresh):
        db.session.add(EventMember(event_id=shared.id, user_id=member.id))
    db.session.commit()
    make_contact(ada, name="Met there", event_id=str(shared.id))
    document = exported(ada)
    assert [e["name"] for e in document["joined_events"]] == ["Shared"]
    answer = restored(fresh, document)
    contact = db.session.get(Contact, uuid.UUID(answer["entries"][0]["contact_id"]))
    assert contact.event_id == shared.id and answer["entries"][0]["reason"] is None


def test_my_goals_for_an_event_i_joined_come_back_from_the_file(make_user, make_event):
    owner, ada, fresh, stranger = make_user(), make_user(), make_user(), make_user()
    shared = make_event(owner, name="Shared")
    mine = [{"text": "Meet a journalist", "done": False}]
    db.session.add(EventMember(event_id=shared.id, user_id=ada.id, goals=mine))
    db.session.add(EventMember(event_id=shared.id, user_id=fresh.id))
    db.session.commit()
    document = exported(ada)

    assert restored(fresh, document)["errors"] == []
    assert restored(stranger, document)["errors"] == []  # not a member here: nothing to set

    assert db.session.get(EventMember, (shared.id, fresh.id)).goals == mine
    assert db.session.get(Event, shared.id).goals is None  # the owner's stay the owner's
    assert db.session.get(EventMember, (shared.id, stranger.id)) is None
    document["joined_events"][0]["goals"] = [{"text": ""}]
    answer = restored(fresh, document)
    assert [e["reason"] for e in answer["errors"]] == [
        "Joined event 1: goals.0.text: String should have at least 1 character."
    ]


def test_a_photo_that_is_not_one_leaves_the_contact_without_it(make_user):
    document = exported(make_user())
    document["contacts"] = [{"id": str(uuid.uuid4()), "name": "Ada", "photo": "bm90IGEgcGhvdG8="}]
    answer = restored(make_user(), document)
    assert answer["imported"] == 1
    assert "photo" in answer["entries"][0]["reason"]


def test_records_written_without_ids_import_once(make_user):
    document = exported(make_user())
    document["contacts"] = [{"name": "Ada"}, {"name": "Grace"}]
    fresh = make_user()
    assert restored(fresh, document)["imported"] == 2
    assert restored(fresh, document)["duplicates"] == 2


# A file that cannot be read at all is a 4xx, never a 500.

GOOD = {"format": "hallway", "version": 1}


@pytest.mark.parametrize(
    ("data", "status", "error"),
    [
        (b"not json", 400, "bad_json"),
        (b"\xff\xfe{}", 400, "bad_json"),
        (b'{"format": "hallway", "version": 1, "contacts": [' + b"[" * 1000, 400, "bad_json"),
        (("[" * 1000 + "]" * 1000).encode(), 400, "bad_json"),
        (b"[]", 422, "unknown_format"),
        (b'{"speakers": []}', 422, "unknown_format"),
        (json.dumps({**GOOD, "version": 2}).encode(), 422, "unsupported_version"),
        (json.dumps({**GOOD, "version": "1"}).encode(), 422, "invalid_field"),
        (json.dumps({**GOOD, "version": True}).encode(), 422, "invalid_field"),
        (json.dumps({**GOOD, "contacts": {"a": 1}}).encode(), 422, "invalid_field"),
        (json.dumps({**GOOD, "card": "me"}).encode(), 422, "invalid_field"),
        (json.dumps({**GOOD, "account": [1]}).encode(), 422, "invalid_field"),
    ],
)
def test_a_file_that_cannot_be_read_is_a_4xx(make_user, data, status, error):
    with pytest.raises(ApiError) as raised:
        import_account(make_user(), data, False, utcnow())
    assert (raised.value.status, raised.value.error) == (status, error)
    assert raised.value.message


def test_wrong_types_inside_records_are_errors_not_crashes(make_user):
    document = {
        **GOOD,
        "account": {"name": 5, "timezone": "Mars/Olympus", "quiet_hours": "late"},
        "card": {"shared_fields": "all", "photo": 7},
        "events": [{"id": 5, "name": "x"}, {"id": str(uuid.uuid4()), "name": ["x"]}],
        "contacts": [
            {"id": str(uuid.uuid4()), "name": {"first": "Ada"}},
            {"id": str(uuid.uuid4()), "name": "Ada", "tags": "x", "met_at": 3},
            {"id": str(uuid.uuid4()), "name": "Ada", "event_id": "not-a-uuid"},
            None,
        ],
        "targets": [{"id": str(uuid.uuid4()), "name": "T", "priority": 9}],
    }
    answer = restored(make_user(), document)
    assert answer["imported"] == 0
    assert len(answer["errors"]) == 9 and answer["skipped"] == 4
    assert all(entry["action"] == "broken" for entry in answer["entries"])


def test_nesting_just_inside_the_limit_is_read(make_user):
    deep = {"text": "x"}
    for _ in range(MAX_JSON_DEPTH - 4):
        deep = {"more": deep}
    document = {**GOOD, "events": [{"id": str(uuid.uuid4()), "name": "E", "extra": deep}]}
    assert restored(make_user(), document)["kinds"]["event"] == 1


# Recognising the file, and the registry's references.


def test_an_all_json_is_recognised_and_nothing_else_is(make_user):
    assert is_account_document("".join(export_account(make_user(), NOW)).encode())
    assert is_account_document(b'\xef\xbb\xbf\n {"format" : "hallway"}')
    for other in (b"BEGIN:VCARD\r\n", b"name,email\n", b'{"speakers": []}', b"[]", b""):
        assert not is_account_document(other)


def test_every_reference_of_every_kind_is_followed_to_its_new_id():
    for record_type in records.REGISTRY.values():
        for name, info in record_type.fields.model_fields.items():
            if "UUID" in str(info.annotation):
                assert name in REFERENCES, f"{record_type.name}.{name}: add it to REFERENCES"
                assert name in record_type.references


# Property: random accounts round-trip.

TRICKY = st.sampled_from(["\r\n", "\r", "\n", ",", ";", '"', "\\", "=1+2", " ", "ł", "王", "🙂"])
ANY_TEXT = st.lists(
    st.one_of(
        TRICKY,
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=8),
    ),
    max_size=6,
).map("".join)
NAME = ANY_TEXT.map(lambda s: s.strip()[:200]).filter(bool)
WHEN = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0).isoformat())
SHORT = ANY_TEXT.map(lambda s: s[:200])


@st.composite
def accounts(draw):
    """A random account: events with goals, targets, contacts (some with photos), follow-ups,
    history and a card."""
    events = draw(
        st.lists(
            st.fixed_dictionaries(
                {"name": NAME},
                optional={
                    "location": SHORT,
                    "goals": st.lists(
                        st.fixed_dictionaries({"text": NAME, "done": st.booleans()}), max_size=3
                    ),
                },
            ),
            max_size=2,
        )
    )
    targets = draw(
        st.lists(
            st.fixed_dictionaries(
                {"name": NAME, "why": SHORT, "priority": st.integers(1, 5)},
                optional={"event": st.integers(0, 1)},
            ),
            max_size=2,
        )
    )
    contacts = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "name": NAME,
                    "notes": ANY_TEXT,
                    "company": SHORT,
                    "tags": st.lists(NAME.map(lambda s: s[:50]), max_size=3),
                    "met_at": WHEN,
                },
                optional={
                    "event": st.integers(0, 1),
                    "target": st.integers(0, 1),
                    "i_promised": SHORT,
                    "next_step_due": st.dates().map(str),
                    "photo": st.sampled_from(["red", "navy", "#08f"]),
                },
            ),
            min_size=1,
            max_size=3,
        )
    )
    followups = draw(st.lists(st.tuples(st.integers(0, 2), WHEN, SHORT), max_size=3))
    history = draw(st.lists(st.tuples(st.integers(0, 2), WHEN, SHORT), max_size=3))
    card = draw(
        st.fixed_dictionaries({"headline": SHORT, "intro": ANY_TEXT, "photo": st.booleans()})
    )
    return events, targets, contacts, followups, history, card


def build(app, user, account):
    """Write a random account through pwa.records (and the photo path), as the app would."""
    events, targets, contacts, followups, history, card = account
    now = utcnow()

    def make(kind, values):
        record_type = records.REGISTRY[kind]
        return records.create(record_type, user, record_type.parse(values), now)[0]

    def pick(made, index):
        return str(made[index].id) if made and index is not None and index < len(made) else None

    made_events = [make("event", values) for values in events]
    made_targets = [
        make(
            "target",
            {
                "name": t["name"],
                "why": t["why"],
                "priority": t["priority"],
                "event_id": pick(made_events, t.get("event")),
            },
        )
        for t in targets
    ]
    made_contacts = []
    for c in contacts:
        values = {k: v for k, v in c.items() if k not in ("event", "target", "photo")}
        values["event_id"] = pick(made_events, c.get("event"))
        values["target_id"] = pick(made_targets, c.get("target"))
        contact = make("contact", values)
        if "photo" in c:
            store_photo(app.config["DATA_DIR"], contact, *process_photo(png(c["photo"])))
            contact.photo_at = now
        made_contacts.append(contact)
    for index, due, note in followups:
        contact_id = pick(made_contacts, index % len(made_contacts))
        make("followup", {"contact_id": contact_id, "kind": "custom", "due_at": due, "note": note})
    for index, at, note in history:
        contact_id = pick(made_contacts, index % len(made_contacts))
        make("interaction", {"contact_id": contact_id, "kind": "met", "at": at, "note": note})
    mine = my_card(user)
    mine.headline, mine.intro = card["headline"].strip(), card["intro"].strip()[:2000]
    if card["photo"]:
        store_photo(app.config["DATA_DIR"], _Mine(user.id), *process_photo(png("white")))
        mine.photo_at = now
    db.session.commit()


class _Mine:
    def __init__(self, user_id):
        self.user_id, self.id = user_id, MINE


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(account=accounts())
def test_random_accounts_round_trip_through_all_json(app, make_user, account):
    owner = make_user()
    build(app, owner, account)
    original = exported(owner)
    fresh = make_user()
    answer = restored(fresh, original)
    assert answer["errors"] == [], answer["errors"]
    assert answer["imported"] == len(original["contacts"])
    assert_same_account(original, exported(fresh), fresh)
    again = restored(fresh, original)
    assert again["imported"] == again["updated"] == 0
    assert set(again["kinds"].values()) <= {0}


def test_big_accounts_are_written_piece_by_piece(make_user, make_contact):
    ada = make_user()
    for number in range(5):
        make_contact(
            ada, name=f"Person {number}", met_at=(NOW - timedelta(days=number)).isoformat()
        )
    pieces = list(export_account(ada, NOW))
    assert len(pieces) > 5 and all(len(piece) < 2000 for piece in pieces)


# Property: whatever a file holds, the import answers or refuses with a 4xx; it never crashes.

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=6,
)
FIELD_NAMES = sorted(
    {name for t in records.REGISTRY.values() for name in t.fields.model_fields}
    | {"id", "photo", "attendees", "created_at", "shared_fields", "quiet_hours", "timezone"}
)
ODD_RECORDS = st.dictionaries(
    st.sampled_from(FIELD_NAMES),
    JSON_VALUES | st.uuids().map(str) | WHEN | st.just("bm90IGEgcGhvdG8="),
    max_size=6,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sections=st.dictionaries(
        st.sampled_from(["account", "card", "events", "targets", "contacts", "followups"]),
        st.lists(ODD_RECORDS | JSON_VALUES, max_size=3) | ODD_RECORDS,
        max_size=4,
    )
)
def test_any_file_is_answered_or_refused_never_a_crash(make_user, sections):
    data = json.dumps({**GOOD, **sections}).encode()
    try:
        answer = import_account(make_user(), data, False, utcnow())
    except ApiError as e:
        assert 400 <= e.status < 500
    else:
        db.session.commit()
        assert answer["skipped"] <= len(answer["errors"])


def test_the_same_record_twice_in_a_file_is_one_record(make_user):
    document = exported(make_user())
    same = {"id": str(uuid.uuid4()), "name": "Ada"}
    document["contacts"] = [same, {**same, "company": "Engines"}]
    answer = restored(make_user(), document)
    assert [e["action"] for e in answer["entries"]] == ["new", "update"]
    assert answer["entries"][0]["contact_id"] == answer["entries"][1]["contact_id"]


def test_deleted_records_and_other_peoples_are_not_in_the_download(make_user, make_contact):
    ada, bob = make_user(), make_user()
    gone = make_contact(ada, name="Deleted Person")
    records.remove(kinds.CONTACT, ada, gone, utcnow())
    make_contact(ada, name="Kept Person")
    make_contact(bob, name="Bob's Person")
    db.session.commit()
    assert [c["name"] for c in exported(ada)["contacts"]] == ["Kept Person"]
