"""reminders and calendar

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feeds',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash'))
    )
    op.create_table('notification_counts',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('sent', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_counts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_counts'))
    )
    with op.batch_alter_table('followups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('remind_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reminder_status', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reminder_attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('reminder_error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_followups_remind_at'), ['remind_at'], unique=False)

    # Open follow-ups still ahead get their reminder; those already past stay quiet, so a deploy
    # does not flood anyone with old reminders.
    op.execute(
        "UPDATE followups SET reminder_status = 'pending', remind_at = CASE "
        "WHEN snoozed_until IS NOT NULL AND snoozed_until > due_at THEN snoozed_until ELSE due_at END "
        "WHERE deleted_at IS NULL AND done_at IS NULL AND due_at IS NOT NULL "
        "AND COALESCE(snoozed_until, due_at) >= CURRENT_TIMESTAMP"
    )

    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE push_subscriptions SET updated_at = created_at")
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.alter_column('updated_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.drop_column('updated_at')

    with op.batch_alter_table('followups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followups_remind_at'))
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('reminder_error')
        batch_op.drop_column('reminder_attempts')
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('reminder_status')
        batch_op.drop_column('remind_at')

    op.drop_table('notification_counts')
    op.drop_table('calendar_feeds')
