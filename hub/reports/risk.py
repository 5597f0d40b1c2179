"""`report risk`: every account at risk now, a page at a time, with why: open complaints
over their SLA, no contact for longer than its tier allows (the hub's stale days per
tier, as the nudges and the digest count them: `hub.nudges.stale_clause`), open deals
past their close date, open agreements past due. Churned accounts are left out.

Being at risk is a state now, not something that happened in a period: the report's
period (this month unless one is typed) only names the day it is read. `at_risk` is the
list and its counts alone, for other pages (the digest) to show the same accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, select, true
from sqlalchemy.orm import Session

from hub.i18n import _, ngettext, pgettext
from hub.models import Account, AccountStatus, Agreement, Complaint, Deal, Person
from hub.nudges import stale_clause
from hub.pipeline import OPEN_STAGES
from hub.reports import Block, Column, Kind, Report, paged_report
from hub.reports.period import Period
from hub.reports.scope import ReportScope
from hub.settings import ScheduleSettings
from hub.work import Work

PAGE_SIZE = 20
REASONS = ("complaints", "no contact", "slipping deals", "overdue agreements")


@dataclass(frozen=True)
class RiskLine:
    """One account at risk, with the count behind each reason (no contact: 1 or 0)."""

    account_id: int
    name: str
    owner: str
    tier: str
    last_contact_at: datetime | None
    complaints: int  # open, over their SLA
    no_contact: int
    slipping_deals: int  # open, past their close date
    overdue_agreements: int  # open, past due
    stale_days: int  # the days without contact its tier allows

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """The counts in the order of REASONS."""
        return (self.complaints, self.no_contact, self.slipping_deals, self.overdue_agreements)


@dataclass(frozen=True)
class RiskList:
    total: int  # accounts at risk
    by_reason: dict[str, int]  # accounts per reason (one account may have several)
    lines: list[RiskLine]  # the ones asked for: most reasons first, then tier and name


def at_risk(
    session: Session,
    accounts: ColumnElement[bool],
    *,
    now: datetime,
    today: date,
    schedule: ScheduleSettings,
    limit: int | None,
    offset: int = 0,
) -> RiskList:
    """The accounts `accounts` selects that are at risk at `now` (`today` in the reader's
    calendar): their counts, and `limit` of them from `offset` (None: all of them). One
    statement: the set is a CTE read by an aggregate and by a top-N sort."""
    over_sla = _per_account(
        Complaint.account_id, Complaint.status == "open", Complaint.sla_due_at < now
    )
    slipping = _per_account(Deal.account_id, Deal.stage.in_(OPEN_STAGES), Deal.close_on < today)
    overdue = _per_account(
        Agreement.account_id, Agreement.state == "open", Agreement.due_on < today
    )
    stale = stale_clause(schedule, now)
    counts = [func.coalesce(q.c.n, 0) for q in (over_sla, slipping, overdue)]
    risky = (
        select(
            Account.id,
            Account.name,
            Person.name.label("owner"),
            Account.tier,
            Account.last_contact_at,
            counts[0].label("complaints"),
            case((stale, 1), else_=0).label("no_contact"),
            counts[1].label("slipping_deals"),
            counts[2].label("overdue_agreements"),
        )
        .join(Person, Person.id == Account.owner_id)
        .outerjoin(over_sla, over_sla.c.account_id == Account.id)
        .outerjoin(slipping, slipping.c.account_id == Account.id)
        .outerjoin(overdue, overdue.c.account_id == Account.id)
        .where(
            accounts,
            Account.status != AccountStatus.CHURNED,
            or_(*(q.c.n.is_not(None) for q in (over_sla, slipping, overdue)), stale),
        )
        .cte("risky")
    )
    flags = [
        case((column > 0, 1), else_=0)
        for column in (
            risky.c.complaints,
            risky.c.no_contact,
            risky.c.slipping_deals,
            risky.c.overdue_agreements,
        )
    ]
    totals = select(
        *(func.coalesce(func.sum(flag), 0).label(f"n{i}") for i, flag in enumerate(flags)),
        func.count().label("n_total"),
    ).subquery("totals")
    page = (
        select(risky)
        .order_by(sum(flags[1:], flags[0]).desc(), risky.c.tier, risky.c.name, risky.c.id)
        .limit(limit)
        .offset(offset)
        .subquery("page")
    )
    rows = session.execute(select(totals, page).select_from(totals.outerjoin(page, true()))).all()
    first = rows[0]
    return RiskList(
        total=int(first.n_total),
        by_reason={r: int(getattr(first, f"n{i}")) for i, r in enumerate(REASONS)},
        lines=[
            RiskLine(
                row.id,
                row.name,
                row.owner,
                row.tier,
                row.last_contact_at,
                row.complaints,
                row.no_contact,
                row.slipping_deals,
                row.overdue_agreements,
                schedule.stale_days_for(row.tier),
            )
            for row in rows
            if row.id is not None
        ],
    )


def _per_account(account_id: Any, *where: ColumnElement[bool]) -> Any:
    """How many rows `where` selects, per account (only accounts with some)."""
    return (
        select(account_id.label("account_id"), func.count().label("n"))
        .where(*where)
        .group_by(account_id)
        .subquery()
    )


@paged_report("risk", default_period="this month")
def risk_report(work: Work, scope: ReportScope, period: Period, page: int) -> Report:
    """Page `page` of the accounts at risk; page 0 is every one of them (the CSV)."""
    schedule = work.settings.schedule
    found = at_risk(
        work.session,
        scope.accounts(),
        now=work.now,
        today=work.today,
        schedule=schedule,
        limit=PAGE_SIZE if page else None,
        offset=(page - 1) * PAGE_SIZE if page else 0,
    )
    pages = max(-(-found.total // PAGE_SIZE), 1)
    shown_to = (page - 1) * PAGE_SIZE + len(found.lines) if page else found.total
    title = _("Accounts at risk")
    if pages > 1 and page:
        title = _("Accounts at risk · page {page} of {pages}", page=page, pages=pages)
    empty = _("No account is at risk.")
    if found.total and not found.lines:
        empty = _("Page {page} is past the last ({pages}).", page=page, pages=pages)
    return Report(
        what="risk",
        title=_("Risk"),
        period=period,
        blocks=(
            Block(
                title,
                (
                    Column(pgettext("report column", "Account")),
                    Column(pgettext("report column", "Owner")),
                    Column(pgettext("report column", "Tier")),
                    Column(pgettext("report column", "Why")),
                    Column(pgettext("report column", "Last contact"), Kind.DATE),
                ),
                tuple(
                    (
                        line.name,
                        line.owner,
                        line.tier,
                        reasons_text(line),
                        line.last_contact_at.astimezone(work.tz).date()
                        if line.last_contact_at
                        else None,
                    )
                    for line in found.lines
                ),
                empty=empty,
                more=max(found.total - shown_to, 0) if found.lines else 0,
            ),
            Block(
                _("By reason"),
                (
                    Column(pgettext("report column", "Reason")),
                    Column(pgettext("report column", "Accounts"), Kind.COUNT),
                ),
                (
                    *zip(_reason_names(), found.by_reason.values(), strict=True),
                    (_("All accounts at risk"), found.total),
                ),
            ),
        ),
        notes=(_("At risk as of now, whatever the period."),),
        account_ids=frozenset(line.account_id for line in found.lines),
        next_page=page + 1 if shown_to < found.total and found.lines else None,
    )


def reasons_text(line: RiskLine) -> str:
    """Why an account is at risk, in the reader's language: '2 complaints over SLA, no
    contact in 14 days'."""
    days = line.stale_days
    texts = (
        ngettext("{n} complaint over SLA", "{n} complaints over SLA", line.complaints),
        ngettext("no contact in {n} day", "no contact in {n} days", days),
        ngettext(
            "{n} deal past its close date", "{n} deals past their close date", line.slipping_deals
        ),
        ngettext("{n} agreement overdue", "{n} agreements overdue", line.overdue_agreements),
    )
    return ", ".join(text for text, n in zip(texts, line.counts, strict=True) if n)


def _reason_names() -> tuple[str, ...]:
    """The reasons as the totals name them, in the order of REASONS."""
    return (
        _("Complaints over SLA"),
        _("No contact for longer than the tier allows"),
        _("Deals past their close date"),
        _("Overdue agreements"),
    )
