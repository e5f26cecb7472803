"""follow-through: promises, introductions, keep-in-touch cadences, trust and the last touch

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 17:40:33.254351

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "introductions",
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("to_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("change_seq", sa.Integer(), nullable=False),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_introductions_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_id"],
            ["contacts.id"],
            name=op.f("fk_introductions_to_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_introductions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introductions")),
    )
    with op.batch_alter_table("introductions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_introductions_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(
            "ix_introductions_user_change", ["user_id", "change_seq"], unique=False
        )

    op.create_table(
        "promises",
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("direction", sa.String(length=10), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("kept_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("change_seq", sa.Integer(), nullable=False),
        sa.Column("field_versions", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_promises_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_promises_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promises")),
    )
    with op.batch_alter_table("promises", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_promises_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index("ix_promises_user_change", ["user_id", "change_seq"], unique=False)

    op.add_column("contacts", sa.Column("cadence_days", sa.Integer(), nullable=True))
    op.add_column("contacts", sa.Column("trust", sa.String(length=20), nullable=True))
    op.add_column("contacts", sa.Column("introduced_by_id", sa.Uuid(), nullable=True))
    op.add_column("contacts", sa.Column("last_touch_at", sa.DateTime(timezone=True), nullable=True))

    # Added in place, never by rebuilding the table (on SQLite a rebuild of users or contacts
    # would cascade to every row that hangs on them).
    op.add_column(
        "users", sa.Column("cadences", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
    )

    # The last touch of every contact so far: when we met, or the latest interaction since.
    op.execute("UPDATE contacts SET last_touch_at = met_at")
    op.execute(
        "UPDATE contacts SET last_touch_at = ("
        " SELECT max(interactions.at) FROM interactions"
        " WHERE interactions.contact_id = contacts.id AND interactions.kind <> 'note'"
        " AND interactions.deleted_at IS NULL)"
        " WHERE EXISTS (SELECT 1 FROM interactions"
        " WHERE interactions.contact_id = contacts.id AND interactions.kind <> 'note'"
        " AND interactions.deleted_at IS NULL AND interactions.at > contacts.met_at)"
    )


def downgrade():
    # In place (SQLite 3.35 and later drop a column without rebuilding the table).
    op.drop_column("users", "cadences")
    for column in ("last_touch_at", "introduced_by_id", "trust", "cadence_days"):
        op.drop_column("contacts", column)

    with op.batch_alter_table("promises", schema=None) as batch_op:
        batch_op.drop_index("ix_promises_user_change")
        batch_op.drop_index(batch_op.f("ix_promises_contact_id"))

    op.drop_table("promises")
    with op.batch_alter_table("introductions", schema=None) as batch_op:
        batch_op.drop_index("ix_introductions_user_change")
        batch_op.drop_index(batch_op.f("ix_introductions_contact_id"))

    op.drop_table("introductions")
