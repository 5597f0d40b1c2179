"""The one place where Relevo's parts are wired together."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, replace
from types import EllipsisType
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from bot.config import Config
from bot.ratelimit import RateLimiter, RateLimits, SharedRateLimiter
from bot.redact import configure_logging
from commands.runner import CommandRunner
from hub.clock import Clock, StartedClock, SystemClock
from hub.db import Database
from hub.settings import Settings
from hub.work import Workplace
from search.index import MeiliIndex
from search.service import Search

if TYPE_CHECKING:
    from bot.schedule.transport import Transports

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class App:
    """Everything an adapter needs, built once per process by `bootstrap`."""

    config: Config
    database: Database
    runner: CommandRunner
    index: MeiliIndex | None = None
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter.from_limits(RateLimits()))
    transports: Transports | None = None  # None: those the configuration names

    @property
    def settings(self) -> Settings:
        return self.config.settings

    @property
    def workplace(self) -> Workplace:
        return self.runner.workplace

    @property
    def clock(self) -> Clock:
        return self.runner.clock


def bootstrap(
    config: Config | None = None,
    *,
    settings: Settings | None = None,
    database: Database | None = None,
    index: MeiliIndex | EllipsisType | None = ...,
    clock: Clock | None = None,
    limiter: RateLimiter | None = None,
    transports: Transports | None = None,
    migrate: bool | None = None,
    serving: str | None = None,
    require_database: bool = False,
    configure_logs: bool = True,
) -> App:
    """Build the app from `config` (read from the environment when not given).

    Each part can be handed in instead of built, as tests do with fakes: `settings`
    (in place of the configuration's), `database`, the search `index` (None: search the
    database), `clock`, the rate `limiter` (else shared through PostgreSQL, or in memory
    on SQLite) and the scheduler's `transports`. Migrations run by themselves on the
    embedded database unless told. `serving` names a long-running process (`web`,
    `clock`...), which the embedded database does not suit: it is warned about, or
    refused when a database is required."""
    config = config or Config.from_env()
    if settings is not None:
        config = replace(config, settings=settings)
    settings = config.settings
    if configure_logs:
        configure_logging(config.logs)
    if serving is not None and settings.is_embedded:
        _embedded_for(serving, settings, refuse=require_database or settings.require_database)
    database = database or Database(url=settings.database_url)
    if migrate if migrate is not None else settings.is_embedded:
        database.upgrade()
    if isinstance(index, EllipsisType):
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
    return App(
        config=config,
        database=database,
        runner=runner,
        index=index,
        limiter=limiter or SharedRateLimiter.for_database(database, config.rates),
        transports=transports,
    )


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
