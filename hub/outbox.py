"""The search outbox: index changes written in the same transaction as the hub change.

A flush listener records every insert, update and delete of an indexed row, so no service
can forget to, and a crash can never leave the index believing in a write the hub lost.
The indexer drains the rows in order.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.orm import Session, sessionmaker

from hub.models import Account, Agreement, Complaint, Contact, Deal, Interaction, SearchOutbox

INDEXED: dict[type[Any], str] = {
    Account: "account",
    Contact: "contact",
    Interaction: "interaction",
    Agreement: "agreement",
    Complaint: "complaint",
    Deal: "deal",
}


def attach(sessions: sessionmaker[Session]) -> None:
    """Record outbox rows for every flush of a session made by `sessions`."""

    @event.listens_for(sessions, "after_flush")
    def _record(session: Session, _context: Any) -> None:
        touched = [(obj, "upsert") for obj in session.new]
        touched += [(obj, "upsert") for obj in session.dirty if session.is_modified(obj)]
        touched += [(obj, "delete") for obj in session.deleted]
        now = datetime.now(UTC)
        rows = [
            {"entity": INDEXED[type(obj)], "entity_id": obj.id, "op": op, "created_at": now}
            for obj, op in touched
            if type(obj) in INDEXED
        ]
        if rows:
            session.connection().execute(insert(SearchOutbox), rows)
