"""Buttons: one that carries a whole /crm line runs it; one whose line wants more words
opens the form that line names (commands/forms.py decides which, prefilled how)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond

from bot.slack import forms
from bot.slack.blocks import FORM, RUN
from bot.slack.listeners.home import publish_home
from bot.slack.pipeline import HELD, PERSON_ID, SOURCE
from bot.slack.requests import meta, meta_of
from commands import forms as specs
from commands.suggest import visible_account
from hub.i18n import reading_in

if TYPE_CHECKING:
    from bot.slack.app import SlackBot


def register(bot: SlackBot) -> None:
    from bot.slack.listeners import prefixed

    def ack_button(ack: Ack) -> None:
        ack()

    def run_button(
        body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
    ) -> None:
        if HELD in context:
            bot.answers.somewhere(body, context[HELD].reply(action["value"]), respond)
            return
        who: int = context[PERSON_ID]
        reply = bot.app.runner.run(
            action["value"],
            person_id=who,
            source=SOURCE,
            request_key=f"action:{body.get('trigger_id') or action.get('action_ts')}",
        )
        if body.get("view", {}).get("type") == "home":
            publish_home(bot, body["user"]["id"], who)
        bot.answers.somewhere(body, reply, respond, who=who)

    def open_form(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
    ) -> None:
        ack()
        if HELD in context:
            return
        form, values = specs.form_for(action["value"])
        prefill = forms.Prefill(line=values.get("line", ""))
        if values.get("account"):
            with bot.app.runner.workplace.open(context[PERSON_ID], source=SOURCE) as work:
                found = visible_account(work, values["account"])
            prefill = forms.Prefill(
                account=found.name if found else values["account"],
                account_id=found.id if found else None,
            )
        if "to" in values:  # the Cover button: the person who clicked takes over
            prefill = forms.Prefill(
                account=prefill.account, account_id=prefill.account_id, to_user=body["user"]["id"]
            )
        channel = (body.get("channel") or {}).get("id") or meta_of(body).get("channel")
        with reading_in(bot.people.locale(context[PERSON_ID])):
            view = forms.view(form.name, prefill, meta(channel))
        if body.get("view", {}).get("type") == "modal":
            bot.client.views_push(trigger_id=body["trigger_id"], view=view)
        else:
            bot.client.views_open(trigger_id=body["trigger_id"], view=view)

    bot.bolt.action({"action_id": prefixed(RUN)})(ack=ack_button, lazy=[run_button])
    bot.bolt.action({"action_id": prefixed(FORM)})(open_form)
