"""contact search text

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=True))
    # Existing cards become findable at once; the app keeps the column up to date from now on.
    op.execute(
        "UPDATE contacts SET search_text = lower("
        "coalesce(name, '') || ' ' || coalesce(company, '') || ' ' || coalesce(notes, '') "
        "|| ' ' || coalesce(CAST(tags AS TEXT), ''))"
    )


def downgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('search_text')
