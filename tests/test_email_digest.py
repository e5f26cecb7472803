"""The daily email digest against a real SMTP server on loopback: who gets it (only people push
does not reach), when (from 08:00 local, outside quiet hours, once a local day, however many
workers sweep), what it says, and what a failing or picky mail server changes."""

import threading
from datetime import UTC, datetime, timedelta

import pytest

from pwa.config import SettingError, load_config, sender_address
from pwa.config import SmtpServer as ServerSetting
from pwa.db import db, writing
from pwa.followups import email_digest, worker
from pwa.followups.email_digest import send_digests
from pwa.followups.worker import dispatcher_for
from pwa.push import service as push_service
from tests.push_service import PushService
from tests.smtp_server import SmtpServer

NOW = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # a Monday, 08:30 in London


@pytest.fixture
def smtp():
    """An SMTP server on loopback, taking any mail."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def app(make_app, smtp):
    """The app, emailing digests through the loopback server."""
    app = make_app(SMTP_URL=smtp.url(), BASE_URL="https://hallway.example")
    with app.app_context():
        yield app


@pytest.fixture
def unreached(make_user, make_contact, make_followup):
    """Return a function making a user without any device, with follow-ups due on 23 Nov."""

    def make(timezone="Europe/London", quiet=("21:00", "08:00")):
        user = make_user(name="Grace Hopper")
        user.timezone, (user.quiet_start, user.quiet_end) = timezone, quiet
        db.session.commit()
        ada = make_contact(user, name="Ada Lovelace", company="Acme")
        alan = str(make_contact(user, name="Alan Turing").id)
        make_followup(user, kind="thank_you", contact_id=str(ada.id), due_at="2026-11-23T09:00Z")
        make_followup(user, kind="check_back", contact_id=alan, due_at="2026-11-23T15:00Z")
        make_followup(
            user, kind="custom", contact_id=alan, due_at="2026-11-21T10:00Z", note="Send the slides"
        )
        make_followup(user, kind="check_back", contact_id=alan, due_at="2026-11-24T09:00Z")
        done = {"done_at": "2026-11-22T11:00Z"}
        make_followup(user, kind="custom", contact_id=alan, due_at="2026-11-22T10:00Z", **done)
        return user

    return make


def test_a_user_no_push_reaches_gets_one_digest_a_local_day(app, smtp, unreached):
    user = unreached()
    assert send_digests(app.config, NOW - timedelta(minutes=31)) == 0  # 07:59 in London
    assert send_digests(app.config, NOW) == 1
    [(recipients, message)] = smtp.received
    assert recipients == [user.email]
    assert message["To"].addresses[0].addr_spec == user.email
    assert message["To"].addresses[0].display_name == "Grace Hopper"
    assert message["From"] == "hallway@hallway.example"
    assert message["Subject"] == "3 follow-ups due today"
    assert message.get_content_type() == "text/plain"
    body = message.get_content().replace("\r\n", "\n")
    assert "- Follow up with Alan Turing — due Sat 21 Nov\n  Send the slides\n" in body
    assert "- Say thank you to Ada Lovelace (Acme) — due 09:00\n" in body
    assert "- Check back with Alan Turing — due 15:00\n" in body
    assert "https://hallway.example/followups" in body
    assert body.index("Send the slides") < body.index("Ada Lovelace") < body.index("15:00")
    for later in (NOW + timedelta(minutes=1), NOW + timedelta(hours=12)):
        assert send_digests(app.config, later) == 0
    assert send_digests(app.config, NOW + timedelta(days=1)) == 1  # the next morning, again
    assert smtp.received[1][1]["Subject"] == "4 follow-ups due today"
    assert len(smtp.received) == 2


def test_the_digest_waits_for_eight_in_the_users_own_zone(app, smtp, unreached):
    unreached(timezone="America/New_York")
    assert send_digests(app.config, NOW) == 0  # 03:30 in New York
    assert send_digests(app.config, datetime(2026, 11, 23, 13, 0, tzinfo=UTC)) == 1
    body = smtp.received[0][1].get_content().replace("\r\n", "\n")
    assert "Say thank you to Ada Lovelace (Acme) — due 04:00" in body  # 09:00 UTC


def test_quiet_hours_hold_the_digest_until_they_end(app, smtp, unreached):
    unreached(quiet=("21:00", "10:00"))
    assert send_digests(app.config, NOW) == 0
    assert send_digests(app.config, NOW + timedelta(minutes=89)) == 0  # 09:59
    assert send_digests(app.config, NOW + timedelta(minutes=90)) == 1
    assert len(smtp.received) == 1


def test_without_quiet_hours_it_still_waits_for_eight(app, smtp, unreached):
    unreached(quiet=("00:00", "00:00"))
    assert send_digests(app.config, NOW - timedelta(hours=2)) == 0
    assert send_digests(app.config, NOW - timedelta(minutes=30)) == 1


def test_nothing_due_today_sends_nothing(app, smtp, make_user, make_contact, make_followup):
    user = make_user()
    contact = str(make_contact(user).id)
    make_followup(user, kind="custom", contact_id=contact, due_at="2026-11-24T09:00:00+00:00")
    assert send_digests(app.config, NOW) == 0
    assert smtp.received == []


def test_a_user_push_reaches_gets_no_email_and_the_sweep_sends_both(
    make_app, smtp, unreached, make_user, make_contact, make_followup
):
    with PushService() as push:
        app = make_app(SMTP_URL=smtp.url(), PUSH_ALLOWED_HOSTS=push.origin)
        with app.app_context():
            email = unreached().email
            reached = make_user()
            data = push.subscribe().to_json()
            keys = data["keys"]
            push_service.subscribe(reached, data["endpoint"], keys["p256dh"], keys["auth"], NOW)
            contact = make_contact(reached, name="Katherine Johnson")
            make_followup(reached, contact_id=str(contact.id), due_at="2026-11-23T08:00:00Z")
            with dispatcher_for(app, worker_id="test") as dispatcher:
                tally = worker.sweep(app, dispatcher, lambda: NOW)
            assert tally.notifications == 1
            assert [payload["title"] for payload in push.delivered()] == [
                "Say thank you to Katherine Johnson"
            ]
    assert [recipients for recipients, _ in smtp.received] == [[email]]
    assert "Katherine" not in smtp.received[0][1].get_content().replace("\r\n", "\n")


def test_a_device_push_cannot_post_to_counts_as_none(
    app, smtp, make_user, make_contact, make_followup
):
    user = make_user()
    with PushService() as push:  # not among the push services this app may post to
        data = push.subscribe().to_json()
        keys = data["keys"]
        push_service.subscribe(user, data["endpoint"], keys["p256dh"], keys["auth"], NOW)
        contact = str(make_contact(user, name="Ada Lovelace").id)
        make_followup(user, contact_id=contact, due_at="2026-11-23T08:00:00Z")
        make_followup(user, contact_id=contact, kind="check_back", due_at="2026-11-23T15:00:00Z")
        with dispatcher_for(app, worker_id="test") as dispatcher:
            tally = worker.sweep(app, dispatcher, lambda: NOW)
        assert (tally.no_device, push.received) == (1, [])
    [(_, message)] = smtp.received
    assert message["Subject"] == "1 follow-up due today"  # the check-back may still arrive
    assert "Say thank you to Ada Lovelace — due 08:00" in message.get_content()


def test_off_unless_the_operator_sets_an_smtp_url(make_app, smtp, unreached):
    app = make_app()
    assert app.config["SMTP_URL"] is None
    with app.app_context():
        unreached()
        with dispatcher_for(app, worker_id="test") as dispatcher:
            worker.sweep(app, dispatcher, lambda: NOW)
    assert smtp.received == []


def test_workers_sweeping_at_once_send_each_digest_once(app, smtp, unreached):
    users = [unreached() for _ in range(20)]
    errors, sent, ready = [], [], threading.Barrier(4)

    def work():
        marked = writing.set(True)  # as dispatcher_for marks a worker's thread
        try:
            with app.app_context():
                ready.wait()
                sent.append(send_digests(app.config, NOW))
        except Exception as e:  # pragma: no cover (reported below)
            errors.append(e)
        finally:
            writing.reset(marked)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(sent) == len(users)
    assert sorted(recipients[0] for recipients, _ in smtp.received) == sorted(
        user.email for user in users
    )


def test_of_two_workers_that_both_found_a_digest_due_only_one_takes_it(app, unreached):
    unreached()
    [first], [second] = email_digest._due(NOW), email_digest._due(NOW)
    assert email_digest._claim(first, NOW)
    db.session.commit()
    assert not email_digest._claim(second, NOW)
    db.session.rollback()


def test_a_mail_server_that_is_down_is_tried_again_next_sweep(app, smtp, unreached, caplog):
    user = unreached()
    smtp.stop()
    assert send_digests(app.config, NOW) == 0
    assert "mail server" in caplog.text
    smtp.start()
    assert send_digests(app.config, NOW + timedelta(seconds=30)) == 1
    assert [recipients for recipients, _ in smtp.received] == [[user.email]]


def test_a_worker_that_died_mid_send_leaves_the_digest_to_another_after_its_lease(
    app, smtp, unreached
):
    unreached()
    [digest] = email_digest._due(NOW)
    assert email_digest._claim(digest, NOW)
    db.session.commit()  # and then the worker died
    assert send_digests(app.config, NOW + timedelta(minutes=1)) == 0
    assert send_digests(app.config, NOW + email_digest.LEASE) == 1


@pytest.mark.parametrize("tls", [None, "starttls", "implicit"])
def test_a_server_that_asks_for_a_password_and_tls(make_app, unreached, tmp_path, monkeypatch, tls):
    with SmtpServer(login=("hallway", "s3cret/!"), tls=tls, cert_dir=tmp_path) as smtp:
        if tls:
            monkeypatch.setenv("SSL_CERT_FILE", str(smtp.cert_file[0]))
        scheme = {None: "smtp", "starttls": "smtp+starttls", "implicit": "smtps"}[tls]
        wrong = make_app(SMTP_URL=smtp.url(scheme, "hallway:wrong@"))
        with wrong.app_context():
            unreached()
            assert send_digests(wrong.config, NOW) == 0
        right = make_app(SMTP_URL=smtp.url(scheme, "hallway:s3cret%2F%21@"))
        with right.app_context():
            assert send_digests(right.config, NOW + timedelta(seconds=30)) == 1
    assert set(smtp.logins) == {"hallway"}  # smtplib tries each mechanism the server offers
    assert len(smtp.received) == 1


@pytest.mark.parametrize(
    "url, server",
    [
        ("smtp://mail.example", ("mail.example", 25, "plain", None, None)),
        ("smtps://u%40x:p%3Aw@mail.example", ("mail.example", 465, "tls", "u@x", "p:w")),
        ("smtp+starttls://u:@mail.example:2525", ("mail.example", 2525, "starttls", "u", "")),
    ],
)
def test_smtp_urls(url, server):
    parsed = ServerSetting.parse(url)
    assert (parsed.host, parsed.port, parsed.security, parsed.username, parsed.password) == server


@pytest.mark.parametrize(
    "url, says",
    [
        ("http://user:hunter2@mail.example", "must be smtp://"),
        ("smtp://user:hunter2@mail.example:99999", "port"),
        ("smtp://user:hunter2@:25", "names no host"),
    ],
)
def test_a_bad_smtp_url_is_refused_at_start_up_in_one_sentence(tmp_path, monkeypatch, url, says):
    monkeypatch.setenv("HALLWAY_SMTP_URL", url)
    with pytest.raises(SettingError) as refused:
        load_config({"DATA_DIR": str(tmp_path)})
    message = str(refused.value)
    assert message.startswith("HALLWAY_SMTP_URL ") and says in message
    assert "hunter2" not in message


@pytest.mark.parametrize(
    "settings, sender",
    [
        (
            {"MAIL_FROM": "Hallway <hi@example.org>", "BASE_URL": "https://x.example"},
            "Hallway <hi@example.org>",
        ),
        (
            {"MAIL_FROM": None, "BASE_URL": "https://hallway.example:8443/"},
            "hallway@hallway.example",
        ),
        ({"MAIL_FROM": None, "BASE_URL": None}, "hallway@localhost"),
    ],
)
def test_the_from_address(settings, sender):
    assert sender_address(settings) == sender
