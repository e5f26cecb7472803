"""A database busy past its timeout answers 503 busy with Retry-After, never a 500."""

import sqlite3
import threading
import uuid

import pytest
from sqlalchemy.exc import OperationalError

from pwa import create_app
from pwa.auth import service as accounts
from pwa.auth.models import User
from pwa.contacts.models import Contact
from pwa.db import db, one_writer, read_only, write_now, writing

from .conftest import FAST_HASH, PASSWORD


def busy_app(tmp_path, timeout=0.2):
    """An app on its own SQLite file that gives up on the write lock after timeout seconds, and
    a client signed in to it."""
    path = tmp_path / "busy.db"
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(tmp_path / "data"),
            "DATABASE_URL": f"sqlite:///{path}",
            "SECRET_KEY": "test-secret",
            "DATABASE_BUSY_TIMEOUT": timeout,
        }
    )
    with app.app_context():
        db.create_all()
        user = accounts.register("ada@example.com", PASSWORD, "Ada", FAST_HASH)
        token = accounts.create_token(user, "tests")
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return app, client, path


def new_contact():
    return {"kind": "contact", "id": str(uuid.uuid4()), "op": "upsert", "fields": {"name": "Al"}}


def test_a_write_lock_held_past_the_busy_timeout_is_a_503_with_retry_after(tmp_path):
    app, client, path = busy_app(tmp_path)
    change = new_contact()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        answer = client.post("/api/v1/sync", json={"changes": [change]})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert answer.status_code == 503
    assert answer.json["error"] == "busy"
    assert answer.json["message"]
    assert int(answer.headers["Retry-After"]) >= 1
    again = client.post("/api/v1/sync", json={"changes": [change]})  # the lock is gone
    assert again.status_code == 200
    assert again.json["results"][0]["status"] == "applied"
    with app.app_context():
        db.engine.dispose()


def test_a_sync_waiting_past_the_busy_timeout_for_this_process_s_writer_is_a_503(tmp_path):
    """The threads of one process take turns to write a sync batch (pwa.db.one_writer): one
    that waits for its turn longer than the busy timeout answers busy, like SQLite's own."""
    app, client, _path = busy_app(tmp_path)
    turn_taken, done = threading.Event(), threading.Event()

    def another_request_writing():
        with app.test_request_context(), one_writer():
            turn_taken.set()
            done.wait(10)

    writer = threading.Thread(target=another_request_writing)
    writer.start()
    try:
        turn_taken.wait(10)
        change = new_contact()
        answer = client.post("/api/v1/sync", json={"changes": [change]})
        assert answer.status_code == 503
        assert answer.json["error"] == "busy"
        assert int(answer.headers["Retry-After"]) >= 1
    finally:
        done.set()
        writer.join()
    again = client.post("/api/v1/sync", json={"changes": [change]})  # its turn comes at once
    assert again.status_code == 200
    assert again.json["results"][0]["status"] == "applied"
    with app.app_context():
        db.engine.dispose()


def test_syncs_of_many_threads_at_once_all_apply(tmp_path):
    app, client, _path = busy_app(tmp_path, timeout=30)
    answers = []

    def sync():
        batch = [new_contact() for _ in range(20)]
        answers.append(client.post("/api/v1/sync", json={"changes": batch}))

    threads = [threading.Thread(target=sync) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [answer.status_code for answer in answers] == [200] * 8
    statuses = {r["status"] for answer in answers for r in answer.json["results"]}
    assert statuses == {"applied"}
    with app.app_context():
        assert db.session.query(Contact).count() == 160
        db.engine.dispose()


def test_a_turn_that_fails_gives_sqlite_s_lock_back_with_it(tmp_path):
    """What goes wrong while a request writes in its turn is rolled back before the next turn,
    so the next writer (another process's included) finds SQLite's lock free at once."""
    app, _client, path = busy_app(tmp_path)
    with app.test_request_context(method="POST"):
        with pytest.raises(RuntimeError), one_writer():
            accounts.register("bob@example.com", PASSWORD, "Bob", FAST_HASH)
            db.session.flush()  # holds SQLite's write lock now
            raise RuntimeError("a bug after the first write")
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # "database is locked" if the lock were still held
        other.execute("ROLLBACK")
        other.close()
        db.session.remove()
    with app.app_context():
        assert db.session.query(User).filter_by(email="bob@example.com").first() is None
        db.engine.dispose()


def test_a_read_only_stretch_of_the_worker_reads_beside_another_writer(tmp_path):
    """The worker's transactions take the write lock when they begin (pwa.db.writing); a
    read_only() stretch of it does not, so it reads while another process writes."""
    app, _client, path = busy_app(tmp_path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process is writing
    marked = writing.set(True)  # as in the worker's thread
    try:
        with app.app_context():
            with read_only():
                assert db.session.query(User).count() == 1
            with pytest.raises(OperationalError, match="locked"), write_now():  # still queues
                db.session.query(User).count()
    finally:
        writing.reset(marked)
        holder.execute("ROLLBACK")
        holder.close()
