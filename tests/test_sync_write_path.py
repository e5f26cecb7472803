"""The sync write path: a batch is checked change by change, then written together in a few
multi-row statements (not a savepoint and an insert per change); a bad change is rejected alone
without undoing the others; when the database refuses the batch's flush, the per-change path
takes over and still applies everything that can be."""

import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, update

from pwa.contacts.models import Contact
from pwa.db import db
from pwa.followups.models import FollowUp
from pwa.followups.plans import plan_id

from .test_sync import new_id, statuses, stored, sync, upsert

BATCH = 100


@pytest.fixture
def phone(api_as, ada):
    return api_as(ada)


def statements_of(action, whole=False):
    """Run action; return the SQL statements it sent (savepoints included): their first word,
    or (whole) their text."""
    sent = []

    def keep(_conn, _cursor, statement, _parameters, _context, _many):
        sent.append(statement if whole else statement.split()[0].upper())

    engine = db.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        answer = action()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return answer, sent


def new_contacts(count):
    return [upsert("contact", new_id(), name=f"Person {n}", company="Acme") for n in range(count)]


def test_a_batch_of_100_new_contacts_is_a_handful_of_statements(phone):
    answer, sent = statements_of(lambda: sync(phone, new_contacts(BATCH)))
    assert statuses(answer) == ["applied"] * BATCH
    inserts = [s for s in sent if s == "INSERT"]
    # the contacts (one multi-row insert, or a few) and the batch's stored answer
    assert len(inserts) <= 4, sent
    assert sent.count("SAVEPOINT") <= 1, sent
    assert len(sent) <= 25, sent


def test_a_batch_of_100_edits_is_a_handful_of_statements(phone):
    changes = new_contacts(BATCH)
    sync(phone, changes)
    edits = [
        upsert("contact", change["id"], base_version=1, name=change["fields"]["name"] + " Jr")
        for change in changes
    ]
    answer, sent = statements_of(lambda: sync(phone, edits))
    assert statuses(answer) == ["applied"] * BATCH
    # the 100 records read in one query, not one each, and their plans in one a kind; then who
    # asks, the stored answer, the pull's change numbers per kind
    assert sent.count("SELECT") <= 14, sent
    assert sent.count("SAVEPOINT") <= 1, sent
    # one UPDATE of the contacts (an executemany), and the user's change counter twice
    assert sent.count("UPDATE") <= 3, sent
    assert len(sent) <= 30, sent
    assert stored("contact", changes[0]["id"]).name == "Person 0 Jr"


def test_edits_of_different_fields_are_written_by_one_statement(phone):
    changes = new_contacts(BATCH)
    sync(phone, changes)
    edits = [
        upsert("contact", change["id"], base_version=1, name=f"Person {n} Jr")
        if n % 3 == 0
        else upsert("contact", change["id"], base_version=1, company="Initech", notes=f"Met {n}")
        if n % 3 == 1
        else upsert("contact", change["id"], base_version=1, tags=["speaker"])
        for n, change in enumerate(changes)
    ]
    answer, sent = statements_of(lambda: sync(phone, edits), whole=True)
    assert statuses(answer) == ["applied"] * BATCH
    updates = [statement for statement in sent if statement.startswith("UPDATE contacts")]
    assert len(updates) == 1, updates
    assert stored("contact", changes[0]["id"]).name == "Person 0 Jr"
    assert stored("contact", changes[1]["id"]).company == "Initech"
    assert stored("contact", changes[1]["id"]).name == "Person 1"
    assert stored("contact", changes[2]["id"]).tags == ["speaker"]


def test_a_bad_change_is_rejected_alone_and_the_rest_are_written(phone):
    changes = new_contacts(5)
    changes[2] = upsert("contact", new_id(), name="")  # a contact needs a name
    changes[3]["fields"]["event_id"] = str(new_id())  # no such event
    answer = sync(phone, changes)
    assert statuses(answer) == ["applied", "applied", "rejected", "rejected", "applied"]
    assert db.session.query(Contact).count() == 3


def test_a_change_building_on_one_made_earlier_in_the_batch_sees_it(phone):
    contact_id = new_id()
    changes = [
        upsert("contact", contact_id, name="Ada"),
        upsert(
            "followup",
            new_id(),
            contact_id=str(contact_id),
            kind="thank_you",
            due_at="2026-11-23T09:00:00+00:00",
        ),
        upsert("contact", contact_id, base_version=1, company="Analytical Engines"),
    ]
    answer = sync(phone, changes)
    assert statuses(answer) == ["applied", "applied", "applied"]
    assert stored("contact", contact_id).company == "Analytical Engines"


def test_a_follow_up_written_beside_one_that_moves_keeps_its_reminder(phone):
    """One UPDATE for the batch writes every follow-up's due time, moved or not; only the one
    whose due time moved gets its reminder planned again: the other's, already sent, is not
    sent again."""
    contact_id, moved, noted = new_id(), new_id(), new_id()
    due = {"contact_id": contact_id, "kind": "custom", "due_at": "2026-01-10T09:00:00+00:00"}
    sync(phone, [upsert("contact", contact_id, name="Ada")])
    sync(phone, [upsert("followup", moved, **due), upsert("followup", noted, **due)])
    with db.engine.begin() as connection:  # the dispatcher sent the second one's reminder
        sent = update(FollowUp).where(FollowUp.id == uuid.UUID(noted))
        connection.execute(sent.values(reminder_status="sent", remind_at=None))
    edits = [
        upsert("followup", moved, base_version=1, due_at="2026-02-10T09:00:00+00:00"),
        upsert("followup", noted, base_version=1, note="Bring the paper"),
    ]
    assert statuses(sync(phone, edits)) == ["applied", "applied"]
    assert stored("followup", moved).reminder_status == "pending"
    noted_now = stored("followup", noted)
    assert noted_now.note == "Bring the paper"
    assert (noted_now.reminder_status, noted_now.remind_at) == ("sent", None)


def test_a_contact_made_earlier_in_the_batch_is_found_once_written(phone):
    """The batch learns up front that a new contact does not exist yet; once the session has
    written it (checking the interaction's contact flushes it), what follows the interaction
    still finds it: the call is a touch."""
    contact_id = new_id()
    changes = [
        upsert("contact", contact_id, name="Ada"),
        upsert(
            "interaction",
            new_id(),
            contact_id=contact_id,
            kind="called",
            at="2026-06-01T10:00:00+00:00",
        ),
    ]
    assert statuses(sync(phone, changes)) == ["applied", "applied"]
    assert stored("contact", contact_id).last_touch_at == datetime(2026, 6, 1, 10, tzinfo=UTC)


REFUSING = {
    "sqlite": [
        "CREATE TRIGGER refuse_a_name BEFORE INSERT ON contacts WHEN NEW.name = 'Refused' "
        "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_a_name() RETURNS trigger AS $$ BEGIN "
        "IF NEW.name = 'Refused' THEN RAISE EXCEPTION 'refused by the database' "
        "USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER refuse_a_name BEFORE INSERT ON contacts "
        "FOR EACH ROW EXECUTE FUNCTION refuse_a_name()",
    ],
}
UNREFUSING = {
    "sqlite": ["DROP TRIGGER refuse_a_name"],
    "postgresql": ["DROP TRIGGER refuse_a_name ON contacts", "DROP FUNCTION refuse_a_name()"],
}


def _run(statements):
    with db.engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


@contextmanager
def a_name_refused():
    """While it lasts, the database refuses a contact named "Refused" (a trigger planted as a
    constraint no check foresees), which fails the batch's flush."""
    dialect = db.engine.dialect.name
    _run(REFUSING[dialect])
    try:
        yield
    finally:
        _run(UNREFUSING[dialect])


def test_when_the_database_refuses_the_flush_each_change_is_tried_alone(phone):
    """A constraint no check foresaw (a trigger planted to refuse one name) fails the batch's
    flush; the fallback applies the others one by one and rejects only that one."""
    changes = new_contacts(3)
    changes[1]["fields"]["name"] = "Refused"
    with a_name_refused():
        answer = sync(phone, changes)
    assert statuses(answer) == ["applied", "rejected", "applied"]
    assert answer["results"][1]["error"]["error"] == "not_saved"
    assert db.session.query(Contact).count() == 2


def test_a_plan_made_by_a_change_tried_alone_is_found_by_the_next(phone):
    """Tried alone, each change is written at once; the keep-in-touch the first change plans is
    found, and moved, by the second, not made again (which the database would refuse)."""
    contact_id = new_id()
    sync(phone, [upsert("contact", contact_id, name="Ada")])
    changes = [
        upsert("contact", contact_id, base_version=1, cadence_days=30),
        upsert("contact", new_id(), name="Refused"),
        upsert("contact", contact_id, base_version=1, cadence_days=60),
    ]
    with a_name_refused():
        answer = sync(phone, changes)
    assert statuses(answer) == ["applied", "rejected", "applied"]
    plan = stored("followup", plan_id(uuid.UUID(contact_id), "keep_in_touch"))
    assert plan.due_at.date().isoformat() == "2026-07-14"  # 60 days after 15 May
