"""`report forecast`: what should close in a period against what closed a year before.

For each period, the open deals due to close in it (their close date falls in it),
weighted by their stage's probability and as a best case (all of them won), beside what
has been won in it so far and what was won in the same days a year earlier; then the
deals that make it up. A month, as by default (this month), is shown with its quarter,
one row each; any other period is one row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, select

from hub import ids
from hub.i18n import _, month_text, pgettext, short_day_text
from hub.models import Account, Deal, Stage
from hub.money import Totals, currency_of, rates_for
from hub.pipeline import OPEN_STAGES, PROBABILITY
from hub.reports import Block, Column, Kind, Report, report
from hub.reports.period import Period
from hub.reports.scope import ReportScope
from hub.value_names import value_text
from hub.work import Work

SHOWN_DEALS = 15


@report("forecast", default_period="this month")
def forecast_report(work: Work, scope: ReportScope, period: Period) -> Report:
    periods = (
        (period, Period.current("quarter", period.start)) if period.unit == "month" else (period,)
    )
    lines = [_forecast_line(work, scope, each) for each in periods]
    deals, more = _deals(work, scope, periods[-1])
    money = Kind.MONEY
    return Report(
        what="forecast",
        title=_("Forecast"),
        period=period,
        blocks=(
            Block(
                _("Deals closing against a year before"),
                (
                    Column(pgettext("report column", "Period")),
                    Column(pgettext("report column", "Open deals"), Kind.COUNT),
                    Column(pgettext("report column", "Weighted"), money),
                    Column(pgettext("report column", "Best case"), money),
                    Column(pgettext("report column", "Won"), money),
                    Column(pgettext("report column", "Won a year before"), money),
                ),
                tuple(line for line, _totals in lines),
            ),
            Block(
                _("Open deals closing in {period}", period=period_label(periods[-1])),
                (
                    Column(pgettext("report column", "Deal")),
                    Column(pgettext("report column", "Account")),
                    Column(pgettext("report column", "Title")),
                    Column(pgettext("report column", "Stage")),
                    Column(pgettext("report column", "Amount"), money),
                    Column(pgettext("report column", "Closes"), Kind.DATE),
                ),
                tuple(row[1:] for row in deals),
                empty=_("No open deal is due to close in this period."),
                more=more,
            ),
        ),
        account_ids=frozenset(row[0] for row in deals),
        rates=rates_for(work.session, work.today, *(t for _line, totals in lines for t in totals)),
    )


def period_label(period: Period) -> str:
    """'November 2026', 'Q4 2026', '2026', or its first and last day."""
    if period.unit == "month":
        return month_text(period.start)
    if period.unit == "quarter":
        return _(
            "Q{quarter} {year}", quarter=(period.start.month - 1) // 3 + 1, year=period.start.year
        )
    if period.unit == "year":
        return str(period.start.year)
    last = f"{short_day_text(period.last)} {period.last.year}"
    return _("{first} to {last}", first=short_day_text(period.start), last=last)


def _forecast_line(
    work: Work, scope: ReportScope, period: Period
) -> tuple[tuple[Any, ...], list[Totals]]:
    """The period's row: open deals due in it, weighted, best case, won in it, won a year
    before; and its Totals (to read the rates for)."""
    hub = work.settings.currency
    code = currency_of(Deal.currency, hub)
    weight = case(*((Deal.stage == s, p) for s, p in PROBABILITY.items()), else_=0)
    count, weighted, best = 0, Totals(hub), Totals(hub)
    for currency, n, weighted_amount, amount in work.session.execute(
        _of_deals(
            select(code, func.count(), func.sum(Deal.amount * weight), func.sum(Deal.amount)), scope
        )
        .where(
            Deal.stage.in_(OPEN_STAGES),
            Deal.close_on >= period.start,
            Deal.close_on < period.end,
        )
        .group_by(code)
    ):
        count += n
        weighted.add(weighted_amount, currency)
        best.add(amount, currency)
    since, until = period.bounds(work.tz)
    before_since, before_until = period.a_year_before().bounds(work.tz)
    won, won_before = Totals(hub), Totals(hub)
    for currency, amount, amount_before in work.session.execute(
        _of_deals(
            select(
                code,
                func.sum(Deal.amount).filter(Deal.closed_at >= since, Deal.closed_at < until),
                func.sum(Deal.amount).filter(
                    Deal.closed_at >= before_since, Deal.closed_at < before_until
                ),
            ),
            scope,
        )
        .where(
            Deal.stage == Stage.WON,
            and_(Deal.closed_at >= before_since, Deal.closed_at < until),
        )
        .group_by(code)
    ):
        won.add(amount, currency)
        won_before.add(amount_before, currency)
    totals = [weighted, best, won, won_before]
    return (period_label(period), count, *totals), totals


def _deals(work: Work, scope: ReportScope, period: Period) -> tuple[list[tuple[Any, ...]], int]:
    """The first open deals due to close in `period`, soonest first (account id, then
    the cells), and how many more there are."""
    hub = work.settings.currency
    rows = work.session.execute(
        _of_deals(
            select(
                Account.id,
                Deal.id,
                Account.name,
                Deal.title,
                Deal.stage,
                Deal.amount,
                currency_of(Deal.currency, hub),
                Deal.close_on,
                func.count().over(),
            ),
            scope,
        )
        .where(
            Deal.stage.in_(OPEN_STAGES),
            Deal.close_on >= period.start,
            Deal.close_on < period.end,
        )
        .order_by(Deal.close_on, Deal.id)
        .limit(SHOWN_DEALS)
    ).all()
    deals = [
        (
            account_id,
            ids.show("deal", deal_id),
            account,
            title,
            value_text("stage", stage),
            Totals(hub, [(currency, amount)]) if amount is not None else None,
            close_on,
        )
        for account_id, deal_id, account, title, stage, amount, currency, close_on, _n in rows
    ]
    total = rows[0][-1] if rows else 0
    return deals, total - len(deals)


def _of_deals(query: Any, scope: ReportScope) -> Any:
    """`query` over the deals of the accounts in scope."""
    return (
        query.select_from(Deal).join(Account, Account.id == Deal.account_id).where(scope.accounts())
    )
