"""email digest: the local day each user's daily email digest was last claimed or sent for

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'email_digests',
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('day', sa.Date(), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('not_before', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_email_digests_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_email_digests')),
    )


def downgrade():
    op.drop_table('email_digests')
