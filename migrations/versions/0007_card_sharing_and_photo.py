"""card: share what is filled unless turned off; a photo of myself

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

SHAREABLE = ("name", "headline", "company", "title", "email", "phone", "url", "intro")
#: What every card shared until now unless its owner changed it.
OLD_DEFAULT = ["name"]

cards = sa.table(
    'cards',
    sa.column('user_id', sa.Uuid()),
    sa.column('shared_fields', sa.JSON()),
    sa.column('hidden_fields', sa.JSON()),
)


def _names(value):
    # JSON comes back as a list on PostgreSQL and, through some drivers, as text on SQLite.
    return json.loads(value) if isinstance(value, str) else list(value or [])


def hidden_for(shared):
    """A card still at the old default (only the name) now shares every field but the phone: the
    owner never chose, the default did. A card whose owner picked fields keeps exactly that choice."""
    if shared == OLD_DEFAULT:
        return ["phone"]
    return [name for name in SHAREABLE if name not in shared]


def upgrade():
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_fields', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('photo_at', sa.DateTime(timezone=True), nullable=True))
    connection = op.get_bind()
    for user_id, shared in connection.execute(sa.select(cards.c.user_id, cards.c.shared_fields)).all():
        connection.execute(
            cards.update()
            .where(cards.c.user_id == user_id)
            .values(hidden_fields=hidden_for(_names(shared)))
        )
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.alter_column('hidden_fields', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('shared_fields')


def downgrade():
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shared_fields', sa.JSON(), nullable=True))
    connection = op.get_bind()
    for user_id, hidden in connection.execute(sa.select(cards.c.user_id, cards.c.hidden_fields)).all():
        hidden = _names(hidden)
        connection.execute(
            cards.update()
            .where(cards.c.user_id == user_id)
            .values(shared_fields=[name for name in SHAREABLE if name not in hidden])
        )
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.alter_column('shared_fields', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('photo_at')
        batch_op.drop_column('hidden_fields')
