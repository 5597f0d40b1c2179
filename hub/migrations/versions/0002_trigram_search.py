"""Trigram indexes for the database search on PostgreSQL (pg_trgm).

They make the fallback search's substring matches use an index, and give it typo-tolerant
similarity on names. SQLite needs nothing here.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_account_name_trgm": "account USING gin (name_key gin_trgm_ops)",
    "ix_contact_name_trgm": "contact USING gin (name_key gin_trgm_ops)",
    "ix_interaction_text_trgm": "interaction USING gin (lower(text) gin_trgm_ops)",
    "ix_agreement_text_trgm": "agreement USING gin (lower(text) gin_trgm_ops)",
    "ix_complaint_text_trgm": "complaint USING gin (lower(text) gin_trgm_ops)",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    for name, target in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
