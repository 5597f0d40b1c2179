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
LEASE = timedelta(minutes=2)  # a claimed delivery is someone's until then
GONE = "subscription or event removed"


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
        """Send every delivery that is due; returns how many were sent successfully.

        Due deliveries are claimed first (their next attempt moved a lease ahead, in a
        short transaction), then sent with no transaction open, then their outcome is
        written: a slow receiver never holds locks, and a worker that dies mid-send
        leaves deliveries that come due again when the lease ends.
        """
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
            claimed = []
            for delivery in due:
                delivery.next_attempt_at = self.clock.now() + LEASE
                claimed.append(self._request(session, delivery))
        sent = 0
        for delivery_id, request in claimed:
            outcome = self._post(request)
            with self.database.unit_of_work() as session:
                claimed_row = session.get(WebhookDelivery, delivery_id)
                if claimed_row is not None:
                    sent += self._record(claimed_row, outcome)
        return sent

    def _request(
        self, session: Session, delivery: WebhookDelivery
    ) -> tuple[int, tuple[str, bytes, dict[str, str]] | None]:
        sub = session.get(WebhookSubscription, delivery.subscription_id)
        event = session.get(EventOutbox, delivery.event_id)
        if sub is None or event is None:
            return delivery.id, None
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
        return delivery.id, (sub.url, body, headers)

    def _post(
        self, request: tuple[str, bytes, dict[str, str]] | None
    ) -> tuple[int | None, str | None]:
        """(HTTP status, error) of one attempt; no status when nothing answered."""
        if request is None:
            return None, GONE
        url, body, headers = request
        try:
            response = self.client.post(url, content=body, headers=headers)
        except httpx.HTTPError as error:
            return None, f"{type(error).__name__}: {error}"[:500]
        if 200 <= response.status_code < 300:
            return response.status_code, None
        return response.status_code, f"HTTP {response.status_code}"

    def _record(self, delivery: WebhookDelivery, outcome: tuple[int | None, str | None]) -> int:
        status, error = outcome
        now = self.clock.now()
        delivery.attempts += 1
        delivery.last_status = status
        delivery.last_error = error
        if error is None:
            delivery.status = "delivered"
            delivery.delivered_at = now
            return 1
        if delivery.attempts >= self.max_attempts or error == GONE:
            delivery.status = "failed"
            log.warning("webhook delivery %s failed for good: %s", delivery.id, error)
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
