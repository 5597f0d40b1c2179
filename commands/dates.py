"""Natural dates in English and Spanish, read in the acting person's time zone (dateparser).

dateparser does the reading; this module only smooths Spanish phrasings it misses
("el lunes", "pasado mañana", "a las 9"), reads times of day the way they are written in
Spain and elsewhere (10.30, 10,30, 15h30, 15:30h, a las 10 y media, menos cuarto, esta
tarde, a mediodía), reads durations (1h, 30m, 2 días, una semana), refuses bare numbers
("12" is an id, not a date), and gives reminders without a time of day a sensible one
(09:00).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import dateparser

MAX_DATE_WORDS = 8  # mañana a las 5 de la tarde
DEFAULT_REMINDER_TIME = time(9, 0)

_QUARTERS = {"media": 30, "cuarto": 15}
_PARTS_OF_DAY = {
    "mañana": 9,
    "manana": 9,
    "madrugada": 5,
    "morning": 9,
    "mediodía": 12,
    "mediodia": 12,
    "noon": 12,
    "midday": 12,
    "tarde": 16,
    "afternoon": 16,
    "noche": 20,
    "evening": 20,
    "night": 20,
}
_CLOCK = r"(?P<h>[01]?\d|2[0-3])"
_NOT_IN_NUMBER_BEFORE, _NOT_IN_NUMBER_AFTER = r"(?<![\d.,/:-])", r"(?![\d.,/:-])"
_MORNING = r"mañana|manana|madrugada|morning"
_LATER = r"tarde|noche|afternoon|evening"
# Times of day as people write them, each rewritten to H:MM for dateparser.
_TIME_REWRITES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    # (a) las 10 y media, 10 y cuarto, a las 5 menos cuarto
    (
        re.compile(
            rf"\b(?:a\s+)?(?:las?\s+)?{_CLOCK}(?::00)?\s+(?P<op>y|menos)\s+(?P<m>media|cuarto)\b",
            re.I,
        ),
        lambda m: _quarter(m),
    ),
    # a las 10 y 20, a las 6 menos 10
    (
        re.compile(rf"\b(?:a\s+)?las?\s+{_CLOCK}\s+(?P<op>y|menos)\s+(?P<m>\d\d?)\b", re.I),
        lambda m: _quarter(m),
    ),
    # 15h30, 15:30h, 10,30, 10.30h, and 10.30 when it cannot be a day and a month
    (
        re.compile(
            rf"{_NOT_IN_NUMBER_BEFORE}{_CLOCK}(?P<sep>[h:,.])(?P<m>[0-5]\d)(?P<hh>h?)"
            rf"{_NOT_IN_NUMBER_AFTER}",
            re.I,
        ),
        lambda m: _clock(m),
    ),
    # a las 5 de la tarde, 9 de la mañana, 11 de la noche, 5 in the afternoon
    (
        re.compile(
            rf"\b{_CLOCK}(?::(?P<m>\d\d))?\s+(?:de\s+la|por\s+la|in\s+the)\s+"
            rf"(?P<part>{_MORNING}|{_LATER})\b",
            re.I,
        ),
        lambda m: _part_clock(m),
    ),
    # esta tarde, this afternoon, esta mañana, this evening
    (
        re.compile(rf"\b(?:esta|this)\s+(?P<part>{_MORNING}|{_LATER})\b", re.I),
        lambda m: f"today {_PARTS_OF_DAY[m['part'].lower()]}:00",
    ),
    # mañana por la tarde, el lunes por la mañana, tomorrow morning, friday afternoon
    (
        re.compile(
            rf"(?:\b(?:por|de|en)\s+la\s+(?P<part>{_MORNING}|{_LATER})"
            r"|(?:\bin\s+the\s+)?\b(?P<en>morning|afternoon|evening))\b",
            re.I,
        ),
        lambda m: f"{_PARTS_OF_DAY[(m['part'] or m['en']).lower()]}:00",
    ),
    # a mediodía, al mediodía, noon, midday
    (
        re.compile(r"\b(?:(?:a|al|at|en\s+el)\s+)?(?:el\s+)?(?:mediod[ií]a|noon|midday)\b", re.I),
        lambda m: "12:00",
    ),
    (re.compile(r"\ben\s+punto\b", re.I), lambda m: ""),
    (re.compile(r"\banoche\b", re.I), lambda m: "ayer 21:00"),
    (re.compile(r"\blast\s+night\b", re.I), lambda m: "yesterday 21:00"),
]
_DURATION_UNITS = {
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "minuto": 60,
    "minutos": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "hora": 3600,
    "horas": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "día": 86400,
    "días": 86400,
    "dia": 86400,
    "dias": 86400,
    "w": 604800,
    "week": 604800,
    "weeks": 604800,
    "semana": 604800,
    "semanas": 604800,
}
_ONE = {"a": 1, "an": 1, "one": 1, "un": 1, "una": 1, "uno": 1, "media": 0.5, "half": 0.5}
_DURATION_PART = re.compile(
    r"(?P<n>\d+(?:[.,]\d+)?|an?|one|una?|uno|media|half(?:\s+an?)?)\s*"
    r"(?P<unit>[a-zí]+)(?P<mm>(?<=h)[0-5]\d)?\s*(?:y|and|,)?\s*",
    re.I,
)
_DURATION_LEAD = re.compile(r"^(?:in|en|dentro\s+de|within)\s+", re.I)


def _quarter(m: re.Match[str]) -> str:
    hour, word = int(m["h"]), m["m"].lower()
    minutes = _QUARTERS[word] if word in _QUARTERS else int(word)
    if minutes > 59:
        return m[0]
    if m["op"].lower() == "menos":
        hour, minutes = (hour - 1) % 24, (60 - minutes) % 60
    return f"{hour}:{minutes:02d}"


def _clock(m: re.Match[str]) -> str:
    if m["sep"] == "." and not m["hh"] and 0 < int(m["m"]) <= 12:
        return m[0]  # 1.12 is the first of December, written day first
    return f"{int(m['h'])}:{m['m']}"


def _part_clock(m: re.Match[str]) -> str:
    hour, part = int(m["h"]), m["part"].lower()
    if part in _LATER.split("|") and hour < 12:
        hour += 12
    return f"{hour}:{m['m'] or '00'}"


def read_times(text: str) -> str:
    """`text` with the times of day people write (10.30, 15h30, a las 10 y media, esta
    tarde) rewritten as H:MM, which dateparser reads."""
    for pattern, replace in _TIME_REWRITES:
        text = pattern.sub(replace, text)
    return " ".join(text.split())


def read_duration(text: str) -> timedelta | None:
    """A length of time as people write it: 1h, 1h30, 30m, 90 min, 2 días, una semana,
    2 days, 1 week, media hora, in 2 hours. None if `text` is anything else."""
    text = _DURATION_LEAD.sub("", " ".join(text.split()).lower())
    if not text:
        return None
    seconds, at = 0.0, 0
    while at < len(text):
        part = _DURATION_PART.match(text, at)
        if part is None or part.end() == at:
            return None
        unit = _DURATION_UNITS.get(part["unit"])
        if unit is None:
            return None
        count = part["n"].split()[0]
        number = _ONE.get(count) or float(count.replace(",", "."))
        seconds += number * unit + int(part["mm"] or 0) * 60
        at = part.end()
    if not 0 < seconds <= 366 * 86400:
        return None
    return timedelta(seconds=round(seconds))


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
_WEEKDAYS = (
    r"lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
_ONLY_A_TIME = re.compile(r"^(?:(?:a\s+)?las?|at)?\s*\d{1,2}(?::\d\d)?\s*(?:[ap]\.?m\.?|h)?$", re.I)
# The first word of a phrase that says when something happened.
_PAST_START = re.compile(
    rf"^(?:ayer|anteayer|antier|anoche|hoy|yesterday|today|last|el|la|este|esta|this|on"
    rf"|hace|a|at|{_WEEKDAYS}|\d{{1,2}}(?:[:.,h]\d\d)?h?|\d{{4}}-\d\d-\d\d"
    rf"|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?|\d{{1,2}}[ap]\.?m\.?)[,.;:]?$",
    re.I,
)


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
        """An aware datetime for `text`; without a time of day, 09:00 that day.
        "in 2h", "en 30 min", "dentro de una hora" are counted from now."""
        if _DURATION_LEAD.match(text.strip()):
            length = read_duration(text)
            if length is not None and length < timedelta(days=1):
                return self.now + length
        parsed = self._parse(text)
        if parsed is None:
            return None
        local = parsed.astimezone(self.tz)
        if _ONLY_A_TIME.match(read_times(text)):
            # A time of day alone is the next one to come: today's if it is still ahead.
            local = datetime.combine(self.now.date(), local.time(), self.tz)
            if local <= self.now:
                local = datetime.combine(self.now.date() + timedelta(days=1), local.time(), self.tz)
        elif not _TIME_OF_DAY.search(read_times(text)):
            local = datetime.combine(local.date(), DEFAULT_REMINDER_TIME, self.tz)
            if local <= self.now and local.date() == self.now.date():
                local = (self.now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
        return local

    def past_moment(self, text: str) -> datetime | None:
        """When something happened: `text` read towards the past (el lunes is the last
        Monday), never later than now. Without a time of day, noon that day (or now, if
        that is today and noon is still to come). None if it reads as a future moment."""
        parsed = self._parse(text, prefer="past")
        if parsed is None:
            return None
        local = parsed.astimezone(self.tz)
        timed = read_times(text)
        if not _TIME_OF_DAY.search(timed):
            if local.date() > self.now.date():
                return None  # a day still to come ("next week", "mañana")
            local = min(datetime.combine(local.date(), time(12, 0), self.tz), self.now)
        elif _ONLY_A_TIME.match(timed) and local.date() != self.now.date():
            return None  # "at 16:00" at ten in the morning is not yesterday's
        return local if local <= self.now else None

    def longest_past(self, words: Sequence[str]) -> tuple[int, datetime | None]:
        """The most leading words (up to 8) that say when something happened, and when:
        only words that start like a date or a time of day are tried (ayer, el lunes,
        yesterday 16:00, 20/11, hace 2 días), so "May we..." or "March numbers" stay text."""
        if not words or not _PAST_START.match(words[0]):
            return 0, None
        for n in range(min(len(words), MAX_DATE_WORDS), 0, -1):
            value = self.past_moment(" ".join(words[:n]))
            if value is not None:
                return n, value
        return 0, None

    def day(self, text: str) -> date | None:
        parsed = self._parse(text)
        return parsed.astimezone(self.tz).date() if parsed else None

    def longest_moment(self, words: Sequence[str]) -> tuple[int, datetime | None]:
        """The most leading words (up to 8) that read as a moment, and that moment."""
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

    def _parse(self, text: str, prefer: str = "future") -> datetime | None:
        text = read_times(text)
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
            "PREFER_DATES_FROM": prefer,
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
