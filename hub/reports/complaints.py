"""`report complaints`: complaints by severity and by account over the period, how many
were resolved within their SLA, and how long resolving took."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, select

from hub.db import days_between
from hub.i18n import _, pgettext
from hub.models import Account, Complaint, Severity
from hub.reports import Block, Column, Kind, Report, report
from hub.reports.period import Period
from hub.reports.scope import ReportScope
from hub.value_names import value_text
from hub.work import Work

TOP_ACCOUNTS = 10


@report("complaints", default_period="last 30 days")
def complaints_report(work: Work, scope: ReportScope, period: Period) -> Report:
    since, until = period.bounds(work.tz)
    opened = and_(Complaint.opened_at >= since, Complaint.opened_at < until)
    resolved = and_(Complaint.resolved_at >= since, Complaint.resolved_at < until)
    figures = _figures(work, opened, resolved)
    by_severity = {
        row[0]: tuple(row[1:])
        for row in work.session.execute(
            _of_complaints(select(Complaint.severity, *figures), scope).group_by(Complaint.severity)
        )
    }
    severities = tuple(
        (value_text("severity", s), *by_severity.get(s, (0, 0, 0, 0, None, None)))
        for s in reversed(Severity)
    )
    totals = tuple(work.session.execute(_of_complaints(select(*figures), scope)).one())
    accounts = work.session.execute(
        _of_complaints(select(Account.id, Account.name, *figures), scope)
        .where(Complaint.opened_at < until)
        .group_by(Account.id, Account.name)
        .having(func.count().filter(opened) + func.count().filter(Complaint.status == "open") > 0)
        .order_by(func.count().filter(opened).desc(), Account.name)
    ).all()
    shown = accounts[:TOP_ACCOUNTS]
    columns = (
        Column(pgettext("report column", "Opened"), Kind.COUNT),
        Column(pgettext("report column", "Resolved"), Kind.COUNT),
        Column(pgettext("report column", "Open now"), Kind.COUNT),
        Column(pgettext("report column", "Over SLA now"), Kind.COUNT),
        Column(pgettext("report column", "Within SLA"), Kind.PERCENT),
        Column(pgettext("report column", "Time to resolve"), Kind.HOURS),
    )
    return Report(
        what="complaints",
        title=_("Complaints"),
        period=period,
        blocks=(
            Block(
                _("By severity"),
                (Column(pgettext("report column", "Severity")), *columns),
                (*severities, (_("All"), *totals)),
            ),
            Block(
                _("By account"),
                (Column(pgettext("report column", "Account")), *columns),
                tuple(tuple(row[1:]) for row in shown),
                empty=_("No complaints in this period."),
                more=len(accounts) - len(shown),
            ),
        ),
        account_ids=frozenset(row[0] for row in shown),
    )


def _of_complaints(query: Any, scope: ReportScope) -> Any:
    """`query` over the complaints of the accounts in scope."""
    return (
        query.select_from(Complaint)
        .join(Account, Account.id == Complaint.account_id)
        .where(scope.accounts())
    )


def _figures(
    work: Work, opened: ColumnElement[bool], resolved: ColumnElement[bool]
) -> tuple[Any, ...]:
    """Opened and resolved in the period, open now and over SLA now, the share resolved
    in the period within its SLA, and the average hours resolving took."""
    hours = days_between(work.session, Complaint.opened_at, Complaint.resolved_at) * 24
    within = func.count().filter(resolved, Complaint.resolved_at <= Complaint.sla_due_at)
    resolved_count = func.count().filter(resolved)
    return (
        func.count().filter(opened),
        resolved_count,
        func.count().filter(Complaint.status == "open"),
        func.count().filter(Complaint.status == "open", Complaint.sla_due_at < work.now),
        within * 1.0 / func.nullif(resolved_count, 0),
        func.avg(hours).filter(resolved),
    )
