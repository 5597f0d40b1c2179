"""The scheduler: daily nudges and pipeline digests, delivered exactly once."""

from __future__ import annotations

from typing import Any

from bot.bootstrap import App
from bot.schedule.dispatch import Dispatcher
from bot.schedule.notifier import Notifier
from bot.schedule.transport import Transports


def configured_transports() -> Transports:
    """A transport for each chat platform whose tokens are set; the console for the rest."""
    from bot.discord.config import DiscordConfig
    from bot.slack.config import SlackConfig

    transports = Transports()
    slack = SlackConfig.from_env()
    if slack is not None:
        from bot.slack.transport import SlackTransport, slack_client

        transports.register("slack", SlackTransport(slack_client(slack.bot_token, slack.api_url)))
    discord = DiscordConfig.from_env()
    if discord is not None and discord.bot_token:
        from bot.discord.transport import DiscordTransport

        transports.register("discord", DiscordTransport(discord))
    return transports


def build_notifier(app: App, *, transports: Transports | None = None, **dispatch: Any) -> Notifier:
    """The notifier on `app`'s hub, sending through the configured chat platforms."""
    dispatcher = Dispatcher(
        database=app.database,
        transports=transports if transports is not None else configured_transports(),
        now=app.runner.clock.now,
        **dispatch,
    )
    return Notifier(database=app.database, settings=app.settings, dispatcher=dispatcher)
