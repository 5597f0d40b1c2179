"""The delivery ledger: a scheduled message is claimed under a unique key before it is sent.

(kind, recipient, period) is unique in `delivery`. Claiming inserts that row and commits
before anything leaves the building; whoever's insert loses (another clock, a restart, a
retry of the same pass) skips the message. A process that dies between claiming and
sending leaves the row `pending`: that message is not sent again, because "never twice"
is the promise, and the clock logs such rows (`stale_pending`) for an operator to check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hub.models import Delivery

PENDING, SENT, FAILED, EMPTY = "pending", "sent", "failed", "empty"


def claim(session: Session, *, kind: str, recipient: str, period: str, now: datetime) -> int | None:
    """Insert the ledger row; its id if this caller won the claim, None if it already exists.

    The caller commits right after, before sending.
    """
    values = {
        "kind": kind,
        "recipient": recipient,
        "period": period,
        "status": PENDING,
        "attempts": 0,
        "created_at": now,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Delivery)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["kind", "recipient", "period"])
        .returning(Delivery.id)
    )
    return session.execute(statement).scalar()


def record_attempt(session: Session, delivery_id: int, *, error: str | None) -> None:
    session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(attempts=Delivery.attempts + 1, error=error)
    )


def mark_sent(session: Session, delivery_id: int, *, now: datetime) -> None:
    session.execute(
        update(Delivery).where(Delivery.id == delivery_id).values(status=SENT, sent_at=now)
    )


def mark_empty(session: Session, delivery_id: int, *, now: datetime) -> None:
    """Nothing to say this period: settled, so later passes don't look again."""
    session.execute(
        update(Delivery).where(Delivery.id == delivery_id).values(status=EMPTY, sent_at=now)
    )


def mark_failed(session: Session, delivery_id: int, *, error: str) -> None:
    session.execute(
        update(Delivery).where(Delivery.id == delivery_id).values(status=FAILED, error=error[:2000])
    )


def stale_pending(session: Session, *, now: datetime, older_than: timedelta) -> Sequence[Delivery]:
    """Claims that never finished (the process died mid-send): sent or not, nobody knows."""
    return session.scalars(
        select(Delivery)
        .where(Delivery.status == PENDING, Delivery.created_at < now - older_than)
        .order_by(Delivery.id)
    ).all()


@dataclass(frozen=True)
class Tally:
    """The ledger in numbers: its rows by status, and the tries beyond each one's first."""

    by_status: dict[str, int]
    retries: int


def tally(session: Session) -> Tally:
    """The whole ledger counted in one statement (every process's deliveries: the clock's
    nudges and digests, the web's notices)."""
    retries = func.sum(case((Delivery.attempts > 1, Delivery.attempts - 1), else_=0))
    rows = session.execute(
        select(Delivery.status, func.count(), retries).group_by(Delivery.status)
    ).all()
    return Tally(
        by_status={status: count for status, count, _retried in rows},
        retries=sum(int(retried or 0) for _status, _count, retried in rows),
    )
