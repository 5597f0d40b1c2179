"""The scheduler: daily nudges and pipeline digests, delivered exactly once."""

from __future__ import annotations

from typing import Any

from bot.bootstrap import App
from bot.schedule.dispatch import Dispatcher
from bot.schedule.notifier import Notifier
from bot.schedule.transport import Transports


def build_notifier(app: App, *, transports: Transports | None = None, **dispatch: Any) -> Notifier:
    """The notifier on `app`'s hub; without transports, the console prints what is sent."""
    dispatcher = Dispatcher(
        database=app.database,
        transports=transports or Transports(),
        now=app.runner.clock.now,
        **dispatch,
    )
    return Notifier(database=app.database, settings=app.settings, dispatcher=dispatcher)
