"""A database busy past its timeout answers 503 busy with Retry-After, never a 500."""

import sqlite3
import uuid

from pwa import create_app
from pwa.auth import service as accounts
from pwa.db import db

from .conftest import FAST_HASH, PASSWORD


def test_a_write_lock_held_past_the_busy_timeout_is_a_503_with_retry_after(tmp_path):
    path = tmp_path / "busy.db"
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(tmp_path / "data"),
            "DATABASE_URL": f"sqlite:///{path}",
            "SECRET_KEY": "test-secret",
            "DATABASE_BUSY_TIMEOUT": 0.2,
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
    change = {"kind": "contact", "id": str(uuid.uuid4()), "op": "upsert", "fields": {"name": "Al"}}
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
