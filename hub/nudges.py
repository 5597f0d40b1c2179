"""The daily nudge: what each person should act on today, computed for many people at once.

Who is due is decided per person (their own time zone, nudge time and days off); what they
get comes from one query per kind of item for everyone due on the same local day, with
the per-person lists cut in SQL (`row_number() over (partition by ...)`), so 500 nudges
cost a handful of statements rather than 500 times as many.

While someone is away, their items go to their cover, marked "covering for X"; they get
no nudge themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Row, and_, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.selectable import Subquery

from hub.coverage import running_handovers
from hub.models import (
    Absence,
    Account,
    AccountStatus,
    Agreement,
    Complaint,
    Delivery,
    Handover,
    Person,
    Task,
    running,
)
from hub.settings import ScheduleSettings, Settings, parse_clock_time, parse_days_off
from hub.work import zone_of

NUDGE = "nudge"
SHOWN = 5  # items per section; the rest is a count
AGREEMENT_DAYS_AHEAD = 2
AGREEMENT_LOOKBACK_DAYS = 30  # an agreement left open this long stops nagging


@dataclass(frozen=True)
class Due:
    """A person whose nudge is due: their local day and the instant it became due."""

    person_id: int
    name: str
    tz: ZoneInfo
    day: date
    slot: datetime

    @property
    def recipient(self) -> str:
        return f"person:{self.person_id}"

    @property
    def period(self) -> str:
        return self.day.isoformat()


@dataclass(frozen=True)
class NudgeTask:
    id: int
    text: str
    due_at: datetime
    account: str | None
    covering_for: str | None


@dataclass(frozen=True)
class NudgeAgreement:
    id: int
    text: str
    due_on: date
    account: str
    covering_for: str | None


@dataclass(frozen=True)
class NudgeComplaint:
    id: int
    text: str
    severity: str
    sla_due_at: datetime
    account: str
    covering_for: str | None


@dataclass(frozen=True)
class StaleAccount:
    id: int
    name: str
    tier: str
    last_contact_at: datetime | None
    covering_for: str | None


@dataclass(frozen=True)
class HandedToYou:
    """A handover period running today whose receiver is the nudge's: what, until when,
    from whom, and the note that came with it."""

    account: str | None  # one account, or
    book_of: str | None  # a colleague's whole book
    until_on: date
    by: str
    note: str | None


T = TypeVar("T")


@dataclass
class NudgeRows(Generic[T]):
    """The rows of one kind a nudge shows (the first of each worker's) and how many
    there are in all; what is left over is `more`. (A reply's section is
    `commands.reply.Section`.)"""

    items: list[T] = field(default_factory=list)
    total: int = 0
    _workers: set[int] = field(default_factory=set, repr=False)

    def add(self, item: T, *, worker: int, total: int) -> None:
        """Add a row of `worker`'s; `total` is that worker's count, added once."""
        self.items.append(item)
        if worker not in self._workers:
            self._workers.add(worker)
            self.total += total

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass
class Nudge:
    due: Due
    now: datetime
    tasks: NudgeRows[NudgeTask] = field(default_factory=NudgeRows)
    agreements: NudgeRows[NudgeAgreement] = field(default_factory=NudgeRows)
    complaints: NudgeRows[NudgeComplaint] = field(default_factory=NudgeRows)
    stale: NudgeRows[StaleAccount] = field(default_factory=NudgeRows)
    covering: list[str] = field(default_factory=list)
    handed: list[HandedToYou] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.tasks.total or self.agreements.total or self.complaints.total or self.stale.total
        )


def nudge_time(person: Person, schedule: ScheduleSettings) -> time | None:
    """The person's local nudge time; None when they turned nudges off."""
    if person.nudge_at and person.nudge_at.strip().lower() == "off":
        return None
    own = parse_clock_time(person.nudge_at) if person.nudge_at else None
    return own or schedule.nudge_at


def days_off(person: Person, schedule: ScheduleSettings) -> frozenset[int]:
    own = parse_days_off(person.days_off) if person.days_off else None
    return schedule.days_off if own is None else own


def due_people(
    session: Session,
    settings: Settings,
    at: datetime,
    *,
    person_ids: Iterable[int] | None = None,
    skip_delivered: bool = True,
) -> list[Due]:
    """Everyone whose local nudge time has passed today, within the catch-up grace.

    Skipped: people who turned nudges off, on a day off, away today, or (unless told
    otherwise) already nudged for their local day.
    """
    schedule = settings.schedule
    grace = timedelta(minutes=schedule.grace_minutes)
    query = select(Person).where(Person.active.is_(True)).order_by(Person.id)
    if person_ids is not None:
        query = query.where(Person.id.in_(list(person_ids)))
    candidates = []
    for person in session.scalars(query):
        when = nudge_time(person, schedule)
        if when is None:
            continue
        tz = zone_of(person, settings)
        day = at.astimezone(tz).date()
        if day.weekday() in days_off(person, schedule):
            continue
        slot = datetime.combine(day, when, tz)
        if slot <= at < slot + grace:
            candidates.append(Due(person.id, person.name, tz, day, slot))
    if not candidates:
        return []
    days = {d.day for d in candidates}
    away = {
        (person_id, day)
        for person_id, starts, ends in session.execute(
            select(Absence.person_id, Absence.starts_on, Absence.ends_on).where(
                Absence.person_id.in_([d.person_id for d in candidates]),
                Absence.starts_on <= max(days),
                Absence.ends_on >= min(days),
            )
        )
        for day in days
        if starts <= day <= ends
    }
    delivered: set[tuple[str, str]] = set()
    if skip_delivered:
        delivered = {
            (recipient, period)
            for recipient, period in session.execute(
                select(Delivery.recipient, Delivery.period).where(
                    Delivery.kind == NUDGE,
                    Delivery.period.in_([d.isoformat() for d in days]),
                )
            )
        }
    return [
        d
        for d in candidates
        if (d.person_id, d.day) not in away and (d.recipient, d.period) not in delivered
    ]


def compute_nudges(
    session: Session, settings: Settings, now: datetime, due: Sequence[Due]
) -> list[Nudge]:
    """The nudges of `due` people as of `now`, including what they cover for the absent.

    Empty nudges are returned too (callers skip them), in the order of `due`.
    """
    nudges = {d.person_id: Nudge(due=d, now=now) for d in due}
    groups: dict[tuple[date, str], list[Due]] = defaultdict(list)
    for d in due:
        groups[(d.day, str(d.tz))].append(d)
    for (day, zone), members in groups.items():
        _fill(session, settings, now, day, ZoneInfo(zone), members, nudges)
    return [nudges[d.person_id] for d in due]


def _fill(
    session: Session,
    settings: Settings,
    now: datetime,
    day: date,
    tz: ZoneInfo,
    members: list[Due],
    nudges: dict[int, Nudge],
) -> None:
    ids = [d.person_id for d in members]
    # worker (whose items) -> (recipient, "covering for" name or None)
    route: dict[int, tuple[int, str | None]] = {i: (i, None) for i in ids}
    covered = session.execute(
        select(Absence.person_id, Absence.cover_id, Person.name)
        .join(Person, Person.id == Absence.person_id)
        .where(
            Absence.cover_id.in_(ids),
            Absence.starts_on <= day,
            Absence.ends_on >= day,
        )
        .order_by(Absence.id)
    ).all()
    for absent_id, cover_id, absent_name in covered:
        if absent_id not in route and cover_id is not None:
            route[absent_id] = (cover_id, absent_name)
            nudges[cover_id].covering.append(absent_name)
    _handed_to(session, day, ids, nudges)
    workers = list(route)
    end_of_day = datetime.combine(day + timedelta(days=1), time(), tz)
    handed = running_handovers(day)
    responsible = func.coalesce(handed.c.to_id, Account.owner_id)

    def accounts_of_workers() -> ColumnElement[bool]:
        return responsible.in_(workers)

    tasks = _limited(
        session,
        select(
            Task.id,
            Task.text,
            Task.due_at,
            Account.name.label("account"),
            Task.assignee_id.label("worker"),
        )
        .outerjoin(Account, Account.id == Task.account_id)
        .where(Task.status == "open", Task.assignee_id.in_(workers), Task.due_at < end_of_day),
        worker=Task.assignee_id,
        order=(Task.due_at, Task.id),
    )
    for row in tasks:
        recipient, why = route[row.worker]
        nudges[recipient].tasks.add(
            NudgeTask(row.id, row.text, row.due_at, row.account, why),
            worker=row.worker,
            total=row.total,
        )

    agreements = _limited(
        session,
        _with_handovers(
            select(
                Agreement.id,
                Agreement.text,
                Agreement.due_on,
                Account.name.label("account"),
                responsible.label("worker"),
            ).join(Account, Account.id == Agreement.account_id),
            handed,
        ).where(
            accounts_of_workers(),
            Agreement.state == "open",
            Agreement.due_on <= day + timedelta(days=AGREEMENT_DAYS_AHEAD),
            Agreement.due_on >= day - timedelta(days=AGREEMENT_LOOKBACK_DAYS),
        ),
        worker=responsible,
        order=(Agreement.due_on, Agreement.id),
    )
    for row in agreements:
        recipient, why = route[row.worker]
        nudges[recipient].agreements.add(
            NudgeAgreement(row.id, row.text, row.due_on, row.account, why),
            worker=row.worker,
            total=row.total,
        )

    complaints = _limited(
        session,
        _with_handovers(
            select(
                Complaint.id,
                Complaint.text,
                Complaint.severity,
                Complaint.sla_due_at,
                Account.name.label("account"),
                responsible.label("worker"),
            ).join(Account, Account.id == Complaint.account_id),
            handed,
        ).where(accounts_of_workers(), Complaint.status == "open", Complaint.sla_due_at < now),
        worker=responsible,
        order=(Complaint.sla_due_at, Complaint.id),
    )
    for row in complaints:
        recipient, why = route[row.worker]
        nudges[recipient].complaints.add(
            NudgeComplaint(row.id, row.text, row.severity, row.sla_due_at, row.account, why),
            worker=row.worker,
            total=row.total,
        )

    last_touch = func.coalesce(Account.last_contact_at, Account.created_at)
    stale = _limited(
        session,
        _with_handovers(
            select(
                Account.id,
                Account.name,
                Account.tier,
                Account.last_contact_at,
                responsible.label("worker"),
            ),
            handed,
        ).where(
            accounts_of_workers(),
            Account.status != AccountStatus.CHURNED,
            stale_clause(settings.schedule, now),
        ),
        worker=responsible,
        order=(Account.tier, last_touch, Account.id),
    )
    for row in stale:
        recipient, why = route[row.worker]
        nudges[recipient].stale.add(
            StaleAccount(row.id, row.name, row.tier, row.last_contact_at, why),
            worker=row.worker,
            total=row.total,
        )


def _handed_to(session: Session, day: date, ids: list[int], nudges: dict[int, Nudge]) -> None:
    """The handover periods running today to each of `ids`, notes included: one statement
    for the whole batch."""
    by, book_of = aliased(Person), aliased(Person)
    rows = session.execute(
        select(
            Handover.to_id, Account.name, book_of.name, Handover.until_on, by.name, Handover.note
        )
        .join(by, by.id == Handover.by_id)
        .outerjoin(Account, Account.id == Handover.account_id)
        .outerjoin(book_of, book_of.id == Handover.book_of_id)
        .where(Handover.to_id.in_(ids), running(Handover, day))
        .order_by(Handover.until_on, Handover.id)
    ).all()
    for to_id, account, book, until_on, giver, note in rows:
        if until_on is not None:  # always, for a period that runs
            nudges[to_id].handed.append(HandedToYou(account, book, until_on, giver, note))


def stale_clause(schedule: ScheduleSettings, now: datetime) -> ColumnElement[bool]:
    """Accounts not touched for longer than their tier allows (never touched: since created)."""
    days = schedule.stale_by_tier
    last_touch = func.coalesce(Account.last_contact_at, Account.created_at)
    named = [tier for tier in days if tier != "C"]
    return or_(
        *(
            and_(Account.tier == tier, last_touch < now - timedelta(days=days[tier]))
            for tier in named
        ),
        and_(
            Account.tier.not_in(named),
            last_touch < now - timedelta(days=schedule.stale_days_for("C")),
        ),
    )


def _with_handovers(query: Any, handed: Subquery) -> Any:
    return query.outerjoin(handed, handed.c.account_id == Account.id)


def _limited(
    session: Session,
    query: Any,  # a Select of any columns
    *,
    worker: Any,
    order: tuple[Any, ...],
) -> Sequence[Row[Any]]:
    """`query`'s rows, at most SHOWN per worker, each with its worker's total."""
    ranked = query.add_columns(
        func.row_number().over(partition_by=worker, order_by=order).label("rank"),
        func.count().over(partition_by=worker).label("total"),
    ).subquery()
    return session.execute(
        select(ranked).where(ranked.c.rank <= SHOWN).order_by(ranked.c.worker, ranked.c.rank)
    ).all()
