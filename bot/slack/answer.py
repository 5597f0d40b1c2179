"""How the Slack app answers: through the request's response_url when Slack gave one,
else ephemerally in the form's channel, else in a DM; and a write on an account with a
linked channel is posted there too."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import InterfaceError, OperationalError

from bot.announce import announcement
from bot.bootstrap import App
from bot.slack.blocks import notification_text, reply_blocks
from commands.reply import Reply

log = logging.getLogger(__name__)


def send(respond: Respond, reply: Reply) -> None:
    respond(
        text=notification_text(reply),
        blocks=reply_blocks(reply),
        response_type="ephemeral",
        replace_original=False,
    )


class Answers:
    def __init__(self, app: App, client: WebClient) -> None:
        self.app = app
        self.client = client

    def respond(self, reply: Reply, who: int, respond: Respond) -> None:
        if reply.duplicate:
            return
        send(respond, reply)
        self.announce(reply, who)

    def somewhere(
        self,
        body: dict[str, Any],
        reply: Reply,
        respond: Respond | None,
        *,
        who: int | None = None,
        channel: str | None = None,
    ) -> None:
        """Through response_url when Slack gave one, else ephemerally, else in a DM."""
        if reply.duplicate:
            return
        user_id = body["user"]["id"]
        if respond is not None and body.get("response_url"):
            send(respond, reply)
        elif channel:
            self.client.chat_postEphemeral(
                channel=channel,
                user=user_id,
                text=notification_text(reply),
                blocks=reply_blocks(reply),
            )
        else:
            self.dm(user_id, reply)
        if who is not None:
            self.announce(reply, who)

    def announce(self, reply: Reply, who: int) -> None:
        """A write on an account with a linked channel is posted there too."""
        try:
            shared = announcement(self.app, reply, who)
        except (OperationalError, InterfaceError):
            # The person already has their answer; only the channel's copy is missed.
            log.warning("could not post to the account's channel: database unavailable")
            return
        if shared is None or reply.channel is None:
            return
        try:
            self.client.chat_postMessage(
                channel=reply.channel.lstrip("#"),
                text=notification_text(shared),
                blocks=reply_blocks(shared),
                unfurl_links=False,
            )
        except SlackApiError as error:
            log.warning("could not post to the account's channel: %s", error.response.get("error"))

    def dm(self, user_id: str, reply: Reply) -> None:
        self.client.chat_postMessage(
            channel=user_id, text=notification_text(reply), blocks=reply_blocks(reply)
        )
