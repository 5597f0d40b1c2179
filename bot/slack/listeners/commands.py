"""`/crm`: a line runs through the runner; nothing after it opens the forms menu."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond
from sqlalchemy.exc import InterfaceError, OperationalError

from bot.slack import forms
from bot.slack.answer import send
from bot.slack.pipeline import HELD, PERSON_ID, SOURCE, Held
from bot.slack.requests import meta
from bot.slack.text import typed_text
from hub.i18n import reading_in

if TYPE_CHECKING:
    from bot.slack.app import SlackBot


def register(bot: SlackBot) -> None:
    def ack_command(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        if body.get("text", "").strip() or HELD in context:
            return  # the lazy listener runs the line, or says why not
        with reading_in(bot.people.locale(context.get(PERSON_ID))):
            view = forms.menu(meta(body.get("channel_id")))
        bot.client.views_open(trigger_id=body["trigger_id"], view=view)

    def run_command(body: dict[str, Any], respond: Respond, context: BoltContext) -> None:
        text = body.get("text", "").strip()
        if HELD in context:
            send(respond, context[HELD].reply(text))
            return
        if not text:
            return  # the menu modal opened in the ack
        who: int = context[PERSON_ID]
        try:
            line = typed_text(text, lambda user: bot.people.handle(body["team_id"], user))
        except (OperationalError, InterfaceError):
            send(respond, Held(locale=bot.app.settings.locale).reply(text))
            return
        reply = bot.app.runner.run(
            line, person_id=who, source=SOURCE, request_key=f"command:{body['trigger_id']}"
        )
        bot.answers.respond(reply, who, respond)

    bot.bolt.command("/crm")(ack=ack_command, lazy=[run_command])
