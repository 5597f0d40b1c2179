"""Money: the one way totals are added up and shown.

Every amount has a currency (a deal typed without one is in the hub's, RELEVO_CURRENCY;
a row saved before that rule, with no currency, reads as the hub's). `Totals` keeps one
sum per currency and never adds different currencies. It becomes one figure in the hub's
currency only with the rates managers set (`relevo rates set USD 0.92`), and then says
which rates it used; without them it shows one subtotal per currency.

Aggregate queries group by `currency_of(column, hub)` and build `Totals` from the rows,
so one statement gives every currency's sum.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, String, and_, cast, func, literal, select
from sqlalchemy.orm import Session

from hub.i18n import _, money_text, number_text, short_day_text
from hub.models import ExchangeRate

K = TypeVar("K")
CENT = Decimal("0.01")


class Totals:
    """Sums of money, one per currency."""

    __slots__ = ("_sums", "hub_currency")

    def __init__(
        self, hub_currency: str, sums: Iterable[tuple[str | None, Decimal | None]] = ()
    ) -> None:
        self.hub_currency = hub_currency
        self._sums: dict[str, Decimal] = {}
        for currency, amount in sums:
            self.add(amount, currency)

    def add(self, amount: Decimal | float | int | str | None, currency: str | None) -> None:
        """Add `amount` to its currency's sum (no currency: the hub's; no amount: nothing)."""
        if amount is None:
            return
        code = currency or self.hub_currency
        self._sums[code] = self._sums.get(code, Decimal(0)) + Decimal(str(amount))

    def __add__(self, other: Totals) -> Totals:
        return Totals(self.hub_currency, [*self.by_currency, *other.by_currency])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Totals) and self.by_currency == other.by_currency

    __hash__ = None  # type: ignore[assignment]  # sums change as rows are added

    def __repr__(self) -> str:
        sums = ", ".join(f"{c} {a}" for c, a in self.by_currency)
        return f"Totals({sums or self.hub_currency + ' 0'})"

    @property
    def by_currency(self) -> list[tuple[str, Decimal]]:
        """(currency, sum) with the hub's currency first, then by code; currencies whose
        sum is zero are left out."""
        return sorted(
            ((c, a) for c, a in self._sums.items() if a),
            key=lambda item: (item[0] != self.hub_currency, item[0]),
        )

    @property
    def currencies(self) -> set[str]:
        return {c for c, _a in self.by_currency}

    def in_hub_currency(self, rates: Rates) -> Converted | None:
        """The sum in the hub's currency and the rates it took; None when a currency in it
        has no rate."""
        total, used = Decimal(0), []
        for currency, amount in self.by_currency:
            if currency == self.hub_currency:
                total += amount
                continue
            rate = rates.get(currency)
            if rate is None:
                return None
            total += amount * rate.rate
            used.append(rate)
        return Converted(total.quantize(CENT), tuple(used))


@dataclass(frozen=True)
class Rate:
    """1 `currency` is `rate` in the hub's currency, from `valid_from`."""

    currency: str
    rate: Decimal
    valid_from: date


@dataclass(frozen=True)
class Rates:
    """The rates in force on `day`: for each currency, its latest rate on or before it."""

    day: date
    by_currency: Mapping[str, Rate]

    def get(self, currency: str) -> Rate | None:
        return self.by_currency.get(currency)


@dataclass(frozen=True)
class Converted:
    amount: Decimal
    rates: tuple[Rate, ...]  # the rates used, one per foreign currency


def rates_on(session: Session, day: date) -> Rates:
    """The rates in force on `day` (a rate from a later day is not used)."""
    latest = (
        select(ExchangeRate.currency, func.max(ExchangeRate.valid_from).label("valid_from"))
        .where(ExchangeRate.valid_from <= day)
        .group_by(ExchangeRate.currency)
        .subquery("latest")
    )
    rows = session.execute(
        select(ExchangeRate.currency, ExchangeRate.rate, ExchangeRate.valid_from).join(
            latest,
            and_(
                latest.c.currency == ExchangeRate.currency,
                latest.c.valid_from == ExchangeRate.valid_from,
            ),
        )
    ).all()
    return Rates(day, {r.currency: Rate(r.currency, Decimal(r.rate), r.valid_from) for r in rows})


def rates_for(session: Session, day: date, *totals: Totals) -> Rates:
    """The rates in force on `day`, read only if some of `totals` hold a currency other
    than the hub's (a card with its deals in one currency costs no statement more)."""
    if all(t.currencies <= {t.hub_currency} for t in totals):
        return Rates(day, {})
    return rates_on(session, day)


def totals_text(totals: Totals, rates: Rates, *, rates_named: bool = True) -> str:
    """Totals in the reader's language: one currency as it is ('€48,000'); several as one
    figure in the hub's currency naming the rates ('€1,310,000 (at USD 0.92 from 01 Dec)';
    without the note if not `rates_named`: where space is short and the rates are named
    nearby), or, when a rate is missing, one subtotal per currency ('€48,000 + $5,000')."""
    sums = totals.by_currency
    if not sums:
        return money_text(Decimal(0), totals.hub_currency)
    if len(sums) == 1:
        [(currency, amount)] = sums
        return money_text(amount, currency)
    converted = totals.in_hub_currency(rates)
    if converted is None:
        return " + ".join(money_text(amount, currency) for currency, amount in sums)
    if not rates_named:
        return money_text(converted.amount, totals.hub_currency)
    used = ", ".join(rate_text(rate, today=rates.day) for rate in converted.rates)
    return _(
        "{total} (at {rates})",
        total=money_text(converted.amount, totals.hub_currency),
        rates=used,
    )


def rate_text(rate: Rate, *, today: date) -> str:
    """'USD 0.92 from 01 Dec' ('USD 0,92 desde el 1 dic'), with the year when not this one."""
    day = short_day_text(rate.valid_from)
    if rate.valid_from.year != today.year:
        day = f"{day} {rate.valid_from.year}"
    return _(
        "{currency} {rate} from {day}",
        currency=rate.currency,
        rate=number_text(rate.rate.normalize(), places=8),
        day=day,
    )


def currency_of(column: Any, hub_currency: Any) -> ColumnElement[str]:
    """A row's currency for grouping: its own, else (saved with none) the hub's.
    `hub_currency` is the code, or a parameter of a statement built once; either is
    written into the SQL (a checked 3-letter code), so that PostgreSQL sees the grouped
    expression and the selected one as the same expression."""
    hub = (
        literal(hub_currency, String, literal_execute=True)
        if isinstance(hub_currency, str)
        else hub_currency
    )
    return func.coalesce(column, hub)


def currency_sums(amount: Any, currency: Any, hub_currency: Any, *where: Any) -> Any:
    """Every currency's sum of the rows `where` selects, as one text column
    ('EUR:48000.00;USD:5000.00'): for a statement that lists rows (a card's first deals)
    and wants the totals of all of them without a second round trip. Read it back with
    `parse_currency_sums`."""
    code = currency_of(currency, hub_currency)
    pairs = (
        select((code + ":" + cast(func.sum(amount), String)).label("pair"))
        .where(*where)
        .group_by(code)
        .subquery("per_currency")
    )
    return select(func.aggregate_strings(pairs.c.pair, ";")).scalar_subquery()


def parse_currency_sums(text: str | None, hub_currency: str) -> Totals:
    totals = Totals(hub_currency)
    for pair in filter(None, (text or "").split(";")):
        currency, _colon, amount = pair.partition(":")
        totals.add(Decimal(amount).quantize(CENT), currency)  # SQLite sums as floats
    return totals


def totals_by(rows: Iterable[tuple[K, str | None, Any]], hub_currency: str) -> dict[K, Totals]:
    """(key, currency, sum) rows of a `GROUP BY key, currency_of(...)` as Totals per key."""
    found: dict[K, Totals] = {}
    for key, currency, amount in rows:
        found.setdefault(key, Totals(hub_currency)).add(amount, currency)
    return found


def cents(value: Any) -> Decimal | None:
    """A sum as a query reads it back, to the cent (SQLite sums as floats)."""
    return None if value is None else Decimal(str(value)).quantize(CENT)
