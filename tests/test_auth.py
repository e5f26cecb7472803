"""Accounts and security: sign-up, rate-limited sign-in, sessions, CSRF, tokens, deletion."""

import json
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import String, Text, Uuid, func, or_, select
from werkzeug.security import check_password_hash

from pwa import kinds
from pwa.auth import service as accounts
from pwa.auth import sessions
from pwa.auth.models import ApiToken, LoginAttempt, Passkey, PasskeyChallenge, User
from pwa.db import db, utcnow
from pwa.events.models import Attendee
from pwa.followups import calendar
from pwa.followups.models import EmailDigest, NotificationCount
from pwa.push.models import PushSubscription
from pwa.ratelimit import RateEvent, check, record

from .conftest import FAST_HASH, PASSWORD, AuthActions

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
TOKENS = "/api/v1/auth/tokens"
ME = "/api/v1/me"
JOIN = "/api/v1/events/join"
VALID = {"email": "new@example.com", "password": PASSWORD, "name": "Ada Lovelace"}


def error_keys(field=None):
    """The keys an API error body must have: error and message, plus field when one is to blame."""
    return {"error", "message"} | ({"field"} if field else set())


def user_count():
    """Count the accounts in the database, as a fresh read."""
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(User))


def signed_in_email(client):
    """Return the email of the account this client's session or token is for, or None."""
    response = client.get(ME)
    return response.get_json()["email"] if response.status_code == 200 else None


# --- register -------------------------------------------------------------------------------


def test_register_creates_an_account_and_signs_in(client):
    response = client.post(REGISTER, json={**VALID, "email": "  Ada@Example.COM "})

    assert response.status_code == 201
    body = response.get_json()
    assert body["email"] == "ada@example.com"
    assert body["name"] == "Ada Lovelace"
    assert body["timezone"] == "UTC"
    assert body["quiet_hours"] == {"start": "21:00", "end": "08:00"}
    assert isinstance(body["csrf_token"], str) and len(body["csrf_token"]) >= 32
    assert not {"password", "password_hash"} & set(body)
    me = client.get(ME)
    assert me.status_code == 200
    assert me.get_json()["id"] == body["id"]
    assert me.get_json()["email"] == "ada@example.com"


def test_register_with_a_taken_email_is_409_and_keeps_the_first_password(client, auth):
    auth.register(email="ada@example.com")
    auth.logout()

    response = client.post(
        REGISTER, json={**VALID, "email": "ADA@example.com", "password": "attacker-password"}
    )

    assert response.status_code == 409
    body = response.get_json()
    assert set(body) == error_keys("email")
    assert body["error"] == "email_taken"
    assert body["field"] == "email"
    assert signed_in_email(client) is None
    assert user_count() == 1
    assert auth.login(email="ada@example.com", password="attacker-password").status_code == 401
    assert auth.login(email="ada@example.com").status_code == 200


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        ({"name": None}, "name", "invalid_field"),
        ({"name": ""}, "name", "invalid_field"),
        ({"name": "   "}, "name", "invalid_field"),
        ({"name": "x" * 201}, "name", "invalid_field"),
        ({"name": 42}, "name", "invalid_field"),
        ({"email": None}, "email", "invalid_field"),
        ({"email": ""}, "email", "invalid_field"),
        ({"email": "ada.example.com"}, "email", "invalid_field"),
        ({"email": "a" * 309 + "@example.com"}, "email", "invalid_field"),
        ({"email": ["ada@example.com"]}, "email", "invalid_field"),
        ({"password": None}, "password", "invalid_field"),
        ({"password": "123456789"}, "password", "invalid_field"),
        ({"password": "short"}, "password", "invalid_field"),
        ({"password": "x" * 1025}, "password", "invalid_field"),
        ({"is_admin": True}, "is_admin", "unknown_field"),
    ],
    ids=lambda value: json.dumps(value)[:40] if isinstance(value, dict) else None,
)
def test_register_refuses_invalid_fields(client, change, field, error):
    body = {name: value for name, value in {**VALID, **change}.items() if value is not None}

    response = client.post(REGISTER, json=body)

    assert response.status_code == 422
    assert set(response.get_json()) == error_keys(field)
    assert response.get_json()["error"] == error
    assert response.get_json()["field"] == field
    assert user_count() == 0
    assert signed_in_email(client) is None


@pytest.mark.parametrize(
    ("data", "content_type", "status", "error"),
    [
        ('{"email": "ada@example.com", ', "application/json", 400, "bad_json"),
        ("", "application/json", 400, "bad_json"),
        (json.dumps([VALID]), "application/json", 400, "bad_json"),
        (json.dumps(VALID), "text/plain", 415, "unsupported_media_type"),
        (
            "email=ada%40example.com",
            "application/x-www-form-urlencoded",
            415,
            "unsupported_media_type",
        ),
    ],
    ids=["malformed", "empty", "array", "text-plain", "form"],
)
def test_register_refuses_bodies_that_are_not_a_json_object(
    client, data, content_type, status, error
):
    response = client.post(REGISTER, data=data, content_type=content_type)

    assert response.status_code == status
    assert response.get_json() == {"error": error, "message": response.get_json()["message"]}
    assert response.get_json()["message"]
    assert user_count() == 0


def test_passwords_are_stored_as_salted_scrypt_hashes(client, auth):
    auth.register(email="ada@example.com")
    auth.register(email="grace@example.com")

    db.session.rollback()
    hashes = db.session.scalars(select(User.password_hash).order_by(User.email)).all()
    for stored in hashes:
        assert PASSWORD not in stored
        method, salt, digest = stored.split("$")
        assert method.split(":")[0] == "scrypt"
        assert salt and len(digest) >= 64
        assert check_password_hash(stored, PASSWORD)
        assert not check_password_hash(stored, PASSWORD + "!")
    assert hashes[0] != hashes[1]


# --- sign in and out ------------------------------------------------------------------------


def test_login_with_the_right_password_starts_a_session(client, make_user):
    make_user(email="ada@example.com")

    response = client.post(LOGIN, json={"email": "ADA@example.com", "password": PASSWORD})

    assert response.status_code == 200
    assert response.get_json()["email"] == "ada@example.com"
    assert response.get_json()["csrf_token"]
    assert signed_in_email(client) == "ada@example.com"


def test_a_wrong_password_and_an_unknown_email_get_the_same_401(client, make_user):
    make_user(email="ada@example.com")

    wrong = client.post(LOGIN, json={"email": "ada@example.com", "password": "not my password"})
    unknown = client.post(LOGIN, json={"email": "nobody@example.com", "password": PASSWORD})

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert wrong.get_json()["error"] == "bad_credentials"
    assert set(wrong.get_json()) == error_keys()
    assert signed_in_email(client) is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "ada@example.com"}, "password"),
        ({"password": PASSWORD}, "email"),
        ({"email": "ada", "password": PASSWORD}, "email"),
        ({"email": "ada@example.com", "password": PASSWORD, "remember": True}, "remember"),
    ],
)
def test_login_refuses_invalid_bodies(client, make_user, body, field):
    make_user(email="ada@example.com")

    response = client.post(LOGIN, json=body)

    assert response.status_code == 422
    assert set(response.get_json()) == error_keys(field)
    assert response.get_json()["field"] == field


def test_logout_ends_the_session(client, auth):
    auth.register()
    assert client.get(ME).status_code == 200

    assert auth.logout().status_code == 204

    response = client.get(ME)
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert auth.login().status_code == 200
    assert client.get(ME).status_code == 200


def test_signing_in_as_someone_else_replaces_the_session(client, auth, make_user):
    make_user(email="grace@example.com")
    auth.register(email="ada@example.com")

    assert auth.login(email="grace@example.com").status_code == 200

    assert signed_in_email(client) == "grace@example.com"


def _cookie_serializer(app, secret_key):
    """Sign session cookies as app does, but with secret_key (a guess, or the real one)."""
    forger = Flask("forger")
    forger.secret_key = secret_key
    return app.session_interface.get_signing_serializer(forger)


@pytest.mark.parametrize(("signer", "status"), [("the app", 200), ("an attacker", 401)])
def test_a_session_cookie_is_only_honoured_when_signed_with_the_secret_key(
    app, client, make_user, signer, status
):
    victim = make_user(email="ada@example.com")
    sid = sessions.start(victim, "", "127.0.0.1")  # a session the server really issued
    secret_key = app.secret_key if signer == "the app" else "guessed-secret"
    cookie = _cookie_serializer(app, secret_key).dumps({"sid": sid, "csrf": "x" * 43})
    client.set_cookie("hallway_session", cookie)

    assert client.get(ME).status_code == status


# --- rate limiting --------------------------------------------------------------------------


@pytest.fixture
def limited(make_app):
    """An app allowing, in 15 minutes, 3 failed sign-ins on one account from one address, 6 on one
    account from everywhere, and 5 from one address on any account."""
    app = make_app(
        LOGIN_LIMIT_PER_ACCOUNT_ADDRESS=3, LOGIN_LIMIT_PER_ACCOUNT=6, LOGIN_LIMIT_PER_ADDRESS=5
    )
    with app.app_context():
        # Wrong passwords are tried on real accounts: an unknown email costs a full-strength hash.
        bystanders = [f"bystander{n}@example.com" for n in range(5)]
        for email in ("ada@example.com", "grace@example.com", *bystanders):
            accounts.register(email, PASSWORD, "Someone", FAST_HASH)
        db.session.commit()
    # No app context stays pushed: each request gets its own database session, as in production,
    # so an attempt counts only if the request really committed it.
    return app


def login(client, email, password=PASSWORD, address="10.0.0.1"):
    """Sign in from a client address."""
    return client.post(
        LOGIN, json={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def assert_rate_limited(response, longest=15 * 60):
    """The response is a 429 that says, in seconds, when to try again."""
    assert response.status_code == 429
    assert set(response.get_json()) == error_keys()
    assert response.get_json()["error"] == "rate_limited"
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= longest
    return retry_after


def test_a_strangers_guesses_never_lock_the_owner_out_of_their_own_address(limited):
    stranger, owner = limited.test_client(), limited.test_client()
    spellings = ["ada@example.com", "ADA@example.com", "Ada@Example.Com"]
    for email in spellings:
        assert login(stranger, email, "wrong password", "10.0.0.66").status_code == 401
    assert_rate_limited(login(stranger, "ada@example.com", address="10.0.0.66"))

    assert login(owner, "ada@example.com", address="192.0.2.7").status_code == 200
    assert signed_in_email(owner) == "ada@example.com"


def test_guessing_spread_over_many_addresses_meets_a_brake_on_the_account(limited):
    client = limited.test_client()
    for number in range(6):  # one failure from each of six addresses
        assert login(client, "ada@example.com", "guess", f"10.1.0.{number}").status_code == 401
    # Even the right password, from yet another address, waits while the brake is on.
    assert_rate_limited(login(client, "ada@example.com", address="10.1.0.99"))
    assert signed_in_email(client) is None
    assert login(client, "grace@example.com", address="10.1.0.99").status_code == 200


def test_successful_sign_ins_do_not_lock_an_account(limited):
    client = limited.test_client()
    for _ in range(4):
        assert login(client, "ada@example.com").status_code == 200


def test_another_account_signs_in_from_another_address_while_one_is_locked(limited):
    attacker, grace = limited.test_client(), limited.test_client()
    for _ in range(3):
        assert login(attacker, "ada@example.com", "guess", "10.0.0.66").status_code == 401
    assert_rate_limited(login(attacker, "ada@example.com", "guess", "10.0.0.66"))

    assert login(grace, "grace@example.com", address="192.0.2.7").status_code == 200

    assert signed_in_email(grace) == "grace@example.com"
    assert login(grace, "ada@example.com", address="192.0.2.7").status_code == 200  # Ada, elsewhere


def test_an_address_is_limited_across_accounts(limited):
    client = limited.test_client()
    for number in range(5):
        email = f"bystander{number}@example.com"
        assert login(client, email, "wrong password", "10.0.0.9").status_code == 401

    assert_rate_limited(login(client, "ada@example.com", address="10.0.0.9"))
    assert login(client, "ada@example.com", address="10.0.0.10").status_code == 200


def test_a_spoofed_forwarded_for_header_does_not_escape_the_address_limit(limited):
    client = limited.test_client()
    for number in range(5):
        response = client.post(
            LOGIN,
            json={"email": f"bystander{number}@example.com", "password": "wrong password"},
            headers={"X-Forwarded-For": f"203.0.113.{number}"},
        )
        assert response.status_code == 401

    response = client.post(
        LOGIN,
        json={"email": "ada@example.com", "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.99"},
    )
    assert_rate_limited(response)


def _old_attempts(limit, at):
    """Attempts that fill one limit (per account or per address), all made at `at`."""
    if limit == "account":
        return [
            LoginAttempt(account="ada@example.com", address="10.0.0.1", succeeded=False, at=at)
            for n in range(3)
        ]
    return [
        LoginAttempt(account=f"guess{n}@example.com", address="10.0.0.1", succeeded=False, at=at)
        for n in range(5)
    ]


def sign_up(client, email, address):
    return client.post(
        REGISTER, json={**VALID, "email": email}, environ_base={"REMOTE_ADDR": address}
    )


def test_an_address_testing_emails_for_accounts_is_stopped_but_real_sign_ups_are_not(make_app):
    app = make_app(SIGN_UP_LIMIT_TAKEN=3)
    client = app.test_client()
    # A conference behind one address signs up freely: successes are not counted.
    for n in range(5):
        assert sign_up(client, f"attendee{n}@example.com", "10.0.0.1").status_code == 201
        client.post("/api/v1/auth/logout")
    for n in range(3):
        assert sign_up(client, f"attendee{n}@example.com", "10.0.0.1").status_code == 409
    # The fourth probe, and then any sign-up from that address, waits; others are unaffected.
    assert_rate_limited(sign_up(client, "attendee3@example.com", "10.0.0.1"))
    assert_rate_limited(sign_up(client, "someone-new@example.com", "10.0.0.1"))
    assert sign_up(client, "someone-new@example.com", "10.0.0.2").status_code == 201


@pytest.mark.parametrize("limit", ["account", "address"])
@pytest.mark.parametrize(("minutes_ago", "locked"), [(14, True), (16, False)])
def test_attempts_age_out_after_15_minutes(limited, limit, minutes_ago, locked):
    with limited.app_context():
        db.session.add_all(_old_attempts(limit, utcnow() - timedelta(minutes=minutes_ago)))
        db.session.commit()

    response = login(limited.test_client(), "ada@example.com", address="10.0.0.1")

    if locked:
        assert 50 <= assert_rate_limited(response, longest=60) <= 60
    else:
        assert response.status_code == 200


def test_failed_token_requests_count_toward_the_limit(limited):
    client = limited.test_client()
    for _ in range(3):
        response = client.post(
            TOKENS, json={"email": "ada@example.com", "password": "wrong password"}
        )
        assert response.status_code == 401
        assert response.get_json()["error"] == "bad_credentials"
        assert "token" not in response.get_json()

    assert_rate_limited(
        client.post(TOKENS, json={"email": "ada@example.com", "password": PASSWORD})
    )
    assert_rate_limited(login(client, "ada@example.com", address="127.0.0.1"))


# --- cookies --------------------------------------------------------------------------------


def session_cookie(response):
    """Return the attributes of the session cookie a response sets, lower-cased, by name."""
    for header in response.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        if name == "hallway_session":
            attributes = [part.strip() for part in rest.split(";")[1:]]
            return {key.lower(): value for key, _, value in (a.partition("=") for a in attributes)}
    raise AssertionError("no session cookie was set")


@pytest.mark.parametrize("base_url", ["http://localhost", "https://localhost"])
@pytest.mark.parametrize("route", ["register", "login"])
def test_the_session_cookie_is_httponly_lax_and_secure_over_https(
    client, make_user, base_url, route
):
    if route == "login":
        make_user(email=VALID["email"])
        response = client.post(
            LOGIN, json={"email": VALID["email"], "password": PASSWORD}, base_url=base_url
        )
    else:
        response = client.post(REGISTER, json=VALID, base_url=base_url)

    assert response.status_code in (200, 201)
    cookie = session_cookie(response)
    assert "httponly" in cookie
    assert cookie["samesite"].lower() == "lax"
    assert ("secure" in cookie) == base_url.startswith("https")


def test_the_cookie_is_secure_behind_a_trusted_https_proxy(make_app):
    app = make_app(PROXY_COUNT=1)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.4"}

    response = app.test_client().post(REGISTER, json=VALID, headers=headers)

    assert response.status_code == 201
    assert "secure" in session_cookie(response)


# --- CSRF -----------------------------------------------------------------------------------

UNSAFE_CALLS = [
    ("patch", ME, {"name": "Mallory"}, 200),
    ("post", "/api/v1/contacts", {"name": "Eve"}, 201),
    ("delete", ME, None, 204),
]


def account_state(client):
    """What a user would see of their account: who they are and whom they met."""
    return client.get(ME).get_json(), client.get("/api/v1/contacts").get_json()


@pytest.mark.parametrize(("method", "path", "body", "ok"), UNSAFE_CALLS)
@pytest.mark.parametrize("sent", [None, "wrong-token"])
def test_session_writes_without_the_right_csrf_header_are_refused(
    client, auth, method, path, body, ok, sent
):
    auth.register()
    token = client.environ_base.pop("HTTP_X_CSRF_TOKEN")
    before = account_state(client)
    headers = {} if sent is None else {"X-CSRF-Token": sent}

    response = getattr(client, method)(path, json=body, headers=headers)

    assert response.status_code == 403
    assert response.get_json()["error"] == "csrf_failed"
    assert set(response.get_json()) == error_keys()
    assert account_state(client) == before
    response = getattr(client, method)(path, json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == ok


def test_another_sessions_csrf_token_is_refused(app, auth, client):
    other = app.test_client()
    AuthActions(other).register(email="mallory@example.com")
    auth.register(email="ada@example.com")

    response = client.patch(
        ME,
        json={"name": "Mallory"},
        headers={"X-CSRF-Token": other.environ_base["HTTP_X_CSRF_TOKEN"]},
    )

    assert response.status_code == 403
    assert client.get(ME).get_json()["name"] == "Ada Lovelace"


def test_bearer_token_writes_need_no_csrf_header(make_user, api_as):
    client = api_as(make_user(email="ada@example.com"))

    assert client.get(ME).get_json()["csrf_token"] is None
    assert client.patch(ME, json={"name": "Ada King"}).status_code == 200
    assert client.post("/api/v1/contacts", json={"name": "Eve"}).status_code == 201
    assert client.get(ME).get_json()["name"] == "Ada King"
    assert len(client.get("/api/v1/contacts").get_json()["items"]) == 1


# --- API tokens -----------------------------------------------------------------------------


def test_a_token_from_email_and_password_works_as_a_bearer_token(app, client, make_user):
    make_user(email="ada@example.com")
    make_user(email="grace@example.com")
    body = {"email": "Ada@example.com", "password": PASSWORD, "label": "export script"}

    response = client.post(TOKENS, json=body)

    assert response.status_code == 201
    token = response.get_json()["token"]
    assert response.get_json()["label"] == "export script"
    assert signed_in_email(client) is None  # a token request does not start a browser session
    script = app.test_client()
    script.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    assert signed_in_email(script) == "ada@example.com"
    db.session.rollback()
    stored = db.session.execute(select(ApiToken.label, ApiToken.token_hash)).all()
    assert stored and all(token not in row for row in stored)


@pytest.mark.parametrize(
    "header",
    ["Bearer nonsense", "Bearer ", "Bearer hw_" + "A" * 43, "Basic YWRhOnBhc3N3b3Jk"],
)
def test_garbage_credentials_are_401(client, make_user, api_as, header):
    api_as(make_user())  # a real token exists, so a lookup has something to miss

    response = client.get(ME, headers={"Authorization": header})

    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert set(response.get_json()) == error_keys()


@pytest.mark.parametrize("email", ["ada@example.com", "nobody@example.com"])
def test_a_token_request_with_wrong_credentials_is_401(client, make_user, email):
    make_user(email="ada@example.com")

    response = client.post(TOKENS, json={"email": email, "password": "wrong password"})

    assert response.status_code == 401
    assert response.get_json()["error"] == "bad_credentials"
    assert "token" not in response.get_json()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


# --- PATCH /me ------------------------------------------------------------------------------


def test_patch_me_changes_name_timezone_and_quiet_hours(client, auth):
    auth.register()

    response = client.patch(
        ME,
        json={
            "name": "  Ada King  ",
            "timezone": "America/New_York",
            "quiet_hours": {"start": "22:30", "end": "6:45"},
        },
    )

    assert response.status_code == 200
    expected = {
        "name": "Ada King",
        "timezone": "America/New_York",
        "quiet_hours": {"start": "22:30", "end": "06:45"},
    }
    for me in (response.get_json(), client.get(ME).get_json()):
        assert {key: me[key] for key in expected} == expected


def test_patch_me_leaves_fields_not_sent_alone(client, auth):
    auth.register()

    client.patch(ME, json={"timezone": "Europe/Berlin"})

    me = client.get(ME).get_json()
    assert (me["name"], me["timezone"]) == ("Ada Lovelace", "Europe/Berlin")
    assert me["quiet_hours"] == {"start": "21:00", "end": "08:00"}


@pytest.mark.parametrize(
    ("body", "field", "error"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone", "invalid_field"),
        ({"timezone": ""}, "timezone", "invalid_field"),
        ({"timezone": 2}, "timezone", "invalid_field"),
        ({"quiet_hours": {"start": "25:00", "end": "07:00"}}, "quiet_hours.start", "invalid_field"),
        ({"quiet_hours": {"start": "22:00", "end": "07:60"}}, "quiet_hours.end", "invalid_field"),
        ({"quiet_hours": {"start": "22:00"}}, "quiet_hours.end", "invalid_field"),
        ({"quiet_hours": "22:00-07:00"}, "quiet_hours", "invalid_field"),
        ({"name": ""}, "name", "invalid_field"),
        ({"name": "x" * 201}, "name", "invalid_field"),
        ({"email": "mallory@example.com"}, "email", "unknown_field"),
        ({"password_hash": "scrypt:1:1:1$x$y"}, "password_hash", "unknown_field"),
    ],
    ids=lambda value: json.dumps(value)[:40] if isinstance(value, dict) else None,
)
def test_patch_me_refuses_invalid_values_and_changes_nothing(client, auth, body, field, error):
    auth.register()
    before = client.get(ME).get_json()

    response = client.patch(ME, json=body)

    assert response.status_code == 422
    assert set(response.get_json()) == error_keys(field)
    assert (response.get_json()["error"], response.get_json()["field"]) == (error, field)
    assert client.get(ME).get_json() == before


# --- DELETE /me -----------------------------------------------------------------------------


def uuid_columns():
    """Every UUID column of every table."""
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, Uuid):
                yield table, column


def owned_ids(user_id):
    """The user's id and the ids of every row hanging on it (their records, and rows on those)."""
    ids, grown = {user_id}, True
    while grown:
        grown = False
        for table in db.metadata.sorted_tables:
            keys = list(table.primary_key.columns)
            references = [c for c in table.columns if c.foreign_keys]
            if len(keys) != 1 or not isinstance(keys[0].type, Uuid) or not references:
                continue
            found = set(
                db.session.scalars(select(keys[0]).where(or_(*(c.in_(ids) for c in references))))
            )
            grown = grown or not found <= ids
            ids |= found
    return ids


def rows_mentioning(ids):
    """Every row (as text) in any table with any of ids in a UUID column, by table."""
    found = {}
    for table, column in uuid_columns():
        rows = db.session.execute(select(table).where(column.in_(ids))).all()
        found.setdefault(table.name, set()).update(repr(tuple(row)) for row in rows)
    return {name: rows for name, rows in found.items() if rows}


def rows_containing(text):
    """Tables with a text column containing text."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String | Text):
                query = select(func.count()).select_from(table).where(column.contains(text))
                if db.session.scalar(query):
                    found.append(f"{table.name}.{column.name}")
    return found


def upload(app, user_id, name="photo.jpg"):
    """Put a file in the user's uploads folder; return the folder."""
    folder = Path(app.config["DATA_DIR"]) / "uploads" / str(user_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    return folder


def fill_account(app, user, records, client=None):
    """Give a user one of everything: records (one deleted), card, push device, sync batch, file,
    invite."""
    event = records["event"](user, name="PyCon")
    guido = Attendee(event_id=event.id, name="Guido van Rossum", email="g@example.com")
    db.session.add(guido)
    db.session.flush()
    target = records["target"](user, name="Guido", event_id=str(event.id))
    contact = records["contact"](user, event_id=str(event.id), target_id=str(target.id))
    records["followup"](user, contact_id=str(contact.id))
    records["interaction"](user, contact_id=str(contact.id))
    records["promise"](user, contact_id=str(contact.id))
    gone = records["contact"](user, name="Deleted later")
    records["introduction"](user, contact_id=str(contact.id), to_id=str(gone.id))
    records["dismissal"](user, event_id=str(event.id), attendee_id=str(guido.id))
    db.session.add(
        PushSubscription(
            user_id=user.id,
            endpoint=f"https://push.example/{user.id}",
            p256dh="k" * 87,
            auth="a" * 22,
        )
    )
    db.session.add(NotificationCount(user_id=user.id, day=date(2026, 11, 23), sent=1))
    db.session.add(EmailDigest(user_id=user.id, day=date(2026, 11, 23), sent_at=utcnow()))
    calendar.new_feed(user, utcnow())
    db.session.add(
        Passkey(user_id=user.id, credential_id=user.id.bytes, public_key=b"k", name="Phone")
    )
    db.session.add(
        PasskeyChallenge(
            challenge=user.id.bytes, purpose="register", user_id=user.id, expires_at=utcnow()
        )
    )
    db.session.commit()
    folder = upload(app, user.id)
    api = client or app.test_client()
    if client is None:
        api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {accounts.create_token(user, 'x')}"
        db.session.commit()
    assert api.delete(f"/api/v1/contacts/{gone.id}").status_code == 204
    card = {"email": user.email, "phone": "+1 555"}
    assert api.patch("/api/v1/me/card", json=card).status_code == 200
    change = {"kind": "contact", "id": str(uuid.uuid4()), "op": "upsert", "fields": {"name": "Li"}}
    batch = {"cursor": None, "batch_id": str(uuid.uuid4()), "changes": [change]}
    assert api.post("/api/v1/sync", json=batch).status_code == 200
    assert api.post("/api/v1/invites").status_code == 201
    return event, folder


@pytest.fixture
def records(request):
    """The record factories, by kind (every registered kind)."""
    return {name: request.getfixturevalue(f"make_{name}") for name in kinds.NAMES}


def tables_holding_user_data():
    """Every table whose rows hang, directly or through other rows, on a user."""
    names, grown = {"users"}, True
    while grown:
        hanging = {
            table.name
            for table in db.metadata.sorted_tables
            if any(key.column.table.name in names for key in table.foreign_keys)
        }
        grown, names = not hanging <= names, names | hanging
    return names


def test_signing_out_everywhere_ends_every_session_token_and_reminder_device(app, make_user):
    grace = make_user(email="grace@example.com")
    phone, laptop = AuthActions(app.test_client()), AuthActions(app.test_client())
    for device in (phone, laptop, AuthActions(app.test_client())):
        assert device.login(email="grace@example.com").status_code == 200
    script = app.test_client()
    script.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {accounts.create_token(grace, 'x')}"
    for n in range(2):
        db.session.add(PushSubscription(user_id=grace.id, endpoint=f"https://fcm.googleapis.com/fcm/send/{n}", p256dh="k", auth="a"))  # fmt: skip
    db.session.commit()
    bystander = make_user(email="linus@example.com")
    others = AuthActions(app.test_client())
    assert others.login(email="linus@example.com").status_code == 200

    assert laptop.client.post("/api/v1/auth/logout-everywhere").status_code == 204

    for client in (phone.client, laptop.client, script):
        assert client.get(ME).status_code == 401
    db.session.rollback()
    assert db.session.scalar(select(func.count()).where(PushSubscription.user_id == grace.id)) == 0
    assert db.session.scalar(select(func.count()).where(ApiToken.user_id == grace.id)) == 0
    assert others.client.get(ME).get_json()["id"] == str(bystander.id)
    assert phone.login(email="grace@example.com").status_code == 200  # signing in again works
    assert phone.client.get(ME).status_code == 200


def test_signing_out_everywhere_needs_the_csrf_header(app, make_user):
    make_user(email="grace@example.com")
    browser = AuthActions(app.test_client())
    assert browser.login(email="grace@example.com").status_code == 200
    del browser.client.environ_base["HTTP_X_CSRF_TOKEN"]
    assert browser.client.post("/api/v1/auth/logout-everywhere").status_code == 403
    assert browser.client.get(ME).status_code == 200


def test_delete_me_removes_every_row_and_file_of_the_user(app, client, auth, make_user, records):
    grace = make_user(email="grace@example.com")
    their_event, their_folder = fill_account(app, grace, records)
    auth.register(email="ada@example.com")
    ada_id = uuid.UUID(client.get(ME).get_json()["id"])
    ada = db.session.get(User, ada_id)
    _, folder = fill_account(app, ada, records, client)
    assert (
        client.post("/api/v1/events/join", json={"code": their_event.join_code}).status_code == 200
    )
    token = client.post(TOKENS, json={"email": "ada@example.com", "password": PASSWORD})
    token = token.get_json()["token"]
    db.session.rollback()
    mine, theirs = owned_ids(ada_id), owned_ids(grace.id)
    assert set(rows_mentioning(mine)) == tables_holding_user_data()  # one of everything
    # What is theirs stays, except my membership of their event, which goes with me.
    ours = rows_mentioning(mine)
    expected = {
        name: kept
        for name, rows in rows_mentioning(theirs).items()
        if (kept := rows - ours.get(name, set()))
    }

    response = client.delete(ME)

    assert response.status_code == 204
    db.session.rollback()
    assert rows_mentioning(mine) == {}
    assert rows_containing("ada@example.com") == []
    assert rows_mentioning(theirs) == expected
    assert not folder.exists()
    assert their_folder.exists() and any(their_folder.iterdir())
    assert client.get(ME).status_code == 401
    assert client.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert auth.login(email="ada@example.com").status_code == 401
    assert auth.login(email="grace@example.com").status_code == 200


# --- headers on every response --------------------------------------------------------------

PAGES = [
    ("/", 200, "text/html"),
    ("/static/app.css", 200, "text/css"),
    ("/nope", 404, "text/html"),
    ("/healthz", 200, "application/json"),
    (ME, 401, "application/json"),
    ("/api/v1/nope", 404, "application/json"),
    ("/api/v1/openapi.json", 200, "application/json"),
]


def csp_directives(response):
    """The response's Content-Security-Policy as {directive: [sources]}."""
    policy = response.headers["Content-Security-Policy"]
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.parametrize(("path", "status", "mimetype"), PAGES)
def test_every_response_carries_a_strict_csp_and_nosniff(client, path, status, mimetype):
    response = client.get(path)
    response.close()

    assert (response.status_code, response.mimetype) == (status, mimetype)
    directives = csp_directives(response)
    assert "'self'" in directives["script-src"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_json_api_answers_are_never_cached(client, auth):
    responses = [
        auth.register(),
        client.get(ME),
        client.get("/api/v1/nope"),
        client.post(LOGIN, json={"email": "ada@example.com", "password": "wrong password"}),
        client.delete(LOGIN),
    ]
    auth.logout()
    responses.append(client.get(ME))

    for response in responses:
        assert response.mimetype == "application/json"
        assert "no-store" in response.headers["Cache-Control"]


# --- error shape ----------------------------------------------------------------------------


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/nope")

    assert response.status_code == 404
    assert set(response.get_json()) == error_keys()
    assert response.get_json()["error"] == "not_found"


def test_a_wrong_method_is_a_json_405_with_allow(client):
    response = client.delete(LOGIN)

    assert response.status_code == 405
    assert set(response.get_json()) == error_keys()
    assert response.get_json()["error"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


@pytest.mark.parametrize(("size", "status"), [(1024 * 1024 + 1, 413), (1024 * 1024 - 1, 422)])
@pytest.mark.parametrize("signed_in", [False, True])
def test_a_body_over_one_mebibyte_is_413(client, make_user, api_as, size, status, signed_in):
    sender = api_as(make_user()) if signed_in else client
    path = "/api/v1/contacts" if signed_in else REGISTER
    prefix, suffix = '{"name": "', '"}'
    data = prefix + "x" * (size - len(prefix) - len(suffix)) + suffix
    assert len(data.encode()) == size

    response = sender.post(path, data=data, content_type="application/json")

    assert response.status_code == status
    if status == 413:
        assert response.get_json() == {
            "error": "too_large",
            "message": response.get_json()["message"],
        }


@pytest.mark.parametrize(("path", "mimetype"), [(ME, "application/json"), ("/", "text/html")])
def test_a_server_fault_is_a_500_that_reveals_nothing(
    app, client, auth, monkeypatch, path, mimetype
):
    auth.register()

    def crash(**kwargs):
        raise RuntimeError("database password is hunter2")

    endpoint, _ = app.url_map.bind("localhost").match(path)
    monkeypatch.setitem(app.view_functions, endpoint, crash)

    response = client.get(path)

    assert response.status_code == 500
    assert response.mimetype == mimetype
    assert "hunter2" not in response.get_data(as_text=True)
    assert "'self'" in csp_directives(response)["script-src"]
    if mimetype == "application/json":
        assert response.get_json()["error"] == "server_error"
        assert set(response.get_json()) == error_keys()


def test_password_is_taken_exactly_as_typed(client, auth):
    assert auth.register(password="  spaced out  ").status_code == 201
    auth.logout()
    assert auth.login(password="spaced out").status_code == 401
    assert auth.login(password="  spaced out  ").status_code == 200


def test_successful_sign_ins_from_one_address_never_lock_it(make_app):
    app = make_app(LOGIN_LIMIT_PER_ADDRESS=3)
    client = app.test_client()
    for number in range(5):
        email = f"person{number}@example.com"
        response = client.post(
            "/api/v1/auth/register", json={"email": email, "password": "long enough!", "name": "P"}
        )
        assert response.status_code == 201
        response = client.post(
            "/api/v1/auth/login", json={"email": email, "password": "long enough!"}
        )
        assert response.status_code == 200


def test_sign_ups_from_one_address_are_limited_per_hour(make_app):
    app = make_app(SIGN_UP_LIMIT_PER_ADDRESS=3)
    client = app.test_client()
    for n in range(3):
        assert sign_up(client, f"attendee{n}@example.com", "10.0.0.1").status_code == 201
        client.post("/api/v1/auth/logout")
    assert_rate_limited(sign_up(client, "one-more@example.com", "10.0.0.1"), longest=3600)
    assert sign_up(client, "one-more@example.com", "10.0.0.2").status_code == 201


def test_wrong_join_codes_are_limited_per_address_and_per_account(make_app):
    app = make_app(JOIN_LIMIT_PER_ADDRESS=3)
    with app.app_context():
        tokens = {}
        for who in ("owner", "guesser", "other"):
            user = accounts.register(f"{who}@example.com", PASSWORD, who, FAST_HASH)
            tokens[who] = accounts.create_token(user, "tests")
        db.session.commit()
    client = app.test_client()

    def call(who, method, path, address="10.0.0.1", **kwargs):
        headers = {"Authorization": f"Bearer {tokens[who]}"}
        environ = {"REMOTE_ADDR": address}
        return client.open(path, method=method, headers=headers, environ_base=environ, **kwargs)

    event = call("owner", "POST", "/api/v1/events", json={"name": "PyCon"}).get_json()
    code = call("owner", "GET", f"/api/v1/events/{event['id']}").get_json()["join_code"]
    for n in range(3):
        answer = call("guesser", "POST", JOIN, "10.0.0.5", json={"code": f"AAAA{n:04d}"})
        assert answer.status_code == 404
    # The right code waits too: from that address, and for that account from anywhere.
    assert_rate_limited(call("guesser", "POST", JOIN, "10.0.0.5", json={"code": code}))
    assert_rate_limited(call("guesser", "POST", JOIN, "10.0.0.6", json={"code": code}))
    assert call("other", "POST", JOIN, "10.0.0.7", json={"code": code}).status_code == 200


def test_no_rate_limit_count_is_kept_past_a_day(app):
    old = utcnow() - timedelta(days=1, minutes=1)
    db.session.add_all(
        [RateEvent(key="share-back:address:192.0.2.1", at=old), RateEvent(key="other", at=utcnow())]
    )
    db.session.commit()
    check("join:address:198.51.100.7", 20, timedelta(minutes=15), utcnow())  # a read: keeps all
    db.session.commit()
    assert len(db.session.scalars(select(RateEvent)).all()) == 2
    record("join:address:198.51.100.7", utcnow())  # counting anything drops what is past a day
    db.session.commit()
    kept = sorted(e.key for e in db.session.scalars(select(RateEvent)))
    assert kept == ["join:address:198.51.100.7", "other"]


def test_closed_sign_up_is_403_signup_closed_and_existing_accounts_still_sign_in(make_app):
    open_app = make_app()
    with open_app.app_context():
        assert open_app.test_client().post(REGISTER, json=VALID).status_code == 201
    closed = make_app(SIGNUP="closed")
    client = closed.test_client()
    with closed.app_context():
        response = client.post(REGISTER, json={**VALID, "email": "grace@example.com"})
        assert response.status_code == 403
        assert response.get_json()["error"] == "signup_closed"
        assert response.get_json()["message"]
        signed_in = client.post(
            "/api/v1/auth/login", json={"email": VALID["email"], "password": VALID["password"]}
        )
        assert signed_in.status_code == 200
