"""The REST routes of a user's records (every registered kind: events, research targets, contacts,
follow-ups, history) and of my card."""

import copy
import uuid
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from pwa import kinds, records
from pwa.auth.models import User
from pwa.contacts.models import Contact
from pwa.db import db
from pwa.events.models import Attendee, Event, EventMember
from pwa.exchange.models import SHAREABLE, Card
from pwa.followups.models import FollowUp
from pwa.research.models import ResearchTarget
from tests.conftest import points_at

API = "/api/v1"

#: kind -> (collection path, a free-text field the user writes in), for every registered kind.
ROUTED = {
    "event": ("events", "location"),
    "target": ("targets", "why"),
    "contact": ("contacts", "notes"),
    "followup": ("followups", "note"),
    "interaction": ("interactions", "note"),
    "promise": ("promises", "text"),
    "introduction": ("introductions", "note"),
    "dismissal": ("dismissals", None),
}
KIND_NAMES = list(kinds.NAMES)
#: The kinds with a field the user writes in (a dismissal has none: it only points at someone).
WRITTEN_IN = [name for name in KIND_NAMES if ROUTED[name][1]]
#: kind -> (collection path, model, a free-text field the user writes in)
KINDS = {
    name: (ROUTED[name][0], records.REGISTRY[name].model, ROUTED[name][1]) for name in KIND_NAMES
}
MODELS = [model for _, model, _ in KINDS.values()]

#: A complete, valid body per kind, written the way the server shows it back.
BODIES = {
    "event": {
        "name": "PyCon US",
        "starts_on": "2026-05-14",
        "ends_on": "2026-05-22",
        "location": "Long Beach",
        "timezone": "America/Los_Angeles",
        "goals": [{"text": "Find a co-founder", "done": False}],
    },
    "target": {
        "name": "Guido van Rossum",
        "company": "Microsoft",
        "why": "Faster CPython",
        "priority": 2,
        "status": "to_meet",
    },
    "contact": {
        "name": "Margaret Hamilton",
        "company": "NASA",
        "email": "margaret@example.com",
        "url": "https://example.com/margaret",
        "notes": "Apollo guidance software",
        "tags": ["apollo", "software"],
        "met_at": "2026-05-15T10:30:00+00:00",
    },
    "followup": {
        "kind": "thank_you",
        "due_at": "2026-11-23T09:00:00+00:00",
        "note": "Send the paper",
    },
    "interaction": {
        "kind": "emailed",
        "at": "2026-05-16T08:00:00+00:00",
        "note": "Sent the slides",
    },
    "promise": {
        "direction": "theirs",
        "text": "An intro to their CTO",
        "due_on": "2026-06-01",
        "kept_at": None,
    },
    "introduction": {
        "note": "Both work on guidance software",
        "asked_at": "2026-05-16T09:00:00+00:00",
        "agreed_at": None,
        "made_at": None,
    },
    "dismissal": {},  # its event and attendee come from points_at
}


def url(kind, record_id=None):
    """The collection path of kind, or one record's path."""
    path = f"{API}/{KINDS[kind][0]}"
    return path if record_id is None else f"{path}/{record_id}"


def assert_error(response, status, error=None, field=None):
    """Assert the documented error shape; field, when given, must be named."""
    request = f"{response.request.method} {response.request.path}"
    assert response.status_code == status, f"{request}: {response.get_data(as_text=True)}"
    body = response.get_json()
    assert {"error", "message"} <= set(body) <= {"error", "message", "field"}
    assert body["message"]
    if error is not None:
        assert body["error"] == error
    if field is not None:
        assert body.get("field") == field
    return body


def committed_rows(model):
    """Count the committed rows of a table (tombstones included), as another process sees them."""
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(model))


def committed_counts():
    """Committed row counts of every record table."""
    return {model.__tablename__: committed_rows(model) for model in MODELS}


def change_counter(user):
    """The user's committed change counter."""
    with db.engine.connect() as conn:
        return conn.scalar(select(User.change_seq).where(User.id == user.id))


def stored(model, record_id):
    """The row as the database holds it now (deleted or not)."""
    db.session.expire_all()
    return db.session.get(model, uuid.UUID(str(record_id)))


def as_time(value):
    """Parse an ISO timestamp the API returned."""
    return datetime.fromisoformat(value)


@pytest.fixture
def as_ada(api_as, ada):
    """An API client signed in as Ada."""
    return api_as(ada)


@pytest.fixture
def as_bob(api_as, bob):
    """An API client signed in as Bob."""
    return api_as(bob)


@pytest.fixture
def body_for(make_contact):
    """Return a factory of a valid create body of a kind for a user (what hangs on a contact gets
    one)."""

    def make(kind, user):
        body = copy.deepcopy(BODIES[kind])
        body.update(_parent(kind, user, make_contact))
        return body

    return make


def _parent(kind, user, make_contact):
    """{field: id} of a new contact for a kind that hangs on contacts, else {}."""
    hangs_on = records.REGISTRY[kind].hangs_on
    if not hangs_on:
        return points_at(kind, user)
    parent, parent_field = hangs_on
    assert parent.name == "contact"
    others = {name: str(make_contact(user).id) for name in ALSO_A_CONTACT.get(kind, ())}
    return {parent_field: str(make_contact(user).id), **others}


#: Fields besides the parent's that name another contact of the user's, per kind.
ALSO_A_CONTACT = {"introduction": ("to_id",)}


@pytest.fixture
def make_record(request, make_contact):
    """Return a factory of one saved record of a kind (what hangs on a contact gets one)."""

    def make(kind, user, **fields):
        fields = {**_parent(kind, user, make_contact), **fields}
        return request.getfixturevalue(f"make_{kind}")(user, **fields)

    return make


# Create: 201 + Location, ids, idempotent replays


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_create_answers_201_with_location_and_a_server_made_id(kind, ada, as_ada, body_for):
    body = body_for(kind, ada)
    before = committed_rows(KINDS[kind][1])

    response = as_ada.post(url(kind), json=body)

    assert response.status_code == 201, response.get_json()
    record = response.get_json()
    assert uuid.UUID(record["id"]).version == 4
    assert record["version"] == 1
    assert as_time(record["created_at"]) == as_time(record["updated_at"])
    assert {name: record[name] for name in body} == body
    assert urlsplit(response.headers["Location"]).path == url(kind, record["id"])
    assert as_ada.get(response.headers["Location"]).get_json() == record
    assert committed_rows(KINDS[kind][1]) == before + 1


@pytest.mark.parametrize("kind", WRITTEN_IN)
def test_replaying_a_create_with_a_chosen_id_returns_the_same_record(kind, ada, as_ada, body_for):
    _, model, text_field = KINDS[kind]
    chosen = uuid.uuid4()
    body = {**body_for(kind, ada), "id": str(chosen).upper()}
    first = as_ada.post(url(kind), json=body)
    counts, counter = committed_counts(), change_counter(ada)

    again = as_ada.post(url(kind), json=body)
    different = as_ada.post(url(kind), json={**body, text_field: "Something else"})

    assert first.status_code == 201
    assert first.get_json()["id"] == str(chosen)
    assert urlsplit(first.headers["Location"]).path == url(kind, chosen)
    assert stored(model, chosen).user_id == ada.id
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert urlsplit(again.headers["Location"]).path == url(kind, chosen)
    assert_error(different, 409, "id_taken", "id")
    assert as_ada.get(url(kind, chosen)).get_json() == first.get_json()
    assert committed_counts() == counts
    assert change_counter(ada) == counter


@pytest.mark.parametrize("kind", WRITTEN_IN)
def test_an_id_owned_by_another_user_is_409_and_reveals_nothing(
    kind, ada, bob, as_ada, as_bob, body_for
):
    _, model, text_field = KINDS[kind]
    hers = {**body_for(kind, ada), "id": str(uuid.uuid4()), text_field: "Ada's secret"}
    as_ada.post(url(kind), json=hers)
    his = {**body_for(kind, bob), "id": hers["id"], text_field: "Bob's text"}
    counts = committed_counts()

    # Neither his own content nor an exact copy of hers makes the id his.
    for body in (his, hers):
        response = as_bob.post(url(kind), json=body)
        assert set(assert_error(response, 409, "id_taken", "id")) == {"error", "message", "field"}
        assert "secret" not in response.get_data(as_text=True)

    row = stored(model, hers["id"])
    assert (row.user_id, row.version, getattr(row, text_field)) == (ada.id, 1, "Ada's secret")
    assert committed_counts() == counts
    assert_error(as_bob.get(url(kind, hers["id"])), 404, "not_found")
    assert len(as_bob.get(url(kind)).get_json()["items"]) == 0


def test_replaying_a_contact_with_repeated_tags_is_still_a_retry(ada, as_ada):
    body = {"id": str(uuid.uuid4()), "name": "Grace", "tags": ["navy", "cobol", "navy"]}
    first = as_ada.post(url("contact"), json=body)

    again = as_ada.post(url("contact"), json=body)

    assert first.status_code == 201
    assert first.get_json()["tags"] == ["navy", "cobol"]
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert committed_rows(Contact) == 1


def test_replaying_a_time_written_in_another_zone_is_still_a_retry(ada, as_ada):
    body = {"id": str(uuid.uuid4()), "name": "Grace", "met_at": "2026-05-15T12:30:00+02:00"}
    first = as_ada.post(url("contact"), json=body)

    again = as_ada.post(url("contact"), json=body)

    assert first.get_json()["met_at"] == "2026-05-15T10:30:00+00:00"
    assert again.status_code == 200
    assert committed_rows(Contact) == 1


def test_a_deleted_id_cannot_be_created_again(ada, as_ada):
    body = {"id": str(uuid.uuid4()), "name": "Grace"}
    as_ada.post(url("contact"), json=body)
    as_ada.delete(url("contact", body["id"]))

    for replay in (body, {"id": body["id"]}, {"id": body["id"], "name": None}):
        assert_error(as_ada.post(url("contact"), json=replay), 409, "id_taken", "id")
    assert as_ada.get(url("contact", body["id"])).status_code == 404


# Read and list


BAD_PAGING = [
    ({"limit": 201}, "limit"),
    ({"limit": 0}, "limit"),
    ({"limit": -1}, "limit"),
    ({"limit": "abc"}, "limit"),
    ({"limit": "1.5"}, "limit"),
    ({"offset": -1}, "offset"),
    ({"offset": "x"}, "offset"),
    ({"offset": 1_000_001}, "offset"),
    ({"offset": 2**63}, "offset"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"cursor": "W1sidiIsMV1d"}, "cursor"),  # a cursor of another list: one key, not several
    ({"cursor": "e30"}, "cursor"),  # {}
]


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_list_pages_by_cursor_and_by_offset(kind, ada, bob, as_ada, make_record):
    made = {str(make_record(kind, ada).id) for _ in range(5)}
    make_record(kind, bob)

    first = as_ada.get(url(kind), query_string={"limit": 2}).get_json()
    second = as_ada.get(url(kind), query_string={"limit": 2, "cursor": first["next_cursor"]})
    second = second.get_json()
    last = as_ada.get(url(kind), query_string={"limit": 2, "cursor": second["next_cursor"]})
    last = last.get_json()
    everything = as_ada.get(url(kind)).get_json()
    by_offset = as_ada.get(url(kind), query_string={"limit": 2, "offset": 2}).get_json()

    assert [page["has_more"] for page in (first, second, last, everything)] == [
        True,
        True,
        False,
        False,
    ]
    assert last["next_cursor"] is None and everything["next_cursor"] is None
    assert [len(page["items"]) for page in (first, second, last)] == [2, 2, 1]
    paged = [item["id"] for page in (first, second, last) for item in page["items"]]
    assert paged == [item["id"] for item in everything["items"]]
    assert set(paged) == made
    assert by_offset["items"] == second["items"]
    for query, field in BAD_PAGING:
        assert_error(as_ada.get(url(kind), query_string=query), 422, "invalid_field", field)


def test_paging_by_cursor_never_skips_or_repeats_people_met_at_the_same_moment(
    ada, as_ada, make_contact
):
    """Sort keys that tie (a badge scan of a whole table at once) are told apart by the id."""
    moment = "2026-11-22T10:00:00+00:00"
    made = {str(make_contact(ada, name=f"P{n}", met_at=moment).id) for n in range(7)}
    seen, cursor = [], None
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = as_ada.get(url("contact"), query_string=query).get_json()
        seen += [item["id"] for item in page["items"]]
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
    assert len(seen) == 7 and set(seen) == made


# Change: versions, updated_at, stale edits


@pytest.mark.parametrize("kind", WRITTEN_IN)
def test_patch_bumps_version_once_per_real_change(kind, ada, as_ada, make_record):
    _, model, text_field = KINDS[kind]
    record = make_record(kind, ada)
    created = as_ada.get(url(kind, record.id)).get_json()

    changed = as_ada.patch(url(kind, record.id), json={text_field: "First"})
    changed_again = as_ada.patch(url(kind, record.id), json={text_field: "Second"})

    answers = [created, changed.get_json(), changed_again.get_json()]
    assert (changed.status_code, changed_again.status_code) == (200, 200)
    assert [(a["version"], a[text_field]) for a in answers[1:]] == [(2, "First"), (3, "Second")]
    times = [as_time(a["updated_at"]) for a in answers]
    assert times[0] < times[1] < times[2]
    assert {a["created_at"] for a in answers} == {created["created_at"]}
    row = stored(model, record.id)
    assert (row.version, getattr(row, text_field)) == (3, "Second")


@pytest.mark.parametrize("kind", WRITTEN_IN)
def test_a_patch_that_changes_nothing_keeps_version_and_time(kind, ada, as_ada, make_record):
    _, _, text_field = KINDS[kind]
    record = make_record(kind, ada, **{text_field: "Same"})
    before = as_ada.get(url(kind, record.id)).get_json()
    counter = change_counter(ada)

    for body in ({text_field: "  Same "}, {}, {text_field: "Same", "version": 1}):
        response = as_ada.patch(url(kind, record.id), json=body)
        assert response.status_code == 200, body
        assert response.get_json() == before, body
    assert change_counter(ada) == counter


@pytest.mark.parametrize("kind", WRITTEN_IN)
def test_a_stale_version_is_409_and_changes_nothing(kind, ada, as_ada, make_record):
    _, model, text_field = KINDS[kind]
    record = make_record(kind, ada)
    as_ada.patch(url(kind, record.id), json={text_field: "Phone's edit"})

    response = as_ada.patch(url(kind, record.id), json={text_field: "Laptop's edit", "version": 1})

    assert_error(response, 409, "version_conflict", "version")
    row = stored(model, record.id)
    assert (row.version, getattr(row, text_field)) == (2, "Phone's edit")
    current = as_ada.patch(url(kind, record.id), json={text_field: "Laptop's edit", "version": 2})
    assert current.status_code == 200
    assert (current.get_json()["version"], current.get_json()[text_field]) == (3, "Laptop's edit")


def test_a_version_that_is_not_an_integer_is_refused(ada, as_ada, make_contact):
    contact = make_contact(ada)

    for version in ("1", 1.5, True, [1]):
        response = as_ada.patch(url("contact", contact.id), json={"notes": "x", "version": version})
        assert_error(response, 422, "invalid_field", "version")
    assert stored(Contact, contact.id).version == 1
    unchecked = as_ada.patch(url("contact", contact.id), json={"notes": "x", "version": None})
    assert unchecked.get_json()["version"] == 2  # null is the same as sending no version


# Delete: tombstones


@pytest.mark.parametrize("kind", WRITTEN_IN)
def test_delete_leaves_an_empty_tombstone(kind, ada, as_ada, make_record):
    _, model, text_field = KINDS[kind]
    record = make_record(kind, ada, **{text_field: "Private words"})
    counter = change_counter(ada)

    response = as_ada.delete(url(kind, record.id))

    assert response.status_code == 204
    assert response.get_data() == b""
    assert_error(as_ada.get(url(kind, record.id)), 404, "not_found")
    assert as_ada.get(url(kind)).get_json() == {"items": [], "next_cursor": None, "has_more": False}
    row = stored(model, record.id)
    assert row.deleted_at is not None
    assert row.version == 2
    assert row.change_seq == change_counter(ada) > counter
    assert getattr(row, text_field) is None
    required = next(name for name in ("name", "kind", "direction", "to_id") if hasattr(row, name))
    assert getattr(row, required) is None
    assert_error(as_ada.delete(url(kind, record.id)), 404, "not_found")
    assert_error(as_ada.patch(url(kind, record.id), json={text_field: "back"}), 404, "not_found")


def test_deleting_a_contact_deletes_its_followups(ada, as_ada, make_contact, make_followup):
    contact = make_contact(ada, notes="Met at the bar")
    pending = [make_followup(ada, contact_id=str(contact.id), note=f"#{n}") for n in range(2)]
    other = make_followup(ada, contact_id=str(make_contact(ada).id), note="keep me")

    assert as_ada.delete(url("contact", contact.id)).status_code == 204

    listed = as_ada.get(url("followup")).get_json()["items"]
    assert [item["id"] for item in listed] == [str(other.id)]
    seqs = []
    for followup in pending:
        row = stored(FollowUp, followup.id)
        assert row.deleted_at is not None
        assert (row.version, row.note) == (2, None)
        seqs.append(row.change_seq)
    assert seqs[0] != seqs[1]
    assert stored(FollowUp, other.id).deleted_at is None
    assert max(seqs) == change_counter(ada)


# Change numbers (the sync order)


def test_every_change_takes_a_higher_change_number_across_kinds(ada, bob, as_ada, as_bob):
    def seq(kind, record_id):
        return stored(KINDS[kind][1], record_id).change_seq

    seen = []
    event = as_ada.post(url("event"), json={"name": "PyCon"}).get_json()["id"]
    seen.append(seq("event", event))
    target = as_ada.post(url("target"), json={"name": "Guido", "event_id": event}).get_json()["id"]
    seen.append(seq("target", target))
    contact = as_ada.post(url("contact"), json={"name": "Guido", "target_id": target}).get_json()
    seen.append(seq("contact", contact["id"]))
    followup = as_ada.post(
        url("followup"),
        json={"contact_id": contact["id"], "kind": "custom", "due_at": "2026-06-01T09:00:00Z"},
    ).get_json()["id"]
    seen.append(seq("followup", followup))
    as_ada.patch(url("event", event), json={"location": "Pittsburgh"})
    seen.append(seq("event", event))
    as_ada.patch(url("contact", contact["id"]), json={"notes": "Python"})
    seen.append(seq("contact", contact["id"]))
    as_ada.delete(url("target", target))
    seen.append(seq("target", target))

    assert seen == sorted(set(seen))
    assert seen[-1] == change_counter(ada)
    # Bob's counter is his own: Ada's changes do not move it.
    as_bob.post(url("event"), json={"name": "Someone's"})
    assert change_counter(bob) == 1


def test_a_refused_change_takes_no_change_number(ada, as_ada, make_contact):
    contact = make_contact(ada)
    counter = change_counter(ada)

    as_ada.patch(url("contact", contact.id), json={"email": "nope"})
    as_ada.post(url("contact"), json={"name": "x" * 201})
    as_ada.patch(url("contact", contact.id), json={"notes": "old", "version": 7})

    assert change_counter(ada) == counter
    assert stored(Contact, contact.id).change_seq == counter


# Bad input


_MISSING = str(uuid.uuid4())
#: kind -> [(fields sent, error code, field the error names)]
BAD_FIELDS = {
    "event": [
        ({"name": "x" * 201}, "invalid_field", "name"),
        ({"name": ""}, "invalid_field", "name"),
        ({"name": "   "}, "invalid_field", "name"),
        ({"name": None}, "invalid_field", "name"),
        ({"name": 123}, "invalid_field", "name"),
        ({"name": "Py\x00Con"}, "invalid_field", "name"),
        ({"starts_on": "31/12/2026"}, "invalid_field", "starts_on"),
        ({"starts_on": "2026-02-30"}, "invalid_field", "starts_on"),
        ({"ends_on": 20260522}, "invalid_field", "ends_on"),
        ({"starts_on": "2026-05-22", "ends_on": "2026-05-14"}, "invalid_field", "ends_on"),
        ({"location": "x" * 301}, "invalid_field", "location"),
        ({"timezone": "Mars/Olympus_Mons"}, "invalid_field", "timezone"),
        ({"goals": "win"}, "invalid_field", "goals"),
        ({"goals": [{"text": "x"}] * 51}, "invalid_field", "goals"),
        ({"colour": "red"}, "unknown_field", "colour"),
        ({"join_code": "ABCDEFGH"}, "unknown_field", "join_code"),
        ({"user_id": _MISSING}, "unknown_field", "user_id"),
        ({"id": "not-a-uuid"}, "invalid_field", "id"),
    ],
    "target": [
        ({"name": "x" * 201}, "invalid_field", "name"),
        ({"name": None}, "invalid_field", "name"),
        ({"name": ["Guido"]}, "invalid_field", "name"),
        ({"priority": 0}, "invalid_field", "priority"),
        ({"priority": 6}, "invalid_field", "priority"),
        ({"priority": "high"}, "invalid_field", "priority"),
        ({"priority": 2.5}, "invalid_field", "priority"),
        ({"status": "maybe"}, "invalid_field", "status"),
        ({"why": "x" * 2001}, "invalid_field", "why"),
        ({"questions": "x" * 4001}, "invalid_field", "questions"),
        ({"event_id": "nope"}, "invalid_field", "event_id"),
        ({"event_id": _MISSING}, "invalid_field", "event_id"),
        ({"attendee_id": "nope"}, "invalid_field", "attendee_id"),
        ({"attendee_id": _MISSING}, "invalid_field", "attendee_id"),
        ({"deleted_at": None}, "unknown_field", "deleted_at"),
    ],
    "contact": [
        ({"name": "x" * 201}, "invalid_field", "name"),
        ({"name": None}, "invalid_field", "name"),
        ({"notes": "x" * 10001}, "invalid_field", "notes"),
        ({"email": "nope"}, "invalid_field", "email"),
        ({"url": "javascript:alert(1)"}, "invalid_field", "url"),
        ({"url": "ftp://example.com/file"}, "invalid_field", "url"),
        ({"phone": "1" * 51}, "invalid_field", "phone"),
        ({"tags": "rust"}, "invalid_field", "tags"),
        ({"tags": [f"t{n}" for n in range(51)]}, "invalid_field", "tags"),
        ({"tags": [""]}, "invalid_field", "tags.0"),
        ({"tags": ["x" * 51]}, "invalid_field", "tags.0"),
        ({"met_at": "2026-05-15T10:30:00"}, "invalid_field", "met_at"),
        ({"met_at": "yesterday"}, "invalid_field", "met_at"),
        ({"next_step_due": "31/12/2026"}, "invalid_field", "next_step_due"),
        ({"event_id": "nope"}, "invalid_field", "event_id"),
        ({"event_id": _MISSING}, "invalid_field", "event_id"),
        ({"target_id": "nope"}, "invalid_field", "target_id"),
        ({"target_id": _MISSING}, "invalid_field", "target_id"),
        ({"photo": "x.jpg"}, "unknown_field", "photo"),
    ],
    "followup": [
        ({"kind": "lunch"}, "invalid_field", "kind"),
        ({"kind": None}, "invalid_field", "kind"),
        ({"due_at": "2026-11-23T09:00:00"}, "invalid_field", "due_at"),
        ({"due_at": "next week"}, "invalid_field", "due_at"),
        ({"due_at": None}, "invalid_field", "due_at"),
        ({"snoozed_until": "2026-11-24T09:00:00"}, "invalid_field", "snoozed_until"),
        ({"done_at": True}, "invalid_field", "done_at"),
        ({"note": "x" * 2001}, "invalid_field", "note"),
        ({"contact_id": "nope"}, "invalid_field", "contact_id"),
        ({"contact_id": _MISSING}, "invalid_field", "contact_id"),
        ({"contact_id": None}, "invalid_field", "contact_id"),
        ({"sent": True}, "unknown_field", "sent"),
    ],
    "interaction": [
        ({"kind": "lunch"}, "invalid_field", "kind"),
        ({"kind": None}, "invalid_field", "kind"),
        ({"at": "2026-05-16T08:00:00"}, "invalid_field", "at"),
        ({"at": None}, "invalid_field", "at"),
        ({"note": "x" * 2001}, "invalid_field", "note"),
        ({"contact_id": "nope"}, "invalid_field", "contact_id"),
        ({"contact_id": _MISSING}, "invalid_field", "contact_id"),
        ({"contact_id": None}, "invalid_field", "contact_id"),
        ({"version_of": 2}, "unknown_field", "version_of"),
    ],
    "promise": [
        ({"direction": "ours"}, "invalid_field", "direction"),
        ({"direction": None}, "invalid_field", "direction"),
        ({"text": ""}, "invalid_field", "text"),
        ({"text": "x" * 2001}, "invalid_field", "text"),
        ({"due_on": "next week"}, "invalid_field", "due_on"),
        ({"kept_at": "2026-05-16T08:00:00"}, "invalid_field", "kept_at"),
        ({"contact_id": "nope"}, "invalid_field", "contact_id"),
        ({"contact_id": _MISSING}, "invalid_field", "contact_id"),
        ({"contact_id": None}, "invalid_field", "contact_id"),
    ],
    "introduction": [
        ({"note": "x" * 2001}, "invalid_field", "note"),
        ({"asked_at": "2026-05-16T08:00:00"}, "invalid_field", "asked_at"),
        ({"to_id": "nope"}, "invalid_field", "to_id"),
        ({"to_id": _MISSING}, "invalid_field", "to_id"),
        ({"to_id": None}, "invalid_field", "to_id"),
        ({"contact_id": None}, "invalid_field", "contact_id"),
    ],
    "dismissal": [
        ({"event_id": "nope"}, "invalid_field", "event_id"),
        ({"event_id": _MISSING}, "invalid_field", "event_id"),
        ({"event_id": None}, "invalid_field", "event_id"),
        ({"attendee_id": "nope"}, "invalid_field", "attendee_id"),
        ({"attendee_id": _MISSING}, "invalid_field", "attendee_id"),
        ({"attendee_id": None}, "invalid_field", "attendee_id"),
        ({"why": "not for me"}, "unknown_field", "why"),
    ],
}

ERROR_KEYS = ["error", "field", "message"]


def _refusal(response, wrote):
    """What the user sees of a refused request, and whether it wrote anything all the same."""
    body = response.get_json(silent=True) or {}
    return response.status_code, body.get("error"), body.get("field"), sorted(body), wrote


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_bad_fields_are_refused_and_write_nothing(kind, ada, as_ada, body_for, make_record):
    record = make_record(kind, ada)
    body = body_for(kind, ada)

    def snapshot():
        return committed_counts(), change_counter(ada), as_ada.get(url(kind, record.id)).get_json()

    expected, seen = {}, {}
    for change, error, field in BAD_FIELDS[kind]:
        requests = [("post", url(kind), {**body, **change})]
        if "id" not in change:  # a PATCH ignores an id in the body
            requests.append(("patch", url(kind, record.id), change))
        for method, path, sent in requests:
            case = f"{method.upper()} {change!r:.60}"
            before = snapshot()
            response = getattr(as_ada, method)(path, json=sent)
            seen[case] = _refusal(response, snapshot() != before)
            expected[case] = (422, error, field, ERROR_KEYS, False)

    assert seen == expected


def test_patching_one_date_cannot_end_an_event_before_it_starts(ada, as_ada, make_event):
    event = make_event(ada, starts_on="2026-05-14", ends_on="2026-05-22")

    for change, field in (
        ({"ends_on": "2026-05-01"}, "ends_on"),
        ({"starts_on": "2026-06-01"}, "starts_on"),
    ):
        response = as_ada.patch(url("event", event.id), json=change)
        assert_error(response, 422, "invalid_field", field)
    row = stored(Event, event.id)
    assert (str(row.starts_on), str(row.ends_on), row.version) == ("2026-05-14", "2026-05-22", 1)
    moved = as_ada.patch(url("event", event.id), json={"starts_on": "2026-05-20"})
    assert (moved.status_code, moved.get_json()["version"]) == (200, 2)


def test_an_event_may_start_and_end_on_the_same_day(as_ada):
    body = {"name": "Meetup", "starts_on": "2026-05-14", "ends_on": "2026-05-14"}
    assert as_ada.post(url("event"), json=body).status_code == 201


NOT_A_JSON_OBJECT = [
    ('{"name": "Ada",', "application/json", 400, "bad_json"),
    ("", "application/json", 400, "bad_json"),
    ('["name", "Ada"]', "application/json", 400, "bad_json"),
    ('"Ada"', "application/json", 400, "bad_json"),
    ("null", "application/json", 400, "bad_json"),
    ('{"name": "Ada"}', "text/plain", 415, "unsupported_media_type"),
    ("name=Ada", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
]


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_a_body_that_is_not_a_json_object_is_refused(kind, ada, as_ada, make_record):
    record = make_record(kind, ada)
    before = as_ada.get(url(kind, record.id)).get_json()
    counts, counter = committed_counts(), change_counter(ada)

    for data, content_type, status, error in NOT_A_JSON_OBJECT:
        for method, path in (("post", url(kind)), ("patch", url(kind, record.id))):
            response = getattr(as_ada, method)(path, data=data, content_type=content_type)
            assert_error(response, status, error)

    assert committed_counts() == counts
    assert change_counter(ada) == counter
    assert as_ada.get(url(kind, record.id)).get_json() == before


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_a_path_id_that_is_not_a_uuid_is_refused(kind, as_ada):
    for bad_id in ("not-a-uuid", "12345", "' OR 1=1 --"):
        for method in ("get", "patch", "delete"):
            kwargs = {"json": {}} if method == "patch" else {}
            response = getattr(as_ada, method)(url(kind, bad_id), **kwargs)
            assert_error(response, 422, "invalid_field", "id")


# References must be mine


@pytest.mark.parametrize("kind", ["target", "contact"])
def test_event_id_must_be_my_event(kind, ada, bob, as_ada, make_event):
    mine, theirs = make_event(ada), make_event(bob, name="Bob's secret summit")
    counts = committed_counts()

    refused = as_ada.post(url(kind), json={"name": "Linus", "event_id": str(theirs.id)})

    assert_error(refused, 422, "invalid_field", "event_id")
    assert "secret" not in refused.get_data(as_text=True)
    assert committed_counts() == counts
    created = as_ada.post(url(kind), json={"name": "Linus", "event_id": str(mine.id)})
    assert created.status_code == 201
    assert created.get_json()["event_id"] == str(mine.id)
    patched = as_ada.patch(url(kind, created.get_json()["id"]), json={"event_id": str(theirs.id)})
    assert_error(patched, 422, "invalid_field", "event_id")


@pytest.mark.parametrize("kind", ["target", "contact"])
def test_event_id_of_a_deleted_event_is_refused(kind, ada, as_ada, make_event):
    event = make_event(ada)
    as_ada.delete(url("event", event.id))

    response = as_ada.post(url(kind), json={"name": "Linus", "event_id": str(event.id)})

    assert_error(response, 422, "invalid_field", "event_id")


def test_followup_contact_must_be_my_contact(ada, bob, as_ada, make_contact):
    theirs = make_contact(bob)
    body = {"kind": "thank_you", "due_at": "2026-06-01T09:00:00Z"}

    refused = as_ada.post(url("followup"), json={**body, "contact_id": str(theirs.id)})

    assert_error(refused, 422, "invalid_field", "contact_id")
    assert committed_rows(FollowUp) == 0
    mine, gone = make_contact(ada), make_contact(ada)
    as_ada.delete(url("contact", gone.id))
    deleted = as_ada.post(url("followup"), json={**body, "contact_id": str(gone.id)})
    assert_error(deleted, 422, "invalid_field", "contact_id")
    created = as_ada.post(url("followup"), json={**body, "contact_id": str(mine.id)})
    assert created.get_json()["contact_id"] == str(mine.id)


def test_contact_target_must_be_my_target(ada, bob, as_ada, make_target):
    theirs, mine = make_target(bob), make_target(ada)

    refused = as_ada.post(url("contact"), json={"name": "Guido", "target_id": str(theirs.id)})

    assert_error(refused, 422, "invalid_field", "target_id")
    created = as_ada.post(url("contact"), json={"name": "Guido", "target_id": str(mine.id)})
    assert created.get_json()["target_id"] == str(mine.id)


def _attendee(event, name, company=None):
    attendee = Attendee(event_id=event.id, name=name, company=company)
    db.session.add(attendee)
    db.session.commit()
    return attendee


def test_target_attendee_must_be_in_that_events_directory(ada, as_ada, make_event):
    pycon, europython = make_event(ada), make_event(ada, name="EuroPython")
    linus = _attendee(pycon, "Linus Torvalds", "Linux Foundation")
    elsewhere = _attendee(europython, "Someone Else")

    picked = as_ada.post(
        url("target"),
        json={"name": "Linus", "event_id": str(pycon.id), "attendee_id": str(linus.id)},
    )
    wrong_event = as_ada.post(
        url("target"),
        json={"name": "Else", "event_id": str(pycon.id), "attendee_id": str(elsewhere.id)},
    )
    no_event = as_ada.post(url("target"), json={"name": "Linus", "attendee_id": str(linus.id)})

    assert picked.status_code == 201
    assert picked.get_json()["attendee_id"] == str(linus.id)
    assert_error(wrong_event, 422, "invalid_field", "attendee_id")
    assert_error(no_event, 422, "invalid_field", "attendee_id")
    patched = as_ada.patch(
        url("target", picked.get_json()["id"]), json={"attendee_id": str(elsewhere.id)}
    )
    assert_error(patched, 422, "invalid_field", "attendee_id")
    assert committed_rows(ResearchTarget) == 1


# Other people's records


@pytest.mark.parametrize("kind", WRITTEN_IN)
def test_another_users_record_is_404_and_untouched(kind, ada, bob, as_bob, make_record):
    _, model, text_field = KINDS[kind]
    theirs = make_record(kind, ada, **{text_field: "Ada's secret"})

    for method, kwargs in (
        ("get", {}),
        ("patch", {"json": {text_field: "Bob was here"}}),
        ("patch", {"json": {text_field: "Bob was here", "version": 1}}),
        ("delete", {}),
    ):
        response = getattr(as_bob, method)(url(kind, theirs.id), **kwargs)
        assert_error(response, 404, "not_found")
        assert "secret" not in response.get_data(as_text=True)
    row = stored(model, theirs.id)
    assert (row.version, row.deleted_at, getattr(row, text_field)) == (1, None, "Ada's secret")
    assert change_counter(bob) == 0


# Contacts list: order, search, filters


def _names(response):
    assert response.status_code == 200, response.get_json()
    return [item["name"] for item in response.get_json()["items"]]


def test_contacts_list_newest_meeting_first(ada, as_ada, make_contact):
    make_contact(ada, name="Tuesday", met_at="2026-05-12T09:00:00Z")
    make_contact(ada, name="Thursday", met_at="2026-05-14T09:00:00Z")
    undated = make_contact(ada, name="Saved without a date", met_at=None)  # met when saved
    make_contact(ada, name="Wednesday", met_at="2026-05-13T23:30:00-02:00")

    assert _names(as_ada.get(url("contact"))) == [
        "Saved without a date",
        "Thursday",
        "Wednesday",
        "Tuesday",
    ]
    assert undated.met_at == undated.created_at
    cleared = as_ada.patch(f"{url('contact')}/{undated.id}", json={"met_at": None})
    assert cleared.status_code == 422 and cleared.get_json()["field"] == "met_at"


SEARCHES = {
    "margaret": ["Margaret Hamilton"],
    "HAMILTON": ["Margaret Hamilton"],
    "nasa": ["Margaret Hamilton"],
    "Compiler": ["Grace Hopper"],
    "cobol": ["Grace Hopper"],
    "  hopper  ": ["Grace Hopper"],
    "100%": ["Percent Person"],
    "a_b": ["Underscore Person"],
    "%": ["Percent Person"],
    "_": ["Underscore Person"],
    "nobody": [],
    "": [
        "Grace Hopper",
        "Margaret Hamilton",
        "Percent Person",
        "Thousand Person",
        "Underscore Person",
    ],
}


def test_contacts_search_matches_name_company_notes_and_tags(ada, as_ada, make_contact):
    make_contact(ada, name="Margaret Hamilton", company="NASA", notes="Apollo")
    make_contact(
        ada, name="Grace Hopper", company="US Navy", notes="first compiler", tags=["COBOL"]
    )
    make_contact(ada, name="Percent Person", notes="100% sure")
    make_contact(ada, name="Thousand Person", notes="1000 sure, axb")
    make_contact(ada, name="Underscore Person", notes="likes a_b")

    found = {q: sorted(_names(as_ada.get(url("contact"), query_string={"q": q}))) for q in SEARCHES}

    assert found == SEARCHES


def test_contacts_search_never_finds_other_users_contacts(ada, bob, as_ada, make_contact):
    make_contact(bob, name="Margaret Hamilton")
    assert _names(as_ada.get(url("contact"), query_string={"q": "margaret"})) == []


def test_contacts_filter_by_event(ada, as_ada, make_event, make_contact):
    pycon, europython = make_event(ada), make_event(ada, name="EuroPython")
    make_contact(ada, name="At PyCon", event_id=str(pycon.id))
    make_contact(ada, name="At EuroPython", event_id=str(europython.id))
    make_contact(ada, name="Nowhere")

    assert _names(as_ada.get(url("contact"), query_string={"event_id": str(pycon.id)})) == [
        "At PyCon"
    ]
    both = {"event_id": str(europython.id), "q": "euro"}
    assert _names(as_ada.get(url("contact"), query_string=both)) == ["At EuroPython"]
    unknown = {"event_id": str(uuid.uuid4())}
    assert _names(as_ada.get(url("contact"), query_string=unknown)) == []


def test_contacts_filter_by_a_bad_event_id_is_422(as_ada):
    response = as_ada.get(url("contact"), query_string={"event_id": "pycon"})
    assert_error(response, 422, "invalid_field", "event_id")


TAG_FILTERS = {
    "café": ["Café"],
    "cafe": ["Cafe"],
    "café-bar": ["Café bar"],
    "rust": ["Rust"],
    "rustacean": ["Rustacean"],
    "Rust": [],
    "CAFÉ": [],
    "ust": [],
    "東京": ["Tokyo"],
    '"rust"': [],
    "%": [],
    "100%": ["Percent"],
}


def test_contacts_filter_by_tag_matches_whole_tags_only(ada, as_ada, make_contact):
    make_contact(ada, name="Café", tags=["paris", "café"])
    make_contact(ada, name="Cafe", tags=["cafe"])
    make_contact(ada, name="Café bar", tags=["café-bar"])
    make_contact(ada, name="Rust", tags=["systems", "rust"])
    make_contact(ada, name="Rustacean", tags=["rustacean"])
    make_contact(ada, name="Tokyo", tags=["東京"])
    make_contact(ada, name="Percent", tags=["100%"])
    make_contact(ada, name="No tags")

    found = {
        tag: _names(as_ada.get(url("contact"), query_string={"tag": tag})) for tag in TAG_FILTERS
    }

    assert found == TAG_FILTERS


def test_contacts_search_finds_non_ascii_text(ada, as_ada, make_contact):
    make_contact(ada, name="Zoë Müller", tags=["café"])
    make_contact(ada, name="Zoe Muller")

    assert _names(as_ada.get(url("contact"), query_string={"q": "Müller"})) == ["Zoë Müller"]
    assert _names(as_ada.get(url("contact"), query_string={"q": "café"})) == ["Zoë Müller"]


# Events: owners, join codes, members


def test_owner_sees_join_code_and_role(ada, as_ada):
    created = as_ada.post(url("event"), json={"name": "PyCon"}).get_json()

    listed = as_ada.get(url("event")).get_json()["items"]

    assert created["role"] == "owner"
    assert len(created["join_code"]) >= 6
    assert listed == [created]
    assert as_ada.get(url("event", created["id"])).get_json()["join_code"] == created["join_code"]


def test_join_codes_differ_between_events(as_ada):
    codes = {
        as_ada.post(url("event"), json={"name": f"E{n}"}).get_json()["join_code"] for n in range(5)
    }
    assert len(codes) == 5


@pytest.fixture
def shared_event(ada, as_ada):
    """Ada's event, with two people in its directory; returns the owner's view of it."""
    event = as_ada.post(url("event"), json={"name": "PyCon", "location": "Pittsburgh"}).get_json()
    row = stored(Event, event["id"])
    _attendee(row, "Linus Torvalds", "Linux Foundation")
    _attendee(row, "Guido van Rossum", "Microsoft")
    return event


def _join(client, code):
    return client.post(f"{API}/events/join", json={"code": code})


@pytest.mark.parametrize(
    "spelling", [str.lower, lambda code: f" {code[:4]}-{code[4:]} "], ids=["lower", "spaced"]
)
def test_joining_with_the_code_makes_a_member(spelling, bob, as_bob, shared_event):
    response = _join(as_bob, spelling(shared_event["join_code"]))

    assert response.status_code == 200, response.get_json()
    joined = response.get_json()
    assert (joined["id"], joined["role"], joined["join_code"]) == (
        shared_event["id"],
        "member",
        None,
    )
    listed = as_bob.get(url("event")).get_json()["items"]
    assert [(item["id"], item["role"], item["join_code"]) for item in listed] == [
        (shared_event["id"], "member", None)
    ]
    read = as_bob.get(url("event", shared_event["id"])).get_json()
    assert (read["name"], read["role"], read["join_code"]) == ("PyCon", "member", None)


def test_joining_twice_is_harmless(bob, as_bob, as_ada, shared_event):
    _join(as_bob, shared_event["join_code"])
    assert _join(as_bob, shared_event["join_code"]).status_code == 200
    assert _join(as_ada, shared_event["join_code"]).get_json()["role"] == "owner"
    assert committed_rows(EventMember) == 1


def test_a_wrong_join_code_is_404_naming_code(bob, as_bob, shared_event):
    for code in ("ZZZZZZZZ", "WRONG-CODE", shared_event["join_code"][:-1]):
        assert_error(_join(as_bob, code), 404, "not_found", "code")
    assert len(as_bob.get(url("event")).get_json()["items"]) == 0
    assert_error(as_bob.get(url("event", shared_event["id"])), 404, "not_found")


def test_a_malformed_join_request_is_422(as_bob, shared_event):
    for body in ({}, {"code": 12345678}, {"code": "AB"}, {"code": "A" * 17}, {"code": None}):
        assert_error(as_bob.post(f"{API}/events/join", json=body), 422, field="code")
    assert_error(as_bob.post(f"{API}/events/join", data="x", content_type="text/plain"), 415)
    assert committed_rows(EventMember) == 0


def test_a_deleted_event_cannot_be_joined_and_leaves_members_lists(
    ada, bob, as_ada, as_bob, api_as, make_user, shared_event
):
    _join(as_bob, shared_event["join_code"])

    as_ada.delete(url("event", shared_event["id"]))

    assert len(as_bob.get(url("event")).get_json()["items"]) == 0
    assert_error(as_bob.get(url("event", shared_event["id"])), 404)
    latecomer = api_as(make_user())
    assert_error(_join(latecomer, shared_event["join_code"]), 404, "not_found", "code")


def test_members_see_the_attendee_directory(bob, as_bob, shared_event):
    path = f"{url('event', shared_event['id'])}/attendees"
    _join(as_bob, shared_event["join_code"])

    everyone = as_bob.get(path).get_json()
    by_company = as_bob.get(path, query_string={"q": "linux"}).get_json()
    by_name = as_bob.get(path, query_string={"q": "ROSSUM"}).get_json()
    nobody = as_bob.get(path, query_string={"q": "%"}).get_json()

    assert [a["name"] for a in everyone["items"]] == ["Guido van Rossum", "Linus Torvalds"]
    assert len(everyone["items"]) == 2
    assert [a["name"] for a in by_company["items"]] == ["Linus Torvalds"]
    assert [a["name"] for a in by_name["items"]] == ["Guido van Rossum"]
    assert len(nobody["items"]) == 0


def test_strangers_cannot_see_the_attendee_directory(as_bob, shared_event):
    path = f"{url('event', shared_event['id'])}/attendees"
    assert_error(as_bob.get(path), 404, "not_found")
    assert_error(as_bob.get(f"{API}/events/nope/attendees"), 422, "invalid_field", "event_id")


def test_members_cannot_change_or_delete_the_event(bob, as_bob, shared_event):
    _join(as_bob, shared_event["join_code"])

    patched = as_bob.patch(url("event", shared_event["id"]), json={"name": "Bob's event now"})
    deleted = as_bob.delete(url("event", shared_event["id"]))

    assert_error(patched, 403, "not_owner", "name")  # a member may set only their own goals
    assert_error(deleted, 404, "not_found")
    row = stored(Event, shared_event["id"])
    assert (row.name, row.version, row.deleted_at) == ("PyCon", 1, None)


def test_members_never_see_the_owners_notes(
    ada, bob, as_bob, shared_event, make_contact, make_target, make_followup
):
    event_id = shared_event["id"]
    contact = make_contact(ada, name="Ada's lead", event_id=event_id, notes="secret")
    target = make_target(ada, name="Ada's target", event_id=event_id)
    followup = make_followup(ada, contact_id=str(contact.id))
    _join(as_bob, shared_event["join_code"])

    for kind in ("contact", "target", "followup"):
        assert len(as_bob.get(url(kind)).get_json()["items"]) == 0
    by_event = as_bob.get(url("contact"), query_string={"event_id": event_id}).get_json()
    assert by_event["items"] == []
    for kind, record in (("contact", contact), ("target", target), ("followup", followup)):
        assert_error(as_bob.get(url(kind, record.id)), 404, "not_found")


def test_members_may_file_their_own_records_under_the_joined_event(
    ada, bob, as_ada, as_bob, shared_event, make_contact
):
    _join(as_bob, shared_event["join_code"])
    mine = make_contact(bob, name="Bob's lead")

    patched = as_bob.patch(url("contact", mine.id), json={"event_id": shared_event["id"]})
    target = as_bob.post(url("target"), json={"name": "Linus", "event_id": shared_event["id"]})

    assert patched.status_code == 200
    assert patched.get_json()["event_id"] == shared_event["id"]
    assert target.status_code == 201
    filtered = as_bob.get(url("contact"), query_string={"event_id": shared_event["id"]})
    assert _names(filtered) == ["Bob's lead"]
    # and the owner sees none of it
    owners = as_ada.get(url("contact"), query_string={"event_id": shared_event["id"]})
    assert _names(owners) == []
    assert len(as_ada.get(url("target")).get_json()["items"]) == 0


def test_events_list_by_start_date_newest_first(ada, as_ada, make_event):
    make_event(ada, name="Old", starts_on="2025-05-14")
    make_event(ada, name="Undated")
    make_event(ada, name="New", starts_on="2026-05-14")

    assert _names(as_ada.get(url("event"))) == ["New", "Old", "Undated"]


# Targets


def test_targets_default_to_priority_3_and_to_meet(as_ada):
    created = as_ada.post(url("target"), json={"name": "Guido"}).get_json()
    assert (created["priority"], created["status"]) == (3, "to_meet")


def test_targets_list_by_priority(ada, as_ada, make_target):
    make_target(ada, name="If time", priority=5)
    make_target(ada, name="Must meet", priority=1)
    make_target(ada, name="Default")
    make_target(ada, name="Should meet", priority=2)

    assert _names(as_ada.get(url("target"))) == ["Must meet", "Should meet", "Default", "If time"]


def test_a_target_can_be_marked_met(ada, as_ada, make_target):
    target = make_target(ada)
    response = as_ada.patch(url("target", target.id), json={"status": "met", "priority": 1})
    assert (response.get_json()["status"], response.get_json()["priority"]) == ("met", 1)


# My card

CARD = f"{API}/me/card"


def test_my_card_starts_sharing_everything_but_the_phone(ada, as_ada):
    first = as_ada.get(CARD)
    second = as_ada.get(CARD)

    assert first.status_code == 200
    card = first.get_json()
    assert card["name"] == "Ada Lovelace"
    assert card["shared_fields"] == [name for name in SHAREABLE if name != "phone"]
    assert len(card["public_token"]) >= 16
    assert second.get_json() == card
    assert committed_rows(Card) == 1


def test_cards_are_per_user(as_ada, as_bob):
    mine, theirs = as_ada.get(CARD).get_json(), as_bob.get(CARD).get_json()
    assert (mine["name"], theirs["name"]) == ("Ada Lovelace", "Bob Noyce")
    assert mine["public_token"] != theirs["public_token"]


def test_patching_my_card_changes_fields_and_what_is_shared(as_ada):
    before = as_ada.get(CARD).get_json()
    change = {
        "headline": "First programmer",
        "company": "Analytical Engines Ltd",
        "email": "ada@example.com",
        "url": "https://example.com/ada",
        "shared_fields": ["email", "name", "email"],
    }

    response = as_ada.patch(CARD, json=change)

    assert response.status_code == 200
    card = response.get_json()
    assert {name: card[name] for name in change if name != "shared_fields"} == {
        name: value for name, value in change.items() if name != "shared_fields"
    }
    assert sorted(card["shared_fields"]) == ["email", "name"]
    assert len(card["shared_fields"]) == 2
    assert card["version"] > before["version"]
    assert card["public_token"] == before["public_token"]
    assert as_ada.get(CARD).get_json() == card


BAD_CARD_CHANGES = [
    ({"shared_fields": ["name", "password"]}, "invalid_field", "shared_fields.1"),
    ({"shared_fields": "name"}, "invalid_field", "shared_fields"),
    ({"url": "javascript:alert(1)"}, "invalid_field", "url"),
    ({"email": "nope"}, "invalid_field", "email"),
    ({"headline": "x" * 201}, "invalid_field", "headline"),
    ({"intro": "x" * 2001}, "invalid_field", "intro"),
    ({"public_token": "mine"}, "unknown_field", "public_token"),
]


def test_bad_card_changes_are_refused(as_ada):
    before = as_ada.get(CARD).get_json()

    seen = {
        repr(change): _refusal(as_ada.patch(CARD, json=change), False)
        for change, _, _ in BAD_CARD_CHANGES
    }

    assert seen == {
        repr(change): (422, error, field, ERROR_KEYS, False)
        for change, error, field in BAD_CARD_CHANGES
    }
    assert as_ada.get(CARD).get_json() == before


def test_rotating_gives_my_card_a_new_public_token(ada, as_ada):
    old = as_ada.get(CARD).get_json()

    response = as_ada.post(f"{CARD}/rotate")

    assert response.status_code == 200
    new = response.get_json()
    assert new["public_token"] != old["public_token"]
    assert as_ada.get(CARD).get_json()["public_token"] == new["public_token"]
    with db.engine.connect() as conn:
        tokens = conn.scalars(select(Card.public_token)).all()
    assert tokens == [new["public_token"]]
    assert {name: new[name] for name in ("name", "shared_fields")} == {
        "name": "Ada Lovelace",
        "shared_fields": [name for name in SHAREABLE if name != "phone"],
    }


def test_the_routes_need_a_signed_in_user(client):
    routes = [("get", CARD), ("patch", CARD), ("post", f"{CARD}/rotate")]
    routes += [(method, url(kind)) for kind in KIND_NAMES for method in ("get", "post")]
    for method, path in routes:
        kwargs = {"json": {"name": "x"}} if method in ("patch", "post") else {}
        assert_error(getattr(client, method)(path, **kwargs), 401, "unauthorized")
    assert committed_rows(Card) == 0
    assert committed_counts() == dict.fromkeys(committed_counts(), 0)
