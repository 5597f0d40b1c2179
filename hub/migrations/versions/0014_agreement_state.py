"""Agreements are kept or broken: `agreement.state`, `closed_at`, `closed_by_id`, `reason`.

Revision ID: 0014
Revises: 0013

`kept A7` and `broken A7 why` close an agreement; only an open one falls due on the card,
in `mine`, the nudges and the digest's risks. Every agreement recorded so far is open.

On SQLite the batch rebuilds the table, which drops its full-text triggers (0003): they
are created again, word for word, after it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


FTS_CODE = 2  # 0003: an agreement's row in text_fts is id * 4 + 2
FTS_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS agreement_fts_insert AFTER INSERT ON agreement BEGIN "
    f"INSERT INTO text_fts(rowid, body) VALUES (new.id * 4 + {FTS_CODE}, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS agreement_fts_update AFTER UPDATE OF text ON agreement BEGIN "
    f"DELETE FROM text_fts WHERE rowid = old.id * 4 + {FTS_CODE}; "
    f"INSERT INTO text_fts(rowid, body) VALUES (new.id * 4 + {FTS_CODE}, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS agreement_fts_delete AFTER DELETE ON agreement BEGIN "
    f"DELETE FROM text_fts WHERE rowid = old.id * 4 + {FTS_CODE}; END",
)


def _restore_fts_triggers() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in FTS_TRIGGERS:
        op.execute(trigger)


def upgrade() -> None:
    with op.batch_alter_table("agreement") as agreement:
        agreement.add_column(
            sa.Column("state", sa.String(16), nullable=False, server_default="open")
        )
        agreement.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        agreement.add_column(
            sa.Column(
                "closed_by_id",
                sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                nullable=True,
            )
        )
        agreement.add_column(sa.Column("reason", sa.Text(), nullable=True))
        agreement.create_foreign_key(
            op.f("fk_agreement_closed_by_id_person"), "person", ["closed_by_id"], ["id"]
        )
    _restore_fts_triggers()


def downgrade() -> None:
    with op.batch_alter_table("agreement") as agreement:
        agreement.drop_constraint(op.f("fk_agreement_closed_by_id_person"), type_="foreignkey")
        agreement.drop_column("reason")
        agreement.drop_column("closed_by_id")
        agreement.drop_column("closed_at")
        agreement.drop_column("state")
    _restore_fts_triggers()
