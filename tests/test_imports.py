"""Attendee and speaker imports: every format and variant (our own samples in data/imports), bad
files, and the route (owner only, preview, re-import, line numbers, limits, bulk writes)."""

import codecs
import csv
import io
import json
from pathlib import Path

import pytest
from openapi_schema_validator import OAS31Validator
from sqlalchemy import create_engine, func, select
from sqlalchemy import event as sa_event
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from pwa import records
from pwa.auth import service as accounts
from pwa.auth.models import User
from pwa.db import db, utcnow
from pwa.errors import ApiError
from pwa.events import attendee_rows
from pwa.events.attendee_csv import MappingRequired, parse_csv
from pwa.events.attendee_files import parse_file
from pwa.events.attendee_json import split_tagline
from pwa.events.directory import import_rows
from pwa.events.kinds import EVENT
from pwa.events.models import Attendee, Event, EventMember
from pwa.spreadsheets import decode_text, export_cell, export_row, read_table

DATA = Path(__file__).parent / "data" / "imports"


def sample(name):
    return (DATA / name).read_bytes()


def parse(name, mapping=None):
    return parse_file(sample(name), mapping)


def by_name(parsed):
    return {row["name"]: row for row in parsed.rows}


# Eventbrite


def test_eventbrite_us_report():
    parsed = parse("eventbrite_us.csv")
    people = by_name(parsed)
    assert parsed.format == "eventbrite"
    assert list(people) == ["Ada Lovelace", "Zoë Ångström", "Grace Hopper", "小龙 李", "Mei Chen"]
    assert parsed.skipped == 1 and "José Núñez" not in people  # refunded
    ada = people["Ada Lovelace"]
    assert ada["company"] == "Analytical Engines Ltd" and ada["title"] == "Chief Scientist"
    assert ada["email"] == "ada@analytical.example"
    assert ada["badge_id"] == "234567800100001"  # Barcode #
    assert ada["source_key"] == "eventbrite:2345678001"  # Attendee #
    assert ada["links"] == [{"title": "ada.example", "url": "https://ada.example"}]
    assert ada["bio"] is None  # custom questions are not shared unless mapped
    assert "What would you like to talk about?" in parsed.ignored_columns
    assert "Dietary requirements" in parsed.ignored_columns
    # Ada's custom answer holds a newline, so Zoë's row starts on line 4
    assert people["Zoë Ångström"]["line"] == 4


def test_eventbrite_formula_cells_are_kept_as_plain_text():
    people = by_name(parse("eventbrite_us.csv"))
    assert people["Grace Hopper"]["company"] == '=HYPERLINK("http://evil.example","Click me")'
    assert people["小龙 李"]["title"] == "@SUM(1+1)"
    assert people["小龙 李"]["company"] == "+Kung Fu Ltd"


def test_eventbrite_buyer_email_shared_by_two_attendees_stays_two_people():
    people = by_name(parse("eventbrite_us.csv"))
    assert people["小龙 李"]["email"] == people["Mei Chen"]["email"]
    assert people["小龙 李"]["source_key"] != people["Mei Chen"]["source_key"]


def test_eventbrite_uk_headers_semicolons_and_bom():
    parsed = parse("eventbrite_uk_semicolon_bom.csv")
    people = by_name(parsed)
    assert parsed.format == "eventbrite"
    assert list(people) == ["Siân Llewellyn-Jones", "Jürgen Müller"]
    assert parsed.skipped == 1  # Siobhán cancelled
    assert people["Jürgen Müller"]["company"] == "Müller; Söhne GmbH"
    assert people["Jürgen Müller"]["badge_id"] == "310000000300001"  # Barcode no.
    assert people["Siân Llewellyn-Jones"]["source_key"] == "eventbrite:3100000001"


def test_eventbrite_from_excel_unicode_text_utf16_tabs():
    people = by_name(parse("eventbrite_excel_utf16.txt"))
    assert people["Åsa Lindqvist"]["company"] == "Nordic Ventures"
    assert people["Kwame Mensah"]["badge_id"] == "234567810200001"


def test_eventbrite_from_excel_windows_1252():
    people = by_name(parse("eventbrite_windows1252.csv"))
    assert people["René Descartes"]["company"] == "Cogito Société"
    assert people["René Descartes"]["badge_id"] == "777001"  # no Barcode #: Attendee #


def test_eventbrite_custom_question_kept_in_bio_when_mapped():
    parsed = parse("eventbrite_us.csv", {"bio": "What would you like to talk about?"})
    assert by_name(parsed)["Ada Lovelace"]["bio"] == "Compilers,\nand why they matter"
    assert "What would you like to talk about?" not in parsed.ignored_columns


def test_eventbrite_bad_rows_carry_their_line_numbers():
    parsed = parse("eventbrite_bad_rows.csv")
    reasons = {error["line"]: error["reason"] for error in parsed.errors}
    assert reasons[3] == "The name is missing."
    assert "not-an-email" in reasons[4]
    assert "Info Requested" in reasons[5]
    assert [row["name"] for row in parsed.rows] == [
        "Alan Turing",
        "Alan Turing",
        "Katherine Johnson",
    ]


# Any CSV, with a mapping

GENERIC_MAPPING = {
    "name": "Full name",
    "company": "Org",
    "title": "Role",
    "email": "E-mail",
    "badge_id": "Badge",
    "links": "Links",
    "bio": "About",
}


def test_csv_of_no_known_program_asks_for_a_mapping():
    with pytest.raises(MappingRequired) as caught:
        parse("generic_tabs.csv")
    assert caught.value.headers == ["Full name", "Org", "Role", "E-mail", "Badge", "Links", "About"]
    assert caught.value.suggested == GENERIC_MAPPING


def test_csv_with_a_mapping():
    parsed = parse("generic_tabs.csv", GENERIC_MAPPING)
    hedy, orjan = parsed.rows
    assert parsed.format == "csv"
    assert hedy["name"] == "Hedy Lamarr" and hedy["badge_id"] == "B-1001"
    assert [link["url"] for link in hedy["links"]] == [
        "https://hedy.example",
        "https://www.linkedin.com/in/hedy",
    ]
    assert orjan["company"] == "@SUM(A1:A2)"
    assert orjan["links"] == []  # javascript: is not a link
    assert orjan["bio"] == "Likes fjords;\nand tabs"
    assert parsed.errors == [
        {"line": 5, "reason": "The name is missing."},
        {"line": 6, "reason": "The email address 'linus at caltech' is not valid."},
    ]


def test_mapping_may_join_columns_and_skip_some():
    table = read_table("First,Last,Org,Notes\nAda,Lovelace,Engines,Likes maths\n")
    parsed = parse_csv(table, {"name": ["First", "Last"], "company": "org", "bio": ""})
    assert parsed.rows[0]["name"] == "Ada Lovelace"
    assert parsed.rows[0]["company"] == "Engines" and parsed.rows[0]["bio"] is None
    assert parsed.ignored_columns == ["Notes"]


@pytest.mark.parametrize(
    "mapping, problem",
    [
        (["Full name"], "JSON object"),
        ({"company": "Org"}, "which column holds the name"),
        ({"name": "Nom"}, "no column 'Nom'"),
        ({"name": "Full name", "phone": "Org"}, "unknown field 'phone'"),
        ({"name": 3}, "name a column"),
    ],
)
def test_bad_mappings_are_refused(mapping, problem):
    with pytest.raises(ApiError) as caught:
        parse("generic_tabs.csv", mapping)
    assert caught.value.status == 422 and caught.value.field == "mapping"
    assert problem in caught.value.message


# Sessionize and pretalx


def test_sessionize_speakers_view():
    parsed = parse("sessionize_speakers.json")
    people = by_name(parsed)
    assert parsed.format == "sessionize"
    margaret = people["Margaret Hamilton"]
    assert margaret["title"] == "Director of Software Engineering"
    assert margaret["company"] == "MIT Instrumentation Lab"
    assert margaret["source_key"] == "sessionize:3f9a2c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"
    assert margaret["bio"] == 'Led the Apollo flight software team.\nCoined "software engineering".'
    assert [link["title"] for link in margaret["links"]] == ["X (Twitter)", "LinkedIn", "Photo"]
    assert people["Sébastien Éluard"]["company"] == "Société Générale"
    assert people["田中 愛子"]["title"] == "Principal Engineer"
    assert people["田中 愛子"]["company"] is None
    assert parsed.errors == [{"line": 66, "item": 3, "reason": "The name is missing."}]


def test_sessionize_all_view_reads_answers_to_its_questions():
    parsed = parse("sessionize_all.json")
    people = by_name(parsed)
    assert parsed.format == "sessionize"
    assert people["Margaret Hamilton"]["company"] == "Hamilton Technologies"
    assert people["Margaret Hamilton"]["title"] == "Director of Software Engineering"
    assert people["Nkechi Okafor"]["title"] == "VP Engineering"
    assert people["Nkechi Okafor"]["company"] == "Lagos Pay"
    assert [row["item"] for row in parsed.rows] == [1, 2]


@pytest.mark.parametrize(
    "tagline, expected",
    [
        ("CTO at Acme", ("CTO", "Acme")),
        ("Developer Advocate @ Microsoft", ("Developer Advocate", "Microsoft")),
        ("Engineer @Spotify", ("Engineer", "Spotify")),
        ("Head of Platform | Lagos Pay", ("Head of Platform", "Lagos Pay")),
        ("Founder – Tiny Co", ("Founder", "Tiny Co")),
        ("Author, speaker and trainer", ("Author, speaker and trainer", "")),
        ("Full-stack developer", ("Full-stack developer", "")),
    ],
)
def test_taglines_give_title_and_company_where_sensible(tagline, expected):
    assert split_tagline(tagline) == expected


def test_pretalx_current_fields():
    parsed = parse("pretalx_speakers.json")
    guido, malgorzata = parsed.rows
    assert parsed.format == "pretalx"
    assert guido["source_key"] == "pretalx:RZJ8AB"
    assert guido["links"] == [
        {"title": "Photo", "url": "https://pretalx.example/media/avatars/guido.png"}
    ]
    assert malgorzata["name"] == "Małgorzata Wiśniewska" and malgorzata["bio"] is None


def test_pretalx_before_2025_avatar_and_answers():
    jane, bjorn = parse("pretalx_speakers_pre2025.json").rows
    assert jane["links"] == [{"title": "Photo", "url": "https://pretalx.example/media/avatar.png"}]
    assert (jane["company"], jane["title"]) == ("Example Corp", "Keynote speaker")
    assert bjorn["name"] == "Björn Þórsson" and bjorn["bio"] is None


@pytest.mark.parametrize("name", ["pretalx_pages.json", "pretalx_pages_concatenated.json"])
def test_pretalx_pages_read_as_one_list(name):
    parsed = parse(name)
    assert [row["name"] for row in parsed.rows] == ["Ada Yonath", "Tu Youyou"]
    assert [row["item"] for row in parsed.rows] == [1, 3]
    assert [error["item"] for error in parsed.errors] == [2]


def test_json_line_numbers_point_at_each_speaker():
    parsed = parse("pretalx_pages.json")
    text = sample("pretalx_pages.json").decode().splitlines()
    for row in parsed.rows:
        assert text[row["line"] - 1].strip() == "{"
        assert row["name"] in text[row["line"] + 1]


# JSON of no known program: recognised by the keys it lacks, and mapped like a CSV

CONFERENCE_APP_MAPPING = {
    "name": "speaker_name",
    "company": "organisation",
    "title": "job_title",
    "bio": "about",
    "links": "social.website",
}


def test_a_speakers_list_of_another_program_is_not_taken_for_sessionize():
    with pytest.raises(MappingRequired) as caught:
        parse_file(b'{"speakers": [{"speaker_name": "Ada Lovelace"}]}')
    assert caught.value.kind == "json"
    assert (caught.value.headers, caught.value.suggested) == (
        ["speaker_name"],
        {"name": "speaker_name"},
    )


def test_json_of_no_known_program_asks_for_its_keys_nested_ones_dotted():
    with pytest.raises(MappingRequired) as caught:
        parse("conference_app_speakers.json")
    assert caught.value.headers == [
        "id",
        "speaker_name",
        "organisation",
        "job_title",
        "about",
        "social.website",
        "social.mastodon",
    ]
    assert caught.value.suggested == {
        k: v for k, v in CONFERENCE_APP_MAPPING.items() if k != "links"
    }


def test_json_with_a_mapping():
    parsed = parse("conference_app_speakers.json", CONFERENCE_APP_MAPPING)
    ingrid, tomas = parsed.rows
    assert parsed.format == "json"
    assert (ingrid["name"], ingrid["company"], ingrid["title"]) == (
        "Ingrid Løvstad",
        "Fjordnett AS",
        "Site Reliability Lead",
    )
    assert ingrid["bio"] == "Keeps the ferries' ticketing up."
    assert [link["url"] for link in ingrid["links"]] == ["https://ingrid.example"]
    assert (ingrid["line"], ingrid["item"], ingrid["source_key"]) == (7, 1, None)
    assert tomas["name"] == "Tomás Ó Briain" and tomas["title"] is None
    assert tomas["links"] == []  # javascript: is not a link
    assert parsed.errors == [
        {"line": 15, "item": 2, "reason": "The name is missing."},
        {"line": 20, "item": 3, "reason": "This is not a speaker (no JSON object)."},
    ]
    assert parsed.ignored_columns == ["id", "social.mastodon"]


def test_camel_case_keys_are_suggested_and_lists_are_joined():
    data = json.dumps(
        [
            {
                "fullName": "Grace Hopper",
                "firstName": "Grace",
                "companyName": "US Navy",
                "jobTitle": "Rear Admiral",
                "emailAddress": "grace@navy.example",
                "links": [
                    "https://grace.example",
                    {"kind": "blog", "href": "https://cobol.example"},
                ],
            }
        ]
    ).encode()
    with pytest.raises(MappingRequired) as caught:
        parse_file(data)
    suggested = caught.value.suggested
    assert suggested == {
        "name": "fullName",
        "company": "companyName",
        "title": "jobTitle",
        "email": "emailAddress",
        "links": "links",
    }
    (grace,) = parse_file(data, suggested).rows
    assert grace["email"] == "grace@navy.example"
    assert [link["url"] for link in grace["links"]] == [
        "https://grace.example",
        "https://cobol.example",
    ]


@pytest.mark.parametrize(
    "data",
    [
        b'[{"id": 1, "firstName": "Ada", "fullName": "Ada"}]',  # no lastName: not Sessionize's
        b'[{"code": "X1", "display": "Ada"}]',  # no name: not pretalx's
        b'{"count": 1, "results": [{"id": 1, "title": "Ada"}]}',  # a page of another API
    ],
)
def test_a_list_missing_a_programs_keys_gets_the_mapping_step(data):
    with pytest.raises(MappingRequired):
        parse_file(data)


def test_a_json_mapping_must_name_keys_the_file_has():
    with pytest.raises(ApiError) as caught:
        parse("conference_app_speakers.json", {"name": "fullName"})
    assert caught.value.field == "mapping" and "no column 'fullName'" in caught.value.message


# Bad files


@pytest.mark.parametrize(
    "data, status, error",
    [
        (b"", 422, "empty_file"),
        (b" \r\n\t\n", 422, "empty_file"),
        (sample("empty.csv"), 422, "empty_file"),
        (sample("photo.png"), 415, "unsupported_file_type"),
        (sample("document.pdf"), 415, "unsupported_file_type"),
        (b"PK\x03\x04\x14\x00\x06\x00", 415, "unsupported_file_type"),
        (b"<!DOCTYPE html><html><body>Speakers</body></html>", 415, "unsupported_file_type"),
        (b"Name\x00,\x01\x02\x03\xff", 415, "unsupported_file_type"),
        (sample("broken.json"), 400, "bad_json"),
        (b'{"event": "PyCon", "talks": []}', 422, "unknown_format"),
        (b'{"count": 0, "next": null} {"oops": 1}', 422, "unknown_format"),
        (b"[]", 422, "empty_file"),
        (b'{"speakers": []}', 422, "empty_file"),
        (b'["Ada Lovelace", "Grace Hopper"]', 422, "unknown_format"),
        (b'{"speakers": ["Ada Lovelace"]}', 422, "unknown_format"),
        (b'Name,Company\n"Ada" Lovelace,Acme\n', 422, "bad_csv"),
    ],
)
def test_bad_files_are_refused_with_a_clear_error(data, status, error):
    with pytest.raises(ApiError) as caught:
        parse_file(data, {"name": "Name"})
    assert (caught.value.status, caught.value.error) == (status, error)
    assert caught.value.message


def test_broken_json_says_where():
    with pytest.raises(ApiError) as caught:
        parse("broken.json")
    assert "line 3, column 1" in caught.value.message


def test_damaged_csv_says_where():
    with pytest.raises(ApiError) as caught:
        parse_file(b'Name,Company\nAda,Acme\n"Grace" Hopper,Navy\n', {"name": "Name"})
    assert "Line 3" in caught.value.message


@pytest.mark.parametrize(
    "data",
    [
        "Name;Company\nAda;Acme\n".encode("utf-16-le"),  # Excel without a BOM
        "Name;Company\nAda;Acme\n".encode("utf-16-be"),
        codecs.BOM_UTF8 + b"Name;Company\nAda;Acme\n",
        b"sep=;\nName;Company\nAda;Acme\n",  # Excel's delimiter hint
        b"Name\tCompany\r\nAda\tAcme\r\n",
        b"Name|Company\rAda|Acme\r",  # old Mac line ends
    ],
)
def test_encodings_and_delimiters(data):
    parsed = parse_file(data, {"name": "Name", "company": "Company"})
    assert [(row["name"], row["company"]) for row in parsed.rows] == [("Ada", "Acme")]


def test_long_text_is_cut_and_long_ids_refused():
    long = "x" * 300
    table = read_table(f"Name,Company,Badge\n{long},{long},1\nAda,Acme,{long}\n")
    parsed = parse_csv(table, {"name": "Name", "company": "Company", "badge_id": "Badge"})
    assert len(parsed.rows[0]["name"]) == 200 and parsed.rows[0]["name"].endswith("…")
    assert parsed.errors == [{"line": 3, "reason": "The badge id is longer than 200 characters."}]


def test_decode_text_refuses_binary():
    with pytest.raises(ApiError):
        decode_text(b"\x00\x01\x02\x03\x04\x05")


# CSV exports


@pytest.mark.parametrize(
    "value, cell",
    [
        (
            '=HYPERLINK("http://evil.example","Click me")',
            '\'=HYPERLINK("http://evil.example","Click me")',
        ),
        ("+1 555 0100", "'+1 555 0100"),
        ("-Lotus Studio", "'-Lotus Studio"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1+1", "'\t=1+1"),
        ("Ada Lovelace", "Ada Lovelace"),
        ("", ""),
        (None, ""),
        (-5, -5),
    ],
)
def test_export_cells_never_become_formulas(value, cell):
    assert export_cell(value) == cell


def test_exported_rows_defuse_formulas():
    out = io.StringIO()
    csv.writer(out).writerow(export_row(["=1+1", "Ada"]))
    assert out.getvalue() == "'=1+1,Ada\r\n"


# The route


@pytest.fixture
def owner(make_user):
    return make_user(email="organiser@example.com")


@pytest.fixture
def event(owner, make_event):
    return make_event(owner)


@pytest.fixture
def organiser(owner, api_as):
    return api_as(owner)


def post_file(client, event, data, filename="list.csv", query="", **form):
    # Encoded in memory: the test client's own encoder spools big bodies to a file it never closes.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename), **form})
    return client.post(
        f"/api/v1/events/{event.id}/attendees/import{query}",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def directory(event):
    query = select(Attendee).where(Attendee.event_id == event.id).order_by(Attendee.name)
    return db.session.scalars(query).all()


def test_owner_imports_and_the_directory_shows_them(organiser, event):
    response = post_file(organiser, event, sample("eventbrite_us.csv"))
    assert response.status_code == 200
    report = response.get_json()
    assert report["format"] == "eventbrite" and report["applied"] is True
    assert (report["imported"], report["updated"], report["skipped"]) == (5, 0, 1)
    assert report["errors"] == [] and report["error_count"] == 0
    assert report["preview"][0]["name"] == "Ada Lovelace"
    assert report["preview"][0]["action"] == "new"
    listed = organiser.get(f"/api/v1/events/{event.id}/attendees?q=Grace").get_json()
    assert listed["items"][0]["company"] == '=HYPERLINK("http://evil.example","Click me")'
    assert len(directory(event)) == 5


def test_the_report_matches_the_openapi_document(organiser, event, client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/events/{event_id}/attendees/import"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    validator = OAS31Validator({**schema, "components": document["components"]})
    for name in ("eventbrite_bad_rows.csv", "sessionize_speakers.json"):
        validator.validate(post_file(organiser, event, sample(name)).get_json())


def test_a_member_or_stranger_cannot_import(event, make_user, api_as):
    member = make_user(email="member@example.com")
    db.session.add(EventMember(event_id=event.id, user_id=member.id))
    db.session.commit()
    stranger = make_user(email="stranger@example.com")
    for user in (member, stranger):
        response = post_file(api_as(user), event, sample("eventbrite_us.csv"))
        assert response.status_code == 404
        assert response.get_json()["error"] == "not_found"
    assert directory(event) == []


def test_preview_writes_nothing(organiser, event):
    for query, form in (("?preview=1", {}), ("", {"preview": "true"})):
        response = post_file(
            organiser, event, sample("sessionize_speakers.json"), query=query, **form
        )
        report = response.get_json()
        assert response.status_code == 200 and report["applied"] is False
        assert (report["imported"], report["updated"]) == (3, 0)
        assert [row["name"] for row in report["preview"]][:1] == ["Margaret Hamilton"]
        assert report["errors"] == [{"line": 66, "item": 3, "reason": "The name is missing."}]
    assert directory(event) == []


def test_a_preview_waits_for_no_writer(app, organiser, event):
    """Another request holding the write lock (SQLite) or the event's row (PostgreSQL), as an
    import into the same directory does, does not hold up a preview, which writes nothing."""
    engine = create_engine(app.config["DATABASE_URL"])
    with engine.connect() as other:
        if engine.dialect.name == "sqlite":
            other.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            other.execute(select(Event.id).where(Event.id == event.id).with_for_update())
        response = post_file(
            organiser, event, sample("sessionize_speakers.json"), query="?preview=1"
        )
        other.rollback()
    engine.dispose()
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["imported"] == 3


def test_an_import_into_an_event_deleted_while_its_file_was_read_is_refused(owner, event):
    """The route finds the event before it reads the file, then takes the event's lock to write:
    an event deleted in between gets no attendees."""
    parsed = parse_file(sample("sessionize_speakers.json"))
    records.remove(EVENT, owner, event, utcnow())
    db.session.commit()
    with pytest.raises(ApiError) as refused:
        import_rows(event, parsed, utcnow())
    assert (refused.value.status, refused.value.error) == (404, "not_found")
    assert directory(event) == []


def test_reimporting_the_same_file_updates_instead_of_duplicating(organiser, event):
    first = post_file(organiser, event, sample("pretalx_speakers.json")).get_json()
    again = post_file(organiser, event, sample("pretalx_speakers.json")).get_json()
    assert (first["imported"], first["updated"]) == (2, 0)
    assert (again["imported"], again["updated"]) == (0, 2)
    assert {row["action"] for row in again["preview"]} == {"update"}
    assert len(directory(event)) == 2


def test_reimport_applies_changes_and_keeps_what_the_file_lacks(organiser, event):
    post_file(organiser, event, sample("sessionize_speakers.json"))
    speakers = json.loads(sample("sessionize_speakers.json"))
    speakers[0]["tagLine"] = "Founder at Hamilton Technologies"
    speakers[0]["bio"] = None
    post_file(organiser, event, json.dumps(speakers).encode(), "speakers.json")
    margaret = directory(event)[0]
    assert (margaret.title, margaret.company) == ("Founder", "Hamilton Technologies")
    assert margaret.bio.startswith("Led the Apollo")
    assert len(directory(event)) == 3


def test_reimport_matches_by_email_then_name_and_company(organiser, event):
    mapping = json.dumps({"name": "Name", "company": "Company", "email": "Email", "title": "Title"})
    before = (
        b"Name,Company,Email,Title\nAda Lovelace,Engines,ada@example.com,\nGrace Hopper,Navy,,\n"
    )
    after = b"Name,Company,Email,Title\nAda King,Engines,ADA@example.com,Countess\nGrace Hopper,Navy,,Admiral\n"
    post_file(organiser, event, before, mapping=mapping)
    report = post_file(organiser, event, after, mapping=mapping).get_json()
    assert (report["imported"], report["updated"]) == (0, 2)
    assert [(a.name, a.title) for a in directory(event)] == [
        ("Ada King", "Countess"),
        ("Grace Hopper", "Admiral"),
    ]


def test_namesakes_with_different_emails_stay_two_people(organiser, event):
    mapping = json.dumps({"name": "Name", "company": "Company", "email": "Email"})
    data = (
        b"Name,Company,Email\nJohn Smith,IBM,john1@ibm.example\nJohn Smith,IBM,john2@ibm.example\n"
    )
    report = post_file(organiser, event, data, mapping=mapping).get_json()
    assert report["imported"] == 2 and report["errors"] == []


def test_good_rows_apply_and_bad_rows_are_reported_by_line(organiser, event):
    report = post_file(organiser, event, sample("eventbrite_bad_rows.csv")).get_json()
    assert (report["imported"], report["updated"]) == (2, 0)
    assert [error["line"] for error in report["errors"]] == [3, 4, 5, 6]
    assert report["errors"][3]["reason"] == "The same person as line 2 (same id); left out."
    assert [a.name for a in directory(event)] == ["Alan Turing", "Katherine Johnson"]


def test_csv_without_mapping_answers_with_its_headers(organiser, event):
    response = post_file(organiser, event, sample("generic_tabs.csv"))
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "mapping_required" and body["field"] == "mapping"
    assert body["headers"] == ["Full name", "Org", "Role", "E-mail", "Badge", "Links", "About"]
    assert body["suggested_mapping"] == GENERIC_MAPPING
    assert directory(event) == []
    again = post_file(
        organiser, event, sample("generic_tabs.csv"), mapping=json.dumps(body["suggested_mapping"])
    )
    assert again.status_code == 200
    assert again.get_json()["imported"] == 2


def test_json_of_no_known_program_gets_a_mapping_step_then_imports(organiser, event):
    data = sample("conference_app_speakers.json")
    response = post_file(organiser, event, data, "speakers.json")
    assert response.status_code == 422
    body = response.get_json()
    assert (body["error"], body["format"], body["field"]) == ("mapping_required", "json", "mapping")
    assert body["headers"][:3] == ["id", "speaker_name", "organisation"]
    assert body["suggested_mapping"]["name"] == "speaker_name"
    assert directory(event) == []
    mapping = json.dumps(CONFERENCE_APP_MAPPING)
    report = post_file(organiser, event, data, "speakers.json", mapping=mapping).get_json()
    assert (report["format"], report["imported"], report["error_count"]) == ("json", 2, 2)
    assert report["errors"][0] == {"line": 15, "item": 2, "reason": "The name is missing."}
    assert [a.name for a in directory(event)] == ["Ingrid Løvstad", "Tomás Ó Briain"]


def test_mapping_that_is_not_json_is_refused(organiser, event):
    response = post_file(organiser, event, sample("generic_tabs.csv"), mapping="name=Full name")
    assert response.status_code == 422
    assert response.get_json()["field"] == "mapping"


@pytest.mark.parametrize(
    "name, status, error",
    [
        ("empty.csv", 422, "empty_file"),
        ("photo.png", 415, "unsupported_file_type"),
        ("document.pdf", 415, "unsupported_file_type"),
        ("broken.json", 400, "bad_json"),
    ],
)
def test_bad_uploads_import_nothing(organiser, event, name, status, error):
    response = post_file(organiser, event, sample(name), filename=name)
    assert response.status_code == status
    assert response.get_json()["error"] == error
    assert directory(event) == []


def test_the_file_must_come_as_multipart(organiser, event):
    url = f"/api/v1/events/{event.id}/attendees/import"
    assert organiser.post(url, json={"file": "x"}).status_code == 415
    response = organiser.post(url, data={"mapping": "{}"}, content_type="multipart/form-data")
    assert response.status_code == 422 and response.get_json()["field"] == "file"


def eventbrite_csv(count, padding=0):
    """An Eventbrite report of count attendees (padding: characters of an ignored column)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["Order #", "First Name", "Last Name", "Email", "Company", "Attendee #", "Notes"]
    )
    for n in range(count):
        writer.writerow(
            [n, f"Person{n}", "Müller", f"p{n}@example.com", "Acme", 10_000 + n, "x" * padding]
        )
    return out.getvalue().encode()


def test_files_over_the_apps_1_mib_body_limit_are_accepted(organiser, event):
    data = eventbrite_csv(300, padding=5000)
    assert len(data) > 1024 * 1024
    assert post_file(organiser, event, data).get_json()["imported"] == 300


def test_files_over_the_limit_are_refused(organiser, event):
    data = b"x" * (50 * 1024 * 1024 + 1)
    response = post_file(organiser, event, data)
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"
    assert directory(event) == []


def test_the_limit_is_configurable(make_app, make_user, make_event):
    app = make_app(MAX_IMPORT_LENGTH=1000)
    with app.app_context():
        user = make_user()
        event = make_event(user)
        client = app.test_client()
        token = accounts.create_token(user, "tests")
        db.session.commit()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        response = post_file(client, event, eventbrite_csv(50))
        assert response.status_code == 413
        assert "larger than 1,000 bytes" in response.get_json()["message"]
        assert post_file(client, event, eventbrite_csv(5)).status_code == 200


def test_too_many_rows_are_refused_before_anything_is_written(organiser, event, monkeypatch):
    monkeypatch.setattr(attendee_rows, "MAX_ROWS", 10)
    for data in (
        eventbrite_csv(11),
        json.dumps([{"code": f"C{n}", "name": "X"} for n in range(11)]).encode(),
    ):
        response = post_file(organiser, event, data)
        assert response.status_code == 422
        assert response.get_json()["error"] == "too_many_rows"
    assert post_file(organiser, event, eventbrite_csv(10)).status_code == 200


def test_a_large_import_takes_a_few_statements_not_one_per_row(app, organiser, event):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        first = post_file(organiser, event, eventbrite_csv(2000)).get_json()
        changed = eventbrite_csv(2000).replace(b"Acme", b"Acme Corp")
        second = post_file(organiser, event, changed).get_json()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    assert (first["imported"], second["updated"]) == (2000, 2000)
    attendee_writes = [s for s in statements if "attendees" in s and not s.startswith("SELECT")]
    assert len(attendee_writes) < 12
    assert len(statements) < 60
    total = db.session.scalar(select(func.count()).select_from(Attendee))
    assert total == 2000
    assert {a.company for a in directory(event)} == {"Acme Corp"}


def test_browser_session_can_import_with_its_csrf_header(auth, client, make_event):
    auth.register(email="ada@example.com")
    user = db.session.scalar(select(User).where(User.email == "ada@example.com"))
    event = make_event(user)
    assert post_file(client, event, sample("sessionize_all.json")).status_code == 200
    assert len(directory(event)) == 2
