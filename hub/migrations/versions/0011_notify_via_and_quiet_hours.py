"""Where and when a person wants their DMs: `person.notify_via`, `person.quiet_hours`.

Revision ID: 0011
Revises: 0010

notify_via empty means where they were seen last, as before; "slack" or "discord" is
their choice when they use both. quiet_hours is a local "HH:MM-HH:MM" during which
notices wait (`relevo people set NAME --notify-via slack --quiet 20:00-08:00`).
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
        person.add_column(sa.Column("quiet_hours", sa.String(11), nullable=True))
    # The clock's look for web leads whose notice waited out quiet hours.
    op.create_index(
        "ix_interaction_web_leads",
        "interaction",
        ["occurred_at"],
        postgresql_where=sa.text("source = 'web'"),
        sqlite_where=sa.text("source = 'web'"),
    )


def downgrade() -> None:
    op.drop_index("ix_interaction_web_leads", table_name="interaction")
    with op.batch_alter_table("person") as person:
        person.drop_column("quiet_hours")
        person.drop_column("notify_via")
