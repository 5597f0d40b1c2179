"""A report as CSV for a spreadsheet (`relevo report … --csv`): each block a title line,
a header and its rows, all of them, with raw values (numbers unformatted, dates ISO)."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from hub.money import Totals
from hub.reports import Report


def write_report_csv(report: Report, out: TextIO) -> int:
    """Write `report`; returns the rows written (headers and titles not counted)."""
    writer = csv.writer(out)
    rows = 0
    writer.writerow([report.title, report.period.start.isoformat(), report.period.last.isoformat()])
    for block in report.blocks:
        writer.writerow([])
        writer.writerow([block.title])
        writer.writerow([column.label for column in block.columns])
        for row in block.rows:
            writer.writerow([_raw(value) for value in row])
            rows += 1
    return rows


def _raw(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):  # SQLite gives floats, PostgreSQL decimals
        return format(round(Decimal(str(value)), 4).normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Totals):  # one amount per currency: "48000.00 EUR; 5000.00 USD"
        return "; ".join(f"{amount} {currency}" for currency, amount in value.by_currency)
    return str(value)
