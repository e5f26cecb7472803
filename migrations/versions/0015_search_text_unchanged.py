"""the search index is rewritten only when a contact's search text changes, not whenever a bulk
write sets it again unchanged (SQLite's FTS5 update trigger gets a WHEN)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04

"""
from alembic import op

from pwa.contacts import search


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def _update_trigger(statement):
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS contacts_search_update")
        op.execute(statement)


def upgrade():
    _update_trigger(next(s for s in search.SQLITE if "contacts_search_update" in s))


def downgrade():
    _update_trigger(search.SQLITE_UPDATE_TRIGGER_0009)
