"""vCard files in and out (pwa/transfer/vcards.py): every sample in tests/data/vcards/ reads as
the program that wrote it meant, a broken card is one error among the rest, a 5 MB photo is
cheap, and everything Hallway writes reads back field by field, by our reader and by vobject."""

import base64
import io
import string
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from pwa.contacts.photos import process_photo, store_photo
from pwa.db import db, utcnow
from pwa.exchange.payloads import parse_payload
from pwa.exchange.payloads.text import clean_line, clean_notes
from pwa.transfer import exports, vcards
from pwa.transfer.vcards import read_cards, write_cards

SAMPLES = Path(__file__).parent / "data" / "vcards"


def read(name):
    return list(read_cards((SAMPLES / name).read_bytes()))


def fields(name):
    return [entry.fields for entry in read(name)]


def test_apple_contacts_3_0():
    person, company = read("apple-3.0.vcf")
    assert person.fields == {
        "name": "Łukasz Żółć",
        "company": "Fabryka Kodu",
        "title": "Staff Engineer",
        "email": "lukasz@fabryka.example",
        "phone": "+48 600 100 200",
        "url": "https://fabryka.example/lukasz",  # iOS escapes the colon: http\://
        "notes": "Met at the Rust meetup\nWants the slides, and an intro to Ola\n"
        "Phone (work): +48 22 100 20 30\nDepartment: Platform",
    }
    assert person.photo[:3] == b"\xff\xd8\xff" and person.line == 1
    assert company.fields == {
        "name": "Fabryka Kodu",
        "company": "Fabryka Kodu",
        "email": "hello@fabryka.example",
    }
    assert company.line == 29


def test_google_contacts_3_0():
    giorgos, wang, huong = read("google-3.0.vcf")
    assert giorgos.fields["notes"] == (
        'Said "call me after the keynote"; we talked about drones for field surveys and the '
        "grant deadline in March"
    )  # a fold followed by a real space keeps the space
    assert giorgos.fields["tags"] == ["Investors"]  # myContacts is every Google contact's group
    assert giorgos.fields["url"] == "https://athens.example"
    assert giorgos.photo is None  # a photo link is never fetched
    assert wang.fields == {"name": "王芳", "email": "wang.fang@example.cn"}
    assert huong.fields == {
        "name": "Nguyễn Thị Hương",
        "company": "Hanoi Labs",
        "phone": "+84 24 3826 1234",
    }


def test_outlook_2_1_in_windows_1252_with_quoted_printable_and_a_photo():
    (juergen,) = read("outlook-2.1-windows-1252.vcf")
    assert juergen.fields == {
        "name": "Jürgen Müller",
        "company": "Bäckerei Müller GmbH",
        "title": "Geschäftsführer",
        "email": "juergen@baeckerei.example",
        "phone": "+49 30 1234567",
        "notes": "Messestand 4B: Café-Runde mit Jürgen\nNächster Schritt: Angebot – bis Freitag\n"
        "Phone (cell): +49 170 1234567",
    }
    assert juergen.photo[:3] == b"\xff\xd8\xff"  # base64 lines indented, then a blank line


def test_android_2_1_quoted_printable_in_utf_8_and_shift_jis():
    anna, taro = fields("android-2.1.vcf")
    assert anna == {
        "name": "Анна Ковалёва",
        "email": "anna@kovaleva.example",
        "phone": "+7 912 345-67-89",
        "notes": "Познакомились на PyCon.\nОбещала прислать статью.",
    }
    # Shift_JIS trail bytes written as letters (=8ER is 山): decoded as one value
    assert taro == {
        "name": "山田太郎",
        "company": "株式会社サンプル",
        "email": "taro@sample.example.jp",
        "phone": "090-1234-5678",
    }


def test_thunderbird_4_0():
    assert fields("thunderbird-4.0.vcf") == [
        {
            "name": "Noa Cohen",
            "company": "Tel Aviv Data",
            "title": "Researcher",
            "email": "noa@cohen.example",
            "phone": "+972 50 123 4567",
            "url": "https://cohen.example",
            "notes": "נועה כהן, met at the data track\nEmail (work): noa.cohen@work.example",
        }
    ]


def test_a_carddav_server_4_0_with_a_data_uri_photo():
    (layla,) = read("carddav-4.0.vcf")
    assert layla.fields == {
        "name": "Layla Haddad",
        "company": "Beirut Makers",
        "email": "layla@makers.example",
        "phone": "+961-3-123456",
        "notes": "Department: Hardware",
        "tags": ["maker", "hardware, open", "speaker"],
    }
    assert layla.photo[:8] == b"\x89PNG\r\n\x1a\n"


def test_grouped_and_lower_case_properties():
    assert fields("grouped-lowercase.vcf") == [
        {
            "name": "Ada Lovelace",
            "company": "Analytical Engines",
            "title": "Analyst",
            "email": "ada@analytical.example",
            "phone": "+44 20 7946 0000",
            "notes": "Email (Home): ada.home@example.org",
            "tags": ["math", "poetry"],
        }
    ]


def test_a_card_inside_a_card_is_not_a_contact_and_the_outer_card_goes_on():
    assert fields("nested-agent.vcf") == [
        {
            "name": "Chinedu Okafor",
            "company": "Lagos Fintech",
            "title": "Founder",
            "email": "chinedu@lagosfintech.example",
        },
        {"name": "Sam Park", "email": "sam@park.example"},
    ]


def test_badly_folded_lf_only_with_a_bom_and_no_end():
    maria, priya = read("badly-folded.vcf")
    assert maria.fields == {
        "name": "María José García",  # folded with a tab
        "company": "Universidad de Sevilla",
        "email": "maria.jose@us.example",
        # a quoted-printable soft break, and a fold that lost its leading space
        "notes": "Habló de la beca;próxima reunión en mayo\n"
        "Second note whose fold lost its leading space",
    }
    assert priya.fields["name"] == "Priya Raman" and priya.line == 14


def test_a_truncated_file_keeps_what_it_has_and_a_card_without_name_is_an_error():
    olu, nameless, ines = read("truncated.vcf")
    assert olu.fields == {"name": "Olu Bello", "email": "olu@bello.example"}
    assert (nameless.line, nameless.error) == (6, "This card has no name (FN or N).")
    assert ines.fields == {
        "name": "Ines Duarte",
        "company": "Lisbon",
        "notes": "We stopped talking when the fi",
    }


def test_a_card_that_breaks_the_reader_is_an_error_and_the_rest_goes_on(monkeypatch):
    real = vcards.card_of

    def card_of(properties):
        if any(value == "Bad" for _, _, _, value in properties):
            raise RuntimeError("a bug")
        return real(properties)

    monkeypatch.setattr(vcards, "card_of", card_of)
    data = (
        b"BEGIN:VCARD\nFN:Good\nEND:VCARD\nBEGIN:VCARD\nFN:Bad\nEND:VCARD\nBEGIN:VCARD\nFN:Also\n"
    )
    assert [(e.line, e.error, e.fields.get("name")) for e in read_cards(data)] == [
        (1, None, "Good"),
        (4, "This card could not be read.", None),
        (7, None, "Also"),
    ]


def test_whole_file_encodings_and_mixed_lines():
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ñuñez 王\r\nEND:VCARD\r\n"
    for data in (card.encode("utf-16"), card.encode("utf-16-le"), b"\xef\xbb\xbf" + card.encode()):
        assert [e.fields for e in read_cards(data)] == [{"name": "Zoë Ñuñez 王"}]
    mixed = (
        "BEGIN:VCARD\nFN:Zoë\nEND:VCARD\n".encode()
        + "BEGIN:VCARD\nFN;CHARSET=SHIFT_JIS:山田\nEND:VCARD\n".encode("cp932")
        + "BEGIN:VCARD\nFN:Jürgen\nEND:VCARD\n".encode("cp1252")
    )
    assert [e.fields["name"] for e in read_cards(mixed)] == ["Zoë", "山田", "Jürgen"]


def test_a_file_without_cards_yields_nothing():
    assert list(read_cards(b"")) == []
    assert list(read_cards(b"name,email\nAda,ada@example.com\n")) == []


def test_a_5_mb_photo_is_read_in_linear_time_and_memory():
    photo = bytes(range(256)) * (5 * 1024 * 1024 // 256)
    encoded = base64.b64encode(photo).decode()
    lines = [encoded[i : i + 74] for i in range(0, len(encoded), 74)]
    data = "BEGIN:VCARD\r\nFN:Big Photo\r\nPHOTO;ENCODING=b;TYPE=JPEG:" + "\r\n ".join(lines)
    data = (data + "\r\nEMAIL:big@photo.example\r\nEND:VCARD\r\n").encode()
    tracemalloc.start()
    started = time.perf_counter()
    (entry,) = read_cards(data)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert entry.photo == photo and entry.fields["email"] == "big@photo.example"
    assert elapsed < 10  # about 1 s; joining the pieces one by one took minutes
    assert peak < 12 * len(data)


def test_tags_written_as_categories_are_read_back_by_the_scan_parser():
    (card,) = write_cards([{"name": "Ada", "tags": ["investor", "a, b; c\\d"]}])
    assert parse_payload(card)["contact"]["tags"] == ["investor", "a, b; c\\d"]


# -- writing ---------------------------------------------------------------------------------

EVERYTHING = {
    "id": "0b6f7c1e-1111-4222-8333-444455556666",
    "name": "Łukasz Żółć",
    "company": "Fabryka, Kodu; S.A.",
    "title": "CTO",
    "email": "lukasz@fabryka.example",
    "phone": "+48 600 100 200",
    "url": "https://fabryka.example/a,b;c",
    "notes": "one\rtwo\r\nthree\nfour \\ five",
    "tags": ["investor", "rust, wasm"],
    "event_id": "e1",
    "met_at": datetime(2026, 5, 1, 9, 30, tzinfo=UTC),
    "i_promised": "Send the deck",
    "they_promised": "An intro to Ola",
    "next_step": "Call on Friday",
    "next_step_due": date(2026, 5, 8),
    "no_next_step": False,
    "source": "scan",
    "raw_payload": "BEGIN:VCARD\r\nFN:Łukasz\r\nEND:VCARD",
}


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_every_field_is_written_and_read_back(version):
    (text,) = write_cards([EVERYTHING], version, lambda c: b"\xff\xd8\xffphoto", {"e1": "PyCon"})
    assert text.startswith(f"BEGIN:VCARD\r\nVERSION:{version}\r\n")
    assert text.endswith("END:VCARD\r\n")
    lines = text.split("\r\n")
    assert "\r" not in "".join(lines) and "\n" not in "".join(lines)
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "CATEGORIES:investor,rust\\, wasm" in lines
    assert "NOTE:one\\ntwo\\nthree\\nfour \\\\ five" in lines
    (entry,) = read_cards(text.encode())
    assert entry.photo == b"\xff\xd8\xffphoto" and entry.event == "PyCon"
    assert entry.fields == {
        "name": "Łukasz Żółć",
        "company": "Fabryka, Kodu; S.A.",
        "title": "CTO",
        "email": "lukasz@fabryka.example",
        "phone": "+48 600 100 200",
        "url": "https://fabryka.example/a,b;c",
        "notes": "one\ntwo\nthree\nfour \\ five",
        "tags": ["investor", "rust, wasm"],
        "event_id": "e1",
        "met_at": "2026-05-01T09:30:00Z",
        "i_promised": "Send the deck",
        "they_promised": "An intro to Ola",
        "next_step": "Call on Friday",
        "next_step_due": "2026-05-08",
        "no_next_step": False,
        "source": "scan",
        "raw_payload": "BEGIN:VCARD\nFN:Łukasz\nEND:VCARD",
    }


def test_folding_never_splits_a_character():
    (text,) = write_cards([{"name": "王" * 100 + "é" * 100 + "😀" * 50}])
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75
        line.encode().decode()  # each physical line is whole UTF-8 on its own


def test_an_unknown_version_is_refused():
    with pytest.raises(ValueError):
        list(write_cards([{"name": "Ada"}], "2.1"))


# -- the round trip, over random contacts -----------------------------------------------------

#: Any character a contact can hold (no NUL, which the API refuses, and no lone surrogate).
ANY = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
SPICY = st.sampled_from([",", ";", "\\", ":", "\r", "\n", "\r\n", "\\n", '"', "=", " ", "\t"])
TEXT = st.lists(st.one_of(st.text(ANY, max_size=8), SPICY, st.sampled_from(["ﷺ", "é", "𝔘"])))
SOME_TEXT = TEXT.map("".join)
LINE = SOME_TEXT.filter(lambda text: clean_line(text) != "")
WORD = st.text(
    st.characters(whitelist_categories=("L", "M", "N", "P", "S"), blacklist_characters="@"),
    min_size=1,
    max_size=12,
)
EMAIL = st.builds(lambda local, host: f"{local}@{host}.example", WORD, WORD)
PHONE = st.text(string.digits + " +-().,;#*", min_size=1, max_size=30).filter(clean_line)
URL = st.builds(
    lambda host, path: f"https://{host}.example/{path}",
    st.text(string.ascii_lowercase, min_size=1, max_size=10),
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Z"), blacklist_characters="\ufeff"),
        max_size=20,
    ),
)
TAGS = st.lists(LINE.map(lambda tag: clean_line(tag, 50)), max_size=5, unique=True)
WHEN = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
CONTACTS = st.fixed_dictionaries(
    {"name": LINE},
    optional={
        "company": LINE,
        "title": LINE,
        "email": EMAIL,
        "phone": PHONE,
        "url": URL,
        "notes": SOME_TEXT,
        "tags": TAGS,
        "event": LINE,
        "met_at": WHEN,
        "i_promised": SOME_TEXT,
        "they_promised": SOME_TEXT,
        "next_step": SOME_TEXT,
        "next_step_due": st.dates(),
        "no_next_step": st.booleans(),
        "source": st.sampled_from(["capture", "scan", "import", "share-back"]),
        "raw_payload": SOME_TEXT,
    },
)


def one_line_ends(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def expected_fields(contact):
    """What the reader gives back: line fields cleaned as every import cleans them (controls
    dropped, runs of spaces made one), notes with one kind of line end, dates in ISO 8601."""
    expected = {}
    for name, value in contact.items():
        if name == "event":
            continue  # Entry.event, beside the fields
        if name in ("name", "company", "title", "email", "phone", "url", "source"):
            expected[name] = clean_line(value, 200 if name != "url" else 2048)
        elif name == "notes":
            expected[name] = clean_notes(value)
        elif name == "tags":
            expected[name] = [tag for tag in value if tag != "myContacts"]
        elif name == "met_at":
            expected[name] = value.isoformat().replace("+00:00", "Z")
        elif name == "next_step_due":
            expected[name] = value.isoformat()
        elif name == "no_next_step":
            expected[name] = value
        else:
            expected[name] = one_line_ends(value)
    return {name: value for name, value in expected.items() if value not in ("", [], None)}


@pytest.mark.parametrize("version", ["3.0", "4.0"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    contacts=st.lists(CONTACTS, min_size=1, max_size=3), photo=st.none() | st.binary(max_size=300)
)
def test_round_trip_through_our_reader_and_vobject(version, contacts, photo):
    text = "".join(write_cards(contacts, version, lambda c: photo))
    entries = list(read_cards(text.encode()))
    assert [e.fields for e in entries] == [expected_fields(c) for c in contacts]
    assert [e.event for e in entries] == [clean_line(c.get("event", "")) or None for c in contacts]
    assert [e.photo for e in entries] == [photo or None] * len(contacts)
    parsed = list(vobject.readComponents(text))
    assert len(parsed) == len(contacts)
    for card, contact in zip(parsed, contacts, strict=True):
        assert_vobject_reads(card, contact, version, photo)


def assert_vobject_reads(card, contact, version, photo):
    """vobject reads every value as we wrote it (it does not know vCard 4.0's data: URIs)."""
    assert card.fn.value == contact["name"].replace("\r\n", "\n").replace("\r", "\n")
    simple = {"title": "title", "email": "email", "phone": "tel", "url": "url", "notes": "note"}
    for field, prop in simple.items():
        if contact.get(field):
            assert card.contents[prop][0].value == one_line_ends(contact[field])
    if contact.get("company"):
        assert card.org.value == [one_line_ends(contact["company"])]
    if contact.get("tags"):
        assert card.categories.value == contact["tags"]
    for field, prop in vcards.HALLWAY.items():
        value = contact.get(field)
        if isinstance(value, str) and value:
            assert card.contents[prop.lower()][0].value == one_line_ends(value)
    if photo and version == "3.0":
        assert card.photo.value == photo


# -- GET /api/v1/export/contacts.vcf ----------------------------------------------------------


@pytest.fixture
def exported(app, ada, bob, make_event, make_contact):
    """Ada's three contacts (one met at PyCon with a photo, one tagged) and one of Bob's."""
    pycon = make_event(ada, name="PyCon US")
    met = make_contact(
        ada,
        name="Nguyễn Thị Hương",
        event_id=str(pycon.id),
        notes="Asked about\r\nthe grant",
        i_promised="Send the deck",
        met_at="2026-05-01T09:30:00+00:00",
    )
    make_contact(ada, name="Ola Nordmann", tags=["investor"], company="Fjord, AS")
    make_contact(ada, name="Grace Hopper")
    make_contact(bob, name="Bob's friend")
    image = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(image, "PNG")
    store_photo(app.config["DATA_DIR"], met, *process_photo(image.getvalue()))
    met.photo_at = utcnow()
    db.session.commit()
    return pycon


def export(client, query=""):
    response = client.get(f"/api/v1/export/contacts.vcf{query}")
    response.streamed = response.is_streamed  # before reading: the body is then kept
    return response, list(read_cards(response.get_data()))


def test_the_export_has_my_contacts_with_every_field_and_the_photo(api_as, ada, exported):
    response, entries = export(api_as(ada))
    assert response.status_code == 200 and response.streamed
    assert response.headers["Content-Type"] == "text/vcard; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="hallway-contacts.vcf"'
    assert [entry.fields["name"] for entry in entries] == [
        "Grace Hopper",
        "Ola Nordmann",
        "Nguyễn Thị Hương",
    ]  # newest met first, as People lists them; nothing of Bob's
    met = entries[2]
    assert met.event == "PyCon US" and met.fields["event_id"] == str(exported.id)
    assert met.fields["i_promised"] == "Send the deck"
    assert met.fields["notes"] == "Asked about\nthe grant"
    assert met.fields["met_at"] == "2026-05-01T09:30:00Z"
    assert met.photo[:3] == b"\xff\xd8\xff"
    assert entries[1].fields["tags"] == ["investor"]
    assert entries[1].fields["company"] == "Fjord, AS"
    assert len(list(vobject.readComponents(response.get_data(as_text=True)))) == 3


def test_the_export_takes_the_contact_list_filters_and_version_4(api_as, ada, exported):
    client = api_as(ada)
    by_event = export(client, f"?event_id={exported.id}&version=4.0")
    assert by_event[0].get_data().startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert [e.fields["name"] for e in by_event[1]] == ["Nguyễn Thị Hương"]
    assert [e.fields["name"] for e in export(client, "?tag=investor")[1]] == ["Ola Nordmann"]
    assert [e.fields["name"] for e in export(client, "?q=grace")[1]] == ["Grace Hopper"]
    assert export(client, "?tag=nobody")[0].get_data() == b""


@pytest.mark.parametrize(
    "query, field", [("?version=2.1", "version"), ("?event_id=pycon", "event_id")]
)
def test_a_bad_filter_or_version_is_a_422(api_as, ada, query, field):
    response = api_as(ada).get(f"/api/v1/export/contacts.vcf{query}")
    assert response.status_code == 422
    assert response.get_json()["error"] == "invalid_field"
    assert response.get_json()["field"] == field


def test_the_export_reads_in_batches_without_losing_or_repeating_anyone(
    api_as, ada, make_contact, monkeypatch
):
    monkeypatch.setattr(exports, "BATCH", 2)
    for i in range(5):  # three met at the same moment: the id breaks the tie
        make_contact(ada, name=f"Person {i}", met_at=f"2026-05-0{min(i, 2) + 1}T09:00:00+00:00")
    listed = api_as(ada).get("/api/v1/contacts").get_json()
    names = [e.fields["name"] for e in export(api_as(ada))[1]]
    assert sorted(names) == [f"Person {i}" for i in range(5)]
    assert names == [contact["name"] for contact in listed["items"]]


def vobject_reads(data):
    """The names vobject reads from a file (as UTF-8 text, else Windows-1252), or None."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    try:
        return [card.fn.value for card in vobject.readComponents(text)]
    except Exception:  # noqa: BLE001 - any failure is what is measured
        return None


def test_vobject_breaks_where_the_readme_says():
    """Our reader gets every name from every sample; vobject fails the whole file on
    quoted-printable soft breaks (Outlook, Android, badly folded) and on a missing END:VCARD."""
    broken = set()
    for path in sorted(SAMPLES.glob("*.vcf")):
        ours = [e.fields.get("name") for e in read_cards(path.read_bytes()) if not e.error]
        theirs = vobject_reads(path.read_bytes())
        if theirs is None:
            broken.add(path.name)
        else:
            assert theirs == ours, path.name
    assert broken == {
        "android-2.1.vcf",
        "badly-folded.vcf",
        "outlook-2.1-windows-1252.vcf",
        "truncated.vcf",
    }


# -- the round trip through the API: export from one account, import into a fresh one ---------

#: What a contact's round trip keeps, field by field (ids, times of writing, the source, which
#: an import sets to "import", and the event, which a fresh account does not have, aside).
KEPT = (
    "name",
    "company",
    "title",
    "email",
    "phone",
    "url",
    "notes",
    "tags",
    "met_at",
    "raw_payload",
    "i_promised",
    "they_promised",
    "next_step",
    "next_step_due",
    "no_next_step",
)


def contacts_of(client):
    items = client.get("/api/v1/contacts?limit=200").get_json()["items"]
    return sorted(items, key=lambda contact: contact["name"])


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_export_then_import_into_a_fresh_account_loses_nothing(
    app, api_as, ada, make_user, make_event, make_contact, version
):
    pytest.importorskip("pwa.transfer.importing")  # POST /api/v1/import/contacts (tables)
    pycon = make_event(ada, name="PyCon")
    odd = 'Comma, semicolon; back\\slash: colon "quote" =3D ﷺ 𝔘 é\u0301 עברית'
    people = [
        make_contact(
            ada,
            name="Łukasz Żółć",
            company="Fabryka, Kodu; S.A.",
            title="CTO \\ CEO",
            email="lukasz@fabryka.example",
            phone="+48 600 100 200",
            url="https://fabryka.example/a,b;c",
            notes=f"one\r\ntwo\rthree\nfour\n{odd}",
            tags=["investor", "rust, wasm", "a;b"],
            event_id=str(pycon.id),
            met_at="2026-05-01T09:30:00+00:00",
            raw_payload="BEGIN:VCARD\r\nFN:Łukasz\r\nEND:VCARD",
            i_promised=odd,
            they_promised="An intro\r\nto Ola",
            next_step="Call",
            next_step_due="2026-05-08",
            no_next_step=False,
        ),
        make_contact(ada, name="王芳", tags=["speaker"]),
    ]
    image = io.BytesIO()
    Image.new("RGB", (32, 32), "blue").save(image, "PNG")
    store_photo(app.config["DATA_DIR"], people[0], *process_photo(image.getvalue()))
    people[0].photo_at = utcnow()
    db.session.commit()
    exported = api_as(ada).get(f"/api/v1/export/contacts.vcf?version={version}").get_data()
    fresh = api_as(make_user())
    answer = fresh.post(
        "/api/v1/import/contacts",
        data={"file": (io.BytesIO(exported), "contacts.vcf")},
        content_type="multipart/form-data",
    ).get_json()
    assert (answer["format"], answer["imported"]) == ("vcard", 2)
    mine, theirs = contacts_of(api_as(ada)), contacts_of(fresh)
    for before, after in zip(mine, theirs, strict=True):
        expected = {field: before[field] for field in KEPT}
        expected["notes"] = before["notes"] and one_line_ends(before["notes"])
        for field in ("i_promised", "they_promised", "raw_payload"):
            expected[field] = before[field] and one_line_ends(before[field])
        assert {field: after[field] for field in KEPT} == expected
    assert [contact["photo_at"] is not None for contact in theirs] == [True, False]
    again = fresh.post(
        "/api/v1/import/contacts",
        data={"file": (io.BytesIO(exported), "contacts.vcf")},
        content_type="multipart/form-data",
    ).get_json()
    assert (again["imported"], again["updated"]) == (0, 0)  # the same file twice: nothing new


LINE_FIELDS = {"name": 200, "company": 200, "title": 200, "email": 320, "phone": 50, "url": 2048}


def as_imported(field, value):
    """What an import of our own vCard gives back for a field: line fields cleaned as every
    import cleans them, notes and promises with one kind of line end."""
    if value in (None, "", []):
        return None
    if field in LINE_FIELDS:
        return clean_line(value, LINE_FIELDS[field]) or None
    if field == "notes":
        return clean_notes(value) or None
    if field in ("raw_payload", "i_promised", "they_promised", "next_step"):
        return one_line_ends(value) or None
    if field == "tags":
        return [tag for tag in value if tag != "myContacts"] or None
    return value


@pytest.mark.parametrize("version", ["3.0", "4.0"])
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(people=st.lists(CONTACTS, min_size=1, max_size=4))
def test_any_contacts_exported_as_vcard_import_into_a_fresh_account_field_by_field(
    api_as, make_user, make_contact, version, people
):
    """Property-based, through the routes: random contacts (any Unicode, every line end, commas,
    semicolons and backslashes everywhere) exported from one account and imported into a fresh
    one come back field by field."""
    owner = make_user()
    for n, person in enumerate(people):
        values = {name: value for name, value in person.items() if name not in ("event", "phone")}
        values["name"] = f"{n} {values['name']}"  # no two alike: none taken for another's twin
        if "email" in values:
            values["email"] = f"p{n}.{values['email']}"
        for name in ("met_at", "next_step_due"):
            if name in values:
                values[name] = values[name].isoformat()
        make_contact(owner, **values)
    exported = api_as(owner).get(f"/api/v1/export/contacts.vcf?version={version}").get_data()
    fresh = api_as(make_user())
    answer = fresh.post(
        "/api/v1/import/contacts",
        data={"file": (io.BytesIO(exported), "contacts.vcf")},
        content_type="multipart/form-data",
    ).get_json()
    assert answer["imported"] == len(people), answer
    for before, after in zip(contacts_of(api_as(owner)), contacts_of(fresh), strict=True):
        expected = {field: as_imported(field, before[field]) for field in KEPT}
        got = {field: after[field] if after[field] not in ("", []) else None for field in KEPT}
        assert got == expected
