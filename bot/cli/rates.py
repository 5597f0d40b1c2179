"""`relevo rates set|list|delete`: exchange rates into the hub's currency (managers and
admins set and delete them; anyone at the command line may list them)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.bootstrap import App, bootstrap
from bot.cli.common import acting_name
from hub.errors import HubError
from hub.rates import all_rates, currency_code, delete_rate, rate_setter, rate_value, set_rate

if TYPE_CHECKING:
    from bot.cli.common import Commands


def add_commands(commands: Commands) -> None:
    rates = commands.add_parser(
        "rates", help="exchange rates into the hub's currency (RELEVO_CURRENCY)"
    ).add_subparsers(required=True, metavar="ACTION")
    set_ = rates.add_parser(
        "set", help="1 CURRENCY is RATE in the hub's currency, from a day on (managers, admins)"
    )
    set_.add_argument("currency", help="an ISO code: USD, GBP…")
    set_.add_argument("rate", help="what 1 CURRENCY is worth in the hub's currency, e.g. 0.92")
    _from(set_, "the first day it holds (default: today)")
    _acting(set_)
    set_.set_defaults(run=_set)
    rates.add_parser("list", help="every rate, the latest first").set_defaults(run=_list)
    delete = rates.add_parser("delete", help="delete one rate (managers, admins)")
    delete.add_argument("currency")
    _from(delete, "the day the rate holds from", required=True)
    _acting(delete)
    delete.set_defaults(run=_delete)


def _from(parser: argparse.ArgumentParser, text: str, *, required: bool = False) -> None:
    parser.add_argument(
        "--from", dest="valid_from", type=_day, metavar="YYYY-MM-DD", help=text, required=required
    )


def _acting(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as", dest="person", metavar="NAME", help="the manager or admin (default: RELEVO_USER)"
    )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day like 2026-12-01") from None


def _today(app: App) -> date:
    """Today in the hub's time zone (RELEVO_TIMEZONE)."""
    return app.runner.clock.now().astimezone(ZoneInfo(app.settings.timezone)).date()


def _set(args: argparse.Namespace) -> int:
    app = bootstrap()
    hub_currency = app.settings.currency
    try:
        currency = currency_code(args.currency, hub_currency=hub_currency)
        rate = rate_value(args.rate)
        valid_from = args.valid_from or _today(app)
        with app.database.unit_of_work() as session:
            by = rate_setter(session, acting_name(args.person))
            before = set_rate(
                session,
                by,
                currency=currency,
                rate=rate,
                valid_from=valid_from,
                now=app.runner.clock.now(),
            )
    except HubError as error:
        return _refused(error)
    print(f"From {valid_from.isoformat()}, 1 {currency} = {rate} {hub_currency}.")
    if before is not None:
        print(f"It was {before.normalize()} {hub_currency} from that day until now.")
    return 0


def _list(_args: argparse.Namespace) -> int:
    app = bootstrap()
    hub_currency = app.settings.currency
    with app.database.unit_of_work() as session:
        rates = all_rates(session)
        if not rates:
            print(
                f"No exchange rates yet: totals in other currencies than {hub_currency} "
                "show one subtotal per currency (relevo rates set USD 0.92)."
            )
        for rate in rates:
            print(
                f"{rate.currency} {rate.rate.normalize()} {hub_currency} "
                f"from {rate.valid_from.isoformat()} (set by {rate.set_by})"
            )
    return 0


def _delete(args: argparse.Namespace) -> int:
    app = bootstrap()
    hub_currency = app.settings.currency
    try:
        currency = currency_code(args.currency, hub_currency=hub_currency)
        with app.database.unit_of_work() as session:
            by = rate_setter(session, acting_name(args.person))
            rate = delete_rate(
                session,
                by,
                currency=currency,
                valid_from=args.valid_from,
                now=app.runner.clock.now(),
            )
    except HubError as error:
        return _refused(error)
    print(
        f"Deleted the {currency} rate from {args.valid_from.isoformat()} "
        f"({rate.normalize()} {hub_currency})."
    )
    return 0


def _refused(error: HubError) -> int:
    print(f"relevo: {error}", file=sys.stderr)
    return 2
