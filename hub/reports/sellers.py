"""`report sellers`: one row per owner of the accounts in scope, with their open and
weighted pipeline, what they won and lost in the period, their win rate, and what needs
their attention now (overdue follow-ups, complaints over SLA, accounts left untouched).

A seller is an account's owner: a deal counts for whoever owns its account now (as the
`owner:` filter reads), so a handed-over book's pipeline moves with it. `seller_block`
is the table alone, for the digest to show; it reads only the session and the clock,
since the scheduler's digests have no acting person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from hub.i18n import _, pgettext
from hub.models import Account, AccountStatus, Complaint, Deal, Person, Stage, Task
from hub.money import Rates, Totals, currency_of, rates_for
from hub.pipeline import OPEN_STAGES, PROBABILITY
from hub.reports import Block, Column, Kind, Report, report
from hub.reports.period import Period
from hub.reports.scope import ReportScope
from hub.work import Work

UNTOUCHED_DAYS = 30


@report("sellers", default_period="this month")
def sellers_report(work: Work, scope: ReportScope, period: Period) -> Report:
    block = seller_block(
        work.session, scope, period, now=work.now, tz=work.tz, currency=work.settings.currency
    )
    money = [cell for row in block.rows for cell in row if isinstance(cell, Totals)]
    return Report(
        what="sellers",
        title=_("Sellers"),
        period=period,
        blocks=(block,),
        rates=rates_for(work.session, work.today, *money),
    )


@dataclass
class _Seller:
    name: str
    open: Totals
    weighted: Totals
    won_value: Totals
    won: int = 0
    lost: int = 0
    overdue_tasks: int = 0
    complaints_over_sla: int = 0
    untouched: int = 0

    def row(self) -> tuple[Any, ...]:
        closed = self.won + self.lost
        return (
            self.name,
            self.open,
            self.weighted,
            self.won,
            self.won_value,
            self.lost,
            self.won / closed if closed else None,
            self.overdue_tasks,
            self.complaints_over_sla,
            self.untouched,
        )

    def __add__(self, other: _Seller) -> _Seller:
        return _Seller(
            self.name,
            self.open + other.open,
            self.weighted + other.weighted,
            self.won_value + other.won_value,
            self.won + other.won,
            self.lost + other.lost,
            self.overdue_tasks + other.overdue_tasks,
            self.complaints_over_sla + other.complaints_over_sla,
            self.untouched + other.untouched,
        )


def seller_block(
    session: Session,
    scope: ReportScope,
    period: Period,
    *,
    now: datetime,
    tz: ZoneInfo,
    currency: str,
) -> Block:
    """The per-seller table of the accounts `scope` selects: won and lost count deals
    closed in `period` (read in `tz`), the rest is as of `now`. Sorted by open pipeline
    in the hub's `currency` when every row can be shown in it, else by name; an "All" row
    last."""
    accounts = scope.accounts()
    sellers = _sellers(session, accounts, now, currency)
    _add_deals(session, sellers, accounts, period.bounds(tz), currency)
    by_name = sorted(sellers.values(), key=lambda s: s.name.casefold())
    rates = rates_for(session, now.astimezone(tz).date(), *(s.open for s in by_name))
    rows = _by_pipeline(by_name, rates)
    everyone = _Seller(
        pgettext("all people", "All"), Totals(currency), Totals(currency), Totals(currency)
    )
    for seller in rows:
        everyone = everyone + seller
    return Block(
        _("By seller"),
        (
            Column(pgettext("report column", "Seller")),
            Column(pgettext("report column", "Open pipeline"), Kind.MONEY),
            Column(pgettext("report column", "Weighted"), Kind.MONEY),
            Column(pgettext("report column, deals", "Won"), Kind.COUNT),
            Column(pgettext("report column", "Won value"), Kind.MONEY),
            Column(pgettext("report column", "Lost"), Kind.COUNT),
            Column(pgettext("report column", "Win rate"), Kind.PERCENT),
            Column(pgettext("report column", "Overdue follow-ups"), Kind.COUNT),
            Column(pgettext("report column", "Complaints over SLA"), Kind.COUNT),
            Column(
                pgettext("report column", "Untouched {days} d", days=UNTOUCHED_DAYS), Kind.COUNT
            ),
        ),
        (*(s.row() for s in rows), everyone.row()) if rows else (),
        empty=_("No accounts to count."),
    )


def _by_pipeline(sellers: list[_Seller], rates: Rates) -> list[_Seller]:
    """`sellers` by open pipeline in the hub's currency, largest first (equal ones keep
    their order); as they are when one of them can't be shown in it (a missing rate)."""
    amounts = []
    for seller in sellers:
        converted = seller.open.in_hub_currency(rates)
        if converted is None:
            return sellers
        amounts.append(converted.amount)
    ranked = sorted(zip(amounts, sellers, strict=True), key=lambda pair: -pair[0])
    return [seller for _amount, seller in ranked]


def _sellers(session: Session, accounts: Any, now: datetime, currency: str) -> dict[int, _Seller]:
    """Every owner of the accounts, with their accounts left untouched (never contacted,
    or not for UNTOUCHED_DAYS; churned ones aside), their open complaints over SLA and
    their open follow-ups past due on those accounts."""
    untouched = and_(
        Account.status != AccountStatus.CHURNED,
        or_(
            Account.last_contact_at.is_(None),
            Account.last_contact_at < now - timedelta(days=UNTOUCHED_DAYS),
        ),
    )
    sellers = {
        person_id: _Seller(name, Totals(currency), Totals(currency), Totals(currency), untouched=n)
        for person_id, name, n in session.execute(
            select(Person.id, Person.name, func.count().filter(untouched))
            .select_from(Account)
            .join(Person, Person.id == Account.owner_id)
            .where(accounts)
            .group_by(Person.id, Person.name)
        )
    }
    for owner_id, n in session.execute(
        select(Account.owner_id, func.count())
        .select_from(Complaint)
        .join(Account, Account.id == Complaint.account_id)
        .where(accounts, Complaint.status == "open", Complaint.sla_due_at < now)
        .group_by(Account.owner_id)
    ):
        sellers[owner_id].complaints_over_sla = n
    for assignee_id, n in session.execute(
        select(Task.assignee_id, func.count())
        .select_from(Task)
        .join(Account, Account.id == Task.account_id)
        .where(accounts, Task.status == "open", Task.due_at < now)
        .group_by(Task.assignee_id)
    ):
        if assignee_id in sellers:  # a follow-up given to someone who owns none of them
            sellers[assignee_id].overdue_tasks = n
    return sellers


def _add_deals(
    session: Session,
    sellers: dict[int, _Seller],
    accounts: Any,
    bounds: tuple[datetime, datetime],
    currency: str,
) -> None:
    """Open pipeline and its weight by stage, won (count and value) and lost in the
    period: one statement, grouped by owner and currency."""
    since, until = bounds
    code = currency_of(Deal.currency, currency)
    is_open = Deal.stage.in_(OPEN_STAGES)
    in_period = and_(Deal.closed_at >= since, Deal.closed_at < until)
    won = and_(Deal.stage == Stage.WON, in_period)
    lost = and_(Deal.stage == Stage.LOST, in_period)
    weight = case(*((Deal.stage == s, PROBABILITY[s]) for s in OPEN_STAGES), else_=0)
    for owner_id, row_currency, open_value, weighted, n_won, won_value, n_lost in session.execute(
        select(
            Account.owner_id,
            code,
            func.sum(Deal.amount).filter(is_open),
            func.sum(Deal.amount * weight).filter(is_open),
            func.count().filter(won),
            func.sum(Deal.amount).filter(won),
            func.count().filter(lost),
        )
        .select_from(Deal)
        .join(Account, Account.id == Deal.account_id)
        .where(accounts, or_(is_open, won, lost))
        .group_by(Account.owner_id, code)
    ):
        seller = sellers[owner_id]
        seller.open.add(_cents(open_value), row_currency)
        seller.weighted.add(_cents(weighted), row_currency)
        seller.won_value.add(_cents(won_value), row_currency)
        seller.won += n_won
        seller.lost += n_lost


def _cents(value: Any) -> Decimal | None:
    """A sum read back to the cent (SQLite sums as floats)."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))
