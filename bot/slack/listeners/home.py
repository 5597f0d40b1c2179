"""App Home: the person's day ("mine"), through the runner like any other command."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import BoltContext

from bot.slack.blocks import reply_blocks
from bot.slack.pipeline import HELD, PERSON_ID, SOURCE
from commands.reply import Reply

if TYPE_CHECKING:
    from bot.slack.app import SlackBot


def register(bot: SlackBot) -> None:
    def home_opened(event: dict[str, Any], context: BoltContext) -> None:
        if event.get("tab") != "home":
            return
        if HELD in context:
            bot.client.views_publish(user_id=event["user"], view=home(context[HELD].reply()))
            return
        publish_home(bot, event["user"], context[PERSON_ID])

    bot.bolt.event("app_home_opened")(home_opened)


def publish_home(bot: SlackBot, user_id: str, who: int) -> None:
    reply = bot.app.runner.run("mine", person_id=who, source=SOURCE)
    bot.client.views_publish(user_id=user_id, view=home(reply))


def home(reply: Reply) -> dict[str, Any]:
    return {"type": "home", "blocks": reply_blocks(reply, surface="home")}
