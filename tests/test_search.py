"""Search through the trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL): the same every-word,
any-substring matching as a scan, kept right by every write (create, edit, delete, merge), and
answered from the index rather than by reading every contact."""

import sqlite3

import pytest
from sqlalchemy import event

from pwa import create_app
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


def test_a_search_reads_the_index_not_every_contact(app, ada, people, as_ada):
    """The query plan of the search the route makes goes through the trigram index."""
    statements = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if "search_text" in statement or "contacts_search" in statement:
            statements.append((statement, parameters))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        assert names(as_ada, "lovelace") == ["Ada Lovelace"]
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    statement, parameters = statements[-1]
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            details = " ".join(str(row[-1]) for row in plan)
            assert "VIRTUAL TABLE INDEX" in details and "contacts_search" in details, details
        else:  # on a handful of rows the planner rightly reads the user's few; the index is
            # there for the words it would otherwise read every row for
            connection.exec_driver_sql("SET enable_seqscan = off")
            where = statement.split("WHERE", 1)[1].split("ORDER BY", 1)[0]
            word = next(value for value in parameters.values() if "%" in str(value))
            unfiltered = "SELECT id FROM contacts WHERE contacts.search_text LIKE %(word)s"
            assert "search_text LIKE" in where
            plan = connection.exec_driver_sql(f"EXPLAIN {unfiltered}", {"word": word})
            details = " ".join(row[0] for row in plan)
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
