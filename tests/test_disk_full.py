"""A full disk: writes answer 507 in the documented shape, reads keep working, and nothing is half
written. SQLite's own page limit (`PRAGMA max_page_count`) fills the database for real."""

import io

import pytest
from PIL import Image
from sqlalchemy import event

from pwa import create_app
from pwa.auth import service as accounts
from pwa.db import db

from .conftest import FAST_HASH, PASSWORD


@pytest.fixture
def full_disk(tmp_path):
    """An app on the embedded SQLite database (whichever database the suite runs on: this is
    SQLite's own limit) that, from now on, cannot grow by a single page; and a client of Ada's
    with one contact saved."""
    app = create_app(
        {
            "TESTING": True,
            "DATA_DIR": str(tmp_path / "data"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'full.db'}",
            "SECRET_KEY": "test-secret",
        }
    )
    with app.app_context():
        db.create_all()
        user = accounts.register("ada@example.com", PASSWORD, "Ada", FAST_HASH)
        token = accounts.create_token(user, "tests")
        db.session.commit()
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        assert client.post("/api/v1/contacts", json={"name": "Already saved"}).status_code == 201

        def no_room(connection, _record):
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count = {pages}")

        event.listen(db.engine, "connect", no_room)
        db.session.remove()
        db.engine.dispose()  # new connections, each with the limit
        yield client
        db.session.remove()
        db.engine.dispose()


def test_a_full_disk_is_a_507_and_reads_still_work(full_disk):
    client = full_disk
    big = "x" * 9000  # more than the page or two left
    answer = client.post("/api/v1/contacts", json={"name": "Grace Hopper", "notes": big})
    assert answer.status_code == 507
    assert answer.json["error"] == "disk_full"
    assert "nothing was saved" in answer.json["message"]
    listed = client.get("/api/v1/contacts")
    assert listed.status_code == 200
    assert [c["name"] for c in listed.json["items"]] == ["Already saved"]


def test_a_full_disk_writing_a_file_is_a_507(make_user, make_contact, api_as, monkeypatch):
    user = make_user()
    contact = make_contact(user, name="Grace Hopper")
    client = api_as(user)
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(image, "JPEG")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Image.Image, "save", full)  # Pillow's encoder meets ENOSPC writing the file
    answer = client.post(
        f"/api/v1/contacts/{contact.id}/photo",
        data={"file": (io.BytesIO(image.getvalue()), "p.jpg")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 507 and answer.json["error"] == "disk_full"
