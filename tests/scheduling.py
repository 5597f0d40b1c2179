"""What the scheduler tests share: a transport that records, and a hub filled row by row."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from bot.bootstrap import App
from bot.render_text import render
from bot.schedule import build_courier
from bot.schedule.courier import Courier
from bot.schedule.transport import Attachment, ChannelTarget, DmTarget, Transports
from commands.reply import Reply
from hub.models import (
    Absence,
    Account,
    Agreement,
    Complaint,
    Deal,
    DealStageChange,
    Delivery,
    Person,
    Subscription,
    Task,
)
from hub.people import ensure_person, update_person
from hub.text import fold

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Sent:
    where: str  # "dm:<person name>" or the channel
    reply: Reply
    attachments: tuple[Attachment, ...]

    @property
    def text(self) -> str:
        return render(self.reply)


class Recorder:
    """A transport that keeps what it was asked to send (thread-safe)."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.lock = threading.Lock()

    def send_dm(self, to: DmTarget, reply: Reply, attachments: Sequence[Attachment] = ()) -> None:
        with self.lock:
            self.sent.append(Sent(f"dm:{to.name}", reply, tuple(attachments)))

    def post_channel(
        self, to: ChannelTarget, reply: Reply, attachments: Sequence[Attachment] = ()
    ) -> None:
        with self.lock:
            self.sent.append(Sent(to.channel, reply, tuple(attachments)))

    def to(self, where: str) -> list[Sent]:
        return [s for s in self.sent if s.where == where]


def courier(app: App, recorder: Any, **dispatch: Any) -> Courier:
    sleeps = dispatch.pop("sleep", lambda _s: None)
    return build_courier(
        app,
        transports=Transports(fallback=recorder),
        sleep=sleeps,
        channel_interval=0.0,
        platform_interval=0.0,
        **dispatch,
    )


class Hub:
    """Rows written straight into the hub, for fixed datasets."""

    def __init__(self, app: App) -> None:
        self.app = app

    def person(self, name: str, *, tz: str = "Europe/Madrid", **fields: Any) -> int:
        with self.app.database.unit_of_work() as session:
            person = ensure_person(session, name=name, now=T0)
            update_person(person, tz=tz, department=fields.pop("department", "Sales"), **fields)
            session.flush()
            return person.id

    def add(self, row: Any) -> int:
        with self.app.database.unit_of_work() as session:
            session.add(row)
            session.flush()
            return int(row.id)

    def account(
        self,
        name: str,
        *,
        owner: int,
        tier: str = "B",
        visibility: str = "public",
        last_contact: datetime | None = None,
    ) -> int:
        return self.add(
            Account(
                name=name,
                name_key=fold(name),
                tier=tier,
                visibility=visibility,
                department="Sales",
                owner_id=owner,
                created_at=T0,
                updated_at=T0,
                last_contact_at=last_contact,
            )
        )

    def task(self, text: str, *, assignee: int, due: datetime, account: int | None = None) -> int:
        return self.add(
            Task(
                text=text,
                due_at=due,
                assignee_id=assignee,
                created_by_id=assignee,
                account_id=account,
                created_at=T0,
            )
        )

    def agreement(self, text: str, *, account: int, due: date, author: int) -> int:
        return self.add(
            Agreement(account_id=account, author_id=author, text=text, due_on=due, created_at=T0)
        )

    def complaint(
        self,
        text: str,
        *,
        account: int,
        author: int,
        severity: str,
        opened: datetime,
        sla: datetime,
        resolved: datetime | None = None,
    ) -> int:
        return self.add(
            Complaint(
                account_id=account,
                author_id=author,
                text=text,
                severity=severity,
                status="resolved" if resolved else "open",
                opened_at=opened,
                sla_due_at=sla,
                resolved_at=resolved,
            )
        )

    def absence(self, person: int, *, cover: int | None, starts: date, ends: date) -> int:
        return self.add(
            Absence(person_id=person, cover_id=cover, starts_on=starts, ends_on=ends, created_at=T0)
        )

    def deal(
        self,
        title: str,
        *,
        account: int,
        owner: int,
        amount: int,
        path: list[tuple[str, datetime]],
        close: date | None = None,
        reason: str | None = None,
    ) -> int:
        """A deal that went through `path` (stage, when); it ends at the last stage."""
        stage, last = path[-1]
        deal_id = self.add(
            Deal(
                account_id=account,
                owner_id=owner,
                title=title,
                amount=Decimal(amount),
                stage=stage,
                close_on=close,
                created_at=path[0][1],
                closed_at=last if stage in ("won", "lost") else None,
                lost_reason=reason,
            )
        )
        previous = None
        for to_stage, when in path:
            self.add(
                DealStageChange(
                    deal_id=deal_id,
                    from_stage=previous,
                    to_stage=to_stage,
                    changed_at=when,
                    changed_by_id=owner,
                )
            )
            previous = to_stage
        return deal_id

    def subscribe(self, channel: str, *, cadence: str, tz: str, by: int) -> None:
        self.add(
            Subscription(
                platform="console",
                channel=channel,
                cadence=cadence,
                tz=tz,
                created_by_id=by,
                created_at=T0,
            )
        )

    def ledger(self) -> list[tuple[str, str, str, str, int]]:
        with self.app.database.unit_of_work() as session:
            return [
                (d.kind, d.recipient, d.period, d.status, d.attempts)
                for d in session.scalars(select(Delivery).order_by(Delivery.id))
            ]

    def person_id(self, name: str) -> int:
        with self.app.database.unit_of_work() as session:
            found = session.scalar(select(Person.id).where(Person.name_key == fold(name)))
            assert found is not None
            return found
