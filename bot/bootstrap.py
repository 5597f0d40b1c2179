"""The one place where Relevo's parts are wired together."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from sqlalchemy.engine import make_url

from bot.redact import configure_logging
from commands.runner import CommandRunner
from hub.clock import Clock, StartedClock, SystemClock
from hub.db import Database
from hub.settings import Settings
from search.index import MeiliIndex
from search.service import Search

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class App:
    settings: Settings
    database: Database
    runner: CommandRunner
    index: MeiliIndex | None = None


def bootstrap(
    *,
    settings: Settings | None = None,
    clock: Clock | None = None,
    migrate: bool | None = None,
    serving: str | None = None,
    require_database: bool = False,
) -> App:
    """Build the app; migrations run by themselves on the embedded database unless told.
    `serving` names a long-running process (`web`, `clock`...), which the embedded
    database does not suit: it is warned about, or refused when a database is required."""
    settings = settings or Settings.from_env()
    configure_logging()
    if serving is not None and settings.is_embedded:
        _embedded_for(serving, settings, refuse=require_database or settings.require_database)
    database = Database(url=settings.database_url)
    if migrate if migrate is not None else settings.is_embedded:
        database.upgrade()
    index = (
        MeiliIndex(url=settings.meili_url, key=settings.meili_key, uid=settings.meili_index)
        if settings.meili_url
        else None
    )
    runner = CommandRunner(
        database=database,
        settings=settings,
        clock=clock or _clock(settings),
        search=Search(index=index),
    )
    return App(settings=settings, database=database, runner=runner, index=index)


def _clock(settings: Settings) -> Clock:
    if settings.clock_start is None:
        return SystemClock()
    log.warning("RELEVO_CLOCK_START: this process's clock starts at %s", settings.clock_start)
    return StartedClock(at=settings.clock_start)


def embedded_path(settings: Settings) -> str:
    """The embedded database's file, as an absolute path."""
    return os.path.abspath(make_url(settings.database_url).database or "")


def _embedded_for(process: str, settings: Settings, *, refuse: bool) -> None:
    message = (
        f"relevo serve {process}: the hub is the embedded SQLite file {embedded_path(settings)}. "
        "The processes of a deployment (web, clock, indexer, webhooks) must share one "
        "PostgreSQL database: set DATABASE_URL or RELEVO_DATABASE_URL."
    )
    if refuse:
        raise SystemExit(f"{message} Refusing to start (--require-database).")
    log.warning(message)
