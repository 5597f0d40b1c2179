"""`report segments [by:tier|industry|country|region|size]`: one row per segment of the
accounts in scope: how many accounts, how many are customers, what they were worth in
the period (won revenue), their open pipeline, the complaints they opened in the period
and how many churned.

A customer is an account with a won deal, ever (an account's status starts `active`, so
it tells nothing of buying). Accounts without a value for the grouping are one row, "not
set". Five statements, whatever the number of accounts: every figure is summed in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select

from hub.i18n import _, pgettext
from hub.models import Account, AccountStatus, Complaint, Deal, Stage
from hub.money import Rates, Totals, cents, currency_of, rates_for
from hub.pipeline import OPEN_STAGES
from hub.reports import Block, Column, Kind, Report, grouped_report
from hub.reports.period import Period
from hub.reports.scope import ReportScope
from hub.segments import country_name
from hub.work import Work

GROUPINGS = ("industry", "tier", "country", "region", "size")
TOP_SEGMENTS = 20  # rows listed; the "All" row counts them all

_COLUMN = {
    "tier": Account.tier,
    "industry": Account.industry,
    "country": Account.country,
    "region": Account.region,
    "size": Account.size_band,
}


@dataclass
class _Segment:
    value: str | None  # as stored; None: not set
    totals: tuple[Totals, Totals]  # customer value (won in the period), open pipeline
    accounts: int = 0
    customers: int = 0
    complaints: int = 0
    churned: int = 0
    label: str = field(default="")

    def row(self) -> tuple[Any, ...]:
        won, pipeline = self.totals
        return (
            self.label,
            self.accounts,
            self.customers,
            won,
            pipeline,
            self.complaints,
            self.churned,
        )


@grouped_report("segments", default_period="last 12 months", groupings=GROUPINGS)
def segments_report(work: Work, scope: ReportScope, period: Period, by: str) -> Report:
    key = _COLUMN[by]
    accounts = scope.accounts()
    currency = work.settings.currency
    since, until = period.bounds(work.tz)
    segments: dict[str | None, _Segment] = {}

    def segment(value: str | None) -> _Segment:
        if value not in segments:
            segments[value] = _Segment(value, (Totals(currency), Totals(currency)))
        return segments[value]

    # Read once as a set (PostgreSQL's hashed subplan), not probed once per account.
    customer = Account.id.in_(select(Deal.account_id).where(Deal.stage == Stage.WON))
    for value, n, customers, churned in work.session.execute(
        select(
            key,
            func.count(),
            func.count().filter(customer),
            func.count().filter(Account.status == AccountStatus.CHURNED),
        )
        .where(accounts)
        .group_by(key)
    ):
        found = segment(value)
        found.accounts, found.customers, found.churned = n, customers, churned

    code = currency_of(Deal.currency, currency)
    won = and_(Deal.stage == Stage.WON, Deal.closed_at >= since, Deal.closed_at < until)
    is_open = Deal.stage.in_(OPEN_STAGES)
    for value, row_currency, won_value, pipeline in work.session.execute(
        select(key, code, func.sum(Deal.amount).filter(won), func.sum(Deal.amount).filter(is_open))
        .select_from(Deal)
        .join(Account, Account.id == Deal.account_id)
        .where(accounts, or_(won, is_open))
        .group_by(key, code)
    ):
        won_totals, open_totals = segment(value).totals
        won_totals.add(cents(won_value), row_currency)
        open_totals.add(cents(pipeline), row_currency)

    for value, n in work.session.execute(
        select(key, func.count())
        .select_from(Complaint)
        .join(Account, Account.id == Complaint.account_id)
        .where(accounts, Complaint.opened_at >= since, Complaint.opened_at < until)
        .group_by(key)
    ):
        segment(value).complaints = n

    for found in segments.values():
        found.label = _label(by, found.value)
    rates = rates_for(work.session, work.today, *(t for s in segments.values() for t in s.totals))
    ranked = _ranked(list(segments.values()), rates)
    shown = ranked[:TOP_SEGMENTS]
    everyone = _everyone(ranked, currency)
    return Report(
        what="segments",
        title=_("Segments"),
        period=period,
        blocks=(
            Block(
                _block_title(by),
                (
                    Column(_column_label(by)),
                    Column(pgettext("report column", "Accounts"), Kind.COUNT),
                    Column(pgettext("report column", "Customers"), Kind.COUNT),
                    Column(pgettext("report column", "Customer value"), Kind.MONEY),
                    Column(pgettext("report column", "Open pipeline"), Kind.MONEY),
                    Column(pgettext("report column", "Complaints"), Kind.COUNT),
                    Column(pgettext("report column", "Churned"), Kind.COUNT),
                ),
                (*(s.row() for s in shown), everyone.row()) if shown else (),
                empty=_("No accounts to count."),
                more=len(ranked) - len(shown),
            ),
        ),
        rates=rates,
    )


def _ranked(segments: list[_Segment], rates: Rates) -> list[_Segment]:
    """Largest customer value in the hub's currency first when every segment's can be
    shown in it, else most accounts first; equal ones by name, "not set" last."""
    by_name = sorted(segments, key=lambda s: (s.value is None, s.label.casefold()))
    values = [s.totals[0].in_hub_currency(rates) for s in by_name]
    if all(v is not None for v in values):
        amounts = {id(s): v.amount for s, v in zip(by_name, values, strict=True) if v}
        return sorted(by_name, key=lambda s: (s.value is None, -amounts[id(s)]))
    return sorted(by_name, key=lambda s: (s.value is None, -s.accounts))


def _everyone(segments: list[_Segment], currency: str) -> _Segment:
    everyone = _Segment(None, (Totals(currency), Totals(currency)), label=_("All"))
    for s in segments:
        everyone.totals = (everyone.totals[0] + s.totals[0], everyone.totals[1] + s.totals[1])
        everyone.accounts += s.accounts
        everyone.customers += s.customers
        everyone.complaints += s.complaints
        everyone.churned += s.churned
    return everyone


def _label(by: str, value: str | None) -> str:
    if value is None:
        return pgettext("segment", "not set")
    return country_name(value) if by == "country" else value


def _block_title(by: str) -> str:
    return {
        "tier": _("By tier"),
        "industry": _("By industry"),
        "country": _("By country"),
        "region": _("By region"),
        "size": _("By size (employees)"),
    }[by]


def _column_label(by: str) -> str:
    return {
        "tier": pgettext("report column", "Tier"),
        "industry": pgettext("report column", "Industry"),
        "country": pgettext("report column", "Country"),
        "region": pgettext("report column", "Region"),
        "size": pgettext("report column", "Employees"),
    }[by]
