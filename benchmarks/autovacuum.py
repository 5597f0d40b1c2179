"""Autovacuum's work, done by the benchmark when the server runs without it.

A hub in production runs on a PostgreSQL with autovacuum on, its default. A server set
up for tests may run with it off: then every row a benchmark updates leaves a dead
version in its table and indexes for the rest of the run, and a write benchmark ends up
timing an ever longer walk over dead index entries instead of a hub. So while the
benchmark measures, a thread does what the autovacuum launcher would have done for the
schema: every `autovacuum_naptime` it vacuums the tables past the server's own vacuum
thresholds and analyzes those past its analyze thresholds, throttled by the autovacuum
cost settings, from its own connection as a worker would.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection, create_engine, text

from benchmarks.common import emit

TABLES = text(
    "SELECT s.relname, greatest(c.reltuples, 0) AS tuples, s.n_dead_tup AS dead,"
    " s.n_ins_since_vacuum AS inserted, s.n_mod_since_analyze AS modified"
    " FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
    " WHERE s.schemaname = :schema"
)


class AutovacuumStandIn:
    """Started only if the server's autovacuum is off; a no-op otherwise."""

    def __init__(self, url: str, schema: str) -> None:
        self.schema = schema
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        self.runs = 0

    def __enter__(self) -> AutovacuumStandIn:
        with self.engine.connect() as connection:
            on = connection.exec_driver_sql("SHOW autovacuum").scalar_one() == "on"
        if not on:
            self.thread = threading.Thread(target=self._launcher, daemon=True)
            self.thread.start()
        emit(figure="server autovacuum", on=on, stand_in=not on)
        return self

    def __exit__(self, *_exc: Any) -> None:
        if self.thread is not None:
            self.stopping.set()
            self.thread.join()
            emit(figure="autovacuum stand-in", schema=self.schema, runs=self.runs)
        self.engine.dispose()

    def _launcher(self) -> None:
        with self.engine.connect() as connection:
            settings = _settings(connection)
            delay = settings["autovacuum_vacuum_cost_delay"]
            limit = settings["autovacuum_vacuum_cost_limit"]
            # -1: as for manual VACUUM.
            delay = settings["vacuum_cost_delay"] if delay < 0 else delay
            limit = settings["vacuum_cost_limit"] if limit < 0 else limit
            connection.exec_driver_sql(f"SET vacuum_cost_delay = {delay}")
            connection.exec_driver_sql(f"SET vacuum_cost_limit = {int(limit)}")
            while not self.stopping.wait(settings["autovacuum_naptime"]):
                self._round(connection, settings)

    def _round(self, connection: Connection, s: dict[str, float]) -> None:
        for name, tuples, dead, inserted, modified in connection.execute(
            TABLES, {"schema": self.schema}
        ):
            vacuum = _past(s, "vacuum", dead, tuples) or _past(s, "vacuum_insert", inserted, tuples)
            if vacuum or _past(s, "analyze", modified, tuples):
                what = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
                connection.exec_driver_sql(f'{what} "{self.schema}"."{name}"')
                self.runs += 1
            if self.stopping.is_set():
                return


def _past(settings: dict[str, float], kind: str, count: int, tuples: float) -> bool:
    """Whether `count` changes cross the server's `kind` threshold for a table this size."""
    threshold = settings[f"autovacuum_{kind}_threshold"]
    return count > threshold + settings[f"autovacuum_{kind}_scale_factor"] * tuples


def _settings(connection: Connection) -> dict[str, float]:
    """The server's autovacuum settings, in seconds, milliseconds and tuples."""
    rows = connection.execute(
        text(
            "SELECT name, setting FROM pg_settings WHERE name LIKE 'autovacuum%'"
            " OR name IN ('vacuum_cost_delay', 'vacuum_cost_limit')"
        )
    )
    numbers: dict[str, float] = {}
    for name, setting in rows:
        try:
            numbers[name] = float(setting)
        except ValueError:
            continue
    return numbers
