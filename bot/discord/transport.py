"""Scheduled messages on Discord: nudges in a DM, digests in a channel with the chart
attached (multipart, as Discord's "Create Message" takes files). A 429 becomes
`RetryAfter` with Discord's own retry_after, so the dispatcher waits as asked."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from bot.discord import http, render
from bot.discord.config import DiscordConfig
from bot.schedule.transport import (
    Attachment,
    ChannelTarget,
    DmTarget,
    RetryAfter,
    Undeliverable,
)
from commands.reply import Reply


class DiscordTransport:
    def __init__(self, config: DiscordConfig) -> None:
        self.config = config
        self._dm_channels: dict[str, str] = {}

    def send_dm(self, to: DmTarget, reply: Reply, attachments: Sequence[Attachment] = ()) -> None:
        user = to.external_id or ""
        if user not in self._dm_channels:
            opened = self._call("POST", "/users/@me/channels", {"recipient_id": user})
            self._dm_channels[user] = str(opened["id"])
        self._message(self._dm_channels[user], reply, attachments)

    def post_channel(
        self, to: ChannelTarget, reply: Reply, attachments: Sequence[Attachment] = ()
    ) -> None:
        self._message(to.channel.lstrip("#"), reply, attachments)

    def _message(self, channel: str, reply: Reply, attachments: Sequence[Attachment]) -> None:
        body = render.message(reply)
        if attachments:
            body["attachments"] = [
                {"id": n, "filename": a.filename, "description": a.title[:1024] or a.filename}
                for n, a in enumerate(attachments)
            ]
            # The chart shows inside the embed rather than below it.
            body["embeds"][0]["image"] = {"url": f"attachment://{attachments[0].filename}"}
        self._call("POST", f"/channels/{channel}/messages", body, attachments)

    def _call(
        self, method: str, path: str, body: dict[str, Any], files: Sequence[Attachment] = ()
    ) -> Any:
        headers = {
            "Authorization": f"Bot {self.config.bot_token}",
            "User-Agent": "DiscordBot (relevo, 1)",
        }
        if files:
            data, headers["Content-Type"] = _multipart(body, files)
        else:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        answer = http.client().request(
            method, self.config.api_url + path, content=data, headers=headers, timeout=15
        )
        if answer.status_code == 429:
            wait = answer.headers.get("Retry-After") or json.loads(answer.content or b"{}").get(
                "retry_after", 1
            )
            raise RetryAfter(float(wait))
        if answer.status_code in (401, 403, 404):  # bad token, no access, unknown channel/user
            raise Undeliverable(f"Discord answered {answer.status_code}")
        answer.raise_for_status()
        return json.loads(answer.content or b"{}")


def _multipart(body: dict[str, Any], files: Sequence[Attachment]) -> tuple[bytes, str]:
    """payload_json plus files[n], the form Discord's message endpoints take."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="payload_json"\r\n'
        f"Content-Type: application/json\r\n\r\n{json.dumps(body)}\r\n".encode()
    ]
    for n, attachment in enumerate(files):
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="files[{n}]"; '
            f'filename="{attachment.filename}"\r\nContent-Type: {attachment.mime}\r\n\r\n'.encode()
            + attachment.content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
