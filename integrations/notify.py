"""Telling a person about something that arrived for them (a new lead, for now).

The scheduler's delivery dispatcher sends DMs where each person is; intakes only need to
say "tell this person this". `Notifier` is that seam. The default implementation writes
the notice into the `delivery` table as pending (kind, recipient "person:<id>", period =
what it is about) so the dispatcher can pick it up, and logs it. The unique key on
(kind, recipient, period) makes a repeated notice a no-op.
"""

from __future__ import annotations

import logging
from typing import Protocol

from sqlalchemy import select

from commands.reply import Reply
from hub.clock import Clock
from hub.db import Database
from hub.models import Delivery

log = logging.getLogger(__name__)


class Notifier(Protocol):
    def notify_person(self, person_id: int, reply: Reply, *, kind: str, key: str) -> None:
        """Tell person `person_id` what `reply` says; `kind` and `key` identify the notice
        (e.g. "lead" and the interaction id) so it is sent at most once."""
        ...


class RecordingNotifier:
    """Records each notice as a pending `delivery` row and logs it."""

    def __init__(self, *, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def notify_person(self, person_id: int, reply: Reply, *, kind: str, key: str) -> None:
        recipient = f"person:{person_id}"
        with self.database.unit_of_work() as session:
            exists = session.scalar(
                select(Delivery.id).where(
                    Delivery.kind == kind, Delivery.recipient == recipient, Delivery.period == key
                )
            )
            if exists is None:
                session.add(
                    Delivery(
                        kind=kind,
                        recipient=recipient,
                        period=key,
                        status="pending",
                        attempts=0,
                        created_at=self.clock.now(),
                    )
                )
        log.info("notice %s %s for %s: %s", kind, key, recipient, reply.title)
