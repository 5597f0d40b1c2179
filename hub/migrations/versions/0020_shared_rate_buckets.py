"""Rate limits shared by every web process: `rate_bucket`.

Revision ID: 0020
Revises: 0019

One row per token bucket (a person's on a platform and workspace, or a whole workspace's),
updated by one statement per command (hub/rate_buckets.py). Only PostgreSQL deployments
use it; the embedded SQLite hub keeps its buckets in the process, but has the table too so
both schemas stay the same. No index beyond the key: every command updates `updated_at`,
and an index on it would cost each update (and PostgreSQL's in-place "HOT" updates) more
than the occasional prune of idle rows saves.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_bucket",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("tokens", sa.Double(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_bucket")),
    )


def downgrade() -> None:
    op.drop_table("rate_bucket")
