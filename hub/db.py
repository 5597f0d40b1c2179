"""Engine, sessions and migrations: the only place that knows which database is behind."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import ColumnElement, Engine, create_engine, event, func, select
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from hub import events, outbox
from hub.models import Account, Person

MIGRATIONS = Path(__file__).with_name("migrations")
# SQLSTATE classes of a lost connection: 08 (connection exception), 57P (shutdown).
CONNECTION_STATES = ("08", "57P")
RETRY_DELAY = 0.2  # seconds before trying again on a fresh connection

log = logging.getLogger(__name__)
T = TypeVar("T")


def make_engine(url: str) -> Engine:
    """Create the engine for `url`, tuned for the embedded SQLite or for PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    # pool_pre_ping: a pooled connection the server dropped (a restart, a failover, a
    # killed backend) is replaced at checkout instead of failing the next command.
    engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)

    @event.listens_for(engine, "handle_error")
    def _lost_connection(context: ExceptionContext) -> None:
        """psycopg reports some lost connections (a socket closed under a query) without
        marking the connection broken; call every connection-class error a disconnect so
        the pool discards the connection instead of trying to reset it."""
        state = getattr(context.original_exception, "sqlstate", "")
        if isinstance(context.sqlalchemy_exception, OperationalError) and (
            state is None or state.startswith(CONNECTION_STATES)
        ):
            context.is_disconnect = True

    return engine


class Database:
    """The hub's store: one engine and a session factory with the search outbox attached."""

    def __init__(self, *, url: str, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        outbox.attach(self.sessions)
        events.attach(self.sessions)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: everything in it is saved together or not at all."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def is_transient(self, error: BaseException) -> bool:
        """Whether `error` is the connection failing rather than the command: PostgreSQL
        restarting, a backend killed, the network dropping, a deadlock victim. Another try
        on a fresh connection may succeed. The embedded SQLite has no such failures (its
        "database is locked" has already waited out the busy timeout)."""
        return not self.is_sqlite and isinstance(error, (OperationalError, InterfaceError))

    def idempotent(self, call: Callable[[], T]) -> T:
        """`call()`, which must be safe to repeat (a lookup, a find-or-create), tried once
        more on a fresh connection if the database connection failed under it."""
        try:
            return call()
        except (OperationalError, InterfaceError) as error:
            if not self.is_transient(error):
                raise
            log.warning("database connection failed (%s); trying once more", type(error).__name__)
        time.sleep(RETRY_DELAY)
        return call()

    def upgrade(self) -> None:
        """Apply every pending migration (Alembic) to this database."""
        with self.engine.begin() as connection:
            config = alembic_config(self.url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def is_empty(self) -> bool:
        with self.unit_of_work() as session:
            people = session.scalar(select(func.count()).select_from(Person))
            accounts = session.scalar(select(func.count()).select_from(Account))
            return not people and not accounts

    def dispose(self) -> None:
        self.engine.dispose()


def days_between(session: Session, start: Any, end: Any) -> ColumnElement[Any]:
    """The days from `start` to `end` (fractional) in SQL, as each database counts them."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return func.extract("epoch", end - start) / 86400


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config
