"""Exchange rates into the hub's currency, set by managers and admins (`relevo rates`).

A rate holds from its day until the currency's next rate; totals use the rates in force on
the day they describe (`hub.money.rates_on`). Setting a rate again for the same day
replaces it. The command line is where rates are set, by a named manager or admin (the
login name or RELEVO_USER, or `--as`), and each change is audited.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.errors import Invalid, NotAllowed, NotFound
from hub.models import AuditEvent, ExchangeRate, Person, Role
from hub.people import find_member
from hub.settings import parse_currency

RATE_SETTERS = (Role.MANAGER, Role.ADMIN)


def rate_setter(session: Session, name: str) -> Person:
    """The manager or admin called `name`; anyone else is refused."""
    person = find_member(session, name)
    if person is None or person.role not in RATE_SETTERS or not person.active:
        raise NotAllowed(
            f"Only a manager or an admin can change exchange rates, and {name} is not one "
            "(relevo people set NAME --role manager)."
        )
    return person


def currency_code(text: str, *, hub_currency: str) -> str:
    """A foreign currency's ISO code ('usd' → 'USD'); the hub's own needs no rate."""
    code = parse_currency(text)
    if code is None:
        raise Invalid(f"{text!r} is not a currency code like USD or GBP.")
    if code == hub_currency:
        raise Invalid(f"{code} is the hub's currency (RELEVO_CURRENCY): it needs no rate.")
    return code


def rate_value(text: str) -> Decimal:
    """'0.92' (or '0,92') as a positive rate with at most 8 decimals."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal(0)
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("1e-8")):
        raise Invalid(f"{text!r} is not a rate like 0.92 (a positive number, 8 decimals at most).")
    if value >= Decimal("1e10"):
        raise Invalid(f"{text!r} is too large a rate.")
    return value


def set_rate(
    session: Session,
    by: Person,
    *,
    currency: str,
    rate: Decimal,
    valid_from: date,
    now: datetime,
) -> Decimal | None:
    """From `valid_from`, 1 `currency` is `rate` in the hub's currency; returns the rate it
    replaced on that day, if there was one."""
    known = session.scalar(
        select(ExchangeRate).where(
            ExchangeRate.currency == currency, ExchangeRate.valid_from == valid_from
        )
    )
    before = known.rate if known else None
    if known is None:
        session.add(
            ExchangeRate(
                currency=currency, valid_from=valid_from, rate=rate, set_by=by.name, set_at=now
            )
        )
    else:
        known.rate, known.set_by, known.set_at = rate, by.name, now
    _audit(session, by, "rate.set", now, currency, valid_from, rate=str(rate))
    session.flush()
    return before


def delete_rate(
    session: Session, by: Person, *, currency: str, valid_from: date, now: datetime
) -> Decimal:
    """Delete the rate `currency` took from `valid_from`; returns it."""
    known = session.scalar(
        select(ExchangeRate).where(
            ExchangeRate.currency == currency, ExchangeRate.valid_from == valid_from
        )
    )
    if known is None:
        raise NotFound(f"There is no {currency} rate from {valid_from.isoformat()}.")
    rate = known.rate
    session.delete(known)
    _audit(session, by, "rate.delete", now, currency, valid_from, rate=str(rate))
    session.flush()
    return Decimal(rate)


def all_rates(session: Session) -> list[ExchangeRate]:
    """Every rate, by currency, the latest first."""
    return list(
        session.scalars(
            select(ExchangeRate).order_by(ExchangeRate.currency, ExchangeRate.valid_from.desc())
        )
    )


def _audit(
    session: Session,
    by: Person,
    action: str,
    now: datetime,
    currency: str,
    valid_from: date,
    **detail: str,
) -> None:
    session.add(
        AuditEvent(
            at=now,
            actor_id=by.id,
            action=action,
            entity="exchange_rate",
            entity_id=None,
            detail={"currency": currency, "from": valid_from.isoformat(), **detail},
        )
    )
