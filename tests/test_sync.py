"""POST /api/v1/sync: the outbox applied in order and idempotently, merges, conflicts, paging."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pwa import kinds, records
from pwa.auth.models import User
from pwa.contacts.models import Contact
from pwa.db import db, utcnow
from pwa.followups.models import FollowUp
from pwa.followups.worker import dispatcher_for, sweep
from pwa.sync.models import SyncBatch
from pwa.sync.schemas import MAX_CHANGES
from pwa.sync.service import KEEP_BATCHES, PULL_PAGE
from tests.conftest import points_at

SYNC = "/api/v1/sync"
#: kind -> model, for every registered kind.
MODELS = {name: record_type.model for name, record_type in records.REGISTRY.items()}
DUE = "2026-11-23T09:00:00+00:00"


def new_id():
    """A client-chosen record id."""
    return str(uuid.uuid4())


#: When the contacts these tests create were met, unless they say: long enough ago that the
#: server plans no thank-you for them (tests/test_follow_through.py tests what it plans).
MET_LONG_AGO = "2026-05-15T10:30:00+00:00"


def upsert(record_kind, record_id, /, base_version=None, **fields):
    """One upsert change as a device's outbox sends it (a new contact met long ago, unless it
    says when)."""
    if record_kind == "contact" and base_version is None and "name" in fields:
        fields.setdefault("met_at", MET_LONG_AGO)
    return {
        "kind": record_kind,
        "id": str(record_id),
        "op": "upsert",
        "base_version": base_version,
        "fields": fields,
    }


def delete(kind, record_id, base_version=None):
    """One delete change as a device's outbox sends it."""
    return {"kind": kind, "id": str(record_id), "op": "delete", "base_version": base_version}


def sync(client, changes=(), cursor=None, batch_id=None):
    """Send one sync request that must succeed; return the answer."""
    body = {"cursor": cursor, "changes": list(changes)}
    if batch_id is not None:
        body["batch_id"] = str(batch_id)
    response = client.post(SYNC, json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def statuses(answer):
    """The status of each result, in the order the changes were sent."""
    return [result["status"] for result in answer["results"]]


def pull_everything(client, cursor=None):
    """Pull page by page until `more` is false; return the pages and the final cursor."""
    pages = []
    while True:
        answer = sync(client, cursor=cursor)
        pages.append(answer)
        cursor = answer["cursor"]
        if not answer["more"]:
            return pages, cursor
        assert len(pages) < 100, "paging never ends"


def pulled(answer, record_id):
    """The pulled changes of one record in an answer."""
    return [change for change in answer["changes"] if change["id"] == str(record_id)]


def stored(kind, record_id):
    """The row as the database holds it now (deleted or not), or None."""
    db.session.expire_all()
    return db.session.get(MODELS[kind], uuid.UUID(str(record_id)))


def change_counter(user):
    """The user's committed change counter."""
    with db.engine.connect() as conn:
        return conn.scalar(select(User.change_seq).where(User.id == user.id))


def committed_rows():
    """Committed row counts of every record table, tombstones included."""
    with db.engine.connect() as conn:
        return {
            kind: conn.scalar(select(func.count()).select_from(model))
            for kind, model in MODELS.items()
        }


@pytest.fixture
def phone(api_as, ada):
    """Ada's phone: an API client with its own token."""
    return api_as(ada)


@pytest.fixture
def laptop(api_as, ada):
    """Ada's laptop: a second device of the same user."""
    return api_as(ada)


@pytest.fixture
def bobs_phone(api_as, bob):
    """Bob's device."""
    return api_as(bob)


@pytest.fixture
def shared_contact(ada, phone, laptop):
    """A contact both of Ada's devices have pulled at version 1; returns its id."""
    contact_id = new_id()
    answer = sync(phone, [upsert("contact", contact_id, name="Margaret Hamilton", company="MIT")])
    assert statuses(answer) == ["applied"]
    assert pulled(sync(laptop), contact_id)[0]["version"] == 1
    return contact_id


# Idempotency ------------------------------------------------------------------------------------


def test_a_retried_batch_is_answered_again_not_applied_again(ada, phone):
    batch_id = uuid.uuid4()
    contact_id, followup_id = new_id(), new_id()
    changes = [
        upsert("contact", contact_id, name="Margaret Hamilton"),
        upsert("followup", followup_id, contact_id=contact_id, kind="thank_you", due_at=DUE),
        upsert("contact", new_id(), name="x" * 201),
    ]

    first = sync(phone, changes, batch_id=batch_id)
    counter, rows = change_counter(ada), committed_rows()
    seq = stored("contact", contact_id).change_seq
    again = sync(phone, changes, batch_id=batch_id)

    assert statuses(first) == ["applied", "applied", "rejected"]
    assert again["results"] == first["results"]
    assert committed_rows() == rows == {**dict.fromkeys(MODELS, 0), "contact": 1, "followup": 1}
    assert change_counter(ada) == counter == 2
    contact = stored("contact", contact_id)
    assert (contact.version, contact.change_seq) == (1, seq)
    assert stored("followup", followup_id).version == 1
    # Even a retry whose outbox grew meanwhile is answered from the first time, never re-applied.
    grown = sync(phone, [*changes, upsert("contact", new_id(), name="Later")], batch_id=batch_id)
    assert grown["results"] == first["results"]
    assert committed_rows()["contact"] == 1


def test_the_workers_sweep_forgets_batch_answers_a_week_old_and_keeps_the_newer(app, ada, phone):
    old, recent = uuid.uuid4(), uuid.uuid4()
    sync(phone, [upsert("contact", new_id(), name="Last week")], batch_id=old)
    answer = sync(phone, [upsert("contact", new_id(), name="Today")], batch_id=recent)
    batch = db.session.get(SyncBatch, (ada.id, old))
    batch.created_at = utcnow() - KEEP_BATCHES - timedelta(minutes=1)
    db.session.commit()
    sync(phone, [upsert("contact", new_id(), name="Another")])  # a sync leaves it alone

    assert db.session.get(SyncBatch, (ada.id, old)) is not None
    with dispatcher_for(app) as dispatcher:
        sweep(app, dispatcher)

    db.session.commit()  # a new transaction, which sees the sweep's
    assert db.session.get(SyncBatch, (ada.id, old)) is None
    assert sync(phone, [], batch_id=recent)["results"] == answer["results"]


def test_the_same_batch_id_of_another_user_is_not_their_answer(ada, bob, phone, bobs_phone):
    batch_id = uuid.uuid4()
    mine, theirs = new_id(), new_id()

    sync(phone, [upsert("contact", mine, name="Mine")], batch_id=batch_id)
    answer = sync(bobs_phone, [upsert("contact", theirs, name="Theirs")], batch_id=batch_id)

    assert answer["results"] == [{"id": theirs, "status": "applied", "version": 1}]
    assert stored("contact", theirs).user_id == bob.id


def test_the_same_change_twice_without_batch_id_is_a_duplicate(ada, phone):
    contact_id = new_id()
    create = upsert("contact", contact_id, name="Grace Hopper", tags=["navy", "cobol"])
    edit = upsert("contact", contact_id, base_version=1, notes="Nanoseconds")

    assert statuses(sync(phone, [create])) == ["applied"]
    before = stored("contact", contact_id).updated_at
    counter = change_counter(ada)
    assert sync(phone, [create])["results"] == [
        {"id": contact_id, "status": "duplicate", "version": 1}
    ]
    contact = stored("contact", contact_id)
    assert (contact.version, contact.updated_at, change_counter(ada)) == (1, before, counter)

    assert sync(phone, [edit])["results"][0]["status"] == "applied"
    assert sync(phone, [edit])["results"] == [
        {"id": contact_id, "status": "duplicate", "version": 2}
    ]
    assert stored("contact", contact_id).version == 2
    assert change_counter(ada) == counter + 1


def test_a_create_replayed_after_its_answer_was_lost_is_a_duplicate(ada, phone):
    contact_id, later_id = new_id(), new_id()
    create = upsert("contact", contact_id, name="Katherine Johnson", company="NASA")
    sync(phone, [create], batch_id=uuid.uuid4())  # applied; the answer never reached the phone

    # The phone rebuilt its outbox (one more capture since) and sends it as a new batch.
    answer = sync(
        phone, [create, upsert("contact", later_id, name="Dorothy Vaughan")], batch_id=uuid.uuid4()
    )

    assert answer["results"] == [
        {"id": contact_id, "status": "duplicate", "version": 1},
        {"id": later_id, "status": "applied", "version": 1},
    ]
    assert committed_rows()["contact"] == 2
    assert stored("contact", contact_id).version == 1
    # The phone pulls each record once even though it sent the create twice.
    assert [change["id"] for change in answer["changes"]] == [contact_id, later_id]


def test_a_replayed_create_does_not_undo_another_devices_edit(ada, phone, laptop):
    contact_id = new_id()
    create = upsert("contact", contact_id, name="Katherine Johnson", company="NASA")
    sync(phone, [create])  # the answer is lost
    sync(laptop, [upsert("contact", contact_id, base_version=1, company="NASA Langley")])

    result = sync(phone, [create])["results"][0]

    assert result["status"] == "conflict"
    assert result["conflicts"] == ["company"]
    assert result["mine"] == {"company": "NASA"}
    assert result["server"]["company"] == "NASA Langley"
    contact = stored("contact", contact_id)
    assert (contact.company, contact.version) == ("NASA Langley", 2)


# Ordering ---------------------------------------------------------------------------------------


def test_create_edit_and_delete_of_one_record_in_one_batch(ada, phone, laptop):
    contact_id = new_id()
    # Made offline: the phone has never seen a server version of it, so every base_version is null.
    answer = sync(
        phone,
        [
            upsert("contact", contact_id, name="Radia Perlman", company="DEC"),
            upsert("contact", contact_id, name="Radia Perlman", company="Intel", notes="STP"),
            delete("contact", contact_id),
        ],
    )

    assert answer["results"] == [
        {"id": contact_id, "status": "applied", "version": 1},
        {"id": contact_id, "status": "applied", "version": 2},
        {"id": contact_id, "status": "applied", "version": 3},
    ]
    contact = stored("contact", contact_id)
    assert contact.deleted_at is not None
    assert contact.name is None and contact.notes is None
    assert pulled(sync(laptop), contact_id) == [
        {"kind": "contact", "id": contact_id, "version": 3, "deleted": True, "fields": {}}
    ]


def test_create_then_two_edits_of_one_field_in_one_batch_keep_the_last(ada, phone):
    contact_id = new_id()
    answer = sync(
        phone,
        [
            upsert("contact", contact_id, name="Frances Allen"),
            upsert("contact", contact_id, notes="Compilers"),
            upsert("contact", contact_id, notes="Compilers; Turing Award 2006"),
        ],
    )

    assert statuses(answer) == ["applied", "applied", "applied"]
    assert (stored("contact", contact_id).notes, stored("contact", contact_id).version) == (
        "Compilers; Turing Award 2006",
        3,
    )


def test_offline_edits_of_a_synced_record_apply_in_order_then_delete(ada, phone, shared_contact):
    # The phone saw version 1; it edits the same field twice offline, then deletes the contact.
    answer = sync(
        phone,
        [
            upsert("contact", shared_contact, base_version=1, notes="Apollo"),
            upsert("contact", shared_contact, base_version=1, notes="Apollo 11 guidance"),
            delete("contact", shared_contact, base_version=1),
        ],
    )

    assert statuses(answer) == ["applied", "applied", "applied"]
    assert [result["version"] for result in answer["results"]] == [2, 3, 4]
    assert stored("contact", shared_contact).deleted_at is not None


def test_interleaved_edits_of_two_records_apply_in_order(ada, phone, laptop):
    first, second = new_id(), new_id()
    sync(phone, [upsert("contact", first, name="Ada"), upsert("contact", second, name="Bob")])
    _, cursor = pull_everything(laptop)

    answer = sync(
        phone,
        [
            upsert("contact", first, base_version=1, company="A1"),
            upsert("contact", second, base_version=1, company="B1"),
            upsert("contact", first, base_version=1, company="A2", notes="first"),
            upsert("contact", second, base_version=1, company="B2", notes="second"),
        ],
    )

    assert statuses(answer) == ["applied"] * 4
    assert [(result["id"], result["version"]) for result in answer["results"]] == [
        (first, 2),
        (second, 2),
        (first, 3),
        (second, 3),
    ]
    assert (stored("contact", first).company, stored("contact", first).notes) == ("A2", "first")
    assert (stored("contact", second).company, stored("contact", second).notes) == (
        "B2",
        "second",
    )
    # The other device sees each record once, at its latest version, in the order last changed.
    changes = sync(laptop, cursor=cursor)["changes"]
    assert [
        (change["id"], change["version"], change["fields"]["company"]) for change in changes
    ] == [(first, 3, "A2"), (second, 3, "B2")]


def test_a_followup_resolves_a_contact_created_earlier_in_the_same_batch(ada, phone):
    contact_id, followup_id = new_id(), new_id()
    early_followup, late_contact = new_id(), new_id()

    answer = sync(
        phone,
        [
            upsert("contact", contact_id, name="Barbara Liskov"),
            upsert("followup", followup_id, contact_id=contact_id, kind="thank_you", due_at=DUE),
            # The other way round the contact does not exist yet when the follow-up is applied.
            upsert("followup", early_followup, contact_id=late_contact, kind="custom", due_at=DUE),
            upsert("contact", late_contact, name="Shafi Goldwasser"),
        ],
    )

    assert statuses(answer) == ["applied", "applied", "rejected", "applied"]
    assert answer["results"][2]["error"]["field"] == "fields.contact_id"
    assert stored("followup", followup_id).contact_id == uuid.UUID(contact_id)
    assert stored("followup", early_followup) is None
    # Pulled (by another device) in the order applied: the contact before its follow-up.
    pages, _ = pull_everything(phone)
    everything = [change["id"] for page in pages for change in page["changes"]]
    assert everything == [contact_id, followup_id, late_contact]


# Cursor paging ----------------------------------------------------------------------------------


def test_pulling_thousands_of_changes_page_by_page_gets_each_record_once(ada, phone, laptop):
    contact_ids = [new_id() for _ in range(4 * MAX_CHANGES)]  # 2,000 contacts
    far_cursor = str(10**9)  # the uploads need no pull back
    for start in range(0, len(contact_ids), MAX_CHANGES):
        chunk = contact_ids[start : start + MAX_CHANGES]
        answer = sync(
            phone,
            [upsert("contact", cid, name=f"Person {cid[:8]}") for cid in chunk],
            cursor=far_cursor,
        )
        assert statuses(answer) == ["applied"] * MAX_CHANGES
    followup_ids = [new_id() for _ in range(100)]
    edited, deleted = contact_ids[:100], contact_ids[50:80]
    sync(
        phone,
        [
            *(
                upsert("followup", fid, contact_id=cid, kind="check_back", due_at=DUE)
                for fid, cid in zip(followup_ids, contact_ids[:100], strict=True)
            ),
            *(upsert("contact", cid, base_version=1, notes="edited") for cid in edited),
            *(delete("contact", cid) for cid in deleted),
        ],
        cursor=far_cursor,
    )

    pages, cursor = pull_everything(laptop)

    assert [page["more"] for page in pages] == [True] * (len(pages) - 1) + [False]
    assert all(len(page["changes"]) <= PULL_PAGE for page in pages)
    cursors = [int(page["cursor"]) for page in pages]
    assert cursors == sorted(set(cursors))
    everything = [change for page in pages for change in page["changes"]]
    by_id = {change["id"]: change for change in everything}
    assert len(everything) == len(by_id) == len(contact_ids) + len(followup_ids)
    assert len(pages) == -(-len(everything) // PULL_PAGE)
    db.session.expire_all()
    expected = {
        str(row.id): (row.version, row.deleted_at is not None)
        for model in (Contact, FollowUp)
        for row in db.session.scalars(select(model).where(model.user_id == ada.id))
    }
    assert {cid: (c["version"], c["deleted"]) for cid, c in by_id.items()} == expected
    assert by_id[contact_ids[0]]["fields"]["notes"] == "edited"
    assert by_id[contact_ids[0]]["version"] == 2
    assert by_id[contact_ids[60]] == {
        "kind": "contact",
        "id": contact_ids[60],
        "version": 3,
        "deleted": True,
        "fields": {},
    }
    assert by_id[followup_ids[60]]["deleted"] is True  # its contact's delete took it along
    assert by_id[contact_ids[-1]]["version"] == 1
    assert by_id[contact_ids[-1]]["fields"]["name"] == f"Person {contact_ids[-1][:8]}"

    nothing_new = sync(laptop, cursor=cursor)
    assert (nothing_new["changes"], nothing_new["more"], nothing_new["cursor"]) == (
        [],
        False,
        cursor,
    )

    sync(phone, [upsert("contact", contact_ids[-1], base_version=1, company="Late edit")])
    later = sync(laptop, cursor=cursor)
    assert [(c["id"], c["version"], c["fields"]["company"]) for c in later["changes"]] == [
        (contact_ids[-1], 2, "Late edit")
    ]
    assert later["more"] is False
    assert int(later["cursor"]) > int(cursor)


# Tombstones -------------------------------------------------------------------------------------


def test_a_delete_reaches_the_other_device_as_an_empty_tombstone(ada, phone, laptop):
    contact_id, followup_id = new_id(), new_id()
    sync(
        phone,
        [
            upsert("contact", contact_id, name="Hedy Lamarr", notes="Frequency hopping"),
            upsert("followup", followup_id, contact_id=contact_id, kind="thank_you", due_at=DUE),
        ],
    )
    first = sync(laptop)
    assert [change["deleted"] for change in first["changes"]] == [False, False]
    assert first["changes"][0]["fields"]["notes"] == "Frequency hopping"

    assert statuses(sync(phone, [delete("contact", contact_id, base_version=1)])) == ["applied"]
    after = sync(laptop, cursor=first["cursor"])

    assert sorted(after["changes"], key=lambda change: change["kind"]) == [
        {"kind": "contact", "id": contact_id, "version": 2, "deleted": True, "fields": {}},
        {"kind": "followup", "id": followup_id, "version": 2, "deleted": True, "fields": {}},
    ]
    tombstone = stored("contact", contact_id)
    assert (tombstone.name, tombstone.notes) == (None, None)


def test_deleting_what_is_already_deleted_is_a_duplicate(ada, phone, laptop, shared_contact):
    sync(phone, [delete("contact", shared_contact, base_version=1)])
    counter = change_counter(ada)

    result = sync(laptop, [delete("contact", shared_contact, base_version=1)])["results"][0]

    assert (result["status"], result["version"]) == ("duplicate", 2)
    assert change_counter(ada) == counter


# Rejected changes -------------------------------------------------------------------------------


def test_bad_changes_are_rejected_alone_and_write_nothing(ada, bob, phone, make_contact):
    bobs = make_contact(bob, name="Bob's colleague", notes="private")
    bobs_before = (bobs.version, bobs.updated_at, bobs.change_seq)
    good = [new_id() for _ in range(4)]
    long_name, no_name, unknown = new_id(), new_id(), new_id()
    stray_followup = new_id()
    changes = [
        upsert("contact", good[0], name="Good one"),
        {**upsert("contact", new_id(), name="Nope"), "kind": "badge"},
        upsert("contact", good[1], name="Good two"),
        upsert("contact", "not-a-uuid", name="Nope"),
        upsert("contact", long_name, name="x" * 201),
        upsert("contact", no_name, company="No name given"),
        upsert("contact", unknown, name="Nope", nickname="Nopey"),
        upsert("contact", bobs.id, name="Taken over"),
        upsert("followup", stray_followup, contact_id=str(bobs.id), kind="custom", due_at=DUE),
        upsert("contact", good[2], name="Good three"),
        delete("contact", bobs.id),
        upsert("followup", good[3], contact_id=good[0], kind="custom", due_at=DUE),
    ]
    expected = {
        1: ("invalid_field", "kind"),
        3: ("invalid_field", "id"),
        4: ("invalid_field", "fields.name"),
        5: ("invalid_field", "fields.name"),
        6: ("unknown_field", "fields.nickname"),
        7: ("id_taken", "id"),
        8: ("invalid_field", "fields.contact_id"),
        10: ("id_taken", "id"),
    }

    answer = sync(phone, changes)

    for index, result in enumerate(answer["results"]):
        assert result["id"] == changes[index]["id"]
        if index not in expected:
            assert (result["status"], result["version"]) == ("applied", 1), result
            continue
        assert (result["status"], result["version"]) == ("rejected", None), result
        error = result["error"]
        assert (error["error"], error["field"]) == expected[index], error
        assert error["field"].removeprefix("fields.") in error["message"]
    assert len(answer["results"]) == len(changes)
    # Only the good changes were written, and they took the only change numbers.
    assert committed_rows()["contact"] == 3 + 1  # Ada's three and Bob's one
    assert committed_rows()["followup"] == 1
    assert change_counter(ada) == 4
    for record_id in (long_name, no_name, unknown):
        assert stored("contact", record_id) is None
    assert stored("followup", stray_followup) is None
    bobs = stored("contact", bobs.id)
    assert (bobs.name, bobs.notes, bobs.deleted_at) == ("Bob's colleague", "private", None)
    assert (bobs.version, bobs.updated_at, bobs.change_seq) == bobs_before
    pages, _ = pull_everything(phone)  # what another device of Ada's gets
    assert [change["id"] for change in pages[0]["changes"]] == good


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "x" * 201}, "fields.name"),
        ({"name": None}, "fields.name"),
        ({"email": "not an email"}, "fields.email"),
        ({"tags": "rust"}, "fields.tags"),
        ({"version": 9}, "fields.version"),
    ],
)
def test_a_bad_edit_is_rejected_and_leaves_the_record_as_it_was(
    fields, field, ada, phone, shared_contact
):
    answer = sync(phone, [upsert("contact", shared_contact, base_version=1, **fields)])

    assert answer["results"][0]["status"] == "rejected"
    assert answer["results"][0]["error"]["field"] == field
    contact = stored("contact", shared_contact)
    assert (contact.name, contact.version, contact.email) == ("Margaret Hamilton", 1, None)


SOME_ID = "5d1c0f5e-8f0b-4a47-9d67-1b1a1d2f3e4c"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ("not a change", None),
        ({"kind": "contact", "op": "upsert", "fields": {"name": "x"}}, "id"),
        ({"kind": "contact", "id": "3b1f", "op": "upsert", "fields": {"name": "x"}}, "id"),
        ({"kind": "contact", "id": SOME_ID, "op": "replace", "fields": {"name": "x"}}, "op"),
        ({"kind": "contact", "id": SOME_ID, "op": "upsert", "base_version": -1}, "base_version"),
        ({"kind": "contact", "id": SOME_ID, "op": "upsert", "fields": ["name"]}, "fields"),
        ({"kind": "contact", "id": SOME_ID, "op": "upsert", "colour": "red"}, "colour"),
    ],
)
def test_a_malformed_change_is_rejected_naming_what_is_wrong(change, field, ada, phone):
    response = phone.post(SYNC, json={"changes": [change, upsert("contact", new_id(), name="Ok")]})

    if field is None:  # not even an object: the whole envelope is refused
        assert response.status_code == 422
        assert response.get_json()["field"].startswith("changes")
        assert committed_rows()["contact"] == 0
        return
    results = response.get_json()["results"]
    assert [result["status"] for result in results] == ["rejected", "applied"]
    assert results[0]["error"]["field"] == field
    assert committed_rows()["contact"] == 1


# Conflicts --------------------------------------------------------------------------------------


def test_two_devices_editing_different_fields_merge_both(ada, phone, laptop, shared_contact):
    mine = sync(phone, [upsert("contact", shared_contact, base_version=1, company="NASA")])
    theirs = sync(laptop, [upsert("contact", shared_contact, base_version=1, notes="Apollo")])

    assert mine["results"][0] == {"id": shared_contact, "status": "applied", "version": 2}
    assert theirs["results"][0] == {"id": shared_contact, "status": "applied", "version": 3}
    contact = stored("contact", shared_contact)
    assert (contact.name, contact.company, contact.notes) == ("Margaret Hamilton", "NASA", "Apollo")
    merged = pulled(theirs, shared_contact)[0]
    assert (merged["version"], merged["fields"]["company"], merged["fields"]["notes"]) == (
        3,
        "NASA",
        "Apollo",
    )


def test_editing_one_field_differently_is_a_conflict_that_keeps_the_server_value(
    ada, phone, laptop, shared_contact
):
    sync(phone, [upsert("contact", shared_contact, base_version=1, company="NASA")])
    counter = change_counter(ada)

    result = sync(
        laptop,
        [upsert("contact", shared_contact, base_version=1, company="Draper Lab", notes="Apollo")],
    )["results"][0]

    assert result["status"] == "conflict"
    assert result["deleted"] is False
    assert result["conflicts"] == ["company"]
    assert result["mine"] == {"company": "Draper Lab"}
    # The server keeps its value, and still takes the field nobody else changed.
    assert result["server"]["company"] == "NASA"
    assert result["server"]["notes"] == "Apollo"
    assert result["version"] == result["server"]["version"] == 3
    contact = stored("contact", shared_contact)
    assert (contact.company, contact.notes, contact.version) == ("NASA", "Apollo", 3)
    assert change_counter(ada) == counter + 1

    # Choosing a value after seeing both: an edit on top of the server's version applies.
    chosen = sync(laptop, [upsert("contact", shared_contact, base_version=3, company="Draper Lab")])
    assert chosen["results"][0]["status"] == "applied"
    assert stored("contact", shared_contact).company == "Draper Lab"


def test_a_conflict_with_nothing_else_to_apply_writes_nothing(ada, phone, laptop, shared_contact):
    sync(phone, [upsert("contact", shared_contact, base_version=1, company="NASA")])
    counter = change_counter(ada)

    result = sync(laptop, [upsert("contact", shared_contact, base_version=1, company="IBM")])

    assert result["results"][0]["status"] == "conflict"
    assert (stored("contact", shared_contact).version, change_counter(ada)) == (2, counter)


def test_earlier_changes_in_a_batch_do_not_hide_another_devices_edit(
    ada, phone, laptop, shared_contact
):
    sync(laptop, [upsert("contact", shared_contact, base_version=1, company="NASA")])

    # The phone saw version 1 and queued three changes offline.
    answer = sync(
        phone,
        [
            upsert("contact", shared_contact, base_version=1, notes="Apollo"),
            upsert("contact", shared_contact, base_version=1, company="Draper Lab"),
            delete("contact", shared_contact, base_version=1),
        ],
    )

    assert statuses(answer) == ["applied", "conflict", "conflict"]
    assert answer["results"][1]["mine"] == {"company": "Draper Lab"}
    assert answer["results"][2]["deleted"] is False
    contact = stored("contact", shared_contact)
    assert (contact.company, contact.notes, contact.deleted_at) == ("NASA", "Apollo", None)


def test_both_devices_making_the_same_edit_is_a_duplicate(ada, phone, laptop, shared_contact):
    sync(phone, [upsert("contact", shared_contact, base_version=1, company="NASA")])

    result = sync(laptop, [upsert("contact", shared_contact, base_version=1, company="NASA")])

    assert result["results"][0] == {"id": shared_contact, "status": "duplicate", "version": 2}


def test_deleting_a_record_edited_elsewhere_is_a_conflict_and_keeps_it(
    ada, phone, laptop, shared_contact
):
    sync(phone, [upsert("contact", shared_contact, base_version=1, notes="Met again")])

    result = sync(laptop, [delete("contact", shared_contact, base_version=1)])["results"][0]

    assert (result["status"], result["deleted"], result["version"]) == ("conflict", False, 2)
    assert result["server"]["notes"] == "Met again"
    contact = stored("contact", shared_contact)
    assert (contact.deleted_at, contact.notes, contact.version) == (None, "Met again", 2)


def test_editing_a_record_deleted_elsewhere_is_a_conflict_and_stays_deleted(
    ada, phone, laptop, shared_contact
):
    sync(phone, [delete("contact", shared_contact, base_version=1)])

    result = sync(laptop, [upsert("contact", shared_contact, base_version=1, notes="Met again")])[
        "results"
    ][0]

    assert (result["status"], result["deleted"], result["version"]) == ("conflict", True, 2)
    contact = stored("contact", shared_contact)
    assert contact.deleted_at is not None
    assert (contact.notes, contact.version) == (None, 2)


# Other users' records ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", kinds.NAMES)
@pytest.mark.parametrize("op", ["upsert", "delete"])
def test_another_users_record_id_is_rejected_and_untouched(kind, op, bob, ada, phone, bobs_phone):
    their_contact, their_other, their_record = new_id(), new_id(), new_id()
    fields = {
        "event": {"name": "Bob's party"},
        "target": {"name": "Bob's target"},
        "contact": {"name": "Bob's contact"},
        "followup": {"contact_id": their_contact, "kind": "custom", "due_at": DUE},
        "interaction": {"contact_id": their_contact, "kind": "met", "at": DUE},
        "promise": {"contact_id": their_contact, "direction": "mine", "text": "A deck"},
        "introduction": {"contact_id": their_contact, "to_id": their_other},
        "dismissal": None,  # Bob's own event and someone in its directory, made below
    }[kind]
    if kind == "dismissal":
        fields = points_at(kind, bob)
        db.session.commit()
    sync(
        bobs_phone,
        [
            upsert("contact", their_contact, name="Someone"),
            upsert("contact", their_other, name="Someone else"),
            upsert(kind, their_record, **fields),
        ]
        if kind != "contact"
        else [upsert("contact", their_record, **fields)],
    )
    before = stored(kind, their_record)
    before = (before.version, before.updated_at, before.change_seq, before.deleted_at)

    change = (
        upsert(kind, their_record, base_version=1, **fields)
        if op == "upsert"
        else delete(kind, their_record, base_version=1)
    )
    answer = sync(phone, [change])

    assert answer["results"][0]["status"] == "rejected"
    assert answer["results"][0]["error"]["error"] == "id_taken"
    assert "server" not in answer["results"][0]
    after = stored(kind, their_record)
    assert (after.version, after.updated_at, after.change_seq, after.deleted_at) == before
    assert after.user_id == bob.id
    assert answer["changes"] == []
    assert change_counter(ada) == 0


def test_another_users_changes_never_appear_in_my_pull(ada, bob, phone, bobs_phone):
    mine = new_id()
    sync(phone, [upsert("contact", mine, name="Mine")])
    sync(bobs_phone, [upsert("contact", new_id(), name="Bob's") for _ in range(3)])

    first = sync(phone)
    bobs_contact = new_id()
    sync(
        bobs_phone,
        [
            upsert("contact", bobs_contact, name="Bob's"),
            delete("contact", bobs_contact, base_version=1),
        ],
    )
    later = sync(phone, cursor=first["cursor"])

    assert [change["id"] for change in first["changes"]] == [mine]
    assert (later["changes"], later["cursor"]) == ([], first["cursor"])


# The request envelope ---------------------------------------------------------------------------


def test_more_than_500_changes_is_422_and_applies_nothing(ada, phone):
    changes = [upsert("contact", new_id(), name="Too many") for _ in range(MAX_CHANGES + 1)]

    response = phone.post(SYNC, json={"cursor": None, "changes": changes})

    assert response.status_code == 422
    assert response.get_json()["field"] == "changes"
    assert committed_rows()["contact"] == 0


@pytest.mark.parametrize("cursor", ["abc", "-1", "1.5", " 1", "²", str(2**31), "9" * 40, 7])
def test_a_cursor_that_no_answer_gave_is_422(cursor, ada, phone):
    contact_id = new_id()
    response = phone.post(
        SYNC, json={"cursor": cursor, "changes": [upsert("contact", contact_id, name="X")]}
    )

    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.get_json()["error"] == "invalid_field"
    assert response.get_json()["field"] == "cursor"
    assert stored("contact", contact_id) is None


def test_the_largest_cursor_is_accepted_and_pulls_nothing(ada, phone):
    sync(phone, [upsert("contact", new_id(), name="Already pulled")])

    answer = sync(phone, cursor=str(2**31 - 1))

    assert (answer["changes"], answer["more"]) == ([], False)


def test_a_batch_id_that_is_not_a_uuid_is_422(ada, phone):
    response = phone.post(SYNC, json={"batch_id": "retry-1", "changes": []})

    assert response.status_code == 422
    assert response.get_json()["field"] == "batch_id"


def test_a_body_that_is_not_json_is_415(ada, phone):
    response = phone.post(SYNC, data="cursor=1", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert response.get_json()["error"] == "unsupported_media_type"


def test_sync_needs_a_signed_in_user(client, ada):
    response = client.post(SYNC, json={"changes": [upsert("contact", new_id(), name="Anon")]})

    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert committed_rows()["contact"] == 0


def test_when_a_shared_events_owner_deletes_their_account_my_devices_learn_it(
    ada, bob, phone, bobs_phone
):
    event_id, contact_id = new_id(), new_id()
    sync(bobs_phone, [upsert("event", event_id, name="PyCon")])
    code = bobs_phone.get(f"/api/v1/events/{event_id}").get_json()["join_code"]
    assert phone.post("/api/v1/events/join", json={"code": code}).status_code == 200
    answer = sync(phone, [upsert("contact", contact_id, name="Linus", event_id=event_id)])
    assert statuses(answer) == ["applied"]
    version = stored("contact", contact_id).version

    assert bobs_phone.delete("/api/v1/me").status_code == 204

    [change] = pulled(sync(phone, cursor=answer["cursor"]), contact_id)
    assert change["fields"]["event_id"] is None
    assert change["version"] == version + 1
    assert change["fields"]["name"] == "Linus"


def test_the_answer_leaves_out_what_the_device_holds_as_the_server_does(ada, phone, laptop):
    """A record the device sent in full, or changed having seen its latest version, comes back
    in `results` with its version, not again in `changes`; one the server filled in (met_at
    from the time it arrived), or that another device had changed, comes back whole."""
    complete, filled_in = new_id(), new_id()
    met = "2026-11-22T10:00:00+00:00"
    first = sync(
        phone,
        [
            upsert("contact", complete, name="Ada", met_at=met, source="capture", tags=[]),
            upsert("contact", filled_in, name="Grace", source="capture"),
        ],
    )
    assert statuses(first) == ["applied", "applied"]
    assert [change["id"] for change in first["changes"]] == [filled_in]
    assert pulled(first, filled_in)[0]["fields"]["met_at"]

    edit = sync(phone, [upsert("contact", complete, 1, company="Engines")], first["cursor"])
    assert statuses(edit) == ["applied"] and edit["changes"] == []

    laptop_cursor = sync(laptop)["cursor"]
    sync(laptop, [upsert("contact", filled_in, 1, title="Admiral")], laptop_cursor)
    stale = sync(phone, [upsert("contact", filled_in, 1, company="Navy")], edit["cursor"])
    assert statuses(stale) == ["applied"]
    assert pulled(stale, filled_in)[0]["fields"]["title"] == "Admiral"
    assert pulled(stale, filled_in)[0]["fields"]["company"] == "Navy"

    everything = [c["id"] for page in pull_everything(laptop)[0] for c in page["changes"]]
    assert sorted(everything) == sorted([complete, filled_in])  # other devices get it all
