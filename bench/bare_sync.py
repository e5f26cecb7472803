"""The load benchmark's baseline: a bare Flask app on Hallway's waitress settings (pwa/serving.py)
with one endpoint that writes a batch of contacts with one `executemany` in one transaction.

No accounts, no validation, no merging, no pull: what the same rows cost to write on the same
server stack and database, and nothing else. SQLite gets Hallway's settings (WAL, the write lock
taken when the transaction begins, the same busy timeout).

With --search, each row also gets the text a contact is found by (pwa/contacts/models.py
search_text_of) and the table the index Hallway keeps in step as it writes (the DDL of
pwa/contacts/search.py on this table: FTS5 trigram and its triggers on SQLite, a pg_trgm GIN index
on PostgreSQL): what writing the rows costs once search has to find them at once.

Run by bench/load.py: python -m bench.bare_sync --port PORT --database URL [--search]
"""

import argparse
import json

from flask import Flask, request
from sqlalchemy import create_engine, event, text

from pwa.config import DEFAULTS
from pwa.contacts import search
from pwa.contacts.models import search_text_of
from pwa.serving import create_server

COLUMNS = ("id", "name", "company", "title", "email", "phone", "notes", "tags", "search_text")
TABLE = """CREATE TABLE IF NOT EXISTS bare_contacts (
    id VARCHAR(36) PRIMARY KEY, name VARCHAR(200), company VARCHAR(200), title VARCHAR(200),
    email VARCHAR(320), phone VARCHAR(50), notes TEXT, tags TEXT, search_text TEXT,
    version INTEGER NOT NULL)"""
UPSERT = text(
    f"INSERT INTO bare_contacts ({', '.join(COLUMNS)}, version) "
    f"VALUES ({', '.join(':' + name for name in COLUMNS)}, 1) "
    f"ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in COLUMNS[1:])
    + ", version = bare_contacts.version + 1"
)


def search_index(dialect):
    """Hallway's search index DDL (pwa/contacts/search.py), on bare_contacts instead of contacts."""
    statements = search.SQLITE if dialect == "sqlite" else search.POSTGRESQL
    return [
        statement.replace("ON contacts", "ON bare_contacts")
        .replace("content='contacts'", "content='bare_contacts'")
        .replace("contacts_search", "bare_search")
        for statement in statements
    ]


def database(url, with_search=False):
    """An engine with the table made (and the search index, with_search); on SQLite, Hallway's
    pragmas and BEGIN IMMEDIATE."""
    engine = create_engine(url, pool_size=10)
    if engine.dialect.name == "sqlite":
        timeout = int(DEFAULTS["DATABASE_BUSY_TIMEOUT"] * 1000)

        @event.listens_for(engine, "connect")
        def pragmas(connection, _record):
            connection.isolation_level = None
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute(f"PRAGMA busy_timeout = {timeout}")

        @event.listens_for(engine, "begin")
        def begin(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    with engine.begin() as connection:
        connection.execute(text(TABLE))
        for statement in search_index(engine.dialect.name) if with_search else ():
            connection.exec_driver_sql(statement)
    return engine


def create_app(url, with_search=False):
    app = Flask(__name__)
    app.config["PROXY_COUNT"] = 0
    engine = database(url, with_search)

    @app.post("/sync")
    def sync():
        rows = [
            {
                "id": change["id"],
                **{name: change["fields"].get(name) for name in COLUMNS[1:-1]},
                "tags": json.dumps(change["fields"].get("tags")),
                "search_text": search_text_of(change["fields"]) if with_search else None,
            }
            for change in request.get_json()["changes"]
        ]
        with engine.begin() as connection:
            connection.execute(UPSERT, rows)
        return {"written": len(rows)}

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--search", action="store_true", help="keep Hallway's search index")
    options = parser.parse_args()
    app = create_app(options.database, options.search)
    create_server(app, "127.0.0.1", options.port).run()
