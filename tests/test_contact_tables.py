"""Contacts as CSV: each program's export read from our own samples (data/contacts), Hallway's
CSV written and read back, and GET /api/v1/export/contacts.csv (filters, streaming, no live
formula), with a property-based round trip through a fresh account."""

import csv
import io
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pwa import records
from pwa.contacts.kinds import CONTACT
from pwa.contacts.models import Contact
from pwa.db import db, utcnow
from pwa.errors import ApiError
from pwa.spreadsheets import FORMULA_START
from pwa.transfer.importing import normal
from pwa.transfer.tables import (
    COLUMNS,
    MappingRequired,
    join_tags,
    read_contacts_table,
    split_tags,
    write_contacts_table,
)

from .test_contact_imports import post

DATA = Path(__file__).parent / "data" / "contacts"


def read(name_or_bytes, mapping=None):
    data = (
        name_or_bytes if isinstance(name_or_bytes, bytes) else (DATA / name_or_bytes).read_bytes()
    )
    kind, entries = read_contacts_table(data, mapping)
    return kind, list(entries)


def by_name(entries):
    return {entry.fields.get("name"): entry for entry in entries}


def test_linkedin_now_with_its_notes_above_the_header():
    kind, entries = read("linkedin_2025.csv")
    assert kind == "linkedin"
    people = by_name(entries)
    assert list(people) == [
        "Łukasz Wiśniewski",
        "Αλέξανδρος Παπαδόπουλος",
        "小龙 李",
        "Nguyễn Thị Minh Khai",
        None,
    ]
    assert people["小龙 李"].fields["title"] == "工程师 🚀"
    assert people["小龙 李"].line == 7
    khai = people["Nguyễn Thị Minh Khai"].fields
    assert khai["title"] == "Product Manager, Payments" and "company" not in khai
    assert khai["met_at"] == "2023-02-01T00:00:00+00:00"


def test_linkedin_2018_without_url_and_with_us_dates():
    kind, entries = read("linkedin_2018.csv")
    assert kind == "linkedin"
    grace = by_name(entries)["Grace Hopper"].fields
    assert grace == {
        "name": "Grace Hopper",
        "email": "grace@navy.example",
        "company": "US Navy",
        "title": "Rear Admiral",
        "met_at": "2018-01-08T18:14:00+00:00",
    }


def test_google_old_columns_keep_every_email_and_the_groups():
    kind, entries = read("google_old.csv")
    assert kind == "google"
    zoe = by_name(entries)["Zoë Ångström"].fields
    assert zoe["email"] == "zoe@work.example" and zoe["phone"] == "+46 70 123 45 67"
    assert zoe["company"] == "Nordic Labs" and zoe["title"] == "Researcher"
    assert zoe["url"] == "https://zoe.example"
    assert zoe["notes"] == (
        "Met at FOSDEM, wants the slides\nAlso email: zoe@old.example\nAlso email: zoe@home.example"
    )
    assert zoe["tags"] == ["Friends", "FOSDEM"]  # not Google's own "* myContacts"
    assert by_name(entries)["Mei Chen"].fields == {"name": "Mei Chen", "phone": "(415) 555-0100"}


def test_google_new_columns():
    kind, entries = read("google_new.csv")
    assert kind == "google"
    jose = by_name(entries)["José María Núñez"].fields
    assert jose["company"] == "Café Olé" and jose["title"] == "Barista"
    assert jose["notes"] == "Two lines\nof notes" and jose["tags"] == ["Coffee"]
    assert by_name(entries)["Hana Kobayashi"].line == 4  # line 2's row spans two lines


def test_outlook():
    kind, entries = read("outlook.csv")
    assert kind == "outlook"
    margaret = by_name(entries)["Margaret H. Hamilton"].fields
    assert margaret["company"] == "MIT Instrumentation Lab" and margaret["title"] == "Director"
    assert margaret["email"] == "margaret@mit.example"
    assert margaret["phone"] == "+1 617 555 0123"  # the mobile first; the other is in the notes
    assert "Also phone: +1 617 555 0199" in margaret["notes"]
    assert "Also email: mh@nasa.example" in margaret["notes"]
    assert margaret["url"] == "https://mh.example"
    assert margaret["tags"] == ["Apollo", "Speakers"]


def test_outlook_written_by_excel_in_windows_1252_with_semicolons():
    text = "First Name;Last Name;E-mail Address;Company;Job Title\r\nJosé;Núñez;j@x.es;Olé;Jefe\r\n"
    kind, entries = read(text.encode("cp1252"))
    assert kind == "outlook"
    assert entries[0].fields["name"] == "José Núñez" and entries[0].fields["company"] == "Olé"


def test_an_unknown_csv_needs_a_mapping_and_reads_with_one():
    with pytest.raises(MappingRequired) as raised:
        read("unknown.csv")
    assert raised.value.headers == ["Full name", "Org", "Mail"]
    kind, entries = read("unknown.csv", {"name": "Full name", "tags": ["Org", "Mail"]})
    assert kind == "csv"
    assert entries[0].fields == {
        "name": "Ada Lovelace",
        "tags": ["Analytical Engines ada@example.com"],
    }
    with pytest.raises(ApiError) as refused:
        read("unknown.csv", {"badge_id": "Org"})
    assert refused.value.field == "mapping"


@pytest.mark.parametrize(
    "tags",
    [[], ["investor"], ["a, b", "c\\", "d;e", "\\,"], ["Ünïcödé", "日本", "=1+2"]],
)
def test_tags_in_one_cell_come_back_as_they_were(tags):
    assert split_tags(join_tags(tags)) == tags


class Saved:
    """A contact as write_contacts_table reads it (attributes by field name)."""

    def __init__(self, **fields):
        for name in COLUMNS:
            setattr(self, name, fields.get(name))


def test_hallway_csv_has_a_bom_every_field_and_no_live_formula():
    contact = Saved(
        name='=HYPERLINK("http://evil")',
        company="+Corp",
        notes='-1\r\nline two\rline three\nfour, with; "quotes"',
        tags=["@home", "a,b"],
        met_at=datetime(2026, 5, 1, 10, tzinfo=UTC),
        next_step_due=date(2026, 6, 1),
        no_next_step=False,
        raw_payload="'quoted'",
    )
    text = "".join(write_contacts_table([contact]))
    assert text.startswith("\ufeffname,company,")
    header, row = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert header == list(COLUMNS)
    cells = dict(zip(header, row, strict=True))
    assert cells["name"] == '\'=HYPERLINK("http://evil")' and cells["company"] == "'+Corp"
    assert cells["tags"] == "'@home, a\\,b"
    assert not any(cell.startswith(FORMULA_START) for cell in row)
    kind, [entry] = read(text.encode("utf-8"))
    assert kind == "hallway_csv"
    assert entry.fields["name"] == contact.name and entry.fields["notes"] == contact.notes
    assert entry.fields["tags"] == ["@home", "a,b"] and entry.fields["raw_payload"] == "'quoted'"
    assert entry.fields["met_at"] == "2026-05-01T10:00:00+00:00"
    assert entry.fields["no_next_step"] is False


# The export route


def test_export_is_an_attachment_and_follows_peoples_filters(ada, api_as, make_event, make_contact):
    event = make_event(ada, name="PyCon")
    make_contact(ada, name="Łukasz", tags=["rust"], event_id=str(event.id))
    make_contact(ada, name="Grace", notes="met at the bar")
    api = api_as(ada)
    response = api.get("/api/v1/export/contacts.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="hallway-contacts.csv"'
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    names = [row[0] for row in csv.reader(io.StringIO(body[1:], newline=""))][1:]
    assert sorted(names) == ["Grace", "Łukasz"]

    def exported(query):
        text = api.get(f"/api/v1/export/contacts.csv?{query}").get_data(as_text=True)
        return [row[0] for row in csv.reader(io.StringIO(text[1:], newline=""))][1:]

    assert exported(f"event_id={event.id}") == ["Łukasz"]
    assert exported("tag=rust") == ["Łukasz"]
    assert exported("q=bar") == ["Grace"]
    bad = api.get("/api/v1/export/contacts.csv?event_id=nope")
    assert bad.status_code == 422 and bad.get_json()["field"] == "event_id"


def test_a_bobs_export_has_none_of_adas_contacts(ada, bob, api_as, make_contact):
    make_contact(ada, name="Ada's secret friend")
    text = api_as(bob).get("/api/v1/export/contacts.csv").get_data(as_text=True)
    assert "secret" not in text


# Round trip: random contacts out as CSV and into a fresh account, field by field equal

#: Every character but surrogates (not text) and NUL (no database stores it).
ANY = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")


def stripped(max_size, alphabet=ANY, min_size=1):
    return (
        st.text(alphabet, min_size=min_size, max_size=max_size)
        .map(str.strip)
        .filter(lambda value: len(value) >= min_size)
    )


WORD = st.characters(exclude_categories=("Cs", "Z", "Cc"), exclude_characters="@/?#\x00")
TRICKY = st.sampled_from(["=", "+", "-", "@", "'", '"', ",", ";", "\r", "\n", "\r\n", " "])
NOTES = st.lists(st.one_of(TRICKY, stripped(20)), max_size=12).map("".join).map(str.strip)
EMAIL = st.tuples(stripped(12, WORD), stripped(8, WORD), stripped(4, WORD)).map(
    lambda parts: f"{parts[0]}@{parts[1]}.{parts[2]}"
)
URL = st.tuples(st.sampled_from(["http", "https"]), stripped(20, WORD), NOTES).map(
    lambda parts: f"{parts[0]}://{parts[1]}/{parts[2]}".strip()
)
TIMES = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
CONTACT_FIELDS = st.fixed_dictionaries(
    {"name": st.one_of(stripped(40), st.builds(lambda t, n: t + n, TRICKY, stripped(10)))},
    optional={
        "company": stripped(30),
        "title": stripped(30),
        "email": EMAIL,
        "phone": stripped(20),
        "url": URL,
        "notes": NOTES,
        "tags": st.lists(stripped(12), max_size=4, unique=True),
        "met_at": TIMES,
        "raw_payload": NOTES,
        "i_promised": NOTES,
        "they_promised": NOTES,
        "next_step": NOTES,
        "next_step_due": st.dates(),
        "no_next_step": st.booleans(),
    },
).map(lambda fields: {name: value for name, value in fields.items() if value not in ("", None)})


def _key(name):
    return lambda fields: normal(name, fields.get(name)) or uuid.uuid4()


PEOPLE = st.lists(
    CONTACT_FIELDS,
    min_size=1,
    max_size=6,
    unique_by=(
        lambda f: (normal("name", f["name"]), normal("company", f.get("company"))),
        _key("email"),
        _key("phone"),
        _key("url"),
    ),
)
COMPARED = [name for name in COLUMNS if name not in ("event_id", "target_id", "source")]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=PEOPLE)
def test_csv_round_trip_into_a_fresh_account_loses_nothing(app, make_user, api_as, people):
    owner, newcomer = make_user(), make_user()
    for fields in people:
        records.create(CONTACT, owner, CONTACT.parse(fields), utcnow())
    db.session.commit()
    text = api_as(owner).get("/api/v1/export/contacts.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert len(rows) == len(people) + 1
    assert not any(cell.startswith(FORMULA_START) for row in rows for cell in row)
    answer = post(api_as(newcomer), text.encode("utf-8"), "contacts.csv").get_json()
    assert answer["imported"] == len(people), answer
    assert answer["errors"] == []
    before, after = saved(owner), saved(newcomer)
    assert after == before


def saved(user):
    """The user's contacts, as the fields a round trip keeps, in a stable order."""
    query = select(Contact).where(Contact.user_id == user.id, Contact.deleted_at.is_(None))
    fields = [{name: getattr(c, name) for name in COMPARED} for c in db.session.scalars(query)]
    return sorted(fields, key=lambda f: (f["name"], f["company"] or ""))
