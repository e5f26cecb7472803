"""invites: one-time sign-up links (HALLWAY_SIGNUP=invite)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'invites',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_invites_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invites')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_invites_token_hash')),
    )
    op.create_index(op.f('ix_invites_expires_at'), 'invites', ['expires_at'], unique=False)
    op.create_index(op.f('ix_invites_user_id'), 'invites', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_invites_user_id'), table_name='invites')
    op.drop_index(op.f('ix_invites_expires_at'), table_name='invites')
    op.drop_table('invites')
