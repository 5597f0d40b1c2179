"""The "Save to CRM" message shortcut: the save-message form, holding the message."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext
from slack_sdk.errors import SlackApiError

from bot.slack import forms
from bot.slack.pipeline import HELD, PERSON_ID
from bot.slack.requests import meta
from bot.slack.text import typed_text
from hub.i18n import _, reading_in

if TYPE_CHECKING:
    from bot.slack.app import SlackBot

log = logging.getLogger(__name__)


def register(bot: SlackBot) -> None:
    def open_save_message(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        if HELD in context:
            bot.answers.dm(body["user"]["id"], context[HELD].reply())
            return
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id")
        author = message.get("user") or message.get("bot_id") or ""
        permalink = ""
        try:
            permalink = bot.client.chat_getPermalink(
                channel=channel or "", message_ts=message.get("ts") or ""
            ).get("permalink", "")
        except SlackApiError as error:
            log.warning("chat.getPermalink failed: %s", error.response.get("error"))
        private = {**meta(channel), "author": author_name(bot, author), "permalink": permalink}
        prefill = forms.Prefill(text=typed_text(message.get("text", ""), lambda u: u))
        with reading_in(bot.people.locale(context[PERSON_ID])):
            view = forms.view(forms.SAVE_MESSAGE, prefill, private)
        bot.client.views_open(trigger_id=body["trigger_id"], view=view)

    bot.bolt.shortcut("save_to_crm")(open_save_message)


def author_name(bot: SlackBot, user_id: str) -> str:
    """Who wrote a saved message, as the note will say it (in the hub's language: the
    note is everyone's)."""
    if not user_id.startswith(("U", "W")):
        with reading_in(bot.app.settings.locale):
            return _("an app")
    try:
        user = bot.client.users_info(user=user_id)["user"]
    except SlackApiError:
        return user_id
    profile = user.get("profile") or {}
    return profile.get("real_name") or user.get("real_name") or user.get("name") or user_id
