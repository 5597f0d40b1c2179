"""Scheduled messages on Slack: nudges as DMs, digests in channels with their chart.

Files go up through slack_sdk's `files_upload_v2` (files.getUploadURLExternal, then
files.completeUploadExternal). A 429 that outlasts the client's own Retry-After retries
becomes `RetryAfter`, so the dispatcher waits as long as Slack asked.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.schedule.transport import (
    Attachment,
    ChannelTarget,
    DmTarget,
    RetryAfter,
    Undeliverable,
)
from bot.slack.blocks import notification_text, reply_blocks
from commands.reply import Reply

# Web API errors no retry can mend: the message is recorded failed at once.
PERMANENT = frozenset(
    {
        "account_inactive",
        "channel_not_found",
        "invalid_auth",
        "is_archived",
        "not_authed",
        "not_in_channel",
        "restricted_action",
        "token_revoked",
        "user_not_found",
    }
)


class SlackTransport:
    def __init__(self, client: WebClient) -> None:
        self.client = client
        # Per channel, the reply whose message went out but whose chart did not yet: the
        # dispatcher's retry of that same reply uploads the chart without posting the
        # message twice. Holding the reply itself (not its id) means a later, different
        # reply can never be mistaken for it.
        self._awaiting_files: dict[str, Reply] = {}

    def send_dm(self, to: DmTarget, reply: Reply, attachments: Sequence[Attachment] = ()) -> None:
        # Posting to a user id lands in the app's Messages tab with that person.
        self._post(to.external_id or "", reply, attachments)

    def post_channel(
        self, to: ChannelTarget, reply: Reply, attachments: Sequence[Attachment] = ()
    ) -> None:
        self._post(to.channel.lstrip("#"), reply, attachments)

    def _post(self, channel: str, reply: Reply, attachments: Sequence[Attachment]) -> None:
        try:
            if self._awaiting_files.get(channel) is not reply:
                self.client.chat_postMessage(
                    channel=channel,
                    text=notification_text(reply),
                    blocks=reply_blocks(reply),
                    unfurl_links=False,
                )
                if attachments:
                    self._awaiting_files[channel] = reply
            for attachment in attachments:
                self.client.files_upload_v2(
                    channel=channel,
                    content=attachment.content,
                    filename=attachment.filename,
                    title=attachment.title or attachment.filename,
                )
            self._awaiting_files.pop(channel, None)
        except SlackApiError as error:
            if error.response.status_code == 429:
                raise RetryAfter(float(error.response.headers.get("Retry-After", 1))) from None
            if error.response.get("error") in PERMANENT:
                raise Undeliverable(f"Slack said {error.response.get('error')}") from None
            raise


def slack_client(bot_token: str, api_url: str | None) -> WebClient:
    """A Web API client that waits and retries as long as Slack's Retry-After says."""
    client = WebClient(token=bot_token, base_url=api_url or WebClient.BASE_URL)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    return client
