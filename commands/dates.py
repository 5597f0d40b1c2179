"""Natural dates in English and Spanish, read in the acting person's time zone (dateparser).

dateparser does the reading; this module only smooths Spanish phrasings it misses
("el lunes", "pasado mañana", "a las 9"), refuses bare numbers ("12" is an id, not a
date), and gives reminders without a time of day a sensible one (09:00).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import dateparser

MAX_DATE_WORDS = 6
DEFAULT_REMINDER_TIME = time(9, 0)

_REWRITES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bpasado\s+mañana\b", re.I), "in 2 days"),
    (re.compile(r"\b(la\s+)?semana\s+que\s+viene\b", re.I), "next week"),
    (re.compile(r"\b(el\s+)?(próxim[oa]|proxim[oa])\s+", re.I), ""),
    (re.compile(r"\b(\w+)\s+que\s+viene\b", re.I), r"\1"),
    (re.compile(r"^(el|la|este|esta|the|on|this)\s+", re.I), ""),
    (re.compile(r"\ba\s+las?\s+(\d{1,2})(:\d\d)?\b", re.I), r"\1\2:00"),
    (re.compile(r"\bat\s+(\d{1,2})(?![:\d]|\s*[ap]\.?m)\b", re.I), r"\1:00"),
    (re.compile(r"\b(\d{1,2})h\b", re.I), r"\1:00"),
    (re.compile(r"\b(\d{1,2}):(\d\d):00\b"), r"\1:\2"),
]
_TIME_OF_DAY = re.compile(
    r"\d:\d\d|\d\s*[ap]\.?m\b|\b\d{1,2}h\b|\b(a las|at)\s+\d"
    r"|\b(hours?|horas?|minutes?|minutos?|mins?)\b"
    r"|\b(noon|midday|mediod[ií]a|midnight|medianoche|tonight|esta noche|now|ahora)\b",
    re.I,
)
_NUMERIC_DATE = re.compile(
    r"^(?P<first>\d{1,2})(?P<sep>[/.-])(?P<second>\d{1,2})(?P<rest>(?P=sep)\d{2,4})?$"
)
_BARE_NUMBER = re.compile(r"^#?\d+$")


class DateReader:
    """Reads dates relative to `now`, in time zone `tz`, the way a person of `locale`
    writes them: in Spanish, 01/12 is the first of December."""

    def __init__(self, *, now: datetime, tz: ZoneInfo, locale: str = "en") -> None:
        self.now = now.astimezone(tz)
        self.tz = tz
        self.day_first = locale == "es"
        self.languages = ["es", "en"] if self.day_first else ["en", "es"]
        self.order = {"DATE_ORDER": "DMY"} if self.day_first else {}

    def moment(self, text: str) -> datetime | None:
        """An aware datetime for `text`; without a time of day, 09:00 that day."""
        parsed = self._parse(text)
        if parsed is None:
            return None
        local = parsed.astimezone(self.tz)
        if not _TIME_OF_DAY.search(text):
            local = datetime.combine(local.date(), DEFAULT_REMINDER_TIME, self.tz)
            if local <= self.now and local.date() == self.now.date():
                local = (self.now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
        return local

    def day(self, text: str) -> date | None:
        parsed = self._parse(text)
        return parsed.astimezone(self.tz).date() if parsed else None

    def longest_moment(self, words: Sequence[str]) -> tuple[int, datetime | None]:
        """The most leading words (up to 6) that read as a moment, and that moment."""
        for n in range(min(len(words), MAX_DATE_WORDS), 0, -1):
            value = self.moment(" ".join(words[:n]))
            if value is not None:
                return n, value
        return 0, None

    def longest_day(self, words: Sequence[str]) -> tuple[int, date | None]:
        for n in range(min(len(words), MAX_DATE_WORDS), 0, -1):
            value = self.day(" ".join(words[:n]))
            if value is not None:
                return n, value
        return 0, None

    def _parse(self, text: str) -> datetime | None:
        text = " ".join(text.split())
        if not text or len(text) > 60 or _BARE_NUMBER.match(text):
            return None
        if len(text) < 3 and not any(ch.isdigit() for ch in text):
            return None
        for pattern, replacement in _REWRITES:
            text = pattern.sub(replacement, text).strip()
        if not text:
            return None
        numeric = _NUMERIC_DATE.match(text)
        if numeric and self.day_first and int(numeric["second"]) > 12 >= int(numeric["first"]):
            # Written month first after all (11/30): no month 30, so no reading day first.
            text = f"{numeric['second']}{numeric['sep']}{numeric['first']}{numeric['rest'] or ''}"
        settings = {
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": self.now.replace(tzinfo=None),
            "TIMEZONE": str(self.tz),
            "RETURN_AS_TIMEZONE_AWARE": True,
            **self.order,
        }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return dateparser.parse(text, languages=self.languages, settings=settings)
            except (ValueError, OverflowError, TypeError, KeyError, AttributeError):
                return None
