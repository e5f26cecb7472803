"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import json
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from pwa import create_app
from pwa.cli import upgrade_database
from pwa.contacts import search
from pwa.db import db
from pwa.exchange.models import SHAREABLE


def migrate_to(revision, down=False):
    """Move the app's database to revision (inside an app context)."""
    (downgrade if down else upgrade)(revision=revision)


def test_migrated_schema_matches_the_models(empty_database, tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": empty_database})
    upgrade_database(app)
    with app.app_context():
        with db.engine.connect() as connection:
            opts = {"compare_type": True, "include_object": search.not_search_machinery}
            context = MigrationContext.configure(connection, opts=opts)
            differences = compare_metadata(context, db.metadata)
            tables = set(inspect(connection).get_table_names())
        db.engine.dispose()
    assert differences == []
    assert {table.name for table in db.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_upgrade_twice_is_harmless(empty_database, tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": empty_database})
    upgrade_database(app)
    upgrade_database(app)
    with app.app_context():
        assert db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()
        db.session.remove()
        db.engine.dispose()


def _card_rows(connection, column):
    rows = connection.execute(db.text(f"SELECT name, {column} FROM cards ORDER BY name")).all()
    return {name: json.loads(value) if isinstance(value, str) else value for name, value in rows}


def test_cards_left_at_the_old_default_now_share_what_is_filled_except_the_phone(
    empty_database, tmp_path
):
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": empty_database})
    with app.app_context():
        migrate_to("0006")
        users = sa.table(
            "users",
            sa.column("id", sa.Uuid()),
            sa.column("created_at", sa.DateTime(timezone=True)),
            *(sa.column(name) for name in ("email", "name", "password_hash", "timezone")),
            *(sa.column(name) for name in ("quiet_start", "quiet_end", "session_epoch")),
            sa.column("change_seq"),
        )
        cards = sa.table(
            "cards",
            sa.column("user_id", sa.Uuid()),
            sa.column("updated_at", sa.DateTime(timezone=True)),
            sa.column("shared_fields", sa.JSON()),
            *(sa.column(name) for name in ("name", "email", "phone", "public_token", "version")),
        )
        now = datetime.now(UTC)
        chosen = {"untouched": ["name"], "picked": ["name", "email"], "nothing": []}
        for index, (name, shared) in enumerate(chosen.items()):
            user_id = uuid.uuid4()
            db.session.execute(
                users.insert().values(
                    id=user_id,
                    email=f"{name}@example.com",
                    name=name,
                    password_hash="x",
                    timezone="UTC",
                    quiet_start="21:00",
                    quiet_end="08:00",
                    session_epoch=0,
                    change_seq=0,
                    created_at=now,
                )
            )
            db.session.execute(
                cards.insert().values(
                    user_id=user_id,
                    name=name,
                    email=f"{name}@example.com",
                    phone="+1 555 0100",
                    public_token=f"token-{index}",
                    shared_fields=shared,
                    version=1,
                    updated_at=now,
                )
            )
        db.session.commit()

        migrate_to("head")
        with db.engine.connect() as connection:
            hidden = _card_rows(connection, "hidden_fields")
        migrate_to("0006", down=True)
        with db.engine.connect() as connection:
            shared_again = _card_rows(connection, "shared_fields")
        db.session.remove()
        db.engine.dispose()

    assert hidden == {
        "untouched": ["phone"],
        "picked": ["headline", "company", "title", "phone", "url", "intro"],
        "nothing": list(SHAREABLE),
    }
    assert shared_again == {
        "untouched": [name for name in SHAREABLE if name != "phone"],
        "picked": ["name", "email"],
        "nothing": [],
    }
