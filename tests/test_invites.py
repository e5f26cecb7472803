"""Sign-up by invitation: a signed-in person makes a one-time link; in invite mode only a link
that works makes an account, once, however many use it at the same moment."""

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from pwa.auth import service
from pwa.auth.invites import MOST_OPEN
from pwa.auth.models import Invite, User
from pwa.db import db, utcnow

from .conftest import FAST_HASH, PASSWORD, AuthActions

REGISTER = "/api/v1/auth/register"
INVITES = "/api/v1/invites"


def new_person(email="grace@example.com", **extra):
    return {"email": email, "password": PASSWORD, "name": "Grace Hopper", **extra}


def token_of(invite):
    """The token a made invite's link carries."""
    return invite["url"].rsplit("/join/", 1)[1]


@pytest.fixture
def invite_app(make_app):
    """An app taking sign-ups by invitation only."""
    return make_app(SIGNUP="invite")


def signed_in(app, email="ada@example.com"):
    """A client of app with an API token of the account email (made when it has none)."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user = user or service.register(email, PASSWORD, "Ada Lovelace", FAST_HASH)
        token = service.create_token(user, "tests")
        db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.fixture
def inviter(invite_app):
    """Ada, signed in with an API token on the invite-only app."""
    return signed_in(invite_app)


def accounts(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_the_sign_up_mode_is_public(make_app):
    for mode in ("open", "invite", "closed"):
        answer = make_app(SIGNUP=mode).test_client().get("/api/v1/auth/signup")
        assert answer.status_code == 200
        assert answer.get_json() == {"mode": mode}


def test_an_invite_is_a_link_shown_once_that_expires_in_seven_days(invite_app, inviter):
    before = utcnow()
    answer = inviter.post(INVITES)
    assert answer.status_code == 201
    invite = answer.get_json()
    assert set(invite) == {"id", "url", "created_at", "expires_at"}
    assert invite["url"].startswith("http://localhost/join/") and len(token_of(invite)) >= 40
    assert answer.headers["Location"] == f"/api/v1/invites/{invite['id']}"
    lifetime = datetime.fromisoformat(invite["expires_at"]) - before
    assert timedelta(days=7) <= lifetime < timedelta(days=7, minutes=1)
    listed = inviter.get(INVITES).get_json()
    assert listed["items"] == [{k: v for k, v in invite.items() if k != "url"}]
    with invite_app.app_context():
        stored = db.session.scalar(select(Invite.token_hash))
        assert token_of(invite) not in stored and len(stored) == 64


def test_the_invite_link_uses_the_base_url(make_app):
    app = make_app(SIGNUP="invite", BASE_URL="https://hallway.example.org/")
    url = signed_in(app).post(INVITES).get_json()["url"]
    assert url.startswith("https://hallway.example.org/join/")


def test_invite_mode_needs_an_invite(invite_app):
    answer = invite_app.test_client().post(REGISTER, json=new_person())
    assert answer.status_code == 403
    assert answer.get_json()["error"] == "invite_required"
    assert answer.get_json()["message"].endswith(".")
    assert accounts(invite_app) == 0


@pytest.mark.parametrize("token", ["made-up", "x" * 43, ""])
def test_an_unknown_invite_is_invalid(invite_app, token):
    answer = invite_app.test_client().post(REGISTER, json=new_person(invite=token))
    assert answer.status_code == 403
    expected = "invite_required" if token == "" else "invite_invalid"
    assert answer.get_json()["error"] == expected
    assert accounts(invite_app) == 0


def test_an_invite_makes_one_account_and_then_no_more(invite_app, inviter):
    token = token_of(inviter.post(INVITES).get_json())
    client = invite_app.test_client()
    answer = client.post(REGISTER, json=new_person(invite=token))
    assert answer.status_code == 201
    assert answer.get_json()["email"] == "grace@example.com"
    assert client.get("/api/v1/me").status_code == 200  # signed in
    assert inviter.get(INVITES).get_json()["items"] == []  # used up

    again = invite_app.test_client().post(
        REGISTER, json=new_person("alan@example.com", invite=token)
    )
    assert again.status_code == 403
    assert again.get_json() == {
        "error": "invite_invalid",
        "message": "This invite link does not work: it was used, withdrawn or has expired.",
        "field": "invite",
    }
    assert accounts(invite_app) == 2


def test_an_expired_invite_is_invalid_and_leaves_the_list(invite_app, inviter):
    token = token_of(inviter.post(INVITES).get_json())
    with invite_app.app_context():
        db.session.scalar(select(Invite)).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    answer = invite_app.test_client().post(REGISTER, json=new_person(invite=token))
    assert answer.status_code == 403 and answer.get_json()["error"] == "invite_invalid"
    assert inviter.get(INVITES).get_json()["items"] == []


def test_a_withdrawn_invite_is_invalid(invite_app, inviter):
    invite = inviter.post(INVITES).get_json()
    assert inviter.delete(f"{INVITES}/{invite['id']}").status_code == 204
    assert inviter.delete(f"{INVITES}/{invite['id']}").status_code == 404
    answer = invite_app.test_client().post(REGISTER, json=new_person(invite=token_of(invite)))
    assert answer.status_code == 403 and answer.get_json()["error"] == "invite_invalid"


def test_a_taken_email_keeps_the_invite_for_someone_else(invite_app, inviter):
    token = token_of(inviter.post(INVITES).get_json())
    taken = invite_app.test_client().post(
        REGISTER, json=new_person("ada@example.com", invite=token)
    )
    assert taken.status_code == 409
    fresh = invite_app.test_client().post(REGISTER, json=new_person(invite=token))
    assert fresh.status_code == 201


def test_nobody_withdraws_or_sees_anothers_invite(invite_app, inviter):
    invite = inviter.post(INVITES).get_json()
    stranger = signed_in(invite_app, "stranger@example.com")
    assert stranger.get(INVITES).get_json()["items"] == []
    answer = stranger.delete(f"{INVITES}/{invite['id']}")
    assert answer.status_code == 404 and answer.get_json()["error"] == "not_found"
    assert len(inviter.get(INVITES).get_json()["items"]) == 1


def test_a_bad_invite_id_is_422(inviter):
    answer = inviter.delete(f"{INVITES}/not-a-uuid")
    assert answer.status_code == 422 and answer.get_json()["field"] == "invite_id"


def test_one_account_has_at_most_twenty_open_invites(invite_app, inviter):
    for _ in range(MOST_OPEN):
        assert inviter.post(INVITES).status_code == 201
    answer = inviter.post(INVITES)
    assert answer.status_code == 409 and answer.get_json()["error"] == "too_many_invites"
    first = inviter.get(INVITES).get_json()["items"][0]
    inviter.delete(f"{INVITES}/{first['id']}")
    assert inviter.post(INVITES).status_code == 201


def test_a_session_needs_the_csrf_header_to_make_or_withdraw_an_invite(invite_app):
    signed_in(invite_app)
    client = invite_app.test_client()
    auth = AuthActions(client)
    auth.login()
    made = client.post(INVITES)
    assert made.status_code == 201
    client.environ_base.pop("HTTP_X_CSRF_TOKEN")
    assert client.post(INVITES).get_json()["error"] == "csrf_failed"
    assert client.delete(f"{INVITES}/{made.get_json()['id']}").status_code == 403


def test_closed_sign_up_makes_no_invites_and_refuses_one(make_app):
    token = token_of(signed_in(make_app(SIGNUP="invite")).post(INVITES).get_json())
    closed = make_app(SIGNUP="closed")
    ada = signed_in(closed)
    answer = ada.post(INVITES)
    assert answer.status_code == 403 and answer.get_json()["error"] == "signup_closed"
    assert len(ada.get(INVITES).get_json()["items"]) == 1
    refused = closed.test_client().post(REGISTER, json=new_person(invite=token))
    assert refused.status_code == 403 and refused.get_json()["error"] == "signup_closed"


def test_open_mode_uses_up_a_working_invite_and_ignores_one_that_does_not(make_app):
    app = make_app()
    inviter = signed_in(app)
    token = token_of(inviter.post(INVITES).get_json())
    client = app.test_client()
    assert client.post(REGISTER, json=new_person(invite=token)).status_code == 201
    assert inviter.get(INVITES).get_json()["items"] == []
    again = app.test_client().post(REGISTER, json=new_person("alan@example.com", invite=token))
    assert again.status_code == 201
    assert (
        app.test_client().post(REGISTER, json=new_person("edsger@example.com")).status_code == 201
    )


def test_deleting_an_account_withdraws_its_invites(invite_app, inviter):
    token = token_of(inviter.post(INVITES).get_json())
    assert inviter.delete("/api/v1/me").status_code == 204
    answer = invite_app.test_client().post(REGISTER, json=new_person(invite=token))
    assert answer.get_json()["error"] == "invite_invalid"


def test_two_sign_ups_racing_for_one_invite_make_exactly_one_account(invite_app, inviter):
    for round_ in range(3):
        token = token_of(inviter.post(INVITES).get_json())
        start, answers = threading.Barrier(2), [None, None]

        def sign_up(i, token=token, start=start, answers=answers, round_=round_):
            client = invite_app.test_client()
            start.wait()
            answers[i] = client.post(
                REGISTER, json=new_person(f"racer{round_}-{i}@example.com", invite=token)
            )

        threads = [threading.Thread(target=sign_up, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [201, 403], [a.get_json() for a in answers]
        assert {a.get_json().get("error") for a in answers} == {None, "invite_invalid"}
    assert accounts(invite_app) == 1 + 3
