"""`relevo check`: what the configuration resolves to, with each connection tried.

Operators run it in the release phase: every problem is one line saying what is wrong and
what to set, and the command fails while any remains. Nothing secret is printed (URLs
without their passwords, tokens never).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import httpx
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from bot.config import Config
from bot.discord.config import DiscordConfig
from bot.slack.config import SlackConfig
from hub.db import alembic_config
from hub.settings import Settings, parse_port, parse_workers

TIMEOUT = 5.0


@dataclass(frozen=True)
class Line:
    part: str
    value: str
    problem: str | None = None

    def __str__(self) -> str:
        mark = "✗" if self.problem else "✓"
        said = f"{self.value}: {self.problem}" if self.problem else self.value
        return f"{mark} {self.part:<9} {said}"


def check(env: Mapping[str, str] | None = None) -> list[Line]:
    """One line per part of the configuration; a line with a problem fails the check."""
    env = os.environ if env is None else env
    try:
        config = Config.from_env(env)
    except SystemExit as error:  # a time zone, locale, clock or limit that cannot be read
        return [Line("settings", "unreadable", str(error))]
    settings = config.settings
    return [
        _database(settings),
        _search(settings),
        _slack(config.slack),
        _discord(config.discord),
        Line("time zone", settings.timezone),
        Line("locale", settings.locale),
        _web(env),
    ]


def _database(settings: Settings) -> Line:
    shown = make_url(settings.database_url).render_as_string(hide_password=True)
    value = f"{shown} (from {settings.database_from})"
    if settings.is_embedded and settings.require_database:
        return Line("database", value, "the embedded SQLite, and RELEVO_REQUIRE_DATABASE is set")
    engine = create_engine(settings.database_url, connect_args=_connect_timeout(settings))
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        head = ScriptDirectory.from_config(alembic_config(settings.database_url)).get_current_head()
    except Exception as error:
        return Line("database", value, f"cannot connect ({_first_line(error)})")
    finally:
        engine.dispose()
    if current != head:
        return Line("database", value, f"at migration {current}, not {head}: relevo db upgrade")
    if settings.is_embedded:
        return Line("database", f"{value}, migrated; one process only (PostgreSQL for more)")
    return Line("database", f"{value}, reachable, migrated")


def _connect_timeout(settings: Settings) -> dict[str, int]:
    return {} if settings.is_embedded else {"connect_timeout": int(TIMEOUT)}


def _search(settings: Settings) -> Line:
    if not settings.meili_url:
        return Line("search", "the database (RELEVO_MEILI_URL not set)")
    value = f"Meilisearch at {settings.meili_url}, index {settings.meili_index}"
    headers = {"Authorization": f"Bearer {settings.meili_key}"} if settings.meili_key else {}
    url = settings.meili_url.rstrip("/")
    try:
        health = httpx.get(f"{url}/health", timeout=TIMEOUT)
        keyed = httpx.get(f"{url}/indexes", headers=headers, timeout=TIMEOUT)
    except httpx.HTTPError as error:
        return Line("search", value, f"cannot connect ({_first_line(error)})")
    if health.status_code != 200:
        return Line("search", value, f"not healthy (HTTP {health.status_code})")
    if keyed.status_code in (401, 403):
        return Line("search", value, "RELEVO_MEILI_KEY is missing or refused")
    return Line("search", f"{value}, reachable")


def _slack(config: SlackConfig | None) -> Line:
    if config is None:
        return Line("slack", "not configured (SLACK_BOT_TOKEN not set)")
    if not config.signing_secret and not config.app_token:
        return Line("slack", "token set", "set SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN")
    from slack_sdk import WebClient

    base = config.api_url or WebClient.BASE_URL
    try:
        answer = WebClient(token=config.bot_token, base_url=base, timeout=int(TIMEOUT)).auth_test()
    except Exception as error:
        return Line("slack", "token set", f"auth.test failed ({_first_line(error)})")
    served = ", ".join(sorted(config.team_ids)) or "none: set SLACK_TEAM_IDS"
    return Line("slack", f"workspace {answer.get('team_id')}; served: {served}")


def _discord(config: DiscordConfig | None) -> Line:
    if config is None or not config.bot_token:
        return Line("discord", "not configured (DISCORD_BOT_TOKEN not set)")
    try:
        answer = httpx.get(
            f"{config.api_url}/users/@me",
            headers={"Authorization": f"Bot {config.bot_token}"},
            timeout=TIMEOUT,
        )
    except httpx.HTTPError as error:
        return Line("discord", "token set", f"cannot connect ({_first_line(error)})")
    if answer.status_code != 200:
        return Line("discord", "token set", f"the token is refused (HTTP {answer.status_code})")
    return Line("discord", f"bot {answer.json().get('username')}")


def _web(env: Mapping[str, str]) -> Line:
    port, workers = env.get("PORT") or "8000", env.get("WEB_CONCURRENCY") or "1"
    value = f"port {port}, {workers} worker process(es)"
    for name, parse in (("PORT", parse_port), ("WEB_CONCURRENCY", parse_workers)):
        if parse(env.get(name) or "1") is None:
            return Line("web", value, f"{name}={env.get(name)!r} is not a number Relevo can use")
    return Line("web", value)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__
