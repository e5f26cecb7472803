"""Quick capture on the server: photos made safe, duplicates merged without losing anything."""

import io

import pytest
from PIL import Image

from pwa.contacts.photos import photo_paths


def _jpeg(size=(400, 200), orientation=None, gps=False):
    image = Image.new("RGB", size, "white")
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))  # left half red
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _upload(api, contact_id, data, name="photo.jpg"):
    return api.post(
        f"/api/v1/contacts/{contact_id}/photo",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_photo_is_turned_upright_and_stripped_of_metadata(app, ada, api_as, make_contact):
    api = api_as(ada)
    contact = make_contact(ada)
    response = _upload(api, contact.id, _jpeg(orientation=6, gps=True))
    assert response.status_code == 200
    assert response.get_json()["photo_at"] is not None
    assert response.get_json()["version"] == 2  # other devices learn of the photo
    served = api.get(f"/api/v1/contacts/{contact.id}/photo")
    assert served.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(served.data))
    assert image.size == (200, 400)  # orientation 6 = rotated 90 degrees: now upright
    assert image.getpixel((100, 10))[0] > 200 and image.getpixel((100, 390))[0] > 200
    assert not image.getexif()  # no maker, no GPS, no orientation left
    assert b"PhoneMaker" not in served.data


def test_big_photo_is_bounded_and_gets_a_thumbnail(app, ada, api_as, make_contact):
    api = api_as(ada)
    contact = make_contact(ada)
    assert _upload(api, contact.id, _jpeg(size=(4000, 3000))).status_code == 200
    full = Image.open(io.BytesIO(api.get(f"/api/v1/contacts/{contact.id}/photo").data))
    thumb = api.get(f"/api/v1/contacts/{contact.id}/photo?size=thumb")
    assert full.size == (1600, 1200)
    assert Image.open(io.BytesIO(thumb.data)).size == (320, 240)


def _png_bomb():
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")  # tiny file, 400 megapixels
    return out.getvalue()


@pytest.mark.parametrize(
    "data, error",
    [
        (b"this is not a photo at all", "not_a_photo"),
        (b"%PDF-1.7\n1 0 obj", "not_a_photo"),
        (_jpeg()[:200], "not_a_photo"),
        (_png_bomb(), None),
    ],
    ids=["text", "pdf", "truncated", "bomb"],
)
def test_bad_photos_get_a_clear_error_and_the_card_stays(
    app, ada, api_as, make_contact, data, error
):
    api = api_as(ada)
    contact = make_contact(ada, notes="keep me")
    response = _upload(api, contact.id, data)
    assert response.status_code == 422
    assert response.get_json()["field"] == "file"
    if error:
        assert response.get_json()["error"] == error
    card = api.get(f"/api/v1/contacts/{contact.id}").get_json()
    assert (card["notes"], card["photo_at"], card["version"]) == ("keep me", None, 1)
    assert api.get(f"/api/v1/contacts/{contact.id}/photo").status_code == 404


def test_a_photo_over_the_limit_is_413(app, ada, api_as, make_contact):
    contact = make_contact(ada)
    boundary = "hallwayboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + b"\xff\xd8"
        + b"0" * (16 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = api_as(ada).post(
        f"/api/v1/contacts/{contact.id}/photo",
        input_stream=io.BytesIO(body),
        content_length=len(body),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"


def test_a_missing_file_is_422(app, ada, api_as, make_contact):
    contact = make_contact(ada)
    response = api_as(ada).post(f"/api/v1/contacts/{contact.id}/photo", data={})
    assert response.status_code == 422


def test_deleting_a_contact_removes_its_photo_files(app, ada, api_as, make_contact):
    api = api_as(ada)
    contact = make_contact(ada)
    _upload(api, contact.id, _jpeg())
    paths = photo_paths(app.config["DATA_DIR"], ada.id, contact.id)
    assert all(path.exists() for path in paths)
    assert api.delete(f"/api/v1/contacts/{contact.id}").status_code == 204
    assert not any(path.exists() for path in paths)


def test_merge_keeps_every_field_and_moves_what_hangs_on_the_duplicate(
    app, ada, api_as, make_contact, make_followup, make_interaction
):
    api = api_as(ada)
    keep = make_contact(
        ada,
        name="Grace Hopper",
        email="grace@navy.mil",
        notes="COBOL",
        tags=["navy"],
        met_at="2026-05-02T10:00:00+00:00",
    )
    other = make_contact(
        ada,
        name="Grace Hopper",
        email="grace@example.com",
        phone="+1 555 0100",
        notes="Nanoseconds wire",
        tags=["navy", "compilers"],
        i_promised="Send the paper",
        met_at="2026-05-01T09:00:00+00:00",
    )
    followup = make_followup(ada, contact_id=str(other.id))
    history = make_interaction(ada, contact_id=str(other.id))
    _upload(api, other.id, _jpeg())

    response = api.post(f"/api/v1/contacts/{keep.id}/merge", json={"other_id": str(other.id)})
    assert response.status_code == 200
    merged = response.get_json()
    assert merged["email"] == "grace@navy.mil"
    assert merged["phone"] == "+1 555 0100"
    assert merged["i_promised"] == "Send the paper"
    assert merged["notes"].splitlines() == [
        "COBOL",
        "Nanoseconds wire",
        "Also email: grace@example.com",
    ]
    assert merged["tags"] == ["navy", "compilers"]
    assert merged["met_at"].startswith("2026-05-01T09:00")
    assert merged["photo_at"] is not None
    assert api.get(f"/api/v1/contacts/{keep.id}/photo").status_code == 200
    assert api.get(f"/api/v1/contacts/{other.id}").status_code == 404
    assert api.get(f"/api/v1/followups/{followup.id}").get_json()["contact_id"] == str(keep.id)
    assert api.get(f"/api/v1/interactions/{history.id}").get_json()["contact_id"] == str(keep.id)


@pytest.mark.parametrize("other", ["self", "stranger", "missing", "not-a-uuid"])
def test_merge_refuses_what_is_not_my_other_contact(
    app, ada, api_as, make_user, make_contact, other
):
    api = api_as(ada)
    keep = make_contact(ada)
    other_id = {
        "self": str(keep.id),
        "stranger": str(make_contact(make_user()).id),
        "missing": "00000000-0000-4000-8000-000000000000",
        "not-a-uuid": "nope",
    }[other]
    response = api.post(f"/api/v1/contacts/{keep.id}/merge", json={"other_id": other_id})
    assert response.status_code == 422
    assert response.get_json()["field"] == "other_id"
    assert api.get(f"/api/v1/contacts/{keep.id}").get_json()["version"] == 1


def test_search_finds_by_name_company_notes_and_tags(app, ada, api_as, make_contact, make_user):
    api = api_as(ada)
    make_contact(ada, name="Ada Byron", company="Analytical Engines")
    make_contact(ada, name="Charles", notes="Talked about the difference engine")
    make_contact(ada, name="Mary", tags=["engineering"])
    make_contact(ada, name="Nobody", company="Elsewhere")
    make_contact(make_user(), name="Stranger Engine")
    found = api.get("/api/v1/contacts?q=ENGINE").get_json()
    assert sorted(c["name"] for c in found["items"]) == ["Ada Byron", "Charles", "Mary"]
