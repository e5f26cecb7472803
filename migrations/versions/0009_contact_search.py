"""a trigram index of every contact's search text: FTS5 on SQLite, pg_trgm on PostgreSQL, so a
search stays fast at 100,000 contacts (pwa/contacts/search.py)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

"""
from alembic import op

from pwa.contacts import search


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    _run(search.SQLITE if dialect == "sqlite" else search.POSTGRESQL)


def downgrade():
    dialect = op.get_bind().dialect.name
    _run(search.SQLITE_DROP if dialect == "sqlite" else search.POSTGRESQL_DROP)
