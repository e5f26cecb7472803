"""a worker's claim on the attendees it is embedding, so workers side by side embed different ones

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('embedding_claimed_until', sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.drop_column('embedding_claimed_until')
