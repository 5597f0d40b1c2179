"""The period a report covers: this or last week, month, quarter or year, the last N
days or months, or the days between two dates. Days are the reader's calendar days; `end` is the
first day after the period."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

UNITS = ("week", "month", "quarter", "year")


@dataclass(frozen=True)
class Period:
    unit: str  # one of UNITS, "days", "months" or "range"
    start: date
    end: date  # exclusive

    @classmethod
    def current(cls, unit: str, today: date) -> Period:
        start = _start_of(unit, today)
        return cls(unit, start, _after(unit, start))

    @classmethod
    def previous(cls, unit: str, today: date) -> Period:
        this = _start_of(unit, today)
        start = _start_of(unit, this - timedelta(days=1))
        return cls(unit, start, this)

    @classmethod
    def last_days(cls, n: int, today: date) -> Period:
        return cls("days", today - timedelta(days=n - 1), today + timedelta(days=1))

    @classmethod
    def last_months(cls, n: int, today: date) -> Period:
        """The `n` months up to today: from the day after the same day `n` months ago."""
        month = today.month - 1 - n
        year, month = today.year + month // 12, month % 12 + 1
        same_day = date(year, month, min(today.day, monthrange(year, month)[1]))
        return cls("months", same_day + timedelta(days=1), today + timedelta(days=1))

    @classmethod
    def between(cls, first: date, last: date) -> Period:
        return cls("range", first, last + timedelta(days=1))

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def a_year_before(self) -> Period:
        """The same days one year earlier (what to compare a forecast with)."""
        return Period(self.unit, _year_before(self.start), _year_before(self.end))

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as instants: from its first day's midnight to its end's, in `tz`."""
        return _midnight(self.start, tz), _midnight(self.end, tz)


def _start_of(unit: str, day: date) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def _after(unit: str, start: date) -> date:
    if unit == "week":
        return start + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=tz)
