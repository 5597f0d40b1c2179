"""`report pipeline`: the funnel of open deals by stage, how the deals that entered each
stage in the period went on, from which stage deals were lost and why, and how long
deals spend in each stage and take to be won.

The funnel is what is open now; the rest is counted over the period. Conversion follows
the deals that entered a stage in the period (moved into it or opened in it): how many
reached a later stage (or won), and how many were won, by the end of the period.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, exists, func, select
from sqlalchemy.orm import aliased

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
    reached a later stage, and won, before the period ended."""
    entry = aliased(DealStageChange, name="entry")
    later = aliased(DealStageChange, name="later")

    def reached(condition: ColumnElement[bool]) -> ColumnElement[bool]:
        return exists().where(
            later.deal_id == entry.deal_id,
            later.id > entry.id,
            later.changed_at < until,
            condition,
        )

    moved = reached(_rank(later.to_stage) > _rank(entry.to_stage))
    won = reached(later.to_stage == Stage.WON)
    found = {
        stage: (entered, moved_on, won_count)
        for stage, entered, moved_on, won_count in work.session.execute(
            _of_deals(
                select(
                    entry.to_stage,
                    func.count(distinct(entry.deal_id)),
                    func.count(distinct(case((moved, entry.deal_id)))),
                    func.count(distinct(case((won, entry.deal_id)))),
                ).select_from(entry),
                scope,
                entry.deal_id,
            )
            .where(
                entry.to_stage.in_(OPEN_STAGES),
                entry.changed_at >= since,
                entry.changed_at < until,
            )
            .group_by(entry.to_stage)
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
    left = aliased(DealStageChange, name="left_stage")
    before = aliased(DealStageChange, name="before")
    entered_at = (
        select(before.changed_at)
        .where(before.deal_id == left.deal_id, before.id < left.id)
        .order_by(before.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    stays = dict(
        work.session.execute(
            _of_deals(
                select(
                    left.from_stage, func.avg(_days(work, entered_at, left.changed_at))
                ).select_from(left),
                scope,
                left.deal_id,
            )
            .where(
                left.from_stage.in_(OPEN_STAGES),
                left.changed_at >= since,
                left.changed_at < until,
            )
            .group_by(left.from_stage)
        ).all()
    )
    cycle = work.session.execute(
        _of_deals(select(func.avg(_days(work, Deal.created_at, Deal.closed_at))), scope).where(
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


def _days(work: Work, start: Any, end: Any) -> ColumnElement[Any]:
    if work.session.get_bind().dialect.name == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return func.extract("epoch", end - start) / 86400
