"""Sends scheduled messages exactly once: claim in the ledger, pace, send, retry, record.

The claim (an insert under the unique (kind, recipient, period) key) is committed before
the transport is called, so two clocks, a restart or a retry never send the same message
twice. A failed send is retried with exponential backoff and recorded as failed after the
last attempt; a rate limit (`RetryAfter`) is waited out without using up an attempt, and a
refusal retrying cannot help (`Undeliverable`) is recorded failed at once. Sends are paced:
at most one a `channel_interval` per channel (or DM) and one a `platform_interval` per
platform.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select

from bot.schedule.transport import (
    Attachment,
    ChannelTarget,
    DmTarget,
    RetryAfter,
    Transport,
    Transports,
    Undeliverable,
)
from commands.reply import Reply
from hub import deliveries
from hub.db import Database
from hub.models import Delivery

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"  # already claimed: sent (or being sent) by someone else
    FAILED = "failed"
    EMPTY = "empty"  # nothing to say; recorded so the period is settled
    DRY_RUN = "dry-run"
    HELD = "held"  # the person's quiet hours: a later pass sends it


@dataclass(frozen=True)
class Envelope:
    kind: str
    recipient: str
    period: str
    target: DmTarget | ChannelTarget
    reply: Reply | None  # None: nothing to say
    attachments: Sequence[Attachment] = field(default_factory=tuple)


class Pacer:
    """Spaces sends per lane (a channel or DM) and per platform, thread-safely."""

    def __init__(
        self,
        *,
        channel_interval: float,
        platform_interval: float,
        sleep: Callable[[float], None],
        monotonic: Callable[[], float],
    ) -> None:
        self.channel_interval = channel_interval
        self.platform_interval = platform_interval
        self.sleep = sleep
        self.monotonic = monotonic
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, platform: str, lane: str) -> None:
        with self._lock:
            now = self.monotonic()
            keys = (f"{platform}:{lane}", platform)
            start = max([now, *(self._next.get(k, now) for k in keys)])
            self._next[keys[0]] = start + self.channel_interval
            self._next[platform] = start + self.platform_interval
        if start > now:
            self.sleep(start - now)

    def hold(self, platform: str, seconds: float) -> None:
        """The platform asked us to slow down: nothing goes to it for `seconds`."""
        with self._lock:
            until = self.monotonic() + seconds
            self._next[platform] = max(self._next.get(platform, 0.0), until)


class DeliveryDispatcher:
    def __init__(
        self,
        *,
        database: Database,
        transports: Transports,
        now: Callable[[], datetime],
        attempts: int = 3,
        patience: int = 10,
        backoff: float = 2.0,
        channel_interval: float = 1.0,
        platform_interval: float = 0.1,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.database = database
        self.transports = transports
        self.now = now
        self.attempts = max(attempts, 1)
        self.patience = patience  # rate limits waited out before one counts as a failure
        self.backoff = backoff
        self.sleep = sleep
        self.pacer = Pacer(
            channel_interval=channel_interval,
            platform_interval=platform_interval,
            sleep=sleep,
            monotonic=monotonic,
        )

    def delivered(self, kind: str, recipient: str, period: str) -> bool:
        with self.database.unit_of_work() as session:
            return (
                session.scalar(
                    select(Delivery.id).where(
                        Delivery.kind == kind,
                        Delivery.recipient == recipient,
                        Delivery.period == period,
                    )
                )
                is not None
            )

    def deliver(self, envelope: Envelope, *, dry_run: bool = False) -> Outcome:
        if dry_run:
            if self.delivered(envelope.kind, envelope.recipient, envelope.period):
                return Outcome.SKIPPED
            if envelope.reply is not None:
                self._send(self.transports.fallback, envelope)
            return Outcome.DRY_RUN if envelope.reply is not None else Outcome.EMPTY
        with self.database.unit_of_work() as session:
            claimed = deliveries.claim(
                session,
                kind=envelope.kind,
                recipient=envelope.recipient,
                period=envelope.period,
                now=self.now(),
            )
            if claimed is not None and envelope.reply is None:
                deliveries.mark_empty(session, claimed, now=self.now())
        if claimed is None:
            return Outcome.SKIPPED
        if envelope.reply is None:
            return Outcome.EMPTY
        return self._attempt(claimed, envelope)

    def _attempt(self, delivery_id: int, envelope: Envelope) -> Outcome:
        platform = envelope.target.platform
        transport = self.transports.for_platform(platform)
        error = ""
        attempt = throttled = 0
        while attempt < self.attempts:
            self.pacer.wait(platform, envelope.target.lane)
            final, wait = False, 0.0
            try:
                self._send(transport, envelope)
            except RetryAfter as limited:
                self.pacer.hold(platform, limited.seconds)  # held back as long as it asked
                throttled += 1
                if throttled <= self.patience:
                    continue  # waiting out a rate limit is not a failed attempt
                error = str(limited)
            except Undeliverable as refused:
                error, final = f"undeliverable: {refused}", True
            except Exception as failure:
                error, wait = f"{type(failure).__name__}: {failure}", self._backoff(attempt + 1)
            else:
                with self.database.unit_of_work() as session:
                    deliveries.record_attempt(session, delivery_id, error=None)
                    deliveries.mark_sent(session, delivery_id, now=self.now())
                return Outcome.SENT
            attempt += 1
            log.warning(
                "%s to %s failed (attempt %d/%d): %s",
                envelope.kind,
                envelope.recipient,
                attempt,
                self.attempts,
                error,
            )
            with self.database.unit_of_work() as session:
                deliveries.record_attempt(session, delivery_id, error=error)
            if final:
                break
            if attempt < self.attempts and wait > 0:
                self.sleep(wait)
        with self.database.unit_of_work() as session:
            deliveries.mark_failed(session, delivery_id, error=error)
        return Outcome.FAILED

    def _backoff(self, attempt: int) -> float:
        return self.backoff * 2 ** (attempt - 1)

    @staticmethod
    def _send(transport: Transport, envelope: Envelope) -> None:
        assert envelope.reply is not None
        target = envelope.target
        if isinstance(target, DmTarget):
            transport.send_dm(target, envelope.reply, envelope.attachments)
        else:
            transport.post_channel(target, envelope.reply, envelope.attachments)
