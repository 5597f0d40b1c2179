"""Business events for outbound webhooks, written in the same transaction as the change.

Every hub write leaves an audit row; a flush listener turns the audit rows of the events
subscribers care about (an interaction logged, a deal moved...) into `event_outbox` rows
with a JSON payload, so no service can forget to and a rolled-back change never leaves
an event behind. The webhook worker (`integrations/webhooks.py`) delivers them.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from hub.models import (
    Account,
    Agreement,
    AuditEvent,
    Complaint,
    Contact,
    Deal,
    EventOutbox,
    Handover,
    Interaction,
    Person,
    WebhookSubscription,
)

# Audit action -> public event name.
EVENTS = {
    "interaction.log": "interaction.logged",
    "agreement.create": "agreement.created",
    "complaint.open": "complaint.opened",
    "complaint.resolve": "complaint.resolved",
    "deal.stage": "deal.stage_changed",
    "account.handover": "handover",
}
EVENT_NAMES = tuple(EVENTS.values())


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def _person(session: Session, person_id: int | None) -> dict[str, Any] | None:
    person = session.get(Person, person_id) if person_id is not None else None
    return None if person is None else {"id": person.id, "name": person.name, "email": person.email}


def _account(account: Account) -> dict[str, Any]:
    return {
        "id": account.id,
        "name": account.name,
        "domain": account.domain,
        "tier": account.tier,
        "visibility": account.visibility,
    }


def _interaction(session: Session, row: Interaction) -> dict[str, Any]:
    contact = session.get(Contact, row.contact_id) if row.contact_id else None
    return {
        "id": row.id,
        "kind": row.kind,
        "text": row.text,
        "source": row.source,
        "occurred_at": _iso(row.occurred_at),
        "author": _person(session, row.author_id),
        "contact": None
        if contact is None
        else {"id": contact.id, "name": contact.name, "email": contact.email},
    }


def _agreement(session: Session, row: Agreement) -> dict[str, Any]:
    return {
        "id": row.id,
        "text": row.text,
        "due_on": _iso(row.due_on),
        "author": _person(session, row.author_id),
    }


def _complaint(session: Session, row: Complaint) -> dict[str, Any]:
    return {
        "id": row.id,
        "text": row.text,
        "severity": row.severity,
        "status": row.status,
        "sla_due_at": _iso(row.sla_due_at),
        "resolution": row.resolution,
        "resolved_by": _person(session, row.resolved_by_id),
    }


def _deal(session: Session, row: Deal) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "amount": str(row.amount) if row.amount is not None else None,
        "currency": row.currency,
        "stage": row.stage,
        "close_on": _iso(row.close_on),
        "owner": _person(session, row.owner_id),
    }


def _handover(session: Session, row: Handover) -> dict[str, Any]:
    return {
        "id": row.id,
        "from": _person(session, row.from_id),
        "to": _person(session, row.to_id),
        "until_on": _iso(row.until_on),
        "note": row.note,
        "book_of": _person(session, row.book_of_id),  # a whole book: every account of theirs
    }


BUILDERS: dict[str, tuple[type[Any], Callable[[Session, Any], dict[str, Any]]]] = {
    "interaction": (Interaction, _interaction),
    "agreement": (Agreement, _agreement),
    "complaint": (Complaint, _complaint),
    "deal": (Deal, _deal),
    "handover": (Handover, _handover),
}


def payload_of(session: Session, audit: AuditEvent) -> dict[str, Any] | None:
    """The event body for an audit row, or None when the record is gone."""
    model, build = BUILDERS[audit.entity]
    record = session.get(model, audit.entity_id)
    account = session.get(Account, audit.account_id) if audit.account_id else None
    book = isinstance(record, Handover) and record.book_of_id is not None
    if record is None or (account is None and not book):
        return None
    body: dict[str, Any] = {
        "account": _account(account) if account else None,
        audit.entity: build(session, record),
        "actor": _person(session, audit.actor_id),
    }
    if book:
        # How many accounts the book held, and for good which ones moved.
        body["accounts"] = audit.detail.get("accounts")
        body["account_ids"] = audit.detail.get("account_ids")
    if audit.action == "deal.stage":
        body["from_stage"] = audit.detail.get("from_stage")
        body["to_stage"] = audit.detail.get("to_stage")
    return body


def _preload(session: Session, audits: list[AuditEvent]) -> list[Any]:
    """Load what the payloads name in a few IN queries, so that building them is lookups
    in the session instead of one SELECT per record (a 200-account handover). The caller
    keeps the returned objects: the session's identity map holds them only weakly."""
    records: dict[type[Any], set[int]] = defaultdict(set)
    accounts: set[int] = set()
    people: set[int] = set()
    for audit in audits:
        if audit.entity_id is not None:
            records[BUILDERS[audit.entity][0]].add(audit.entity_id)
        if audit.account_id is not None:
            accounts.add(audit.account_id)
        if audit.actor_id is not None:
            people.add(audit.actor_id)
    loaded: list[Any] = []
    contacts: set[int] = set()
    for model, ids in records.items():
        for record in _load(session, model, ids):
            loaded.append(record)
            for column in (
                "author_id",
                "owner_id",
                "resolved_by_id",
                "from_id",
                "to_id",
                "book_of_id",
            ):
                if getattr(record, column, None) is not None:
                    people.add(getattr(record, column))
            if getattr(record, "contact_id", None) is not None:
                contacts.add(record.contact_id)
    for model, ids in ((Account, accounts), (Person, people), (Contact, contacts)):
        loaded += _load(session, model, ids)
    return loaded


def _load(session: Session, model: type[Any], ids: set[int]) -> list[Any]:
    """The records with these ids: from the session when there, else in one query."""
    found, missing = [], []
    for record_id in ids:
        record = session.identity_map.get(session.identity_key(model, record_id))
        if record is None:
            missing.append(record_id)
        else:
            found.append(record)
    if missing:
        found += session.scalars(select(model).where(model.id.in_(missing))).unique()
    return found


class _Subscribed:
    """The event names some webhook listens to, re-read every few seconds: events nobody
    subscribed to cost nothing, and a new subscription is heard within `TTL` seconds."""

    TTL = 5.0

    def __init__(self) -> None:
        self._names: frozenset[str] = frozenset()
        self._read_at = -math.inf

    def names(self, session: Session) -> frozenset[str]:
        if time.monotonic() - self._read_at > self.TTL:
            self._names = frozenset(
                session.scalars(select(WebhookSubscription.event).distinct()).all()
            )
            self._read_at = time.monotonic()
        return self._names


def attach(sessions: sessionmaker[Session]) -> None:
    """Record an event row for each audited change some webhook subscribes to."""
    subscribed = _Subscribed()

    @event.listens_for(sessions, "before_flush")
    def _record(session: Session, _context: Any, _instances: Any) -> None:
        candidates = [o for o in session.new if isinstance(o, AuditEvent) and o.action in EVENTS]
        if not candidates:
            return
        with session.no_autoflush:
            wanted = subscribed.names(session)
        audits = sorted(
            (o for o in candidates if EVENTS[o.action] in wanted),
            key=lambda o: inspect(o).insert_order or 0,
        )
        if not audits:
            return
        now = datetime.now(UTC)
        with session.no_autoflush:
            loaded = _preload(session, audits)
            for audit in audits:
                body = payload_of(session, audit)
                if body is None:
                    continue
                name = EVENTS[audit.action]
                session.add(
                    EventOutbox(
                        event=name,
                        account_id=audit.account_id,
                        payload={"event": name, "occurred_at": _iso(audit.at), "data": body},
                        created_at=now,
                    )
                )
            del loaded
