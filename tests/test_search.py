"""Search through the trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL): the same every-word,
any-substring matching as a scan, kept right by every write (create, edit, delete, merge), and
answered from the index rather than by reading every contact."""

import sqlite3
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, insert

from pwa import create_app
from pwa.contacts.models import Contact, search_text_of
from pwa.contacts.search import FEW
from pwa.db import db

URL = "/api/v1/contacts"


def names(api, q):
    return sorted(item["name"] for item in api.get(URL, query_string={"q": q}).get_json()["items"])


@pytest.fixture
def as_ada(ada, api_as):
    return api_as(ada)


@pytest.fixture
def people(ada, make_contact):
    made = {
        "ada": make_contact(ada, name="Ada Lovelace", company="Analytical Engines", tags=["math"]),
        "grace": make_contact(ada, name="Grace Hopper", notes='Said "nanoseconds" twice'),
        "zoe": make_contact(ada, name="Zoë Müller", company="Café 100%_sure"),
        "li": make_contact(ada, name="Li Na", company="AI Lab"),
    }
    return made


@pytest.mark.parametrize(
    "q, found",
    [
        ("lovelace", ["Ada Lovelace"]),
        ("ada lov", ["Ada Lovelace"]),  # every word, each anywhere
        ("lov ada", ["Ada Lovelace"]),
        ("gine", ["Ada Lovelace"]),  # inside a word
        ("ada hopper", []),
        ("müller", ["Zoë Müller"]),
        ("CAFÉ", ["Zoë Müller"]),
        ("100%_", ["Zoë Müller"]),  # LIKE's wildcards are letters here
        ("%", ["Zoë Müller"]),
        ('"nanoseconds"', ["Grace Hopper"]),  # quotes, FTS5's own syntax, are letters too
        ("nano OR ada", []),  # and so are its operators
        ("li", ["Li Na"]),  # two letters: no trigram, matched by LIKE
        ("li na", ["Li Na"]),
        ("ai lab", ["Li Na"]),
        ("math lov", ["Ada Lovelace"]),  # tags
        ("a", ["Ada Lovelace", "Grace Hopper", "Li Na", "Zoë Müller"]),
    ],
)
def test_every_word_matches_anywhere_as_a_scan_would(people, as_ada, q, found):
    assert names(as_ada, q) == found


def test_the_index_follows_every_write(ada, people, as_ada, make_contact):
    grace = people["grace"]
    as_ada.patch(f"{URL}/{grace.id}", json={"name": "Grace Brewster Murray"})
    assert names(as_ada, "hopper") == []
    assert names(as_ada, "brewster") == ["Grace Brewster Murray"]

    as_ada.delete(f"{URL}/{people['ada'].id}")
    assert names(as_ada, "lovelace") == []

    twin = make_contact(ada, name="Zoe M.", notes="met again at the espresso bar")
    merged = as_ada.post(f"{URL}/{people['zoe'].id}/merge", json={"other_id": str(twin.id)})
    assert merged.status_code == 200, merged.get_json()
    assert names(as_ada, "espresso") == ["Zoë Müller"]


def test_another_users_people_are_never_found(people, bob, api_as, make_contact):
    make_contact(bob, name="Ada Lovelace (Bob's)")
    assert names(api_as(bob), "lovelace") == ["Ada Lovelace (Bob's)"]


def searched(engine, as_ada, query_string):
    """The answer to a contact list call, and the search statements it ran."""
    statements = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if "search_text" in statement or "contacts_search" in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        answer = as_ada.get(URL, query_string=query_string)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json(), statements


#: Room for more matches than FTS5 reads one by one (search.py), all older than FEW others.
CROWD = 2 * FEW + 100


@pytest.fixture
def crowd(ada):
    """CROWD contacts of Ada's, person n met n minutes after New Year: every one has
    "conference" in her notes, every 30th "booth", the oldest FEW + 50 "early" (none of the
    newest FEW), only the first (the oldest) "zanzibar"."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows, texts = [], {}
    for n in reversed(range(CROWD)):
        notes = "conference" + (" booth" if n % 30 == 0 else "") + (" zanzibar" if n == 0 else "")
        notes += " early" if n < FEW + 50 else ""
        fields = {"name": f"Person {n}", "notes": notes}
        met = start + timedelta(minutes=n)
        rows.append({"id": uuid.UUID(int=n + 1), "user_id": ada.id, "version": 1,
                     "created_at": met, "updated_at": met, "change_seq": n + 1,
                     "field_versions": {}, "met_at": met, "search_text": search_text_of(fields),
                     **fields})  # fmt: skip
        texts[fields["name"]] = rows[-1]["search_text"]
    db.session.execute(insert(Contact), rows)
    db.session.commit()
    return texts  # name -> search text, newest first, as the list shows them


def every_page(as_ada, q, limit):
    """Every name the list shows for q, following next_cursor to the end."""
    found, cursor = [], None
    while True:
        query_string = {"q": q, "limit": limit, **({"cursor": cursor} if cursor else {})}
        page = as_ada.get(URL, query_string=query_string).get_json()
        found += [item["name"] for item in page["items"]]
        if not page["has_more"]:
            return found
        cursor = page["next_cursor"]


@pytest.mark.parametrize("limit", [50, 200])
@pytest.mark.parametrize(
    "q", ["conference", "booth", "zanzibar", "person 1", "booth person 3", "early", "early 9"]
)
def test_paging_a_search_lists_every_match_once_newest_first(crowd, as_ada, q, limit):
    """Read in order or found through FTS5, page after page, each once, newest first."""
    words = q.split()
    expected = [name for name, text in crowd.items() if all(word in text for word in words)]
    assert every_page(as_ada, q, limit) == expected


def test_a_common_word_is_found_among_the_newest_without_the_index(app, crowd, as_ada):
    """A word nearly everyone shares fills its page from the newest contacts, read in order:
    FTS5 would hand back all of them before the newest could be picked (it is only asked to
    count them, up to FEW + 1)."""
    answer, statements = searched(db.engine, as_ada, {"q": "conference", "limit": 50})
    assert [item["name"] for item in answer["items"]] == list(crowd)[:50]
    assert answer["has_more"]
    assert not any("contacts.rowid IN" in statement for statement, _ in statements)


def plan(connection, statement, parameters):
    """SQLite's query plan of a statement, as one line."""
    rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    return " ".join(str(row[-1]) for row in rows)


def test_a_rare_word_is_found_through_the_index(app, crowd, as_ada):
    """The query plan of a search for a word few hold goes through the trigram index; on SQLite
    each of FTS5's few matches is read by its rowid, not the owner's every contact."""
    engine = db.engine
    answer, statements = searched(engine, as_ada, {"q": "zanzibar"})
    assert [item["name"] for item in answer["items"]] == ["Person 0"]
    statement, parameters = statements[-1]
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            details = plan(connection, statement, parameters)
            assert "VIRTUAL TABLE INDEX" in details and "contacts_search" in details, details
            assert "INTEGER PRIMARY KEY (rowid=?)" in details, details
            assert "ix_contacts_user_met" not in details, details
        else:  # the planner picks the index when a word is rare; force it to show it can
            connection.exec_driver_sql("SET enable_seqscan = off")
            where = statement.split("WHERE", 1)[1].split("ORDER BY", 1)[0]
            word = next(value for value in parameters.values() if "%" in str(value))
            unfiltered = "SELECT id FROM contacts WHERE contacts.search_text LIKE %(word)s"
            assert "search_text LIKE" in where
            explained = connection.exec_driver_sql(f"EXPLAIN {unfiltered}", {"word": word})
            details = " ".join(row[0] for row in explained)
            assert "ix_contacts_search_trgm" in details, details


def test_writing_the_same_search_text_again_leaves_the_index_alone(tmp_path):
    """A bulk write may set a contact's search text again unchanged (records.flush_together):
    SQLite's trigger then does not rewrite the contact in the index (a delete and an insert).
    SQLite's alone: PostgreSQL's trigram index is the table's own, with no trigger."""
    path = tmp_path / "search.db"
    app = create_app(
        {"TESTING": True, "DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{path}"}
    )
    with app.app_context():
        db.create_all()
        db.session.remove()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(
        "INSERT INTO contacts (id, user_id, name, search_text, version, created_at, updated_at, "
        "change_seq, field_versions) VALUES ('c1', 'u1', 'Ada', 'ada lovelace', 1, '', '', 1, '{}')"
    )

    def rows_written(sql):
        before = connection.total_changes
        connection.execute(sql)
        return connection.total_changes - before

    # the contact's row alone; then the row, and the index's delete and insert (several rows of
    # its own tables)
    assert rows_written("UPDATE contacts SET search_text = search_text") == 1
    assert rows_written("UPDATE contacts SET search_text = 'grace hopper'") > 1
    found = "SELECT id FROM contacts WHERE rowid IN (SELECT rowid FROM contacts_search WHERE contacts_search MATCH ?)"
    assert connection.execute(found, ('"hopper"',)).fetchall() == [("c1",)]
    assert connection.execute(found, ('"lovelace"',)).fetchall() == []


@pytest.mark.parametrize("q, through_fts5", [("early", False), ("early 9", True)])
def test_a_word_many_share_but_not_the_newest_reads_the_list_in_order(
    app, crowd, as_ada, q, through_fts5
):
    """More matches than FEW, none among the newest: the owner's contacts in order until the
    page is full (reading every match by rowid first would not stop), each tested by LIKE, or
    against FTS5's matches beside a word too short for the index."""
    engine = db.engine
    answer, statements = searched(engine, as_ada, {"q": q})
    expected = [name for name, text in crowd.items() if all(w in text for w in q.split())]
    assert [item["name"] for item in answer["items"]] == expected[:50]
    if engine.dialect.name == "sqlite":
        statement, parameters = statements[-1]
        with engine.connect() as connection:
            details = plan(connection, statement, parameters)
        assert "ix_contacts_user_met" in details, details
        assert ("contacts_search" in details) == through_fts5, details
