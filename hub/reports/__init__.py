"""Reports for managers (`/crm report <what> [period] [filters]`): what the hub holds,
counted over a period, limited to what the reader may see.

A report is blocks of rows of raw values (counts, money, percentages, days, dates), each
column saying what kind of value it holds. `commands/handlers/reports.py` writes them as
tables in the reader's language; `relevo report … --csv` writes the raw values. Every
report reads through `ReportScope`: the accounts the reader may read (a channel: public
ones), narrowed by the filters typed (`owner:@ana`, `team:Sales`, `tier:A`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from hub.money import Rates
from hub.reports.period import Period
from hub.reports.scope import ReportScope
from hub.work import Work


class Kind(StrEnum):
    """How a column's values read."""

    TEXT = "text"
    COUNT = "count"
    MONEY = "money"  # a hub.money.Totals, or None
    PERCENT = "percent"  # a fraction, 0.25 is 25 %; None when there is nothing to divide
    DAYS = "days"  # a float number of days; None when nothing was measured
    HOURS = "hours"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    label: str  # in the reader's language
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Block:
    """One table of a report."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    empty: str = ""  # said when there are no rows
    more: int = 0  # rows left out (a report lists what fits a chat; --csv has them all)


@dataclass(frozen=True)
class Report:
    what: str
    title: str
    period: Period
    blocks: tuple[Block, ...]
    notes: tuple[str, ...] = ()
    account_ids: frozenset[int] = field(default_factory=frozenset)  # named ones: audited
    rates: Rates | None = None  # what MONEY totals in several currencies are converted at
    next_page: int | None = None  # a paged report's page with more rows (its More button)


Compute = Callable[[Work, ReportScope, Period], Report]
PagedCompute = Callable[[Work, ReportScope, Period, int], Report]
GroupedCompute = Callable[[Work, ReportScope, Period, str], Report]
REPORTS: dict[str, Compute] = {}
# Reports that list every row a page at a time (`page:N`), by the function taking the page.
PAGED: dict[str, PagedCompute] = {}
# Reports whose rows are one grouping of several (`by:industry`): the function taking the
# grouping, and the groupings it knows, its default first.
GROUPED: dict[str, GroupedCompute] = {}
GROUPINGS: dict[str, tuple[str, ...]] = {}
# The period a report covers when none is typed.
DEFAULT_PERIOD: dict[str, str] = {}


def report(what: str, *, default_period: str) -> Callable[[Compute], Compute]:
    """Registers a report's function under the word that asks for it."""

    def register(compute: Compute) -> Compute:
        REPORTS[what] = compute
        DEFAULT_PERIOD[what] = default_period
        return compute

    return register


def paged_report(what: str, *, default_period: str) -> Callable[[PagedCompute], PagedCompute]:
    """Registers a report that lists its rows a page at a time; without a page, the first."""

    def register(compute: PagedCompute) -> PagedCompute:
        PAGED[what] = compute
        REPORTS[what] = lambda work, scope, period: compute(work, scope, period, 1)
        DEFAULT_PERIOD[what] = default_period
        return compute

    return register


def grouped_report(
    what: str, *, default_period: str, groupings: tuple[str, ...]
) -> Callable[[GroupedCompute], GroupedCompute]:
    """Registers a report whose rows are grouped by one of `groupings` (`by:`); without
    one, by the first."""

    def register(compute: GroupedCompute) -> GroupedCompute:
        GROUPED[what] = compute
        GROUPINGS[what] = groupings
        REPORTS[what] = lambda work, scope, period: compute(work, scope, period, groupings[0])
        DEFAULT_PERIOD[what] = default_period
        return compute

    return register


def compute(
    work: Work,
    what: str,
    scope: ReportScope,
    period: Period,
    *,
    page: int = 1,
    by: str | None = None,
) -> Report:
    """Report `what` over `period`, of the accounts `scope` selects (a paged report's
    `page`, a grouped one's rows `by` one of its groupings); reads are audited."""
    if what in PAGED:
        result = PAGED[what](work, scope, period, page)
    elif what in GROUPED:
        result = GROUPED[what](work, scope, period, by or GROUPINGS[what][0])
    else:
        result = REPORTS[what](work, scope, period)
    work.audit_reads(result.account_ids, how=f"report {what}")
    return result


def load_reports() -> None:
    """Import every report module, so each registers itself."""
    from hub.reports import (  # noqa: F401
        complaints,
        forecast,
        pipeline,
        risk,
        segments,
        sellers,
        sources,
    )


load_reports()
