"""browser sessions kept on the server, so signing out ends every copy of a cookie (the
session epoch they replace goes)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'browser_sessions',
        sa.Column('id_hash', sa.String(length=64), nullable=False),
        sa.Column('handle', sa.String(length=36), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('browser', sa.String(length=100), nullable=False),
        sa.Column('network', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_browser_sessions_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id_hash', name=op.f('pk_browser_sessions')),
        sa.UniqueConstraint('handle', name=op.f('uq_browser_sessions_handle')),
    )
    op.create_index(op.f('ix_browser_sessions_user_id'), 'browser_sessions', ['user_id'], unique=False)
    # Sessions were a signed cookie with the account's epoch in it; the rows replace the epoch.
    # A plain DROP COLUMN (SQLite 3.35+): a batch rebuild of users would cascade-delete every
    # row that refers to it.
    op.execute("ALTER TABLE users DROP COLUMN session_epoch")


def downgrade():
    op.add_column('users', sa.Column('session_epoch', sa.Integer(), nullable=False, server_default='0'))
    op.drop_index(op.f('ix_browser_sessions_user_id'), table_name='browser_sessions')
    op.drop_table('browser_sessions')
