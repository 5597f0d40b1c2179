"""How scheduled messages leave: one Transport per chat platform, chosen per recipient.

A transport only translates a neutral `Reply` for its platform and sends it; the ledger,
retries and pacing live in the dispatcher. Slack and Discord plug in with
`Transports.register("slack", SlackTransport(...))`; a platform without a transport (and
the console) falls back to `ConsoleTransport`, which prints what would be sent.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TextIO

from bot.render_text import render
from commands.reply import Reply

CONSOLE = "console"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime: str = "image/png"
    title: str = ""


@dataclass(frozen=True)
class DmTarget:
    """A person, reached on one of their chat identities (none: the console)."""

    person_id: int
    name: str
    platform: str = CONSOLE
    workspace: str | None = None
    external_id: str | None = None  # the platform's user id

    @property
    def lane(self) -> str:
        return f"dm:{self.external_id or self.person_id}"


@dataclass(frozen=True)
class ChannelTarget:
    platform: str
    channel: str

    @property
    def lane(self) -> str:
        return f"channel:{self.channel}"


class RetryAfter(Exception):
    """Raised by a transport the platform told to slow down: retry after `seconds`."""

    def __init__(self, seconds: float, message: str = "rate limited") -> None:
        super().__init__(f"{message} (retry after {seconds:g} s)")
        self.seconds = seconds


class Undeliverable(Exception):
    """Raised by a transport the platform refused for good (the channel is gone, the bot
    is not in it, the person's account is deactivated): retrying cannot help."""


class Transport(Protocol):
    """What a chat platform implements to receive scheduled messages.

    Both methods send one message or raise: `RetryAfter` when rate limited (waited out,
    not counted as a failed attempt), `Undeliverable` when retrying cannot help (recorded
    failed at once); any other exception is a failed attempt, retried with backoff.
    """

    def send_dm(
        self, to: DmTarget, reply: Reply, attachments: Sequence[Attachment] = ()
    ) -> None: ...

    def post_channel(
        self, to: ChannelTarget, reply: Reply, attachments: Sequence[Attachment] = ()
    ) -> None: ...


class ConsoleTransport:
    """Prints what would be sent, as the console shows replies."""

    def __init__(self, *, stream: TextIO | None = None) -> None:
        self.stream = stream
        self._lock = threading.Lock()

    def send_dm(self, to: DmTarget, reply: Reply, attachments: Sequence[Attachment] = ()) -> None:
        where = f" on {to.platform}" if to.platform != CONSOLE else ""
        self._print(f"→ DM to {to.name}{where}", reply, attachments)

    def post_channel(
        self, to: ChannelTarget, reply: Reply, attachments: Sequence[Attachment] = ()
    ) -> None:
        self._print(f"→ {to.channel} on {to.platform}", reply, attachments)

    def _print(self, header: str, reply: Reply, attachments: Sequence[Attachment]) -> None:
        lines = [header, render(reply)]
        lines += [f"[attachment {a.filename}, {len(a.content):,} bytes]" for a in attachments]
        with self._lock:
            print("\n".join(lines) + "\n", file=self.stream or sys.stdout, flush=True)


class Transports:
    """The registry: which transport sends on which platform; the console for the rest."""

    def __init__(self, *, fallback: Transport | None = None) -> None:
        self.fallback: Transport = fallback or ConsoleTransport()
        self._by_platform: dict[str, Transport] = {}

    def register(self, platform: str, transport: Transport) -> None:
        self._by_platform[platform] = transport

    @property
    def platforms(self) -> frozenset[str]:
        return frozenset(self._by_platform)

    def for_platform(self, platform: str) -> Transport:
        return self._by_platform.get(platform, self.fallback)
