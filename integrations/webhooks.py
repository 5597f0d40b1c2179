"""Outbound webhooks: hub events POSTed, signed, to the URLs subscribed to them.

Events are written to `event_outbox` in the same transaction as the change
(`hub/events.py`). `relevo serve webhooks` runs the `Dispatcher`: it fans each new event
out into one `webhook_delivery` row per subscriber, then sends the deliveries that are
due, retrying failures with exponential backoff; the rows are the delivery log.

Each request carries:
    X-Relevo-Event: interaction.logged
    X-Relevo-Delivery: <delivery id>  (the same on every retry)
    X-Relevo-Timestamp: <unix seconds>
    X-Relevo-Signature: sha256=<hex HMAC-SHA256 over "<timestamp>.<raw body>" with the
                        subscription's secret>
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.clock import Clock, SystemClock
from hub.db import Database
from hub.events import EVENT_NAMES
from hub.models import EventOutbox, WebhookDelivery, WebhookSubscription

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=6)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Relevo-Signature` of a request: how a receiver checks it came from us."""
    signed = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def subscribe(database: Database, *, event: str, url: str, now: datetime) -> WebhookSubscription:
    if event not in EVENT_NAMES:
        raise ValueError(f"unknown event {event!r}; events: {', '.join(EVENT_NAMES)}")
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"{url!r} is not an http(s) URL")
    with database.unit_of_work() as session:
        taken = session.scalar(
            select(WebhookSubscription.id).where(
                WebhookSubscription.event == event, WebhookSubscription.url == url
            )
        )
        if taken is not None:
            raise ValueError(f"{url} already receives {event} (webhook #{taken})")
        sub = WebhookSubscription(
            event=event, url=url, secret=secrets.token_hex(32), created_at=now
        )
        session.add(sub)
        session.flush()
        return sub


def unsubscribe(database: Database, subscription_id: int) -> bool:
    with database.unit_of_work() as session:
        sub = session.get(WebhookSubscription, subscription_id)
        if sub is None:
            return False
        session.delete(sub)
        return True


def describe_subscriptions(database: Database) -> list[str]:
    """One line per subscription with its delivery log's counts."""
    with database.unit_of_work() as session:
        counts: dict[tuple[int, str], int] = {
            (sub_id, status): n
            for sub_id, status, n in session.execute(
                select(
                    WebhookDelivery.subscription_id, WebhookDelivery.status, func.count()
                ).group_by(WebhookDelivery.subscription_id, WebhookDelivery.status)
            )
        }
        lines = []
        for sub in session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id)):
            stats = ", ".join(
                f"{counts[(sub.id, s)]} {s}"
                for s in ("delivered", "pending", "failed")
                if counts.get((sub.id, s))
            )
            lines.append(f"#{sub.id} {sub.event} → {sub.url}" + (f" ({stats})" if stats else ""))
        return lines


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... capped at 6 h."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LAST_RETRY)


class Dispatcher:
    """Fans events out to subscribers and delivers them; safe to run more than once on
    PostgreSQL (rows are claimed with FOR UPDATE SKIP LOCKED)."""

    def __init__(
        self,
        *,
        database: Database,
        clock: Clock | None = None,
        client: httpx.Client | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        batch: int = 100,
    ) -> None:
        self.database = database
        self.clock = clock or SystemClock()
        self.client = client or httpx.Client(timeout=10.0, follow_redirects=False)
        self.max_attempts = max_attempts
        self.batch = batch

    def _locked(self, query: Any) -> Any:
        return query if self.database.is_sqlite else query.with_for_update(skip_locked=True)

    def fan_out(self) -> int:
        """One pending delivery per subscriber for each new event; returns events seen."""
        with self.database.unit_of_work() as session:
            events: Sequence[EventOutbox] = session.scalars(
                self._locked(
                    select(EventOutbox)
                    .where(EventOutbox.processed_at.is_(None))
                    .order_by(EventOutbox.id)
                    .limit(self.batch)
                )
            ).all()
            if not events:
                return 0
            now = self.clock.now()
            subscribers: dict[str, list[int]] = {}
            for sub_id, name in session.execute(
                select(WebhookSubscription.id, WebhookSubscription.event)
            ):
                subscribers.setdefault(name, []).append(sub_id)
            for event in events:
                for sub_id in subscribers.get(event.event, []):
                    session.add(
                        WebhookDelivery(
                            event_id=event.id,
                            subscription_id=sub_id,
                            status="pending",
                            attempts=0,
                            next_attempt_at=now,
                            created_at=now,
                        )
                    )
                event.processed_at = now
            return len(events)

    def deliver_due(self) -> int:
        """Send every delivery that is due; returns how many were sent successfully."""
        sent = 0
        with self.database.unit_of_work() as session:
            due: Sequence[WebhookDelivery] = session.scalars(
                self._locked(
                    select(WebhookDelivery)
                    .where(
                        WebhookDelivery.status == "pending",
                        WebhookDelivery.next_attempt_at <= self.clock.now(),
                    )
                    .order_by(WebhookDelivery.id)
                    .limit(self.batch)
                )
            ).all()
            for delivery in due:
                sent += self._send(session, delivery)
        return sent

    def _send(self, session: Session, delivery: WebhookDelivery) -> int:
        sub = session.get(WebhookSubscription, delivery.subscription_id)
        event = session.get(EventOutbox, delivery.event_id)
        if sub is None or event is None:
            delivery.status = "failed"
            delivery.last_error = "subscription or event removed"
            return 0
        body = json.dumps(
            {"id": event.id, **event.payload}, ensure_ascii=False, separators=(",", ":")
        ).encode()
        timestamp = str(int(self.clock.now().timestamp()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Relevo-Webhooks/1",
            "X-Relevo-Event": event.event,
            "X-Relevo-Delivery": str(delivery.id),
            "X-Relevo-Timestamp": timestamp,
            "X-Relevo-Signature": signature(sub.secret, timestamp, body),
        }
        delivery.attempts += 1
        try:
            response = self.client.post(sub.url, content=body, headers=headers)
            delivery.last_status = response.status_code
            ok = 200 <= response.status_code < 300
            delivery.last_error = None if ok else f"HTTP {response.status_code}"
        except httpx.HTTPError as error:
            ok = False
            delivery.last_status = None
            delivery.last_error = f"{type(error).__name__}: {error}"[:500]
        now = self.clock.now()
        if ok:
            delivery.status = "delivered"
            delivery.delivered_at = now
            return 1
        if delivery.attempts >= self.max_attempts:
            delivery.status = "failed"
            log.warning("webhook delivery %s failed for good: %s", delivery.id, delivery.last_error)
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        return 0

    def run_once(self) -> int:
        self.fan_out()
        return self.deliver_due()

    def run_forever(self, *, idle_sleep: float = 1.0) -> None:
        while True:
            try:
                busy = self.fan_out() + self.deliver_due()
            except Exception:
                log.exception("webhook dispatcher pass failed; retrying")
                busy = 0
            if not busy:
                time.sleep(idle_sleep)
