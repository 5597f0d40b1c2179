"""Where a person wants their DMs: `person.notify_via`.

Revision ID: 0011
Revises: 0010

Empty means where they were seen last, as before; "slack" or "discord" is their choice
when they use both (`relevo people set NAME --notify-via slack`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person") as person:
        person.add_column(sa.Column("notify_via", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as person:
        person.drop_column("notify_via")
