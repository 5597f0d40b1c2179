"""`report pipeline`: the funnel of open deals by stage, how the deals that entered each
stage in the period went on, from which stage deals were lost and why, and how long
deals spend in each stage and take to be won.

The funnel is what is open now; the rest is counted over the period. Conversion follows
the deals that entered a stage in the period (moved into it or opened in it): how many
reached a later stage (or won), and how many were won, by the end of the period.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, select

from hub.db import days_between
from hub.i18n import _, number_text, pgettext
from hub.models import Account, Deal, DealStageChange, Stage
from hub.money import Totals, currency_of, rates_for
from hub.pipeline import OPEN_STAGES, PROBABILITY
from hub.reports import Block, Column, Kind, Report, report
from hub.reports.period import Period
from hub.reports.scope import ReportScope
from hub.value_names import value_text
from hub.work import Work

TOP_REASONS = 3
# How far along the funnel a stage is: moving to a higher one is moving on.
RANK = {stage: n for n, stage in enumerate((*OPEN_STAGES, Stage.WON))}


@report("pipeline", default_period="this quarter")
def pipeline_report(work: Work, scope: ReportScope, period: Period) -> Report:
    since, until = period.bounds(work.tz)
    funnel, totals = _funnel(work, scope)
    stage = Column(pgettext("report column", "Stage"))
    return Report(
        what="pipeline",
        title=_("Pipeline"),
        period=period,
        blocks=(
            Block(
                _("Open deals by stage"),
                (
                    stage,
                    Column(pgettext("report column", "Deals"), Kind.COUNT),
                    Column(pgettext("report column", "Amount"), Kind.MONEY),
                    Column(pgettext("report column", "Weighted"), Kind.MONEY),
                ),
                funnel,
            ),
            Block(
                _("Conversion of the deals that entered each stage"),
                (
                    stage,
                    Column(pgettext("report column", "Entered"), Kind.COUNT),
                    Column(pgettext("report column", "Moved on"), Kind.PERCENT),
                    Column(pgettext("report column, deals", "Won"), Kind.PERCENT),
                ),
                _conversion(work, scope, since, until),
            ),
            Block(
                _("Where deals were lost"),
                (
                    Column(pgettext("report column", "Lost from")),
                    Column(pgettext("report column", "Deals"), Kind.COUNT),
                    Column(pgettext("report column", "Top reasons")),
                ),
                _losses(work, scope, since, until),
                empty=_("No deal was lost in this period."),
            ),
            Block(
                _("Time in each stage"),
                (stage, Column(pgettext("report column", "Average"), Kind.DAYS)),
                _durations(work, scope, since, until),
            ),
        ),
        rates=rates_for(work.session, work.today, *totals),
    )


def _funnel(work: Work, scope: ReportScope) -> tuple[tuple[tuple[Any, ...], ...], list[Totals]]:
    """Open deals now, per stage and in all: count, amount and amount weighted by the
    stage's probability; and every Totals in it (to read the rates for)."""
    hub = work.settings.currency
    code = currency_of(Deal.currency, hub)
    weight = case(*((Deal.stage == s, p) for s, p in PROBABILITY.items()), else_=0)
    rows = work.session.execute(
        _of_deals(
            select(
                Deal.stage,
                code,
                func.count(),
                func.sum(Deal.amount),
                func.sum(Deal.amount * weight),
            ),
            scope,
        )
        .where(Deal.stage.in_(OPEN_STAGES))
        .group_by(Deal.stage, code)
    ).all()
    counts = {stage: 0 for stage in OPEN_STAGES}
    amounts = {stage: Totals(hub) for stage in OPEN_STAGES}
    weighted = {stage: Totals(hub) for stage in OPEN_STAGES}
    for stage, currency, count, amount, weighted_amount in rows:
        counts[stage] += count
        amounts[stage].add(amount, currency)
        weighted[stage].add(weighted_amount, currency)
    all_amounts, all_weighted = Totals(hub), Totals(hub)
    for stage in OPEN_STAGES:
        all_amounts += amounts[stage]
        all_weighted += weighted[stage]
    lines = tuple((value_text("stage", s), counts[s], amounts[s], weighted[s]) for s in OPEN_STAGES)
    everything = (_("All"), sum(counts.values()), all_amounts, all_weighted)
    return (*lines, everything), [all_amounts, all_weighted]


def _conversion(
    work: Work, scope: ReportScope, since: Any, until: Any
) -> tuple[tuple[Any, ...], ...]:
    """Per stage: the deals that entered it in the period, and the share of them that
    reached a later stage, and won, before the period ended. One pass over the deals'
    stage history: each change sees the furthest stage its deal reached after it."""
    changes = _history(work, scope, until)
    moved = changes.c.later_rank > changes.c.rank
    won = changes.c.later_won == 1
    found = {
        stage: (entered, moved_on, won_count)
        for stage, entered, moved_on, won_count in work.session.execute(
            select(
                changes.c.to_stage,
                func.count(distinct(changes.c.deal_id)),
                func.count(distinct(case((moved, changes.c.deal_id)))),
                func.count(distinct(case((won, changes.c.deal_id)))),
            )
            .where(
                changes.c.to_stage.in_(OPEN_STAGES),
                changes.c.changed_at >= since,
                changes.c.changed_at < until,
            )
            .group_by(changes.c.to_stage)
        )
    }
    lines = []
    for stage in OPEN_STAGES:
        entered, moved_on, won_count = found.get(stage, (0, 0, 0))
        lines.append(
            (
                value_text("stage", stage),
                entered,
                moved_on / entered if entered else None,
                won_count / entered if entered else None,
            )
        )
    return tuple(lines)


def _history(work: Work, scope: ReportScope, until: Any) -> Any:
    """The stage changes of the deals in scope, each with its stage's rank, the change
    before it (`entered_at`: when the deal entered the stage it leaves), and what its deal
    reached after it and before `until`: the furthest rank, and whether it won."""

    def after(value: Any) -> Any:
        """`value` over the deal's changes after this one."""
        return value.over(
            partition_by=DealStageChange.deal_id, order_by=DealStageChange.id, rows=(1, None)
        )

    in_time = DealStageChange.changed_at < until
    return _of_deals(
        select(
            DealStageChange.deal_id,
            DealStageChange.from_stage,
            DealStageChange.to_stage,
            DealStageChange.changed_at,
            _rank(DealStageChange.to_stage).label("rank"),
            after(func.max(case((in_time, _rank(DealStageChange.to_stage)), else_=-1))).label(
                "later_rank"
            ),
            after(
                func.max(case((and_(in_time, DealStageChange.to_stage == Stage.WON), 1), else_=0))
            ).label("later_won"),
            func.lag(DealStageChange.changed_at)
            .over(partition_by=DealStageChange.deal_id, order_by=DealStageChange.id)
            .label("entered_at"),
        ).select_from(DealStageChange),
        scope,
        DealStageChange.deal_id,
    ).subquery("history")


def _losses(work: Work, scope: ReportScope, since: Any, until: Any) -> tuple[tuple[Any, ...], ...]:
    """Per stage deals were lost from in the period: how many, and their most given
    reasons ('price (2), timing (1)')."""
    lost = DealStageChange
    per_reason = (
        _of_deals(
            select(
                lost.from_stage.label("stage"),
                Deal.lost_reason.label("reason"),
                func.count().label("n"),
            ).select_from(lost),
            scope,
            lost.deal_id,
        )
        .where(
            lost.to_stage == Stage.LOST,
            lost.from_stage.in_(OPEN_STAGES),
            lost.changed_at >= since,
            lost.changed_at < until,
        )
        .group_by(lost.from_stage, Deal.lost_reason)
        .subquery("per_reason")
    )
    ranked = select(
        per_reason.c.stage,
        per_reason.c.reason,
        per_reason.c.n,
        func.sum(per_reason.c.n).over(partition_by=per_reason.c.stage).label("lost"),
        func.row_number()
        .over(
            partition_by=per_reason.c.stage,
            order_by=(
                per_reason.c.reason.is_(None),
                per_reason.c.n.desc(),
                per_reason.c.reason,
            ),
        )
        .label("place"),
    ).subquery("ranked")
    rows = work.session.execute(
        select(ranked.c.stage, ranked.c.reason, ranked.c.n, ranked.c.lost)
        .where(ranked.c.place <= TOP_REASONS)
        .order_by(ranked.c.place)
    ).all()
    counts: dict[str, int] = {}
    reasons: dict[str, list[str]] = {}
    for stage, reason, n, lost_count in rows:
        counts[stage] = int(lost_count)
        if reason is not None:
            reasons.setdefault(stage, []).append(
                _("{reason} ({count})", reason=reason, count=number_text(n))
            )
    return tuple(
        (value_text("stage", stage), counts[stage], ", ".join(reasons.get(stage, [])) or "–")
        for stage in OPEN_STAGES
        if stage in counts
    )


def _durations(
    work: Work, scope: ReportScope, since: Any, until: Any
) -> tuple[tuple[Any, ...], ...]:
    """Average days in each stage, over the stays that ended in the period; and the
    average sales cycle (opened to won) of the deals won in the period."""
    changes = _history(work, scope, until)
    stays: dict[str, Any] = dict(
        work.session.execute(
            select(
                changes.c.from_stage,
                func.avg(days_between(work.session, changes.c.entered_at, changes.c.changed_at)),
            )
            .where(
                changes.c.from_stage.in_(OPEN_STAGES),
                changes.c.changed_at >= since,
                changes.c.changed_at < until,
            )
            .group_by(changes.c.from_stage)
        ).all()
    )
    cycle_days = days_between(work.session, Deal.created_at, Deal.closed_at)
    cycle = work.session.execute(
        _of_deals(select(func.avg(cycle_days)), scope).where(
            Deal.stage == Stage.WON,
            and_(Deal.closed_at >= since, Deal.closed_at < until),
        )
    ).scalar()
    return (
        *((value_text("stage", stage), stays.get(stage)) for stage in OPEN_STAGES),
        (_("Sales cycle (opened to won)"), cycle),
    )


def _of_deals(query: Any, scope: ReportScope, deal_id: Any = None) -> Any:
    """`query` over deals (joined through `deal_id` when it starts elsewhere) of the
    accounts in scope."""
    joined = query.select_from(Deal) if deal_id is None else query.join(Deal, Deal.id == deal_id)
    return joined.join(Account, Account.id == Deal.account_id).where(scope.accounts())


def _rank(stage: Any) -> ColumnElement[int]:
    return case(RANK, value=stage, else_=-1)
