"""`report sources`: where business comes from, one table by lead source and one by
campaign. Per source: the leads of the period (accounts created with that lead source,
and the leads the web form filed on accounts with it), the deals opened in the period, how many of
those are won by now and for how much, the conversion (won / opened) and the average won
deal.

A deal's source is its own, else its account's lead source (a campaign the same way),
so a deal typed without one still counts where its account came from. The deals counted
are those opened in the period, won or not by now: every figure of a row is about the
same deals, and conversion never passes 100 %. Three statements a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from hub.i18n import _, pgettext
from hub.models import Account, Deal, Interaction, Stage
from hub.money import CENT, Rates, Totals, cents, currency_of, rates_for
from hub.reports import Block, Column, Kind, Report, report
from hub.reports.period import Period
from hub.reports.scope import ReportScope
from hub.work import Work

TOP_ROWS = 15  # rows listed a table; its "All" row counts them all
# What the web-form intake files a lead as (hub/inbound.py): a `web` interaction written
# from the source "web". One logged by hand (`log acme web …`) is no lead.
WEB_FORM = "web"


@dataclass
class _Source:
    value: str | None  # as stored; None: not set
    won_value: Totals
    leads: int = 0
    web_leads: int = 0
    opened: int = 0
    won: int = 0
    label: str = field(default="")

    def row(self) -> tuple[Any, ...]:
        return (
            self.label,
            self.leads,
            self.web_leads,
            self.opened,
            self.won,
            self.won_value,
            self.won / self.opened if self.opened else None,
            _per_deal(self.won_value, self.won) if self.won else None,
        )


@report("sources", default_period="last 12 months")
def sources_report(work: Work, scope: ReportScope, period: Period) -> Report:
    by_source = _sources(work, scope, period, Account.lead_source, Deal.source)
    by_campaign = _sources(work, scope, period, Account.lead_campaign, Deal.campaign)
    rates = rates_for(work.session, work.today, *(s.won_value for s in [*by_source, *by_campaign]))
    hub = work.settings.currency
    source, campaign = pgettext("report column", "Source"), pgettext("report column", "Campaign")
    return Report(
        what="sources",
        title=_("Sources"),
        period=period,
        blocks=(
            _block(_("By lead source"), source, by_source, rates, hub),
            _block(_("By campaign"), campaign, by_campaign, rates, hub),
        ),
        rates=rates,
    )


def _sources(
    work: Work, scope: ReportScope, period: Period, account_key: Any, deal_key: Any
) -> list[_Source]:
    """Every source (or campaign) with leads or deals in the period, with its figures."""
    accounts = scope.accounts()
    currency = work.settings.currency
    since, until = period.bounds(work.tz)
    found: dict[str | None, _Source] = {}

    def source(value: str | None) -> _Source:
        if value not in found:
            found[value] = _Source(value, Totals(currency))
        return found[value]

    for value, n in work.session.execute(
        select(account_key, func.count())
        .where(accounts, Account.created_at >= since, Account.created_at < until)
        .group_by(account_key)
    ):
        source(value).leads = n
    for value, n in work.session.execute(
        select(account_key, func.count())
        .select_from(Interaction)
        .join(Account, Account.id == Interaction.account_id)
        .where(
            accounts,
            Interaction.source == WEB_FORM,
            Interaction.occurred_at >= since,
            Interaction.occurred_at < until,
        )
        .group_by(account_key)
    ):
        source(value).web_leads = n
    key = func.coalesce(deal_key, account_key)
    code = currency_of(Deal.currency, currency)
    won = Deal.stage == Stage.WON
    for value, row_currency, opened, n_won, won_value in work.session.execute(
        select(key, code, func.count(), func.count().filter(won), func.sum(Deal.amount).filter(won))
        .select_from(Deal)
        .join(Account, Account.id == Deal.account_id)
        .where(accounts, Deal.created_at >= since, Deal.created_at < until)
        .group_by(key, code)
    ):
        row = source(value)
        row.opened += opened
        row.won += n_won
        row.won_value.add(cents(won_value), row_currency)
    for row in found.values():
        row.label = row.value if row.value is not None else pgettext("segment", "not set")
    return list(found.values())


def _block(title: str, label: str, sources: list[_Source], rates: Rates, currency: str) -> Block:
    ranked = _ranked(sources, rates)
    shown = ranked[:TOP_ROWS]
    everyone = _Source(None, Totals(currency), label=_("All"))
    for s in ranked:
        everyone.won_value = everyone.won_value + s.won_value
        everyone.leads += s.leads
        everyone.web_leads += s.web_leads
        everyone.opened += s.opened
        everyone.won += s.won
    return Block(
        title,
        (
            Column(label),
            Column(pgettext("report column", "Leads"), Kind.COUNT),
            Column(pgettext("report column", "Web leads"), Kind.COUNT),
            Column(pgettext("report column", "Deals opened"), Kind.COUNT),
            Column(pgettext("report column, deals", "Won"), Kind.COUNT),
            Column(pgettext("report column", "Won value"), Kind.MONEY),
            Column(pgettext("report column", "Conversion"), Kind.PERCENT),
            Column(pgettext("report column", "Average won deal"), Kind.MONEY),
        ),
        (*(s.row() for s in shown), everyone.row()) if shown else (),
        empty=_("No leads or deals in this period."),
        more=len(ranked) - len(shown),
    )


def _ranked(sources: list[_Source], rates: Rates) -> list[_Source]:
    """Largest won value in the hub's currency first when every row's can be shown in it,
    else most deals opened first; then most leads, by name; "not set" last."""
    by_name = sorted(sources, key=lambda s: (s.value is None, s.label.casefold()))
    values = [s.won_value.in_hub_currency(rates) for s in by_name]
    worth = {id(s): v.amount if v else Decimal(0) for s, v in zip(by_name, values, strict=True)}
    if any(v is None for v in values):
        worth = {id(s): Decimal(0) for s in by_name}
    return sorted(
        by_name, key=lambda s: (s.value is None, -worth[id(s)], -s.opened, -(s.leads + s.web_leads))
    )


def _per_deal(won_value: Totals, won: int) -> Totals:
    """The average won deal: each currency's share of the won value, over all the deals
    won. In one currency it is that currency's average; at the rates, the sum of the
    shares is the average in the hub's currency (no currencies are added without a rate)."""
    return Totals(
        won_value.hub_currency,
        [(c, (amount / won).quantize(CENT)) for c, amount in won_value.by_currency],
    )
