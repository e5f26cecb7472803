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
other words leave. Migration 0009 creates these objects; `create_all` (the tests) creates them
through the DDL events below."""

from sqlalchemy import DDL, event, text

from .models import Contact

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


def with_words(query, words, dialect):
    """query narrowed to the contacts whose search text holds every one of words."""
    words = [word for word in dict.fromkeys(words) if word]
    indexed = [word for word in words if len(word) >= 3]
    if dialect == "sqlite" and indexed:
        phrases = " ".join('"' + word.replace('"', '""') + '"' for word in indexed)
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
