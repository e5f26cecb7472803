"""Fixtures: an app on a fresh database (SQLite, and PostgreSQL when configured), clients, factories."""

import os
import uuid
from datetime import timedelta

import pytest
from click.testing import CliRunner
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from pwa import create_app, kinds, records
from pwa.auth import service as accounts
from pwa.db import db, utcnow
from pwa.events.models import Attendee

IN_CI = bool(os.environ.get("CI"))
PG_URL = os.environ.get("HALLWAY_TEST_DATABASE_URL")
FAST_HASH = "scrypt:1024:8:1"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(request):
    """Which database the app fixtures use: SQLite always, PostgreSQL when configured."""
    if request.param == "sqlite":
        yield None
        return
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI must run the PostgreSQL suite: set HALLWAY_TEST_DATABASE_URL")
        pytest.skip("PostgreSQL suite: set HALLWAY_TEST_DATABASE_URL to run it")
    yield from _scratch_postgres(PG_URL)


def _scratch_postgres(url):
    """Create an empty database for this test session (one per xdist worker), drop it after."""
    name = f"hallway_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    scratch = make_url(url).set(database=name).render_as_string(hide_password=False)
    schema_ready = {"done": False}
    try:
        yield {"url": scratch, "schema_ready": schema_ready}
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _admin_engine(url):
    """An engine to create databases with: on the database the URL names, or, when that one does
    not exist yet (a newcomer's .../newcomer_test), on the server's `postgres` maintenance one."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        admin.connect().close()
    except OperationalError as e:
        if "does not exist" not in str(e.orig):
            raise
        admin.dispose()
        maintenance = make_url(url).set(database="postgres")
        admin = create_engine(maintenance, isolation_level="AUTOCOMMIT")
    return admin


@pytest.fixture
def empty_database(database, tmp_path):
    """The URL of an empty database of the kind under test (for migrations)."""
    if database is None:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    scratch = _scratch_postgres(PG_URL)
    yield next(scratch)["url"]
    scratch.close()


class Client(FlaskClient):
    """A test client whose requests each get their own database session, as in production; the
    test's own session commits around each request, so both see each other's committed work."""

    def open(self, *args, **kwargs):
        _end_test_transaction()
        try:
            return super().open(*args, **kwargs)
        finally:
            _end_test_transaction()


def _end_test_transaction():
    if has_app_context():
        db.session.commit()  # also expires what the test loaded, so it reloads fresh values


@pytest.fixture
def make_app(database, tmp_path):
    """Return a factory of apps on a fresh database, with config overrides."""
    apps = []

    def make(**overrides):
        config = {
            "TESTING": True,
            "DATA_DIR": str(tmp_path / "data"),
            "SECRET_KEY": "test-secret",
            "PASSWORD_HASH_METHOD": FAST_HASH,
            **overrides,
        }
        if database:
            config["DATABASE_URL"] = database["url"]
        app = create_app(config)
        app.test_client_class = Client
        with app.app_context():
            if not database or not database["schema_ready"]["done"]:
                db.create_all()
                if database:
                    database["schema_ready"]["done"] = True
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            if database:
                _empty_tables()
            db.session.remove()
            db.engine.dispose()


def _empty_tables():
    names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {names} CASCADE"))
    db.session.commit()


@pytest.fixture
def app(make_app):
    """The Hallway app on a fresh, empty database."""
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    """A browser-like test client (cookies kept between requests)."""
    return app.test_client()


@pytest.fixture
def runner():
    """Invoke the `hallway` command line."""
    return CliRunner()


class AuthActions:
    """Register, sign in and out through the API; keeps the CSRF header on the client."""

    def __init__(self, client):
        self.client = client

    def register(self, email="ada@example.com", password=PASSWORD, name="Ada Lovelace"):
        response = self.client.post(
            "/api/v1/auth/register", json={"email": email, "password": password, "name": name}
        )
        self._keep_csrf(response)
        return response

    def login(self, email="ada@example.com", password=PASSWORD):
        response = self.client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        self._keep_csrf(response)
        return response

    def logout(self):
        return self.client.post("/api/v1/auth/logout")

    def _keep_csrf(self, response):
        if response.status_code < 300:
            self.client.environ_base["HTTP_X_CSRF_TOKEN"] = response.get_json()["csrf_token"]


@pytest.fixture
def auth(client):
    """Sign-in helper for the `client` fixture."""
    return AuthActions(client)


@pytest.fixture
def make_user(app):
    """Return a factory of users (committed), each with a unique email."""

    def make(email=None, name="Grace Hopper", password=PASSWORD):
        email = email or f"user-{uuid.uuid4().hex[:8]}@example.com"
        user = accounts.register(email, password, name, FAST_HASH)
        db.session.commit()
        return user

    return make


@pytest.fixture
def api_as(app):
    """Return a factory of test clients authenticated as a user with an API token."""

    def make(user):
        token = accounts.create_token(user, "tests")
        db.session.commit()
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client

    return make


@pytest.fixture
def ada(make_user):
    """The user whose records the tests work on."""
    return make_user(email="ada@example.com", name="Ada Lovelace")


@pytest.fixture
def bob(make_user):
    """Another user, whose records Ada must never see or change."""
    return make_user(email="bob@example.com", name="Bob Noyce")


#: The fewest fields each kind of record needs (follow-ups and history also take a contact_id).
MINIMAL = {
    "event": {"name": "PyCon"},
    "target": {"name": "Guido van Rossum"},
    "contact": {"name": "Margaret Hamilton"},
    "followup": {"kind": "thank_you", "due_at": "2026-11-23T09:00:00+00:00"},
    "interaction": {"kind": "met", "at": "2026-11-22T09:00:00+00:00"},
    "promise": {"direction": "mine", "text": "Send the deck"},
    "introduction": {"note": "Both build compilers"},
    "dismissal": {},  # and an event and attendee of the user's (points_at makes them)
}


def points_at(kind, user):
    """{field: id} of what a record of kind must point at that is not a contact: a dismissal's
    event (a new one of the user's) and someone in its directory."""
    if kind != "dismissal":
        return {}
    event, _ = records.create(records.REGISTRY["event"], user, {"name": "PyCon"}, utcnow())
    attendee = Attendee(event_id=event.id, name="Guido van Rossum", title="Python core developer")
    db.session.add(attendee)
    db.session.commit()
    return {"event_id": str(event.id), "attendee_id": str(attendee.id)}


def _record_factory(record_type):
    def factory(app):
        """Return a factory of the user's records of one kind (committed)."""

        def make(user, **fields):
            data = {**MINIMAL[record_type.name], **fields}
            if record_type.name == "dismissal" and "event_id" not in fields:
                data.update(points_at(record_type.name, user))
            if record_type.name == "contact" and "met_at" not in data:
                # met a month before it was saved: in the order they are made, and too long
                # ago for the server to plan a thank-you (tests/test_follow_through.py does)
                data["met_at"] = (utcnow() - timedelta(days=30)).isoformat()
            # None for met_at leaves it to the server's default (when the card was saved)
            data = {k: v for k, v in data.items() if v is not None or k != "met_at"}
            values = record_type.parse(data)
            record, _ = records.create(record_type, user, values, utcnow())
            db.session.commit()
            return record

        return make

    return factory


# make_event, make_target, make_contact, ...: one per registered kind, so a new kind gets one.
for _name in kinds.NAMES:
    globals()[f"make_{_name}"] = pytest.fixture(
        _record_factory(records.REGISTRY[_name]), name=f"make_{_name}"
    )
