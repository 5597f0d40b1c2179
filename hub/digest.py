"""The pipeline digest, from SQL aggregates only (GROUP BY, FILTER, window-free).

One account clause, `readable`, decides what a digest may use, figures and names alike:
everything attached to an account inherits its visibility, a total included (a private
deal's amount is the channel total minus the public deals anyone can add up). A person
asking for their own digest gets what they may read; a digest posted to a channel gets
public accounts only, because anyone in the channel reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from hub.db import days_between
from hub.models import (
    Account,
    Complaint,
    Deal,
    DealStageChange,
    Stage,
    Visibility,
)
from hub.money import Rates, Totals, currency_of, rates_on, totals_by
from hub.pipeline import OPEN_STAGES, PROBABILITY
from hub.reports.risk import RiskList, at_risk
from hub.settings import ScheduleSettings

SHOWN = 5
QUARTER_DAYS = 90
MOVES = ("new", "advanced", "slipped", "won", "lost", "reopened")
_RANK = {stage: n for n, stage in enumerate(OPEN_STAGES)}
_SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


@dataclass(frozen=True)
class StageLine:
    stage: str
    count: int
    value: Totals
    weighted: Totals
    entered: int  # deals that reached this stage in the period
    left: int  # deals that moved on (or back) from it in the period


@dataclass(frozen=True)
class Move:
    count: int
    value: Totals


@dataclass(frozen=True)
class Attention:
    """A complaint over SLA (its severity, when its SLA ran out) or an open deal past its
    close date (its stage, that date): facts, worded for its reader by commands/notices.py."""

    kind: str  # "complaint" or "deal"
    id: int
    account: str
    text: str
    account_id: int
    severity: str | None = None  # a complaint's
    sla_due_at: datetime | None = None
    stage: str | None = None  # a deal's
    close_on: date | None = None


@dataclass(frozen=True)
class DealLine:
    """A deal the digest names: one closing this month, or won or lost in the period (with
    its reason)."""

    id: int
    account: str
    account_id: int
    title: str
    stage: str
    amount: Decimal | None
    currency: str
    close_on: date | None = None
    reason: str | None = None


@dataclass
class DigestFigures:
    """What happened in the period (`since` excluded, `until` included: moves, won, lost,
    complaints opened and resolved) and how things stand at `as_of` (the open pipeline, the
    forecast and the deals closing in `as_of`'s month, the risks), read in time zone `tz`.
    `today` is `as_of`'s day there."""

    since: datetime
    until: datetime
    as_of: datetime
    tz: ZoneInfo
    today: date
    stages: list[StageLine]
    moves: dict[str, Move]
    lost_reasons: list[tuple[str, int]]
    forecast_this_month: Totals
    forecast_next_month: Totals
    quarter_won: int
    quarter_lost: int
    cycle_days: float | None
    complaints_new: int
    complaints_resolved: int
    complaints_open: int
    complaints_breached: int
    risk: RiskList  # the accounts at risk as `report risk` finds them, the first SHOWN
    rates: Rates  # in force on `today`: how the totals are shown in one currency
    attention: list[Attention] = field(default_factory=list)
    closing: list[DealLine] = field(default_factory=list)  # the first SHOWN of the month's
    closing_total: int = 0
    won: list[DealLine] = field(default_factory=list)  # the first SHOWN won in the period
    lost: list[DealLine] = field(default_factory=list)  # ... and lost, with their reasons

    @property
    def month(self) -> date:
        """The first day of the month the forecast and the closing deals are of."""
        return self.today.replace(day=1)

    @property
    def next_month(self) -> date:
        return (self.month + timedelta(days=32)).replace(day=1)

    @property
    def named_account_ids(self) -> set[int]:
        """The accounts the digest names (its figures name none)."""
        deals = [*self.closing, *self.won, *self.lost]
        return (
            {line.account_id for line in self.risk.lines}
            | {a.account_id for a in self.attention}
            | {d.account_id for d in deals}
        )

    @property
    def win_rate(self) -> float | None:
        closed = self.quarter_won + self.quarter_lost
        return self.quarter_won / closed if closed else None

    @property
    def open_count(self) -> int:
        return sum(line.count for line in self.stages)

    @property
    def open_value(self) -> Totals:
        return sum((line.value for line in self.stages[1:]), self.stages[0].value)


def channel_audience() -> ColumnElement[bool]:
    """The accounts a digest posted to a channel may use: public ones only."""
    return Account.visibility == Visibility.PUBLIC


def compute_digest(
    session: Session,
    *,
    since: datetime,
    until: datetime,
    as_of: datetime | None = None,
    tz: ZoneInfo,
    schedule: ScheduleSettings,
    readable: ColumnElement[bool],
    currency: str,
) -> DigestFigures:
    """The digest of the period from `since` (excluded) to `until` (included), standing
    as at `as_of` (default: `until`), as seen in time zone `tz`, of the accounts
    `readable` selects; money per currency, a deal saved without one in the hub's
    `currency`."""
    as_of = as_of or until
    today = as_of.astimezone(tz).date()
    deals = _scoped(select(Deal), Deal.account_id, readable).subquery("deals")
    stages = _stages(session, deals, since, until, currency)
    moves = _moves(session, readable, since, until, currency)
    this_month, next_month, closing_total = _forecast(session, deals, today, currency)
    won_deals, lost_deals = _closed(session, readable, since, until, currency)
    quarter = until - timedelta(days=QUARTER_DAYS)
    closed = and_(deals.c.closed_at > quarter, deals.c.closed_at <= until)
    won, lost, cycle = session.execute(
        select(
            func.count().filter(deals.c.stage == Stage.WON),
            func.count().filter(deals.c.stage == Stage.LOST),
            func.avg(days_between(session, deals.c.created_at, deals.c.closed_at)).filter(
                deals.c.stage == Stage.WON
            ),
        ).where(closed, deals.c.stage.in_((Stage.WON, Stage.LOST)))
    ).one()
    reasons = session.execute(
        select(Deal.lost_reason, func.count())
        .join(Account, Account.id == Deal.account_id)
        .where(
            readable,
            Deal.stage == Stage.LOST,
            Deal.closed_at > since,
            Deal.closed_at <= until,
            Deal.lost_reason.is_not(None),
        )
        .group_by(Deal.lost_reason)
        .order_by(func.count().desc(), Deal.lost_reason)
        .limit(SHOWN)
    ).all()
    new, resolved, still_open, breached = session.execute(
        _scoped(
            select(
                func.count().filter(Complaint.opened_at > since, Complaint.opened_at <= until),
                func.count().filter(Complaint.resolved_at > since, Complaint.resolved_at <= until),
                func.count().filter(Complaint.status == "open"),
                func.count().filter(Complaint.status == "open", Complaint.sla_due_at < as_of),
            ).select_from(Complaint),
            Complaint.account_id,
            readable,
        )
    ).one()
    return DigestFigures(
        since=since,
        until=until,
        as_of=as_of,
        tz=tz,
        today=today,
        stages=stages,
        moves=moves,
        lost_reasons=[(reason or "", n) for reason, n in reasons],
        forecast_this_month=this_month,
        forecast_next_month=next_month,
        quarter_won=won,
        quarter_lost=lost,
        cycle_days=float(cycle) if cycle is not None else None,
        complaints_new=new,
        complaints_resolved=resolved,
        complaints_open=still_open,
        complaints_breached=breached,
        risk=at_risk(session, readable, now=as_of, today=today, schedule=schedule, limit=SHOWN),
        rates=rates_on(session, today),
        attention=_attention(session, readable, as_of, today),
        closing=_closing(session, readable, today, currency),
        closing_total=closing_total,
        won=won_deals,
        lost=lost_deals,
    )


def _scoped(query: Any, account_id: Any, readable: ColumnElement[bool]) -> Any:
    """`query` limited to readable accounts' rows (joined through `account_id`)."""
    return query.join(Account, Account.id == account_id).where(readable)


def _stages(
    session: Session, deals: Any, since: datetime, until: datetime, currency: str
) -> list[StageLine]:
    weight = case(*((deals.c.stage == s, p) for s, p in PROBABILITY.items()), else_=0)
    code = currency_of(deals.c.currency, currency)
    counts: dict[str, int] = {}
    by_stage: dict[str, tuple[Totals, Totals]] = {}
    for stage, code_of_row, count, value, weighted_value in session.execute(
        select(
            deals.c.stage,
            code,
            func.count(),
            func.sum(deals.c.amount),
            func.sum(deals.c.amount * weight),
        )
        .where(deals.c.stage.in_(OPEN_STAGES))
        .group_by(deals.c.stage, code)
    ):
        counts[stage] = counts.get(stage, 0) + count
        values, weighted = by_stage.setdefault(stage, (Totals(currency), Totals(currency)))
        values.add(value, code_of_row)
        weighted.add(weighted_value, code_of_row)
    in_period = and_(DealStageChange.changed_at > since, DealStageChange.changed_at <= until)
    changes = select(DealStageChange).join(deals, deals.c.id == DealStageChange.deal_id)
    entered = dict(
        session.execute(
            changes.with_only_columns(DealStageChange.to_stage, func.count())
            .where(in_period)
            .group_by(DealStageChange.to_stage)
        ).all()
    )
    left = dict(
        session.execute(
            changes.with_only_columns(DealStageChange.from_stage, func.count())
            .where(in_period, DealStageChange.from_stage.is_not(None))
            .group_by(DealStageChange.from_stage)
        ).all()
    )
    return [
        StageLine(
            stage,
            counts.get(stage, 0),
            *by_stage.get(stage, (Totals(currency), Totals(currency))),
            entered.get(stage, 0),
            left.get(stage, 0),
        )
        for stage in OPEN_STAGES
    ]


def movement_kind() -> ColumnElement[str]:
    """What a stage change was: new, advanced, slipped, won, lost or reopened."""
    rank_to = case(_RANK, value=DealStageChange.to_stage, else_=-1)
    rank_from = case(_RANK, value=DealStageChange.from_stage, else_=-1)
    return case(
        (DealStageChange.to_stage == Stage.WON, literal("won")),
        (DealStageChange.to_stage == Stage.LOST, literal("lost")),
        (DealStageChange.from_stage.is_(None), literal("new")),
        (DealStageChange.from_stage.in_((Stage.WON, Stage.LOST)), literal("reopened")),
        (rank_to > rank_from, literal("advanced")),
        else_=literal("slipped"),
    )


def _moves(
    session: Session,
    readable: ColumnElement[bool],
    since: datetime,
    until: datetime,
    currency: str,
) -> dict[str, Move]:
    kind = movement_kind().label("kind")
    code = currency_of(Deal.currency, currency)
    query = (
        select(kind, code, func.count(), func.sum(Deal.amount))
        .select_from(DealStageChange)
        .join(Deal, Deal.id == DealStageChange.deal_id)
        .where(DealStageChange.changed_at > since, DealStageChange.changed_at <= until)
        .group_by(kind, code)
    )
    rows = session.execute(_scoped(query, Deal.account_id, readable)).all()
    counts: dict[str, int] = {}
    for k, _code, n, _value in rows:
        counts[k] = counts.get(k, 0) + n
    values = totals_by(((k, c, v) for k, c, _n, v in rows), currency)
    return {k: Move(counts.get(k, 0), values.get(k, Totals(currency))) for k in MOVES}


def _forecast(
    session: Session, deals: Any, today: date, currency: str
) -> tuple[Totals, Totals, int]:
    """Open deals weighted by their stage's probability, by the month they should close
    (this one and the next), and how many should close this month."""
    month_start = today.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    after_next = (next_month + timedelta(days=32)).replace(day=1)
    weight = case(*((deals.c.stage == s, p) for s, p in PROBABILITY.items()), else_=0)
    weighted = func.sum(deals.c.amount * weight)
    code = currency_of(deals.c.currency, currency)
    this_month, following, closing = Totals(currency), Totals(currency), 0
    for row_currency, this, then, count in session.execute(
        select(
            code,
            weighted.filter(deals.c.close_on < next_month),
            weighted.filter(deals.c.close_on >= next_month),
            func.count().filter(deals.c.close_on < next_month),
        )
        .where(
            deals.c.stage.in_(OPEN_STAGES),
            deals.c.close_on >= month_start,
            deals.c.close_on < after_next,
        )
        .group_by(code)
    ):
        this_month.add(this, row_currency)
        following.add(then, row_currency)
        closing += count
    return this_month, following, closing


def _closing(
    session: Session, readable: ColumnElement[bool], today: date, currency: str
) -> list[DealLine]:
    """The first SHOWN open deals due to close in `today`'s month, soonest (then biggest)
    first."""
    month_start = today.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    rows = session.execute(
        _deal_columns(currency)
        .where(
            readable,
            Deal.stage.in_(OPEN_STAGES),
            Deal.close_on >= month_start,
            Deal.close_on < next_month,
        )
        .order_by(Deal.close_on, Deal.amount.desc().nulls_last(), Deal.id)
        .limit(SHOWN)
    ).all()
    return [_deal_line(row) for row in rows]


def _closed(
    session: Session,
    readable: ColumnElement[bool],
    since: datetime,
    until: datetime,
    currency: str,
) -> tuple[list[DealLine], list[DealLine]]:
    """The first SHOWN deals won in the period and still won, biggest first, and the same
    of the lost ones (one statement: two top-Ns in a UNION ALL)."""

    def top(stage: str) -> Any:
        moved = select(DealStageChange.deal_id).where(
            DealStageChange.to_stage == stage,
            DealStageChange.changed_at > since,
            DealStageChange.changed_at <= until,
        )
        return (
            _deal_columns(currency)
            .where(readable, Deal.stage == stage, Deal.id.in_(moved))
            .order_by(Deal.amount.desc().nulls_last(), Deal.id)
            .limit(SHOWN)
            .subquery()
            .select()
        )

    both = union_all(top(Stage.WON), top(Stage.LOST)).subquery("closed")
    rows = session.execute(
        select(both).order_by(both.c.stage.desc(), both.c.amount.desc().nulls_last(), both.c.id)
    ).all()
    lines = [_deal_line(row) for row in rows]
    return [d for d in lines if d.stage == Stage.WON], [d for d in lines if d.stage == Stage.LOST]


def _deal_columns(currency: str) -> Any:
    return select(
        Deal.id,
        Account.name,
        Account.id.label("account_id"),
        Deal.title,
        Deal.stage,
        Deal.amount,
        currency_of(Deal.currency, currency).label("code"),
        Deal.close_on,
        Deal.lost_reason,
    ).join(Account, Account.id == Deal.account_id)


def _deal_line(row: Any) -> DealLine:
    return DealLine(
        row.id,
        row.name,
        row.account_id,
        row.title,
        row.stage,
        row.amount,
        row.code,
        close_on=row.close_on,
        reason=row.lost_reason,
    )


def _attention(
    session: Session,
    readable: ColumnElement[bool],
    until: datetime,
    today: date,
) -> list[Attention]:
    """What a manager should look at first: the worst complaints over SLA, then the biggest
    open deals already past their close date."""
    severity = case(_SEVERITY_RANK, value=Complaint.severity, else_=9)
    complaints = session.execute(
        select(Complaint.id, Complaint.text, Complaint.severity, Complaint.sla_due_at, Account.name)
        .add_columns(Account.id.label("account_id"))
        .join(Account, Account.id == Complaint.account_id)
        .where(readable, Complaint.status == "open", Complaint.sla_due_at < until)
        .order_by(severity, Complaint.sla_due_at, Complaint.id)
        .limit(3)
    ).all()
    deals = session.execute(
        select(Deal.id, Deal.title, Deal.amount, Deal.stage, Deal.close_on, Account.name)
        .add_columns(Account.id.label("account_id"))
        .join(Account, Account.id == Deal.account_id)
        .where(readable, Deal.stage.in_(OPEN_STAGES), Deal.close_on < today)
        .order_by(Deal.amount.desc().nulls_last(), Deal.close_on, Deal.id)
        .limit(3)
    ).all()
    items = [
        Attention(
            "complaint",
            c.id,
            c.name,
            c.text,
            c.account_id,
            severity=c.severity,
            sla_due_at=c.sla_due_at,
        )
        for c in complaints
    ]
    items.extend(
        Attention(
            "deal",
            d.id,
            d.name,
            d.title,
            d.account_id,
            stage=d.stage,
            close_on=d.close_on,
        )
        for d in deals
    )
    return items


def weekly_period(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The last full week before `day`'s: Monday 00:00 to the next Monday 00:00 in `tz`
    (what a weekly digest sent on `day` covers)."""
    monday = day - timedelta(days=day.weekday())
    return _midnight(monday - timedelta(days=7), tz), _midnight(monday, tz)


def daily_period(previous: date, day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """From the previous working day's start to `day`'s start: yesterday, or on a Monday
    the days since Friday (a daily digest skips days off but not what happened on them)."""
    return _midnight(previous, tz), _midnight(day, tz)


def last_weekly_slot(now: datetime, tz: ZoneInfo, digest_at: time) -> datetime:
    """When the last weekly digest was due at or before `now`: Monday at `digest_at`."""
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    slot = datetime.combine(monday, digest_at, tz)
    return slot if slot <= now else datetime.combine(monday - timedelta(days=7), digest_at, tz)


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tz)
