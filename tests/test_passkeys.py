"""Passkeys: added from Account, listed and removed, and signing in without a password; every
answer a real authenticator would not give is refused, and refusals count as failed sign-ins."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from pwa.auth import passkey_routes
from pwa.auth.models import LoginAttempt, Passkey, PasskeyChallenge
from pwa.db import db, utcnow

from .authenticator import PRESENT, Authenticator, b64
from .conftest import AuthActions

PASSKEYS = "/api/v1/auth/passkeys"
ME = "/api/v1/me"


def add_passkey(client, device, **body):
    """Add device's passkey to the signed-in account of client; return the answer."""
    options = client.post(f"{PASSKEYS}/register/options").get_json()
    return client.post(f"{PASSKEYS}/register", json={"credential": device.create(options), **body})


def sign_in(client, device, **answer):
    """Sign client in with device's passkey (answer: what to change in the device's answer)."""
    options = client.post(f"{PASSKEYS}/login/options").get_json()
    return client.post(f"{PASSKEYS}/login", json={"credential": device.get(options, **answer)})


@pytest.fixture
def device(client, auth):
    """Ada's phone, its passkey added to her account; she is signed out afterwards."""
    auth.register()
    phone = Authenticator()
    assert add_passkey(client, phone, name="My phone").status_code == 201
    auth.logout()
    return phone


def test_a_passkey_added_from_account_signs_in_without_a_password(client, auth):
    auth.register()
    options = client.post(f"{PASSKEYS}/register/options").get_json()
    assert options["rp"] == {"id": "localhost", "name": "Hallway"}
    assert options["user"]["name"] == "ada@example.com"
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    phone = Authenticator()
    added = client.post(
        f"{PASSKEYS}/register",
        json={"credential": phone.create(options)},
        headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile"},
    )
    assert added.status_code == 201
    assert added.get_json()["name"] == "Chrome on Android"
    assert added.get_json()["last_used_at"] is None
    assert auth.logout().status_code == 204
    assert client.get(ME).status_code == 401

    signed_in = sign_in(client, phone)

    assert signed_in.status_code == 200
    me = signed_in.get_json()
    assert me["email"] == "ada@example.com" and me["csrf_token"]
    client.environ_base["HTTP_X_CSRF_TOKEN"] = me["csrf_token"]
    assert client.get(ME).get_json()["csrf_token"] == me["csrf_token"]
    [listed] = client.get(PASSKEYS).get_json()["items"]
    assert listed["id"] == added.get_json()["id"] and listed["last_used_at"]
    sessions = client.get("/api/v1/me/sessions").get_json()["items"]
    assert [s["current"] for s in sessions] == [True]  # a session as the password's


def test_adding_lists_newest_first_and_a_device_is_not_added_twice(client, auth):
    auth.register()
    phone, laptop = Authenticator(), Authenticator()
    assert add_passkey(client, phone, name="Phone").status_code == 201
    assert add_passkey(client, laptop, name="Laptop").status_code == 201
    names = [item["name"] for item in client.get(PASSKEYS).get_json()["items"]]
    assert names == ["Laptop", "Phone"]
    options = client.post(f"{PASSKEYS}/register/options").get_json()
    excluded = [item["id"] for item in options["excludeCredentials"]]
    assert sorted(excluded) == sorted([b64(phone.credential_id), b64(laptop.credential_id)])

    again = add_passkey(client, phone)

    assert again.status_code == 409
    assert again.get_json()["error"] == "passkey_exists"


def test_removing_a_passkey_stops_it_signing_in(client, auth, device):
    auth.login()
    [passkey] = client.get(PASSKEYS).get_json()["items"]
    assert client.delete(f"{PASSKEYS}/{passkey['id']}").status_code == 204
    assert client.get(PASSKEYS).get_json()["items"] == []
    assert client.delete(f"{PASSKEYS}/{passkey['id']}").status_code == 404
    auth.logout()

    refused = sign_in(client, device)

    assert refused.status_code == 401
    assert refused.get_json()["error"] == "passkey_unknown"
    assert client.get(ME).status_code == 401


def test_an_unknown_passkey_is_refused(client, device):
    stranger = Authenticator()
    stranger.user_handle = device.user_handle
    refused = sign_in(client, stranger)
    assert refused.status_code == 401
    assert refused.get_json()["error"] == "passkey_unknown"
    assert client.get(ME).status_code == 401


def test_a_challenge_the_server_never_gave_is_refused(client, auth, device):
    refused = sign_in(client, device, challenge=b64(b"made up by an attacker, 32 bytes"))
    assert refused.status_code == 401
    assert refused.get_json()["error"] == "passkey_expired"
    auth.login()
    options = client.post(f"{PASSKEYS}/register/options").get_json()
    answer = Authenticator().create(options, challenge=b64(b"another made-up challenge"))
    added = client.post(f"{PASSKEYS}/register", json={"credential": answer})
    assert added.status_code == 400
    assert added.get_json()["error"] == "passkey_expired"


def test_a_challenge_works_once(client, device):
    options = client.post(f"{PASSKEYS}/login/options").get_json()
    answer = device.get(options)
    assert client.post(f"{PASSKEYS}/login", json={"credential": answer}).status_code == 200
    other = AuthActions(client.application.test_client())

    replayed = other.client.post(f"{PASSKEYS}/login", json={"credential": answer})

    assert replayed.status_code == 401
    assert replayed.get_json()["error"] == "passkey_expired"
    assert other.client.get(ME).status_code == 401


def test_an_expired_challenge_is_refused(client, device):
    options = client.post(f"{PASSKEYS}/login/options").get_json()
    db.session.execute(update(PasskeyChallenge).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    refused = client.post(f"{PASSKEYS}/login", json={"credential": device.get(options)})
    assert refused.status_code == 401
    assert refused.get_json()["error"] == "passkey_expired"


def test_a_refused_answer_uses_its_challenge_up(client, device):
    options = client.post(f"{PASSKEYS}/login/options").get_json()
    wrong = client.post(
        f"{PASSKEYS}/login", json={"credential": device.get(options, origin="https://evil.example")}
    )
    assert wrong.status_code == 401
    assert wrong.get_json()["error"] == "passkey_refused"
    right = client.post(f"{PASSKEYS}/login", json={"credential": device.get(options)})
    assert right.status_code == 401
    assert right.get_json()["error"] == "passkey_expired"


def test_a_challenge_for_adding_does_not_sign_in(client, auth, device):
    auth.login()
    options = client.post(f"{PASSKEYS}/register/options").get_json()
    auth.logout()
    refused = sign_in_with(client, device, {**options, "rpId": options["rp"]["id"]})
    assert refused.status_code == 401
    assert refused.get_json()["error"] == "passkey_expired"


def sign_in_with(client, device, options):
    return client.post(f"{PASSKEYS}/login", json={"credential": device.get(options)})


def test_another_users_challenge_does_not_add_a_passkey_to_mine(app, client, auth, make_user):
    bob = AuthActions(app.test_client())
    make_user(email="bob@example.com")
    bob.login(email="bob@example.com")
    bobs_options = bob.client.post(f"{PASSKEYS}/register/options").get_json()
    auth.register()

    added = client.post(
        f"{PASSKEYS}/register", json={"credential": Authenticator().create(bobs_options)}
    )

    assert added.status_code == 400
    assert client.get(PASSKEYS).get_json()["items"] == []
    assert bob.client.get(PASSKEYS).get_json()["items"] == []


def test_another_users_passkey_cannot_be_seen_or_removed(app, client, auth, device, make_user):
    auth.login()
    [adas] = client.get(PASSKEYS).get_json()["items"]
    bob = AuthActions(app.test_client())
    make_user(email="bob@example.com")
    bob.login(email="bob@example.com")
    assert bob.client.get(PASSKEYS).get_json()["items"] == []
    gone = bob.client.delete(f"{PASSKEYS}/{adas['id']}")
    assert gone.status_code == 404
    assert gone.get_json()["error"] == "not_found"
    assert [item["id"] for item in client.get(PASSKEYS).get_json()["items"]] == [adas["id"]]


def test_a_passkey_naming_another_account_is_refused(client, auth, device, make_user):
    make_user(email="bob@example.com")
    auth.login(email="bob@example.com")
    bob_id = client.get(ME).get_json()["id"]
    auth.logout()
    device.user_handle = b64(bytes.fromhex(bob_id.replace("-", "")))
    refused = sign_in(client, device)
    assert refused.status_code == 401
    assert refused.get_json()["error"] == "passkey_refused"


def test_a_signature_counter_that_went_back_is_refused(client, device):
    assert sign_in(client, device).status_code == 200
    assert sign_in(client, device).status_code == 200
    device.sign_count = 0  # a copy of the key, counting from where the original once was

    refused = sign_in(client, device)

    assert refused.status_code == 401
    assert refused.get_json()["error"] == "passkey_refused"
    assert db.session.scalar(select(Passkey.sign_count)) == 2


def test_a_passkey_that_did_not_check_who_holds_it_is_refused(client, auth, device):
    refused = sign_in(client, device, flags=PRESENT)
    assert refused.status_code == 401
    auth.login()
    options = client.post(f"{PASSKEYS}/register/options").get_json()
    answer = Authenticator().create(options, flags=PRESENT | 0x40)
    added = client.post(f"{PASSKEYS}/register", json={"credential": answer})
    assert added.status_code == 400
    assert added.get_json()["error"] == "passkey_refused"


def test_an_answer_from_another_site_is_refused(client, auth):
    auth.register()
    phishing = add_passkey_from(client, "https://hallway.evil.example")
    assert phishing.status_code == 400
    assert phishing.get_json()["error"] == "passkey_refused"
    assert client.get(PASSKEYS).get_json()["items"] == []


def add_passkey_from(client, origin):
    options = client.post(f"{PASSKEYS}/register/options").get_json()
    answer = Authenticator(origin=origin).create(options)
    return client.post(f"{PASSKEYS}/register", json={"credential": answer})


def test_the_base_url_setting_names_the_relying_party(make_app):
    app = make_app(BASE_URL="https://Hallway.Example:443/")
    with app.app_context():
        client = app.test_client()
        auth = AuthActions(client)
        auth.register()
        options = client.post(f"{PASSKEYS}/register/options").get_json()
        assert options["rp"]["id"] == "hallway.example"
        assert add_passkey_from(client, "https://hallway.example").status_code == 201
        assert add_passkey_from(client, "http://localhost").status_code == 400


def test_failed_passkey_sign_ins_count_in_the_sign_in_limit(make_app):
    app = make_app(LOGIN_LIMIT_PER_ADDRESS=3)
    with app.app_context():
        client = app.test_client()
        for _ in range(3):
            assert sign_in(client, Authenticator()).status_code == 401
        assert (
            db.session.scalar(
                select(LoginAttempt.succeeded).where(LoginAttempt.succeeded.is_(False)).limit(1)
            )
            is False
        )

        limited = sign_in(client, Authenticator())

        assert limited.status_code == 429
        assert limited.get_json()["error"] == "rate_limited"
        assert int(limited.headers["Retry-After"]) > 0
        assert AuthActions(client).login().status_code == 429  # the password's limit too


@pytest.mark.parametrize(
    "credential, status",
    [
        ({}, 422),
        ({"id": "x", "rawId": "x", "type": "public-key"}, 422),
        ({"id": "!", "rawId": "!", "type": "public-key", "response": {}}, 422),
        (
            {
                "id": "AAAA",
                "rawId": "AAAA",
                "type": "public-key",
                "response": {"clientDataJSON": "AAAA", "authenticatorData": "", "signature": ""},
            },
            401,
        ),
        (
            {
                "id": "AAAA",
                "rawId": "AAAA",
                "type": "public-key",
                "response": {"clientDataJSON": "e30", "authenticatorData": "A", "signature": "A"},
            },
            401,
        ),
    ],
)
def test_a_malformed_sign_in_is_a_client_error(client, device, credential, status):
    response = client.post(f"{PASSKEYS}/login", json={"credential": credential})
    assert response.status_code == status
    assert set(response.get_json()) >= {"error", "message"}


@pytest.mark.parametrize(
    "spoil",
    [
        lambda answer: answer["response"].update(attestationObject="AAAA"),
        lambda answer: answer["response"].update(attestationObject=b64(b"\xa1\x63fmt\x64none")),
        lambda answer: answer["response"].update(clientDataJSON=b64(b"[]")),
        lambda answer: answer.update(rawId=b64(b"not the id")),
    ],
)
def test_a_malformed_new_passkey_is_a_client_error(client, auth, spoil):
    auth.register()
    options = client.post(f"{PASSKEYS}/register/options").get_json()
    answer = Authenticator().create(options)
    spoil(answer)
    response = client.post(f"{PASSKEYS}/register", json={"credential": answer})
    assert 400 <= response.status_code < 500
    assert set(response.get_json()) >= {"error", "message"}
    assert client.get(PASSKEYS).get_json()["items"] == []


def test_signing_out_everywhere_keeps_the_passkeys(client, auth, device):
    auth.login()
    assert client.post("/api/v1/auth/logout-everywhere").status_code == 204
    assert sign_in(client, device).status_code == 200


@pytest.mark.parametrize("host", ["localhost:99999", "localhost:port", "[::1"])
def test_a_host_that_is_no_web_address_is_a_client_error(client, host):
    response = client.post(f"{PASSKEYS}/login/options", headers={"Host": host})
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_host"


def test_challenges_are_handed_out_within_reason(client, auth, monkeypatch):
    monkeypatch.setattr(passkey_routes, "CHALLENGES", (2, timedelta(minutes=5)))
    for _ in range(2):
        assert client.post(f"{PASSKEYS}/login/options").status_code == 200
    limited = client.post(f"{PASSKEYS}/login/options")
    assert limited.status_code == 429 and limited.headers["Retry-After"]
    auth.register()
    for _ in range(2):
        assert client.post(f"{PASSKEYS}/register/options").status_code == 200
    assert client.post(f"{PASSKEYS}/register/options").status_code == 429
    assert db.session.scalar(select(func.count()).select_from(PasskeyChallenge)) == 4
