"""`report <what> [period] [filters]`: a report's blocks as tables, in the reader's
language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from commands import format as fmt
from commands.handlers.common import need_person
from commands.periods import read_period
from commands.reply import Action, Reply, Table
from commands.types import ShowReport
from hub.i18n import _, day_text, number_text, percent_text, pgettext
from hub.money import Rates, totals_text
from hub.reports import DEFAULT_PERIOD, Block, Kind, Report, compute
from hub.reports.period import Period
from hub.reports.scope import ReportScope
from hub.work import Work

NUMERIC = frozenset(Kind) - {Kind.TEXT, Kind.DATE}


def show_report(work: Work, cmd: ShowReport) -> Reply:
    report = build_report(work, cmd)
    reply = report_reply(report, today=work.today)
    if report.next_page is None:
        return reply
    more = Action(
        pgettext("button", "More"), report_line(cmd, report.next_page, work.today), style="primary"
    )
    return replace(reply, actions=(more,))


def build_report(work: Work, cmd: ShowReport) -> Report:
    """The report `cmd` asks for, of what its reader may see."""
    owner = need_person(work, cmd.owner).id if cmd.owner else None
    scope = ReportScope.of(work, owner_id=owner, team=cmd.team, tier=cmd.tier)
    return compute(work, cmd.what, scope, cmd.period, page=cmd.page, by=cmd.by)


def report_line(cmd: ShowReport, page: int, today: date) -> str:
    """The report's line at page `page` (what the More button runs): its period as
    since:/until: unless it is the report's own, its filters as typed."""
    words = ["report", cmd.what]
    default = read_period(DEFAULT_PERIOD[cmd.what].split(), today)
    if cmd.period != default:
        words += [f"since:{cmd.period.start.isoformat()}", f"until:{cmd.period.last.isoformat()}"]
    for key, value in (("owner", cmd.owner), ("team", cmd.team), ("tier", cmd.tier)):
        if value:
            words.append(f"{key}:{fmt.option_value(value)}")
    words.append(f"page:{page}")
    return " ".join(words)


def report_reply(report: Report, *, today: date) -> Reply:
    return Reply(
        title=_("{report}, {period}", report=report.title, period=period_text(report.period)),
        tables=tuple(block_table(block, today, report.rates) for block in report.blocks),
        notes=report.notes,
    )


def period_text(period: Period) -> str:
    """'Mon 01 Dec 2025 to Wed 31 Dec 2025'; one day is that day."""
    if period.days == 1:
        return day_text(period.start, year=True)
    return _(
        "{first} to {last}",
        first=day_text(period.start, year=period.start.year != period.last.year),
        last=day_text(period.last, year=True),
    )


def cell_text(kind: Kind, value: Any, today: date, rates: Rates | None = None) -> str:
    """A report's value as the reader reads it; '–' where there is none. Money in several
    currencies is one figure at `rates` when all of them have one, else one per currency."""
    if value is None:
        return "–"
    if kind == Kind.MONEY:
        return totals_text(value, rates or Rates(today, {}))
    if kind == Kind.COUNT:
        return number_text(value)
    if kind == Kind.PERCENT:
        return percent_text(float(value))
    if kind == Kind.DAYS:
        return _("{days} d", days=number_text(round(Decimal(str(value)), 1)))
    if kind == Kind.HOURS:
        return _("{hours} h", hours=number_text(round(Decimal(str(value)), 1)))
    if kind == Kind.DATE:
        return fmt.day(value, today)
    return str(value)


def block_table(block: Block, today: date, rates: Rates | None) -> Table:
    """A report's block as a table of texts in the reader's language."""
    kinds = [column.kind for column in block.columns]
    return Table(
        title=block.title,
        columns=tuple(column.label for column in block.columns),
        rows=tuple(
            tuple(
                cell_text(kind, value, today, rates) for kind, value in zip(kinds, row, strict=True)
            )
            for row in block.rows
        ),
        numeric=tuple(kind in NUMERIC for kind in kinds),
        empty=block.empty,
        more=block.more,
    )
