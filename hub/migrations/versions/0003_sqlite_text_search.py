"""Full-text search on SQLite: an FTS5 trigram index of interaction, agreement and
complaint texts, kept current by triggers. PostgreSQL uses pg_trgm (0002) instead.

The FTS row id encodes the record: rowid = id * 4 + kind (1 interaction, 2 agreement,
3 complaint), so a trigger finds the row to replace without scanning.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = {"interaction": 1, "agreement": 2, "complaint": 3}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE VIRTUAL TABLE text_fts USING fts5(body, tokenize='trigram')")
    for table, code in KINDS.items():
        rowid = f"new.id * 4 + {code}"
        op.execute(f"INSERT INTO text_fts(rowid, body) SELECT id * 4 + {code}, text FROM {table}")
        op.execute(
            f"CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO text_fts(rowid, body) VALUES ({rowid}, new.text); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_fts_update AFTER UPDATE OF text ON {table} BEGIN "
            f"DELETE FROM text_fts WHERE rowid = old.id * 4 + {code}; "
            f"INSERT INTO text_fts(rowid, body) VALUES ({rowid}, new.text); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN "
            f"DELETE FROM text_fts WHERE rowid = old.id * 4 + {code}; END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in KINDS:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{event}")
    op.execute("DROP TABLE IF EXISTS text_fts")
