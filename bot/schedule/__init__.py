"""The scheduler: daily nudges and pipeline digests, delivered exactly once."""

from __future__ import annotations

from typing import Any

from bot.bootstrap import App
from bot.config import Config
from bot.schedule.courier import Courier
from bot.schedule.dispatch import DeliveryDispatcher
from bot.schedule.transport import Transports
from commands.reply import Reply


def configured_transports(config: Config) -> Transports:
    """A transport for each chat platform whose tokens are set; the console for the rest."""
    transports = Transports()
    slack = config.slack
    if slack is not None:
        from bot.slack.transport import SlackTransport, slack_client

        transports.register("slack", SlackTransport(slack_client(slack.bot_token, slack.api_url)))
    discord = config.discord
    if discord is not None and discord.bot_token:
        from bot.discord.transport import DiscordTransport

        transports.register("discord", DiscordTransport(discord))
    return transports


def build_courier(app: App, *, transports: Transports | None = None, **dispatch: Any) -> Courier:
    """The courier on `app`'s hub, sending through `transports`, else the app's, else
    the chat platforms configured."""
    if transports is None:
        transports = (
            app.transports if app.transports is not None else configured_transports(app.config)
        )
    dispatcher = DeliveryDispatcher(
        database=app.database,
        transports=transports,
        now=app.runner.clock.now,
        **dispatch,
    )
    return Courier(database=app.database, settings=app.settings, dispatcher=dispatcher)


class DispatchingNotifier:
    """Sends a notice meant for one person (a new web lead) to their DM at once, through
    the same exactly-once ledger as nudges: the intake answers without waiting for it."""

    def __init__(self, app: App, transports: Transports | None = None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.courier = build_courier(app, transports=transports)
        self.executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="notices")

    def notify_person(self, person_id: int, reply: Reply, *, kind: str, key: str) -> None:
        self.executor.submit(self.courier.notify_person, person_id, reply, kind=kind, key=key)
