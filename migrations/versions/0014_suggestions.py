"""suggestions: dismissals (a synced kind) and a member's own goals for a joined event

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'dismissals',
        sa.Column('event_id', sa.Uuid(), nullable=True),
        sa.Column('attendee_id', sa.Uuid(), nullable=True),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('change_seq', sa.Integer(), nullable=False),
        sa.Column('field_versions', sa.JSON(), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(['attendee_id'], ['attendees.id'], name=op.f('fk_dismissals_attendee_id_attendees'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_dismissals_event_id_events'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_dismissals_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dismissals')),
    )
    with op.batch_alter_table('dismissals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dismissals_event_id'), ['event_id'], unique=False)
        batch_op.create_index('ix_dismissals_user_change', ['user_id', 'change_seq'], unique=False)
    with op.batch_alter_table('event_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('goals', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('event_members', schema=None) as batch_op:
        batch_op.drop_column('goals')
    with op.batch_alter_table('dismissals', schema=None) as batch_op:
        batch_op.drop_index('ix_dismissals_user_change')
        batch_op.drop_index(batch_op.f('ix_dismissals_event_id'))
    op.drop_table('dismissals')
