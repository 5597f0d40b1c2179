"""The period words of `report`: `this month`, `last quarter`, `last 30 days`, `2026`,
`Q3 2026`, `last 12 months`, and in Spanish `este mes`, `el trimestre pasado`,
`últimos 30 días`, `últimos 12 meses`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from commands.verbs import bare
from hub.reports.period import Period

_UNITS = {
    "week": "week",
    "semana": "week",
    "month": "month",
    "mes": "month",
    "quarter": "quarter",
    "trimestre": "quarter",
    "year": "year",
    "ano": "year",  # año, without its accent
}
_THIS = {"this", "este", "esta", "current"}
_LAST = {"last", "previous", "pasado", "pasada", "anterior"}
_DAYS = {"days", "day", "dias", "dia"}
_MONTHS = {"months", "meses"}
_LAST_N = {"last", "ultimos", "ultimas", "past"}
_FILLERS = {"el", "la", "los", "las", "the"}


def read_period(words: Sequence[str], today: date) -> Period | None:
    """The period `words` name, seen from `today`; None when they name none."""
    said = [bare(w) for w in words if bare(w) not in _FILLERS]
    if len(said) == 2 and said[0] in _THIS and said[1] in _UNITS:
        return Period.current(_UNITS[said[1]], today)
    if len(said) == 2 and said[1] in _UNITS and said[0] in _LAST:  # last month
        return Period.previous(_UNITS[said[1]], today)
    if len(said) == 2 and said[0] in _UNITS and said[1] in _LAST:  # (el) mes pasado
        return Period.previous(_UNITS[said[0]], today)
    counted = len(said) in (2, 3) and said[-1] in _DAYS and said[-2].isdigit()
    if counted and (len(said) == 2 or said[0] in _LAST_N):  # (last) 30 days
        n = int(said[-2])
        return Period.last_days(n, today) if 0 < n <= 3660 else None
    counted = len(said) in (2, 3) and said[-1] in _MONTHS and said[-2].isdigit()
    if counted and (len(said) == 2 or said[0] in _LAST_N):  # (last) 12 months
        n = int(said[-2])
        return Period.last_months(n, today) if 0 < n <= 120 else None
    if len(said) == 1 and said[0].isdigit() and len(said[0]) == 4:
        return Period.current("year", date(int(said[0]), 1, 1))
    if 1 <= len(said) <= 2 and said[0] in ("q1", "q2", "q3", "q4"):
        year = int(said[1]) if len(said) == 2 and said[1].isdigit() else today.year
        return Period.current("quarter", date(year, 3 * int(said[0][1]) - 2, 1))
    return None
