"""One clock leads at a time: a PostgreSQL advisory lock, or a lease row on SQLite.

On PostgreSQL the lock belongs to one dedicated connection: if the leader dies, its
connection closes and the lock is free at once. SQLite has no such locks, so the leader
holds a lease row that it renews; when it stops renewing, the lease expires and another
clock takes it.

The ledger of deliveries, not leadership, is what guarantees "never twice": leadership only
keeps a second clock from doing the same work for nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Connection, Engine, or_, text, update
from sqlalchemy.dialects import sqlite

from hub.models import ClockLease

LEASE = "clock"
# One lock per schema, so hubs sharing a PostgreSQL database (tests, benchmarks) don't meet.
LOCK_KEY = "hashtext(current_schema() || ':' || :name)"


class Leadership(Protocol):
    def try_acquire(self) -> bool:
        """Become (or stay) the leader; True while this process leads."""
        ...

    def release(self) -> None: ...


class AdvisoryLock:
    """PostgreSQL: `pg_try_advisory_lock` held on its own connection for as long as we lead."""

    def __init__(self, *, engine: Engine, name: str = LEASE) -> None:
        self.engine = engine
        self.name = name
        self.connection: Connection | None = None

    def try_acquire(self) -> bool:
        if self.connection is not None:
            try:  # still alive? a lost connection means a lost lock
                self.connection.execute(text("SELECT 1"))
                self.connection.commit()
                return True
            except Exception:
                self._drop()
        connection = self.engine.connect()
        try:
            got = connection.execute(
                text(f"SELECT pg_try_advisory_lock({LOCK_KEY})"), {"name": self.name}
            ).scalar()
            connection.commit()
        except Exception:
            connection.close()
            raise
        if got:
            self.connection = connection
            return True
        connection.close()
        return False

    def release(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.execute(
                text(f"SELECT pg_advisory_unlock({LOCK_KEY})"), {"name": self.name}
            )
            self.connection.commit()
        finally:
            self._drop()

    def _drop(self) -> None:
        if self.connection is not None:
            try:
                self.connection.invalidate()
                self.connection.close()
            except Exception:  # already gone
                pass
            self.connection = None


class Lease:
    """SQLite: a row that says who leads until when; renewing it keeps the lead."""

    def __init__(
        self,
        *,
        engine: Engine,
        holder: str,
        now: Callable[[], datetime],
        ttl: timedelta = timedelta(seconds=60),
        name: str = LEASE,
    ) -> None:
        self.engine = engine
        self.holder = holder
        self.now = now
        self.ttl = ttl
        self.name = name

    def try_acquire(self) -> bool:
        now = self.now()
        with self.engine.begin() as connection:
            connection.execute(
                sqlite.insert(ClockLease)
                .values(name=self.name, holder=self.holder, expires_at=now + self.ttl)
                .on_conflict_do_nothing(index_elements=["name"])
            )
            taken = connection.execute(
                update(ClockLease)
                .where(
                    ClockLease.name == self.name,
                    or_(ClockLease.holder == self.holder, ClockLease.expires_at < now),
                )
                .values(holder=self.holder, expires_at=now + self.ttl)
            )
            return taken.rowcount == 1

    def release(self) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(ClockLease)
                .where(ClockLease.name == self.name, ClockLease.holder == self.holder)
                .values(expires_at=self.now() - timedelta(seconds=1))
            )


def leadership_for(engine: Engine, *, holder: str, now: Callable[[], datetime]) -> Leadership:
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine=engine)
    return Lease(engine=engine, holder=holder, now=now)
