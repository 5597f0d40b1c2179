"""The scheduler: per-person nudge time and days off, the clock's lease, digest indexes.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person") as person:
        person.add_column(sa.Column("nudge_at", sa.String(5), nullable=True))
        person.add_column(sa.Column("days_off", sa.String(32), nullable=True))
    op.create_table(
        "clock_lease",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("holder", sa.String(80), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_clock_lease")),
    )


def downgrade() -> None:
    op.drop_table("clock_lease")
    with op.batch_alter_table("person") as person:
        person.drop_column("days_off")
        person.drop_column("nudge_at")
