"""Account domains stored the one way every door now writes them: `acme.com`.

Revision ID: 0013
Revises: 0012

A `/crm account … domain:` line used to store what was typed, lowercased and without a
leading "www." only, so "https://acme.com/" could be an account's domain and a web lead
or an import row from acme.com would not find it. Every write now goes through
`hub.vocabulary.normalise_domain`; this brings the domains already stored to the same
spelling and queues the accounts changed for search, whose documents repeat the domain.
Nothing to undo: the downgrade keeps the normalised domains.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from hub.vocabulary import normalise_domain

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

account = sa.table("account", sa.column("id", sa.BigInteger), sa.column("domain", sa.String))
outbox = sa.table(
    "search_outbox",
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.BigInteger),
    sa.column("op", sa.String),
    sa.column("created_at", sa.DateTime),
    sa.column("attempts", sa.Integer),
)


def upgrade() -> None:
    connection = op.get_bind()
    stored = connection.execute(
        sa.select(account.c.id, account.c.domain).where(account.c.domain.is_not(None))
    )
    changed = [
        {"account_id": account_id, "normalised": normalise_domain(domain)}
        for account_id, domain in stored
        if normalise_domain(domain) != domain
    ]
    if not changed:
        return
    connection.execute(
        account.update()
        .where(account.c.id == sa.bindparam("account_id"))
        .values(domain=sa.bindparam("normalised")),
        changed,
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    connection.execute(
        outbox.insert(),
        [
            {
                "entity": "account",
                "entity_id": c["account_id"],
                "op": "upsert",
                "created_at": now,
                "attempts": 0,
            }
            for c in changed
        ],
    )


def downgrade() -> None:
    pass
