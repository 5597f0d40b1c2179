"""The one wiring point: the configuration read once, and the bootstrap that builds the
app from it, with the parts a test hands in."""

from __future__ import annotations

from datetime import time

import pytest
from conftest import EPOCH

from bot.bootstrap import bootstrap
from bot.check import check
from bot.config import Config
from bot.ratelimit import Limit
from bot.schedule import configured_transports
from bot.schedule.transport import ConsoleTransport, Transports
from hub.clock import FixedClock
from hub.db import Database
from hub.settings import Settings

ENV = {
    "RELEVO_DATABASE_URL": "postgres://relevo:s3cr3t-password@db.example/relevo",
    "RELEVO_TIMEZONE": "Europe/Madrid",
    "RELEVO_NUDGE_AT": "08:30",
    "SLACK_BOT_TOKEN": "xoxb-1-2-token",
    "SLACK_SIGNING_SECRET": "signing-secret",
    "SLACK_TEAM_IDS": "T1, T2",
    "DISCORD_APPLICATION_ID": "42",
    "DISCORD_PUBLIC_KEY": "ab" * 32,
    "RELEVO_RATE_PERSON": "30/5",
    "RELEVO_INTAKE_FORMS": "website:form-secret",
    "RELEVO_INTAKE_OWNERS": "@ana, @luis",
    "RELEVO_LOG_LEVEL": "info",
}


def test_every_part_is_read_from_one_environment() -> None:
    config = Config.from_env(ENV)
    assert (
        config.settings.database_url
        == "postgresql+psycopg://relevo:s3cr3t-password@db.example/relevo"
    )
    assert config.settings.timezone == "Europe/Madrid"
    assert config.schedule.nudge_at == time(8, 30)
    assert config.slack is not None and config.slack.team_ids == {"T1", "T2"}
    assert config.discord is not None and config.discord.application_id == "42"
    assert config.rates.person == Limit(per_minute=30, burst=5)
    assert config.rates.workspace == Limit(per_minute=1200, burst=200)
    assert dict(config.intake.secrets) == {"website": "form-secret"}
    assert config.intake.assignment.pool == ("@ana", "@luis")
    assert config.logs.level == "INFO"
    assert {"s3cr3t-password", "signing-secret", "form-secret"} <= config.logs.secrets


def test_nothing_configured_is_the_embedded_hub_alone() -> None:
    config = Config.from_env({})
    assert config.settings.is_embedded
    assert config.slack is None and config.discord is None
    assert not config.intake.secrets
    assert config == Config()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RELEVO_RATE_PERSON", "fast"),
        ("RELEVO_TIMEZONE", "Mars/Olympus"),
        ("DISCORD_ANSWER_BUDGET_SECONDS", "soon"),
    ],
)
def test_a_value_that_cannot_be_read_stops_with_its_name(name: str, value: str) -> None:
    env = {**ENV, name: value}
    with pytest.raises(SystemExit, match=name):
        Config.from_env(env)
    [line] = check(env)
    assert line.part == "settings" and line.problem is not None and name in line.problem


def test_bootstrap_builds_from_the_config_and_takes_the_parts_handed_in(
    database_url: str,
) -> None:
    clock = FixedClock(at=EPOCH)
    database = Database(url=database_url)
    transports = Transports(fallback=ConsoleTransport())
    config = Config.from_env({**ENV, "RELEVO_DATABASE_URL": database_url})
    app = bootstrap(
        config,
        database=database,
        index=None,
        clock=clock,
        transports=transports,
        migrate=False,
        configure_logs=False,
    )
    try:
        assert app.config is config and app.settings is config.settings
        assert app.database is database and app.index is None
        assert app.clock is clock and app.workplace.clock is clock
        assert app.runner.workplace.database is database
        assert (app.limiter.person, app.limiter.workspace) == (
            config.rates.person,
            config.rates.workspace,
        )
        assert app.transports is transports
    finally:
        database.dispose()


def test_settings_handed_in_replace_the_configured_ones(database_url: str) -> None:
    settings = Settings(database_url=database_url, timezone="Asia/Tokyo")
    app = bootstrap(Config.from_env(ENV), settings=settings, migrate=False, configure_logs=False)
    try:
        assert app.settings is settings and app.config.slack is not None
        assert app.runner.workplace.settings is settings
    finally:
        app.database.dispose()


def test_the_scheduler_sends_where_the_config_says() -> None:
    config = Config.from_env({**ENV, "DISCORD_BOT_TOKEN": "discord-token"})
    assert configured_transports(config).platforms == {"slack", "discord"}
    assert configured_transports(Config()).platforms == frozenset()
