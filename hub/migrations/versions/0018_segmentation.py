"""Segmentation: an account's industry, country, region, size, revenue and lead source
and campaign; a deal's source and campaign.

Revision ID: 0018
Revises: 0017

All optional (NULL: not known). Indexed where reports group and `find` filters: an
account's industry, country and lead source; a deal's source and campaign.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACCOUNT_COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("industry", sa.String(length=80), nullable=True),
    sa.Column("country", sa.String(length=2), nullable=True),
    sa.Column("region", sa.String(length=80), nullable=True),
    sa.Column("size_band", sa.String(length=12), nullable=True),
    sa.Column("revenue", sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column("revenue_currency", sa.String(length=3), nullable=True),
    sa.Column("lead_source", sa.String(length=60), nullable=True),
    sa.Column("lead_campaign", sa.String(length=120), nullable=True),
)
DEAL_COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("source", sa.String(length=60), nullable=True),
    sa.Column("campaign", sa.String(length=120), nullable=True),
)
INDEXED = {"account": ("industry", "country", "lead_source"), "deal": ("source", "campaign")}


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild on SQLite), as in 0015.
    for column in ACCOUNT_COLUMNS:
        op.add_column("account", column)
    for column in DEAL_COLUMNS:
        op.add_column("deal", column)
    for table, columns in INDEXED.items():
        for name in columns:
            op.create_index(op.f(f"ix_{table}_{name}"), table, [name])


def downgrade() -> None:
    for table, columns in INDEXED.items():
        for name in columns:
            op.drop_index(op.f(f"ix_{table}_{name}"), table_name=table)
    for column in reversed(DEAL_COLUMNS):
        op.drop_column("deal", column.name)
    for column in reversed(ACCOUNT_COLUMNS):
        op.drop_column("account", column.name)
