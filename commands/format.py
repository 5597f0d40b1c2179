"""How dates, money, ages and people read in replies, in the reader's language."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hub.i18n import _, day_text, money_text, ngettext


def day(value: date, today: date) -> str:
    """'today', 'tomorrow', 'Fri 28 Nov' (with the year when it is not this year)."""
    delta = (value - today).days
    if delta == 0:
        return _("today")
    if delta == 1:
        return _("tomorrow")
    if delta == -1:
        return _("yesterday")
    return day_text(value, year=value.year != today.year)


def moment(value: datetime, tz: ZoneInfo, now: datetime) -> str:
    local = value.astimezone(tz)
    return f"{day(local.date(), now.astimezone(tz).date())} {local:%H:%M}"


def money(amount: Decimal | None, currency: str | None) -> str:
    if amount is None:
        return _("no amount")
    return money_text(amount, currency)


def age(since: datetime, now: datetime) -> str:
    """How long ago, in the largest whole unit: '5 min', '3 h', '2 days'."""
    delta = now - since
    if delta < timedelta(hours=1):
        return _("{n} min", n=max(int(delta.total_seconds() // 60), 0))
    if delta < timedelta(days=1):
        return _("{n} h", n=int(delta.total_seconds() // 3600))
    return ngettext("{n} day", "{n} days", delta.days)


def quoted(name: str) -> str:
    """A name as the parser reads it back: quoted when it has spaces."""
    return f'"{name}"' if " " in name or not name else name


def option_value(value: str) -> str:
    """An option's value as one word: quoted when it has spaces (`owner:@"Marta Ruiz"`)."""
    if " " not in value:
        return value
    at = "@" if value.startswith("@") else ""
    return f'{at}"{value.removeprefix("@")}"'
