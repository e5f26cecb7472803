"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from pwa import create_app
from pwa.cli import upgrade_database
from pwa.db import db


def test_migrated_schema_matches_the_models(empty_database, tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": empty_database})
    upgrade_database(app)
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
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
