"""The search outbox: index changes written in the same transaction as the hub change.

A flush listener records every insert, update and delete of an indexed row, so no service
can forget to, and a crash can never leave the index believing in a write the hub lost.
The indexer drains the rows in order.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, event, func, insert, inspect, literal, select
from sqlalchemy.orm import Session, sessionmaker

from hub.models import (
    Account,
    AccountAlias,
    Agreement,
    Complaint,
    Contact,
    Deal,
    Interaction,
    SearchOutbox,
)

INDEXED: dict[type[Any], str] = {
    Account: "account",
    Contact: "contact",
    Interaction: "interaction",
    Agreement: "agreement",
    Complaint: "complaint",
    Deal: "deal",
}
# The account fields every search document repeats. Only a change to one of them (or to
# the aliases) re-indexes an account with all its records; logging a call, which only
# moves `last_contact_at`, must not re-index a 10,000-interaction account.
ACCOUNT_FIELDS = (
    "name",
    "domain",
    "owner_id",
    "tier",
    "status",
    "visibility",
    "department",
    # its segment, which `find` filters by (search/documents.py)
    "industry",
    "country",
    "size_band",
    "lead_source",
)


def _changed(session: Session, obj: Any) -> bool:
    if isinstance(obj, Account):
        state = inspect(obj)
        return any(state.attrs[name].history.has_changes() for name in ACCOUNT_FIELDS)
    return session.is_modified(obj)


def reindex_accounts(session: Session, which: ColumnElement[bool], now: datetime) -> None:
    """Queue the accounts `which` selects, changed by a bulk UPDATE no flush listener sees:
    one INSERT ... SELECT, however many accounts."""
    session.execute(
        insert(SearchOutbox).from_select(
            ["entity", "entity_id", "op", "created_at"],
            select(
                literal("account"),
                Account.id,
                literal("upsert"),
                literal(now, SearchOutbox.created_at.type),
            ).where(which),
        )
    )


def attach(sessions: sessionmaker[Session]) -> None:
    """Record outbox rows for every flush of a session made by `sessions`."""

    @event.listens_for(sessions, "after_flush")
    def _record(session: Session, _context: Any) -> None:
        touched = [(INDEXED.get(type(o)), o.id, "upsert") for o in session.new]
        touched += [
            (INDEXED.get(type(o)), o.id, "upsert") for o in session.dirty if _changed(session, o)
        ]
        touched += [(INDEXED.get(type(o)), o.id, "delete") for o in session.deleted]
        touched += [
            ("account", o.account_id, "upsert")
            for o in (*session.new, *session.deleted)
            if isinstance(o, AccountAlias)
        ]
        now = datetime.now(UTC)
        rows = [
            {"entity": entity, "entity_id": entity_id, "op": op, "created_at": now}
            for entity, entity_id, op in touched
            if entity is not None
        ]
        if rows:
            session.connection().execute(insert(SearchOutbox), rows)


def backlog(session: Session) -> tuple[int, datetime | None]:
    """How many changes wait for the index, and when the oldest of them was written (None:
    none waits). Both read the pending index (`processed_at`, `id`)."""
    pending = SearchOutbox.processed_at.is_(None)
    count = session.scalar(select(func.count()).select_from(SearchOutbox).where(pending)) or 0
    oldest = session.scalar(
        select(SearchOutbox.created_at).where(pending).order_by(SearchOutbox.id).limit(1)
    )
    return count, oldest
