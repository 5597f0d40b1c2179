"""Receipts of chat requests that wrote to the hub, so that redeliveries write nothing.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "request_receipt",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column(
            "person_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_request_receipt_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_receipt")),
        sa.UniqueConstraint("platform", "key", name=op.f("uq_request_receipt_platform")),
    )
    op.create_index(op.f("ix_request_receipt_created_at"), "request_receipt", ["created_at"])


def downgrade() -> None:
    op.drop_table("request_receipt")
