"""The Slack app's listeners, by kind of request. Each module's `register` adds its own
to the Bolt app; the pipeline (bot/slack/pipeline.py) has already checked the workspace,
the rate limit and who is asking, and left the answer in Bolt's context."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.slack.listeners import actions, commands, home, shortcuts, views

if TYPE_CHECKING:
    from bot.slack.app import SlackBot


def register(bot: SlackBot) -> None:
    for module in (commands, actions, views, home, shortcuts):
        module.register(bot)


def prefixed(prefix: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(prefix))
