"""How dates, money, ages and people read in replies."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

_SYMBOL = {"EUR": "€", "USD": "$", "GBP": "£"}


def day(value: date, today: date) -> str:
    """'today', 'tomorrow', 'Fri 28 Nov' (with the year when it is not this year)."""
    delta = (value - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"{value:%a %d %b}" if value.year == today.year else f"{value:%a %d %b %Y}"


def moment(value: datetime, tz: ZoneInfo, now: datetime) -> str:
    local = value.astimezone(tz)
    return f"{day(local.date(), now.astimezone(tz).date())} {local:%H:%M}"


def money(amount: Decimal | None, currency: str | None) -> str:
    if amount is None:
        return "no amount"
    whole = amount == amount.to_integral_value()
    number = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    if currency in _SYMBOL:
        return f"{_SYMBOL[currency]}{number}"
    return f"{number} {currency}" if currency else number


def age(since: datetime, now: datetime) -> str:
    delta = now - since
    if delta < timedelta(hours=1):
        return f"{max(int(delta.total_seconds() // 60), 0)} min"
    if delta < timedelta(days=1):
        return f"{int(delta.total_seconds() // 3600)} h"
    days = delta.days
    return f"{days} day{'s' * (days != 1)}"


def quoted(name: str) -> str:
    """A name as the parser reads it back: quoted when it has spaces."""
    return f'"{name}"' if " " in name or not name else name
