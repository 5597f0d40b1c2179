"""The one place where Relevo's parts are wired together."""

from __future__ import annotations

import logging
from dataclasses import dataclass

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
    *, settings: Settings | None = None, clock: Clock | None = None, migrate: bool | None = None
) -> App:
    """Build the app; migrations run by themselves on the embedded database unless told."""
    settings = settings or Settings.from_env()
    configure_logging()
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
