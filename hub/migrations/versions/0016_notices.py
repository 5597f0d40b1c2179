"""Notices: what a colleague did that a person should hear of; `person.muted`.

Revision ID: 0016
Revises: 0015

A handover received, a cover named, a follow-up assigned, a change to one's account:
written in the same transaction as the write (hub/notices.py), sent once as a DM by the
clock through the delivery ledger, shown at the top of `mine` until seen. `person.muted`
holds the kinds a person opted out of (`relevo people set NAME --mute handover,cover`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "notice",
        sa.Column("id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", ID, nullable=True),
        sa.Column("key", sa.String(length=64), nullable=True),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_notice_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["person.id"], name=op.f("fk_notice_actor_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
        sa.UniqueConstraint("person_id", "key", name=op.f("uq_notice_person_id")),
    )
    op.create_index("ix_notice_person_seen", "notice", ["person_id", "seen_at"])
    op.create_index(op.f("ix_notice_created_at"), "notice", ["created_at"])
    # Plain ADD COLUMN (no batch rebuild on SQLite), as in 0015.
    op.add_column("person", sa.Column("muted", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("person", "muted")
    op.drop_index(op.f("ix_notice_created_at"), table_name="notice")
    op.drop_index("ix_notice_person_seen", table_name="notice")
    op.drop_table("notice")
