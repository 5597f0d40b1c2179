"""A digest channel's language: `subscription.locale`.

Revision ID: 0017
Revises: 0016

`subscribe #ventas weekly language:es` (`suscribir #ventas semanal idioma:es`): the
channel's digest, its chart included, is written in Spanish. NULL: the hub's language
(RELEVO_LOCALE), as every subscription made before this one reads.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild on SQLite), as in 0015.
    op.add_column("subscription", sa.Column("locale", sa.String(length=8), nullable=True))


def downgrade() -> None:
    op.drop_column("subscription", "locale")
