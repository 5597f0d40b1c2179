"""The change journal (`change`) behind `undo`, `delete` and `restore`; `edited_at`.

Revision ID: 0015
Revises: 0014

Every `/crm` write leaves one `change` row: the rows it inserted, updated or deleted,
before and after (hub/journal.py). `undo` reverts the person's last one; `delete N9`
removes a record and keeps it there for `restore N9`. Interactions, agreements,
complaints and follow-ups say when they were last edited, so the card can say "edited".

The new columns are added with a plain ADD COLUMN (no batch rebuild on SQLite), which
keeps the full-text triggers of 0003 in place.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EDITABLE = ("interaction", "agreement", "complaint", "task")
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "change",
        sa.Column("id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("record", sa.String(length=24), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("undone_by_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_change_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"], ["person.id"], name=op.f("fk_change_undone_by_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change")),
    )
    op.create_index("ix_change_person_at", "change", ["person_id", "at"])
    op.create_index(op.f("ix_change_record"), "change", ["record"])
    for table in EDITABLE:
        op.add_column(table, sa.Column("edited_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # SQLite drops a column in place (3.35+); a batch rebuild would lose 0003's triggers.
    for table in EDITABLE:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE {table} DROP COLUMN edited_at")
        else:
            op.drop_column(table, "edited_at")
    op.drop_index(op.f("ix_change_record"), table_name="change")
    op.drop_index("ix_change_person_at", table_name="change")
    op.drop_table("change")
