"""The reminder dispatcher against a push service on loopback: what arrives, when (time zones,
quiet hours, daily cap, digests), what a failure leaves for the user, and that several
dispatchers (or a dead one) never lose or double a reminder."""

import logging
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from pwa.auth.models import User
from pwa.cli import main
from pwa.db import db, utcnow, writing
from pwa.followups.claims import LEASE, claim
from pwa.followups.messages import Due
from pwa.followups.models import FollowUp
from pwa.followups.quiet import LocalTime
from pwa.followups.results import MAX_ATTEMPTS, Results, backoff
from pwa.followups.worker import dispatcher_for, start_in_background
from pwa.push import service as push_service
from pwa.push.models import PushSubscription
from tests.push_service import PushService

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday, 09:00 in London


@pytest.fixture
def push():
    """A push service on loopback (the only one the app may post to)."""
    with PushService() as service:
        yield service


@pytest.fixture
def app(make_app, push):
    """The app, allowed to post to the loopback push service only."""
    app = make_app(PUSH_ALLOWED_HOSTS=push.origin)
    with app.app_context():
        yield app


@pytest.fixture
def dispatcher(app):
    """A dispatcher of the app."""
    with dispatcher_for(app, worker_id="test-dispatcher") as dispatcher:
        yield dispatcher


@pytest.fixture
def device(push):
    """Return a function that subscribes a new device of user to the loopback service."""

    def subscribe(user, own_key=True):
        subscriber = push.subscribe(own_key)
        data = subscriber.to_json()
        push_service.subscribe(
            user, data["endpoint"], data["keys"]["p256dh"], data["keys"]["auth"], NOW
        )
        db.session.commit()
        return subscriber

    return subscribe


@pytest.fixture
def person(make_user, make_contact, device):
    """Return a function making a user with one device, and a contact of theirs."""

    def make(timezone="Europe/London", **contact):
        user = make_user()
        user.timezone = timezone
        db.session.commit()
        device(user)
        return user, make_contact(user, **{"name": "Ada Lovelace", **contact})

    return make


def at(moment):
    """A clock stopped at moment."""
    return lambda: moment


def followup(followup_id):
    db.session.expire_all()
    return db.session.get(FollowUp, followup_id)


def test_a_due_reminder_arrives_once_with_what_the_service_worker_needs(
    push, dispatcher, person, make_followup
):
    user, contact = person(i_promised="the paper on hallway tracks")
    due = make_followup(user, contact_id=str(contact.id), kind="thank_you", due_at=NOW.isoformat())
    later = make_followup(
        user, contact_id=str(contact.id), due_at=(NOW + timedelta(days=1)).isoformat()
    )
    tally = dispatcher.sweep(at(NOW))
    assert (tally.notifications, tally.reminded) == (1, 1)
    [payload] = push.delivered()
    assert payload == {
        "type": "reminder",
        "title": "Say thank you to Ada Lovelace",
        "body": "You promised: the paper on hallway tracks",
        "followup_id": str(due.id),
        "contact_id": str(contact.id),
        "kind": "thank_you",
        "due_at": NOW.isoformat(),
        "url": f"/people/{contact.id}?followup={due.id}",
        "tag": f"followup-{due.id}",
        "actions": [
            {"action": "done", "title": "Done"},
            {"action": "snooze", "title": "Snooze an hour"},
            {"action": "open", "title": "Open"},
        ],
        "snooze_seconds": 3600,
    }
    headers = push.received[0].headers
    assert headers["ttl"] == "86400"
    assert headers["urgency"] == "normal"
    assert headers["topic"].startswith("fu") and len(headers["topic"]) <= 32
    assert push.problems == []
    row = followup(due.id)
    assert (row.reminder_status, row.reminded_at, row.remind_at) == ("sent", NOW, None)
    assert followup(later.id).reminder_status == "pending"
    assert dispatcher.sweep(at(NOW + timedelta(minutes=5))).claimed == 0
    assert len(push.delivered()) == 1


def test_done_deleted_and_future_follow_ups_are_not_sent(
    push, dispatcher, person, make_followup, api_as
):
    user, contact = person()
    api = api_as(user)
    done = make_followup(user, contact_id=str(contact.id), due_at=NOW.isoformat())
    gone = make_followup(user, contact_id=str(contact.id), due_at=NOW.isoformat())
    make_followup(user, contact_id=str(contact.id), due_at=(NOW + timedelta(hours=1)).isoformat())
    api.patch(f"/api/v1/followups/{done.id}", json={"done_at": NOW.isoformat()})
    api.delete(f"/api/v1/followups/{gone.id}")
    assert dispatcher.sweep(at(NOW)).claimed == 0
    assert push.received == []


def test_a_snooze_or_a_new_due_time_reminds_again_and_the_topic_replaces_the_old_one(
    push, dispatcher, person, make_followup, api_as
):
    user, contact = person()
    item = make_followup(user, contact_id=str(contact.id), due_at=NOW.isoformat())
    dispatcher.sweep(at(NOW))
    later = NOW + timedelta(hours=1)
    response = api_as(user).patch(
        f"/api/v1/followups/{item.id}", json={"snoozed_until": later.isoformat()}
    )
    assert response.get_json()["reminder_status"] == "pending"
    assert dispatcher.sweep(at(later - timedelta(seconds=1))).claimed == 0
    dispatcher.sweep(at(later))
    first, second = push.received
    assert second.payload["due_at"] == later.isoformat()
    assert first.headers["topic"] == second.headers["topic"]


def test_every_device_of_the_user_gets_it_and_a_gone_one_is_forgotten(
    push, dispatcher, person, make_followup, device
):
    user, contact = person()
    tablet = device(user)
    push.answer(tablet, 410)
    make_followup(user, contact_id=str(contact.id), due_at=NOW.isoformat())
    tally = dispatcher.sweep(at(NOW))
    assert (tally.reminded, tally.unsubscribed) == (1, 1)
    assert len(push.received) == 2
    endpoints = db.session.scalars(select(PushSubscription.endpoint)).all()
    assert tablet.endpoint not in endpoints and len(endpoints) == 1


def test_without_a_device_the_reminder_says_so(
    push, dispatcher, make_user, make_contact, make_followup, device
):
    user = make_user()
    contact = make_contact(user)
    lost = device(user)
    push.answer(lost, 404)
    first = make_followup(user, contact_id=str(contact.id), due_at=NOW.isoformat())
    dispatcher.sweep(at(NOW))
    assert followup(first.id).reminder_status == "no_device"
    assert "No device" in followup(first.id).reminder_error
    second = make_followup(user, contact_id=str(contact.id), due_at=NOW.isoformat())
    dispatcher.sweep(at(NOW))
    assert followup(second.id).reminder_status == "no_device"
    assert len(push.received) == 1  # nothing posted once no device is left


def test_server_errors_are_retried_with_backoff_then_the_user_sees_why(
    push, dispatcher, person, make_followup, api_as
):
    user, contact = person()
    subscriber = db.session.scalar(
        select(PushSubscription).where(PushSubscription.user_id == user.id)
    )
    token = subscriber.endpoint.rsplit("/", 1)[1]
    push.answer(push.subscribers[token], *[500] * MAX_ATTEMPTS)
    item = make_followup(user, contact_id=str(contact.id), due_at=NOW.isoformat())
    api = api_as(user)
    cursor = api.post("/api/v1/sync", json={"cursor": None, "changes": []}).get_json()["cursor"]
    moment = NOW
    for attempt in range(1, MAX_ATTEMPTS):
        dispatcher.sweep(at(moment))
        row = followup(item.id)
        assert (row.reminder_status, row.reminder_attempts) == ("retrying", attempt)
        assert row.remind_at == moment + backoff(attempt)
        assert dispatcher.sweep(at(row.remind_at - timedelta(seconds=1))).claimed == 0
        moment = row.remind_at
    dispatcher.sweep(at(moment))
    shown = api.get(f"/api/v1/followups/{item.id}").get_json()
    assert shown["reminder_status"] == "failed"
    assert f"after {MAX_ATTEMPTS} tries" in shown["reminder_error"]
    assert "HTTP 500" in shown["reminder_error"]
    assert followup(item.id).remind_at is None
    synced = api.post("/api/v1/sync", json={"cursor": cursor, "changes": []}).get_json()
    [change] = [c for c in synced["changes"] if c["id"] == str(item.id)]
    assert change["fields"]["reminder_status"] == "failed"
    assert len(push.received) == MAX_ATTEMPTS
    assert push.delivered() == []


def test_429_holds_every_message_to_that_push_service_until_retry_after(
    push, dispatcher, person, make_followup
):
    first_user, first_contact = person()
    second_user, second_contact = person()
    token = db.session.scalar(
        select(PushSubscription.endpoint).where(PushSubscription.user_id == first_user.id)
    ).rsplit("/", 1)[1]
    push.answer(push.subscribers[token], 429, retry_after=120)
    slowed = make_followup(first_user, contact_id=str(first_contact.id), due_at=NOW.isoformat())
    dispatcher.sweep(at(NOW))
    assert followup(slowed.id).remind_at == NOW + timedelta(seconds=120)
    waiting = make_followup(
        second_user,
        contact_id=str(second_contact.id),
        due_at=(NOW + timedelta(seconds=60)).isoformat(),
    )
    dispatcher.sweep(at(NOW + timedelta(seconds=60)))
    assert len(push.received) == 1  # the second user's reminder was not posted
    assert followup(waiting.id).remind_at == NOW + timedelta(seconds=120)
    dispatcher.sweep(at(NOW + timedelta(seconds=120)))
    assert sorted(push.delivered_count().values()) == [1, 1]


def test_413_is_logged_as_a_bug_and_not_retried(push, dispatcher, person, make_followup, caplog):
    user, contact = person()
    token = db.session.scalar(select(PushSubscription.endpoint)).rsplit("/", 1)[1]
    push.answer(push.subscribers[token], 413)
    item = make_followup(user, contact_id=str(contact.id), due_at=NOW.isoformat())
    with caplog.at_level(logging.ERROR, logger="pwa.push.sender"):
        dispatcher.sweep(at(NOW))
    assert "too large" in caplog.text
    row = followup(item.id)
    assert (row.reminder_status, row.remind_at) == ("failed", None)
    assert "too large" in row.reminder_error


def test_a_timeout_is_retried(make_app, make_user, make_contact, make_followup):
    with PushService(latency=1.0) as slow:
        app = make_app(PUSH_ALLOWED_HOSTS=slow.origin, PUSH_TIMEOUT=0.2)
        with app.app_context(), dispatcher_for(app) as dispatcher:
            user = make_user()
            data = slow.subscribe().to_json()
            push_service.subscribe(user, data["endpoint"], **data["keys"], now=NOW)
            db.session.commit()
            item = make_followup(
                user, contact_id=str(make_contact(user).id), due_at=NOW.isoformat()
            )
            dispatcher.sweep(at(NOW))
            row = followup(item.id)
            assert row.reminder_status == "retrying"
            assert "in time" in row.reminder_error


# Quiet hours, time zones, the daily cap, digests


def test_a_reminder_due_in_quiet_hours_arrives_when_they_end_across_a_dst_change(
    push, dispatcher, person, make_followup
):
    user, contact = person(timezone="Europe/Berlin")
    # 22:30 in Berlin on the night the clocks go forward: 08:00 is 06:00 UTC, not 07:00.
    due = datetime(2026, 3, 28, 21, 30, tzinfo=UTC)
    item = make_followup(user, contact_id=str(contact.id), due_at=due.isoformat())
    assert dispatcher.sweep(at(due)).deferred == 1
    morning = datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
    assert followup(item.id).remind_at == morning
    assert dispatcher.sweep(at(morning - timedelta(seconds=1))).claimed == 0
    dispatcher.sweep(at(morning))
    assert push.delivered_count() == {str(item.id): 1}


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    "zone, quiet, now, until",
    [
        # Inside the default 21:00-08:00, evening and morning parts; outside.
        ("Europe/London", ("21:00", "08:00"), utc(2026, 11, 23, 21, 0), utc(2026, 11, 24, 8, 0)),
        ("Europe/London", ("21:00", "08:00"), utc(2026, 11, 24, 7, 59), utc(2026, 11, 24, 8, 0)),
        ("Europe/London", ("21:00", "08:00"), utc(2026, 11, 24, 8, 0), None),
        ("Europe/London", ("21:00", "08:00"), utc(2026, 11, 23, 20, 59), None),
        # Berlin, the night the clocks go forward (08:00 CEST = 06:00 UTC) and back (07:00 UTC).
        ("Europe/Berlin", ("21:00", "08:00"), utc(2026, 3, 28, 21, 30), utc(2026, 3, 29, 6, 0)),
        ("Europe/Berlin", ("21:00", "08:00"), utc(2026, 10, 24, 20, 0), utc(2026, 10, 25, 7, 0)),
        # New York springs forward at 02:00 on 8 March: 08:00 EDT is 12:00 UTC.
        ("America/New_York", ("21:00", "08:00"), utc(2026, 3, 8, 4, 0), utc(2026, 3, 8, 12, 0)),
        # Tokyo (no DST) and Kathmandu (+05:45).
        ("Asia/Tokyo", ("21:00", "08:00"), utc(2026, 11, 23, 13, 0), utc(2026, 11, 23, 23, 0)),
        ("Asia/Kathmandu", ("22:00", "07:00"), utc(2026, 11, 23, 16, 30), utc(2026, 11, 24, 1, 15)),
        # Quiet hours within one day, and none at all.
        ("UTC", ("13:00", "14:00"), utc(2026, 11, 23, 13, 30), utc(2026, 11, 23, 14, 0)),
        ("UTC", ("00:00", "00:00"), utc(2026, 11, 23, 3, 0), None),
        # Ending at a time the clocks skip: when they jump past it.
        ("Europe/Berlin", ("21:00", "02:30"), utc(2026, 3, 28, 23, 0), utc(2026, 3, 29, 1, 0)),
    ],
)
def test_quiet_hours_in_the_users_time_zone(zone, quiet, now, until):
    assert LocalTime.of(zone, *quiet).quiet_until(now) == until


def test_the_users_day_and_the_next_morning_follow_their_zone():
    tokyo = LocalTime.of("Asia/Tokyo")
    assert tokyo.day(utc(2026, 11, 23, 15, 30)).isoformat() == "2026-11-24"
    assert tokyo.next_day(utc(2026, 11, 23, 10, 0)) == utc(2026, 11, 23, 23, 0)
    havana = LocalTime.of("America/Havana", "00:00", "00:00")  # midnight is skipped on 8 March
    assert havana.next_day(utc(2026, 3, 7, 12, 0)) == utc(2026, 3, 8, 5, 0)


def test_the_daily_cap_holds_the_rest_until_tomorrow_morning(
    make_app, push, make_user, make_contact, make_followup, device
):
    app = make_app(PUSH_ALLOWED_HOSTS=push.origin, REMINDER_DAILY_CAP=2, REMINDER_DIGEST_MIN=5)
    with app.app_context(), dispatcher_for(app) as dispatcher:
        user = make_user()
        user.timezone = "Asia/Tokyo"
        db.session.commit()
        device(user)
        contact = make_contact(user)
        items = [
            make_followup(
                user, contact_id=str(contact.id), due_at=(NOW + timedelta(hours=h)).isoformat()
            )
            for h in range(3)
        ]  # 18:00, 19:00 and 20:00 in Tokyo
        for hour in range(3):
            dispatcher.sweep(at(NOW + timedelta(hours=hour)))
        assert [followup(i.id).reminder_status for i in items] == ["sent", "sent", "pending"]
        tomorrow = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)  # 08:00 on the 24th in Tokyo
        assert followup(items[2].id).remind_at == tomorrow
        dispatcher.sweep(at(tomorrow))
        assert followup(items[2].id).reminder_status == "sent"
        assert len(push.delivered()) == 3


def test_a_burst_after_an_event_becomes_one_digest(
    push, dispatcher, person, make_event, make_contact, make_followup
):
    user, _ = person()
    event = make_event(user, name="PyCon")
    met = [make_contact(user, name=f"Person {i}", event_id=str(event.id)) for i in range(6)]
    items = [
        make_followup(user, contact_id=str(c.id), kind="thank_you", due_at=NOW.isoformat())
        for c in met[:5]
    ]
    tally = dispatcher.sweep(at(NOW))
    assert (tally.notifications, tally.reminded) == (1, 5)
    [digest] = push.delivered()
    assert digest["type"] == "digest"
    assert digest["title"] == "PyCon: 5 follow-ups"
    assert digest["body"] == "You met 6 people at PyCon; 5 thank-yous due today."
    assert sorted(digest["followup_ids"]) == sorted(str(i.id) for i in items)
    assert digest["url"] == "/followups"
    assert push.received[0].headers["topic"] == "digest"
    assert {followup(i.id).reminder_status for i in items} == {"sent"}


def test_a_digest_of_people_from_anywhere_names_them(
    push, dispatcher, person, make_contact, make_followup
):
    user, ada = person()
    grace = make_contact(user, name="Grace Hopper")
    linus = make_contact(user, name="Linus Torvalds")
    for contact, kind in ((ada, "thank_you"), (grace, "check_back"), (linus, "thank_you")):
        make_followup(user, contact_id=str(contact.id), kind=kind, due_at=NOW.isoformat())
    dispatcher.sweep(at(NOW))
    [digest] = push.delivered()
    assert digest["title"] == "3 follow-ups due"
    assert digest["body"].startswith("2 thank-yous and 1 check-back: ")
    for name in ("Ada Lovelace", "Grace Hopper", "Linus Torvalds"):
        assert name in digest["body"]


# Several dispatchers, and one that dies


def _many_due(count, per_user, push):
    """count due follow-ups, per_user to a user with one device, inserted in bulk."""
    users, subscriptions, followups = [], [], []
    keys = push.subscribe(own_key=False).to_json()["keys"]
    for n in range(count // per_user):
        user_id = uuid.uuid4()
        users.append({"id": user_id, "email": f"bulk{n}@example.com", "name": f"Bulk {n}", "password_hash": "x",
                      "timezone": "UTC", "quiet_start": "00:00", "quiet_end": "00:00",
                      "change_seq": 0, "created_at": NOW})  # fmt: skip
        endpoint = push.subscribe(own_key=False).endpoint
        subscriptions.append({"id": uuid.uuid4(), "user_id": user_id, "endpoint": endpoint,
                              "p256dh": keys["p256dh"], "auth": keys["auth"], "created_at": NOW,
                              "updated_at": NOW})  # fmt: skip
        for _ in range(per_user):
            # Inserted below the ORM, so the reminder is scheduled by hand as the model would.
            followups.append({"id": uuid.uuid4(), "user_id": user_id, "kind": "custom",
                              "due_at": NOW, "remind_at": NOW, "reminder_status": "pending",
                              "reminder_attempts": 0, "version": 1, "created_at": NOW,
                              "updated_at": NOW, "change_seq": 0, "field_versions": {}})  # fmt: skip
    db.session.execute(insert(User), users)
    db.session.execute(insert(PushSubscription), subscriptions)
    db.session.execute(insert(FollowUp), followups)
    db.session.commit()
    return [row["id"] for row in followups]


def test_four_dispatchers_in_parallel_deliver_each_reminder_exactly_once(make_app, push):
    app = make_app(PUSH_ALLOWED_HOSTS=push.origin, REMINDER_DAILY_CAP=50, REMINDER_DIGEST_MIN=50)
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        ids = _many_due(10_000 if postgres else 1_000, 10, push)
    errors, tallies = [], []

    def work(name):
        try:
            with app.app_context(), dispatcher_for(app, worker_id=name) as dispatcher:
                tallies.append(dispatcher.sweep(at(NOW)))
        except Exception as e:  # pragma: no cover (reported below)
            errors.append(e)

    threads = [threading.Thread(target=work, args=(f"worker-{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    delivered = push.delivered_count()
    assert len(delivered) == len(ids)
    assert set(delivered.values()) == {1}
    assert set(delivered) == {str(i) for i in ids}
    assert sum(t.reminded for t in tallies) == len(ids)
    assert sum(1 for t in tallies if t.reminded) >= 2  # the work was really shared
    with app.app_context():
        left = db.session.scalar(select(db.func.count()).where(FollowUp.remind_at.is_not(None)))
        assert left == 0


def test_a_sweep_that_fails_midway_still_records_the_batch_it_had_sent(push, dispatcher):
    ids = _many_due(10, 1, push)
    dispatcher.batch_size = 5
    readings = [NOW]

    def clock():  # the second reading (before the second batch) fails
        if not readings:
            raise RuntimeError("the clock failed")
        return readings.pop()

    with pytest.raises(RuntimeError):
        dispatcher.sweep(clock)
    db.session.expire_all()
    sent = db.session.scalars(select(FollowUp).where(FollowUp.reminder_status == "sent")).all()
    assert len(sent) == 5 and {row.claimed_by for row in sent} == {None}
    assert len(push.delivered_count()) == 5
    dispatcher.sweep(at(NOW))
    delivered = push.delivered_count()
    assert set(delivered) == {str(i) for i in ids} and set(delivered.values()) == {1}


def test_a_dispatcher_killed_mid_batch_loses_nothing(push, dispatcher, make_app):
    ids = _many_due(30, 30, push)
    dead = claim("dead-dispatcher", NOW, 10)  # claimed, then the process died
    assert len(dead) == 10
    db.session.commit()
    dispatcher.settings.digest_min = 100
    dispatcher.settings.daily_cap = 100
    dispatcher.sweep(at(NOW))
    assert len(push.delivered_count()) == 20
    assert dispatcher.sweep(at(NOW + LEASE - timedelta(seconds=1))).claimed == 0
    dispatcher.sweep(at(NOW + LEASE + timedelta(seconds=1)))
    delivered = push.delivered_count()
    assert set(delivered) == {str(i) for i in ids} and set(delivered.values()) == {1}
    # The dead dispatcher coming back late changes nothing it no longer holds.
    late = Results()
    for row in dead:
        late.add("failed", Due(row.id, row.user_id, None, None, NOW), error="late")
    late.write("dead-dispatcher", NOW)
    db.session.commit()
    assert {followup(row.id).reminder_status for row in dead} == {"sent"}


def test_an_edit_while_a_reminder_is_claimed_wins(push, person, make_followup, api_as):
    user, contact = person()
    item = make_followup(user, contact_id=str(contact.id), due_at=NOW.isoformat())
    [row] = claim("busy-dispatcher", NOW, 10)
    db.session.commit()
    tomorrow = NOW + timedelta(days=1)
    api_as(user).patch(f"/api/v1/followups/{item.id}", json={"due_at": tomorrow.isoformat()})
    finished = Results()
    finished.add("sent", Due(row.id, row.user_id, None, None, NOW))
    finished.write("busy-dispatcher", NOW)
    db.session.commit()
    current = followup(item.id)
    assert (current.remind_at, current.reminder_status, current.claimed_by) == (
        tomorrow,
        "pending",
        None,
    )


# Running it


def test_send_due_from_the_command_line(app, push, person, make_followup, runner, monkeypatch):
    user, contact = person()
    user.quiet_start = user.quiet_end = "00:00"  # the real clock may be at night
    db.session.commit()
    make_followup(
        user, contact_id=str(contact.id), due_at=(utcnow() - timedelta(minutes=1)).isoformat()
    )
    monkeypatch.setenv("HALLWAY_PUSH_ALLOWED_HOSTS", push.origin)
    monkeypatch.setenv("HALLWAY_DATABASE_URL", app.config["DATABASE_URL"])
    result = runner.invoke(main, ["send-due", "--data-dir", app.config["DATA_DIR"]])
    assert result.exit_code == 0, result.output
    assert "1 notifications sent for 1 follow-ups" in result.output
    assert len(push.delivered()) == 1


def test_the_background_dispatcher_sends_what_comes_due(
    make_app, push, make_user, make_contact, make_followup, device
):
    app = make_app(PUSH_ALLOWED_HOSTS=push.origin, WORKER_INTERVAL=0.05)
    with app.app_context():
        user = make_user()
        user.quiet_start = user.quiet_end = "00:00"
        db.session.commit()
        device(user)
        thread, stop = start_in_background(app)
        marked = writing.set(True)  # this thread now writes beside the dispatcher's, like it
        try:
            make_followup(user, contact_id=str(make_contact(user).id), due_at=utcnow().isoformat())
            deadline = time.monotonic() + 10
            while not push.delivered() and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            writing.reset(marked)
            stop.set()
            thread.join(timeout=10)
    assert len(push.delivered()) == 1


@pytest.mark.parametrize("flags, started", [([], 1), (["--no-worker"], 0)])
def test_serve_runs_the_dispatcher_unless_told_not_to(
    runner, monkeypatch, tmp_path, flags, started
):
    import waitress

    import pwa.cli
    import pwa.followups.worker

    calls = []
    idle = type("Idle", (), {"run": lambda self: None})()
    monkeypatch.setattr(waitress, "create_server", lambda *a, **k: idle)
    monkeypatch.setattr(pwa.cli, "upgrade_database", lambda app: None)
    monkeypatch.setattr(pwa.followups.worker, "start_in_background", calls.append)
    result = runner.invoke(main, ["serve", "--data-dir", str(tmp_path), *flags])
    assert result.exit_code == 0, result.output
    assert len(calls) == started
