"""My card, its QR code, the public card page, "send me yours", and the mutual exchange."""

import base64
import io
from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from markupsafe import escape
from PIL import Image

from pwa.db import db, utcnow
from pwa.exchange.cards import my_card
from pwa.exchange.models import SHAREABLE
from pwa.exchange.qr import qr_payload
from pwa.exchange.vcard import fold, vcard
from pwa.ratelimit import RateEvent


@pytest.fixture
def ada_api(ada, api_as):
    api = api_as(ada)
    api.patch(
        "/api/v1/me/card",
        json={
            "name": "Ada Lovelace",
            "headline": "First programmer",
            "email": "ada@example.com",
            "phone": "+44 20 7946 0000",
            "intro": "I write programs for engines that do not exist yet.",
            "shared_fields": ["name", "headline", "intro", "phone"],
        },
    )
    return api


def _token(api):
    return api.get("/api/v1/me/card").get_json()["public_token"]


def test_qr_codes_in_both_formats_and_modes(app, ada, ada_api):
    svg = ada_api.get("/api/v1/me/card/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    png = ada_api.get("/api/v1/me/card/qr.png?mode=vcard")
    assert png.mimetype == "image/png"
    image = Image.open(io.BytesIO(png.data))
    assert image.getpixel((5, 5)) in (255, (255, 255, 255))  # white quiet zone: high contrast
    assert ada_api.get("/api/v1/me/card/qr.svg?mode=weird").status_code == 422
    card = my_card(ada)
    assert (
        qr_payload(card, "link", "https://hallway.example/")
        == f"https://hallway.example/c/{card.public_token}"
    )
    offline = qr_payload(card, "vcard", "https://hallway.example/")
    assert "FN:Ada Lovelace" in offline and "TEL;TYPE=CELL:+44 20 7946 0000" in offline
    assert "ada@example.com" not in offline  # not a shared field


def test_qr_is_cached_and_revalidated(app, ada, ada_api):
    first = ada_api.get("/api/v1/me/card/qr.svg")
    again = ada_api.get("/api/v1/me/card/qr.svg", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    ada_api.post("/api/v1/me/card/rotate")
    changed = ada_api.get(
        "/api/v1/me/card/qr.svg", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]


def test_public_card_shows_only_what_is_shared(app, client, ada, ada_api):
    page = client.get(f"/c/{_token(ada_api)}").get_data(as_text=True)
    assert "First programmer" in page and "+44 20 7946 0000" in page
    assert "ada@example.com" not in page
    assert "Save contact" in page and "Send <bdi>Ada</bdi> your details" in page
    assert "<script" not in page  # no inline script under the CSP


def test_the_public_card_and_its_vcard_are_kept_out_of_caches(app, client, ada, ada_api):
    token = _token(ada_api)
    for path in (f"/c/{token}", f"/c/{token}.vcf"):
        assert client.get(path).headers["Cache-Control"] == "private, no-store"
    sent = client.post(f"/c/{token}", data={"name": "Charles Babbage"})
    assert sent.headers["Cache-Control"] == "private, no-store"


def test_public_card_escapes_what_the_owner_typed(app, client, ada, ada_api):
    ada_api.patch("/api/v1/me/card", json={"headline": "<script>alert(1)</script>"})
    page = client.get(f"/c/{_token(ada_api)}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_rotating_the_token_kills_the_old_link(app, client, ada, ada_api):
    old = _token(ada_api)
    ada_api.post("/api/v1/me/card/rotate")
    assert client.get(f"/c/{old}").status_code == 404
    assert client.get(f"/c/{old}.vcf").status_code == 404
    assert client.get(f"/c/{_token(ada_api)}").status_code == 200


def test_vcard_imports_cleanly(app, client, ada, ada_api):
    ada_api.patch("/api/v1/me/card", json={"name": "Zoë Ångström-Łukasiewicz"})
    response = client.get(f"/c/{_token(ada_api)}.vcf")
    assert response.mimetype == "text/vcard"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and text.endswith("END:VCARD\r\n")
    assert "FN:Zoë Ångström-Łukasiewicz" in text
    assert "N:Ångström-Łukasiewicz;Zoë;;;" in text
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75


def test_folding_never_splits_a_character():
    line = "NOTE:" + "é" * 100
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert vcard({"name": "A;B,C"}).count("A\\;B\\,C") == 2


def test_send_me_your_details_lands_in_the_owners_people(app, client, ada, ada_api, api_as):
    token = _token(ada_api)
    response = client.post(
        f"/c/{token}",
        data={"name": "Charles Babbage", "email": "charles@example.com", "note": "Engines!"},
    )
    assert response.status_code == 200 and "Thank you" in response.get_data(as_text=True)
    [contact] = ada_api.get("/api/v1/contacts").get_json()["items"]
    assert (contact["name"], contact["email"], contact["notes"], contact["source"]) == (
        "Charles Babbage",
        "charles@example.com",
        "Engines!",
        "share-back",
    )
    [thank_you] = ada_api.get("/api/v1/followups").get_json()["items"]
    assert thank_you["kind"] == "thank_you" and thank_you["contact_id"] == contact["id"]


def test_the_honeypot_keeps_bots_out(app, client, ada, ada_api):
    response = client.post(f"/c/{_token(ada_api)}", data={"name": "Bot", "website": "http://spam"})
    assert response.status_code == 200  # the bot learns nothing
    assert len(ada_api.get("/api/v1/contacts").get_json()["items"]) == 0


@pytest.mark.parametrize(
    "form, field",
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "A", "email": "nope"}, "email"),
    ],
)
def test_bad_share_back_is_refused_with_the_reason(app, client, ada, ada_api, form, field):
    response = client.post(f"/c/{_token(ada_api)}", data=form)
    assert response.status_code == 422
    assert field in response.get_data(as_text=True)
    assert len(ada_api.get("/api/v1/contacts").get_json()["items"]) == 0


def test_share_back_is_rate_limited_per_address(app, client, ada, ada_api):
    token = _token(ada_api)
    for number in range(5):
        assert client.post(f"/c/{token}", data={"name": f"P{number}"}).status_code == 200
    blocked = client.post(f"/c/{token}", data={"name": "One too many"})
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    other = client.post(
        f"/c/{token}", data={"name": "Elsewhere"}, environ_base={"REMOTE_ADDR": "198.51.100.7"}
    )
    assert other.status_code == 200
    assert len(ada_api.get("/api/v1/contacts").get_json()["items"]) == 6


def test_share_back_is_rate_limited_per_card(app, client, ada, ada_api):
    from pwa.db import db, utcnow

    for _ in range(50):
        db.session.add(RateEvent(key=f"share-back:card:{ada.id}", at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    response = client.post(f"/c/{_token(ada_api)}", data={"name": "Late"})
    assert response.status_code == 429


def test_mutual_exchange_gives_each_the_others_card(app, ada, ada_api, make_user, api_as):
    grace = make_user(email="grace@example.com", name="Grace Hopper")
    grace_api = api_as(grace)
    token = _token(ada_api)
    response = grace_api.post("/api/v1/exchange", json={"token": token})
    assert response.status_code == 201
    theirs = response.get_json()
    assert (theirs["name"], theirs["source"], theirs["phone"]) == (
        "Ada Lovelace",
        "scan",
        "+44 20 7946 0000",
    )
    assert theirs["email"] is None  # Ada does not share it
    [mine] = ada_api.get("/api/v1/contacts").get_json()["items"]
    assert (mine["name"], mine["source"]) == ("Grace Hopper", "exchange")
    again = grace_api.post("/api/v1/exchange", json={"token": token})  # a retry
    assert again.get_json()["id"] == theirs["id"]
    assert len(grace_api.get("/api/v1/contacts").get_json()["items"]) == 1
    assert len(ada_api.get("/api/v1/contacts").get_json()["items"]) == 1
    assert len(grace_api.get("/api/v1/followups").get_json()["items"]) == 1


def test_an_exchange_brings_my_photo_to_their_people(app, ada_api, make_user, api_as):
    _upload_mine(ada_api, _photo())
    grace_api = api_as(make_user(email="grace@example.com", name="Grace Hopper"))
    theirs = grace_api.post("/api/v1/exchange", json={"token": _token(ada_api)}).get_json()
    assert theirs["photo_at"] is not None
    photo = grace_api.get(f"/api/v1/contacts/{theirs['id']}/photo")
    assert photo.data == ada_api.get("/api/v1/me/card/photo").data
    [mine] = ada_api.get("/api/v1/contacts").get_json()["items"]
    assert mine["photo_at"] is None  # Grace has no photo on her card


def test_an_exchange_kept_offline_is_dated_when_the_link_was_scanned(
    app, ada, ada_api, make_user, api_as
):
    grace = make_user(email="grace@example.com", name="Grace Hopper")
    grace.timezone = "Europe/London"
    db.session.commit()
    grace_api = api_as(grace)
    day = (utcnow() - timedelta(days=3)).date()  # kept offline three days
    scanned = datetime.combine(day, time(15, 30), tzinfo=UTC)
    paris = scanned.astimezone(timezone(timedelta(hours=1))).isoformat()
    body = {"token": _token(ada_api), "met_at": paris}
    response = grace_api.post("/api/v1/exchange", json=body)
    assert response.status_code == 201
    assert datetime.fromisoformat(response.get_json()["met_at"]) == scanned
    [thank_you] = grace_api.get("/api/v1/followups").get_json()["items"]
    # The thank-you is due the morning after they met (so now overdue), not after the sync.
    next_morning = datetime.combine(
        day + timedelta(days=1), time(9), tzinfo=ZoneInfo("Europe/London")
    )
    assert datetime.fromisoformat(thank_you["due_at"]) == next_morning
    [mine] = ada_api.get("/api/v1/contacts").get_json()["items"]
    assert datetime.fromisoformat(mine["met_at"]) == scanned


def test_an_exchange_dated_in_the_future_is_refused(app, ada, ada_api, make_user, api_as):
    grace_api = api_as(make_user(email="grace@example.com"))
    later = (utcnow() + timedelta(hours=1)).isoformat()
    response = grace_api.post("/api/v1/exchange", json={"token": _token(ada_api), "met_at": later})
    assert response.status_code == 422
    assert response.get_json()["field"] == "met_at"
    assert len(grace_api.get("/api/v1/contacts").get_json()["items"]) == 0


def test_exchange_refuses_my_own_card_and_dead_links(app, ada, ada_api):
    assert ada_api.post("/api/v1/exchange", json={"token": _token(ada_api)}).status_code == 422
    assert ada_api.post("/api/v1/exchange", json={"token": "not-a-real-token"}).status_code == 404


def test_deleting_my_account_forgets_the_rate_counts_kept_under_my_id(app, client, ada, ada_api):
    from pwa.db import db

    ada_id = str(ada.id)
    client.post(f"/c/{_token(ada_api)}", data={"name": "Visitor"})
    keys = lambda: [e.key for e in db.session.scalars(db.select(RateEvent))]  # noqa: E731
    assert f"share-back:card:{ada_id}" in keys()
    assert ada_api.delete("/api/v1/me").status_code == 204
    assert not [key for key in keys() if ada_id in key]
    assert any(key.startswith("share-back:address:") for key in keys())  # not about Ada


def test_a_new_card_shares_every_filled_field_but_the_phone(app, client, make_user, api_as):
    api = api_as(make_user(email="grace@example.com", name="Grace Hopper"))
    filled = {
        "headline": "Compilers for everyone",
        "company": "US Navy",
        "title": "Rear Admiral",
        "email": "grace@example.com",
        "phone": "+1 555 0100",
        "url": "https://grace.example.com",
        "intro": "I make computers speak English.",
    }
    card = api.patch("/api/v1/me/card", json=filled).get_json()
    assert card["shared_fields"] == [name for name in SHAREABLE if name != "phone"]
    page = client.get(f"/c/{card['public_token']}").get_data(as_text=True)
    vcf = client.get(f"/c/{card['public_token']}.vcf").get_data(as_text=True)
    for name, value in filled.items():
        if name == "phone":
            assert value not in page and value not in vcf
        else:
            assert escape(value) in page
    assert "<bdi>Rear Admiral</bdi> at <bdi>US Navy</bdi>" in page
    assert "EMAIL;TYPE=INTERNET:grace@example.com" in vcf and "ORG:US Navy" in vcf


def test_a_field_turned_off_stays_off_and_a_field_filled_later_is_shared(
    app, client, make_user, api_as
):
    api = api_as(make_user(email="grace@example.com", name="Grace Hopper"))
    without_email = [name for name in SHAREABLE if name not in ("email", "phone")]
    api.patch("/api/v1/me/card", json={"shared_fields": without_email})
    card = api.patch(
        "/api/v1/me/card", json={"email": "grace@example.com", "company": "US Navy"}
    ).get_json()
    assert card["shared_fields"] == without_email
    page = client.get(f"/c/{card['public_token']}").get_data(as_text=True)
    assert "US Navy" in page
    assert "grace@example.com" not in page


def _photo(size=(600, 300), orientation=6):
    image = Image.new("RGB", size, "white")
    exif = Image.Exif()
    exif[0x0112] = orientation  # taken sideways: shown upright only once turned
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _upload_mine(api, data):
    return api.post(
        "/api/v1/me/card/photo",
        data={"file": (io.BytesIO(data), "me.jpg")},
        content_type="multipart/form-data",
    )


def test_my_photo_is_cleaned_and_shown_on_the_public_card_and_its_vcard(app, client, ada_api):
    before = ada_api.get("/api/v1/me/card").get_json()
    answer = _upload_mine(ada_api, _photo())
    assert answer.status_code == 200
    card = answer.get_json()
    assert card["photo_at"] is not None and card["version"] == before["version"] + 1

    mine = ada_api.get("/api/v1/me/card/photo")
    assert mine.mimetype == "image/jpeg" and mine.headers["Cache-Control"] == "private, no-store"
    image = Image.open(io.BytesIO(mine.data))
    assert image.size == (300, 600)  # upright
    assert not image.getexif()  # no camera, no place
    thumb = Image.open(io.BytesIO(ada_api.get("/api/v1/me/card/photo?size=thumb").data))
    assert max(thumb.size) == 320

    token = card["public_token"]
    page = client.get(f"/c/{token}").get_data(as_text=True)
    assert f'src="/c/{token}/photo"' in page
    public = client.get(f"/c/{token}/photo")
    assert public.data == ada_api.get("/api/v1/me/card/photo?size=thumb").data
    assert public.headers["Cache-Control"] == "private, no-store"
    vcf = client.get(f"/c/{token}.vcf").get_data(as_text=True)
    unfolded = vcf.replace("\r\n ", "")
    [line] = [line for line in unfolded.split("\r\n") if line.startswith("PHOTO")]
    assert line.startswith("PHOTO;ENCODING=b;TYPE=JPEG:")
    assert base64.b64decode(line.split(":", 1)[1]) == public.data
    assert all(len(line.encode()) <= 75 for line in vcf.split("\r\n"))
    # A QR code holds a few hundred bytes: its vCard carries no photo.
    assert "PHOTO" not in qr_payload(my_card_of(ada_api), "vcard", "https://hallway.example/")


def my_card_of(api):
    from pwa.exchange.models import Card

    return db.session.scalar(db.select(Card).where(Card.public_token == _token(api)))


def test_removing_my_photo_brings_the_initials_back(app, client, ada_api):
    _upload_mine(ada_api, _photo())
    card = ada_api.delete("/api/v1/me/card/photo").get_json()
    assert card["photo_at"] is None
    token = card["public_token"]
    assert ada_api.get("/api/v1/me/card/photo").status_code == 404
    assert client.get(f"/c/{token}/photo").status_code == 404
    assert "PHOTO" not in client.get(f"/c/{token}.vcf").get_data(as_text=True)
    page = client.get(f"/c/{token}").get_data(as_text=True)
    assert "/photo" not in page and ">AL</span>" in page


@pytest.mark.parametrize(
    "data, error", [(b"not a photo at all", "not_a_photo"), (None, "invalid_field")]
)
def test_a_bad_photo_is_refused_and_the_card_stays(app, ada_api, data, error):
    before = ada_api.get("/api/v1/me/card").get_json()
    body = {} if data is None else {"file": (io.BytesIO(data), "me.jpg")}
    answer = ada_api.post("/api/v1/me/card/photo", data=body, content_type="multipart/form-data")
    assert answer.status_code == 422
    assert answer.get_json()["error"] == error and answer.get_json()["field"] == "file"
    assert ada_api.get("/api/v1/me/card").get_json() == before


@pytest.mark.parametrize(
    "name, initials, first",
    [("李小龙", "李", "李小龙"), ("Ζωή Παπαδοπούλου", "ΖΠ", "Ζωή"), ("محمد علي", "مع", "محمد")],
)
def test_names_in_any_script_get_initials_and_a_greeting(
    app, client, ada_api, name, initials, first
):
    ada_api.patch("/api/v1/me/card", json={"name": name})
    response = client.get(f"/c/{_token(ada_api)}")
    page = response.get_data(as_text=True)
    assert f'<h1 id="card-name">{name}</h1>' in page
    assert f">{initials}</span>" in page
    assert f"Send <bdi>{first}</bdi> your details" in page
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"


def test_a_null_share_list_is_refused_not_a_server_error(ada_api):
    answer = ada_api.patch("/api/v1/me/card", json={"shared_fields": None})

    assert answer.status_code == 422
    assert answer.get_json()["field"] == "shared_fields"
    assert ada_api.get("/api/v1/me/card").get_json()["shared_fields"] == [
        "name",
        "headline",
        "phone",
        "intro",
    ]


def test_a_card_change_made_on_an_old_version_is_a_409_and_nothing_changes(ada_api):
    card = ada_api.get("/api/v1/me/card").get_json()
    first = ada_api.patch("/api/v1/me/card", json={"headline": "Phone", "version": card["version"]})
    assert first.status_code == 200 and first.json["version"] == card["version"] + 1
    stale = ada_api.patch(
        "/api/v1/me/card", json={"headline": "Laptop", "version": card["version"]}
    )
    assert stale.status_code == 409
    assert stale.json["error"] == "version_conflict" and stale.json["field"] == "version"
    assert ada_api.get("/api/v1/me/card").json["headline"] == "Phone"
    # Without a version (a script), the change applies to whatever is there.
    assert ada_api.patch("/api/v1/me/card", json={"headline": "Script"}).status_code == 200


def test_a_vcard_never_starts_a_line_inside_a_value_whatever_newlines_a_note_holds():
    from pwa.exchange.vcard import vcard

    text = vcard({"name": "Ada", "intro": "one\rtwo\r\nthree\nfour", "title": "CTO\r"})
    lines = text.split("\r\n")
    assert "\r" not in "".join(lines) and "\n" not in "".join(lines)
    assert "NOTE:one\\ntwo\\nthree\\nfour" in lines and "TITLE:CTO\\n" in lines
