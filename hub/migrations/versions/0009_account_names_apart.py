"""Account names apart from the account row, for the database search.

Revision ID: 0009
Revises: 0008

A handover of a book for good changes the owner of every account in it. PostgreSQL
writes each changed row anew in every index of `account`, the name's trigram index
included, and every few dozen such handovers the GIN index merged its pending entries
inside one of them: 70–130 ms. The trigram index now lives on `account_name`, which
triggers on `account` keep current and which an owner change does not touch.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRESQL_TRIGGER = (
    """CREATE FUNCTION account_name_sync() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    BEGIN
        INSERT INTO account_name (account_id, name_key) VALUES (NEW.id, NEW.name_key)
        ON CONFLICT (account_id) DO UPDATE SET name_key = EXCLUDED.name_key;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER account_name_sync AFTER INSERT OR UPDATE OF name_key ON account "
    "FOR EACH ROW EXECUTE FUNCTION account_name_sync()",
)

SQLITE_TRIGGERS = (
    "CREATE TRIGGER account_name_insert AFTER INSERT ON account BEGIN "
    "INSERT INTO account_name (account_id, name_key) VALUES (new.id, new.name_key); END",
    "CREATE TRIGGER account_name_update AFTER UPDATE OF name_key ON account BEGIN "
    "UPDATE account_name SET name_key = new.name_key WHERE account_id = new.id; END",
)


def upgrade() -> None:
    op.create_table(
        "account_name",
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite")),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id"),
    )
    op.execute("INSERT INTO account_name (account_id, name_key) SELECT id, name_key FROM account")
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_TRIGGER:
            op.execute(statement)
        op.execute("DROP INDEX IF EXISTS ix_account_name_trgm")
        op.execute(
            "CREATE INDEX ix_account_name_trgm ON account_name USING gin (name_key gin_trgm_ops)"
        )
    else:
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER account_name_sync ON account")
        op.execute("DROP FUNCTION account_name_sync()")
        op.drop_table("account_name")
        op.execute("CREATE INDEX ix_account_name_trgm ON account USING gin (name_key gin_trgm_ops)")
    else:
        op.execute("DROP TRIGGER account_name_insert")
        op.execute("DROP TRIGGER account_name_update")
        op.drop_table("account_name")
