"""Exchange rates into the hub's currency: `exchange_rate`.

Revision ID: 0019
Revises: 0018

`relevo rates set USD 0.92 --from 2026-12-01`: from that day, 1 USD counts as 0.92 in the
hub's currency (RELEVO_CURRENCY) wherever totals are converted. Deals keep the currency
they were typed in; a deal saved before this with no currency reads as the hub's (no
backfill: the hub's currency is configuration, not data).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "exchange_rate",
        sa.Column("id", ID, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("rate", sa.Numeric(precision=18, scale=8), nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("rate > 0", name=op.f("ck_exchange_rate_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rate")),
        sa.UniqueConstraint("currency", "valid_from", name=op.f("uq_exchange_rate_currency")),
    )


def downgrade() -> None:
    op.drop_table("exchange_rate")
