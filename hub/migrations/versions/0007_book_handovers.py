"""Book handovers: one row hands over every account a person owns.

Revision ID: 0007
Revises: 0006

A handover names either one account or a whole book (`book_of_id`). The index that
found running periods by (account, ended_at) kept every handover for good ever made,
since those never end, so it grew with every book handed back and forth: running periods
get a partial index of their own, and (account, created_at) serves the "handed over a
moment ago" check and the cascade from an account.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNNING = "ended_at IS NULL AND until_on IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "book_of_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
            )
        )
        batch_op.alter_column("account_id", existing_type=sa.BigInteger(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_handover_book_of_id_person"), "person", ["book_of_id"], ["id"]
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_handover_one_target"), "(account_id IS NULL) <> (book_of_id IS NULL)"
        )
        batch_op.drop_index("ix_handover_account_active")
        batch_op.create_index(batch_op.f("ix_handover_book_of_id"), ["book_of_id"])
        batch_op.create_index("ix_handover_account_created", ["account_id", "created_at"])
        batch_op.create_index(
            "ix_handover_running",
            ["account_id", "until_on"],
            postgresql_where=sa.text(RUNNING),
            sqlite_where=sa.text(RUNNING),
        )


def downgrade() -> None:
    op.execute("DELETE FROM handover WHERE account_id IS NULL")
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.drop_index("ix_handover_running")
        batch_op.drop_index("ix_handover_account_created")
        batch_op.drop_index(batch_op.f("ix_handover_book_of_id"))
        batch_op.create_index("ix_handover_account_active", ["account_id", "ended_at"])
        batch_op.drop_constraint(batch_op.f("ck_handover_one_target"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_handover_book_of_id_person"), type_="foreignkey")
        batch_op.alter_column("account_id", existing_type=sa.BigInteger(), nullable=False)
        batch_op.drop_column("book_of_id")
