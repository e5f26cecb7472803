"""contacts: met_at always set, indexed for the newest-first list

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE contacts SET met_at = created_at WHERE met_at IS NULL")
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_user_met', ['user_id', 'met_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_user_met')
