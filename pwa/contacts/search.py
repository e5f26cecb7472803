"""Finding people by words of their name, company, notes or tags, fast at 100,000 contacts.

Every word typed must appear somewhere in `contacts.search_text` (models.py keeps it lower-cased
on every write) as a substring, so "ada lov" finds Ada Lovelace. `LIKE '%word%'` alone reads every
contact; so the database also keeps a trigram index of search_text, which finds the contacts that
hold a word's three-letter pieces without reading the rest:

- SQLite: an FTS5 table with the trigram tokenizer over contacts.search_text (external content,
  keyed by the contacts' rowid, kept in step by triggers on every insert, update and delete, so
  whatever writes a contact keeps it right). A `VACUUM` may renumber rowids: after one, run
  `INSERT INTO contacts_search(contacts_search) VALUES ('rebuild')`. Backups copy pages and keep
  them.
- PostgreSQL: pg_trgm's GIN index on search_text, which serves `LIKE '%word%'` itself.

A word shorter than three letters has no trigram: it is matched with LIKE among the contacts the
other words leave.

FTS5 hands back every match, in rowid order, before the newest can be picked: a word most people
share ("conference") costs 60 ms at 100,000 that way, while reading the newest contacts in order
and testing each with LIKE fills a page of it in a millisecond. So on SQLite FTS5 is first asked
whether it holds at most FEW matches (it stops counting at FEW + 1): then they are read one by
one by rowid and sorted (the owner's index kept out of that query, else SQLite walks all of the
owner's contacts testing each against the matches); more, and the list is read newest first,
which stops at a full page, each contact tested with LIKE; beside a word too short for the index,
which may leave few, each is tested against FTS5's matches (cheaper than LIKE, row for row, once
the matches are listed). PostgreSQL's planner makes these choices itself, from its statistics.
The slowest case left: a word many hold with a short one none of them hold ("hopper zq") walks
the owner's whole list, about 40 ms at 100,000 on this two-core machine (a covering index of
search_text would be the next step).

Migration 0009 creates these objects; `create_all` (the tests) creates them
through the DDL events below."""

from sqlalchemy import DDL, event, text

from ..db import db
from .models import Contact

#: FTS5 hands back at most this many matches: each is read by its rowid, then sorted.
FEW = 2_000

#: What the migrations' schema comparison leaves alone: search machinery, not model tables.
SEARCH_OBJECTS = ("contacts_search", "ix_contacts_search_trgm")


def not_search_machinery(_object, name, _type, _reflected, _compare_to):
    """Alembic's include_object: the search index and its FTS5 shadow tables are no model's."""
    return not (name or "").startswith(SEARCH_OBJECTS)


SQLITE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS contacts_search USING fts5(search_text, "
    "content='contacts', content_rowid='rowid', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS contacts_search_insert AFTER INSERT ON contacts BEGIN "
    "INSERT INTO contacts_search(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS contacts_search_delete AFTER DELETE ON contacts BEGIN "
    "INSERT INTO contacts_search(contacts_search, rowid, search_text) "
    "VALUES ('delete', old.rowid, old.search_text); END",
    # Only when the text is new: a bulk write may set it again unchanged (records.flush_together).
    "CREATE TRIGGER IF NOT EXISTS contacts_search_update AFTER UPDATE OF search_text ON contacts "
    "WHEN old.search_text IS NOT new.search_text "
    "BEGIN INSERT INTO contacts_search(contacts_search, rowid, search_text) "
    "VALUES ('delete', old.rowid, old.search_text); "
    "INSERT INTO contacts_search(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    "INSERT INTO contacts_search(contacts_search) VALUES ('rebuild')",
)
#: The update trigger of migration 0009, before 0015 gave it its WHEN (for 0015's downgrade).
SQLITE_UPDATE_TRIGGER_0009 = (
    "CREATE TRIGGER contacts_search_update AFTER UPDATE OF search_text ON contacts "
    "BEGIN INSERT INTO contacts_search(contacts_search, rowid, search_text) "
    "VALUES ('delete', old.rowid, old.search_text); "
    "INSERT INTO contacts_search(rowid, search_text) VALUES (new.rowid, new.search_text); END"
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS contacts_search_update",
    "DROP TRIGGER IF EXISTS contacts_search_delete",
    "DROP TRIGGER IF EXISTS contacts_search_insert",
    "DROP TABLE IF EXISTS contacts_search",
)
POSTGRESQL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_contacts_search_trgm ON contacts "
    "USING gin (search_text gin_trgm_ops)",
)
POSTGRESQL_DROP = ("DROP INDEX IF EXISTS ix_contacts_search_trgm",)

for _statement in SQLITE:
    event.listen(Contact.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL:
    event.listen(
        Contact.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )


def with_words(query, words, fts):
    """query narrowed to the contacts whose search text holds every one of words: through the
    FTS5 table when fts (SQLite, when few_matches), else with LIKE alone (PostgreSQL's trigram
    index serves it; SQLite tests each row as it reads the list in order)."""
    words = _distinct(words)
    phrases = _phrases(words)
    if fts and phrases:
        query = query.where(
            text(
                "contacts.rowid IN (SELECT rowid FROM contacts_search "
                "WHERE contacts_search MATCH :search_words)"
            ).bindparams(search_words=phrases)
        )
        words = [word for word in words if len(word) < 3]
    for word in words:
        # A ready-made pattern: SQLite would otherwise build '%' || word || '%' once per row.
        literal = word.replace("/", "//").replace("%", "/%").replace("_", "/_")
        query = query.where(Contact.search_text.like(f"%{literal}%", escape="/"))
    return query


def few_matches(words):
    """Whether FTS5 finds at most FEW contacts (of anyone's) for the words of three letters or
    more: then they are best read one by one by rowid. Counting stops at FEW + 1."""
    phrases = _phrases(_distinct(words))
    if not phrases:
        return False
    count = text(
        "SELECT count(*) FROM (SELECT rowid FROM contacts_search "
        "WHERE contacts_search MATCH :search_words LIMIT :most)"
    )
    return db.session.scalar(count, {"search_words": phrases, "most": FEW + 1}) <= FEW


def _distinct(words):
    return [word for word in dict.fromkeys(words) if word]


def _phrases(words):
    """FTS5's query for the words with a trigram: each a quoted phrase, all of them required."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words if len(word) >= 3)
