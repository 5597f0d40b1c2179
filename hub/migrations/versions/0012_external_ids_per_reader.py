"""Source ids are looked up among the records their importer may read: not unique any more.

Revision ID: 0012
Revises: 0011

An import matched a HubSpot or Salesforce id to whichever record held it, on any account:
a member could change a private deal by writing its id in a file, or learn which ids were
taken. An id now names a record among those the importer can read (`hub.bulk.known_refs`);
one held only by records they cannot see is unused as far as they are concerned, and
their import keeps it for a record of their own. Two rows may then share an id, so the
unique constraint becomes a plain index.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("external_ref") as refs:
        refs.drop_constraint("uq_external_ref_external_id", type_="unique")
        refs.create_index("ix_external_ref_lookup", ["external_id", "kind", "system"])


def downgrade() -> None:
    # Fails while two records share an id, as it should: which one to keep is a choice.
    with op.batch_alter_table("external_ref") as refs:
        refs.drop_index("ix_external_ref_lookup")
        refs.create_unique_constraint(
            "uq_external_ref_external_id", ["external_id", "kind", "system"]
        )
