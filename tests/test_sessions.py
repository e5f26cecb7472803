"""Sessions that really end: kept on the server, so sign-out ends every copy of a cookie, a
password change ends every other session, and the owner sees and ends their browsers."""

from datetime import timedelta

from pwa.auth.models import BrowserSession
from pwa.db import db, utcnow

from .conftest import PASSWORD

LOGIN = "/api/v1/auth/login"
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
)
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Mobile/15E148 Safari/604.1"


def signed_in(app, email, user_agent=ANDROID, address="203.0.113.9"):
    """A browser signed in as email; returns (client, its csrf token)."""
    client = app.test_client()
    answer = client.post(
        LOGIN,
        json={"email": email, "password": PASSWORD},
        headers={"User-Agent": user_agent},
        environ_base={"REMOTE_ADDR": address},
    )
    assert answer.status_code == 200
    return client, answer.json["csrf_token"]


def copy_of(app, client):
    """Another browser holding a copy of client's session cookie (a stolen cookie)."""
    thief = app.test_client()
    thief.set_cookie("hallway_session", client.get_cookie("hallway_session").value)
    return thief


def test_a_cookie_copied_before_sign_out_stops_working(app, make_user):
    make_user(email="ada@example.com")
    phone, csrf = signed_in(app, "ada@example.com")
    thief = copy_of(app, phone)
    assert thief.get("/api/v1/me").status_code == 200
    assert phone.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    answer = thief.get("/api/v1/me")
    assert answer.status_code == 401 and answer.json["error"] == "unauthorized"


def test_a_password_change_ends_every_other_session_but_this_one(app, make_user):
    make_user(email="ada@example.com")
    laptop, csrf = signed_in(app, "ada@example.com", IPHONE)
    phone, _ = signed_in(app, "ada@example.com")
    answer = laptop.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 204
    assert phone.get("/api/v1/me").status_code == 401
    assert laptop.get("/api/v1/me").status_code == 200
    old = app.test_client().post(LOGIN, json={"email": "ada@example.com", "password": PASSWORD})
    assert old.status_code == 401


def test_a_wrong_current_password_changes_nothing(app, make_user):
    make_user(email="ada@example.com")
    laptop, csrf = signed_in(app, "ada@example.com")
    phone, _ = signed_in(app, "ada@example.com")
    answer = laptop.post(
        "/api/v1/me/password",
        json={"current_password": "not it at all", "new_password": "a brand new passphrase"},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 403 and answer.json["error"] == "wrong_password"
    assert phone.get("/api/v1/me").status_code == 200


def test_the_owner_sees_their_browsers_and_ends_one(app, make_user):
    make_user(email="ada@example.com")
    laptop, csrf = signed_in(app, "ada@example.com", IPHONE, "198.51.100.23")
    phone, _ = signed_in(app, "ada@example.com", ANDROID, "2001:db8:1:2::7")
    listed = laptop.get("/api/v1/me/sessions").json["items"]
    assert {(s["browser"], s["network"], s["current"]) for s in listed} == {
        ("Safari on iPhone", "198.51.100.0/24", True),
        ("Chrome on Android", "2001:db8:1::/48", False),
    }
    other = next(s for s in listed if not s["current"])
    ended = laptop.delete(f"/api/v1/me/sessions/{other['id']}", headers={"X-CSRF-Token": csrf})
    assert ended.status_code == 204
    assert phone.get("/api/v1/me").status_code == 401
    assert [s["current"] for s in laptop.get("/api/v1/me/sessions").json["items"]] == [True]


def test_nobody_ends_another_persons_session(app, make_user):
    make_user(email="ada@example.com")
    make_user(email="bob@example.com")
    ada, _ = signed_in(app, "ada@example.com")
    bob, bob_csrf = signed_in(app, "bob@example.com")
    [adas] = ada.get("/api/v1/me/sessions").json["items"]
    answer = bob.delete(f"/api/v1/me/sessions/{adas['id']}", headers={"X-CSRF-Token": bob_csrf})
    assert answer.status_code == 404
    assert ada.get("/api/v1/me").status_code == 200
    assert all(s["id"] != adas["id"] for s in bob.get("/api/v1/me/sessions").json["items"])


def test_sign_out_everywhere_ends_every_browser(app, make_user):
    make_user(email="ada@example.com")
    laptop, csrf = signed_in(app, "ada@example.com")
    phone, _ = signed_in(app, "ada@example.com")
    thief = copy_of(app, phone)
    assert (
        laptop.post("/api/v1/auth/logout-everywhere", headers={"X-CSRF-Token": csrf}).status_code
        == 204
    )
    for browser in (laptop, phone, thief):
        assert browser.get("/api/v1/me").status_code == 401


def test_a_session_unused_for_30_days_has_ended(app, make_user):
    make_user(email="ada@example.com")
    old, _ = signed_in(app, "ada@example.com")
    with app.app_context():
        for row in db.session.scalars(db.select(BrowserSession)):
            row.last_seen_at = utcnow() - timedelta(days=31)
        db.session.commit()
    assert old.get("/api/v1/me").status_code == 401
    new, _ = signed_in(app, "ada@example.com")
    assert len(new.get("/api/v1/me/sessions").json["items"]) == 1  # the old one is gone
