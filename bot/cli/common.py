"""What the `relevo` commands share: who acts, the app of a process, option types."""

from __future__ import annotations

import argparse
import getpass
import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.bootstrap import App, bootstrap
from hub.errors import NotFound
from hub.models import Person
from hub.people import ensure_person, resolve_mention
from hub.settings import parse_port, parse_workers
from search.index import MeiliIndex

if TYPE_CHECKING:
    # What `add_subparsers` returns: each module adds its commands to it.
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]


def acting_name(given: str | None) -> str:
    """Who a command line acts as: `--as`, else RELEVO_USER, else the login name."""
    return given or os.environ.get("RELEVO_USER") or getpass.getuser()


def actor_id(app: App, given: str | None) -> int:
    """The team member acting (see `acting_name`). A name nobody has is an error with
    suggestions, not a new member: a typo must not export or import as a stranger. Only
    a hub with nobody in it yet gets its first member."""
    name = acting_name(given)
    with app.database.unit_of_work() as session:
        try:
            return int(resolve_mention(session, name).id)
        except NotFound as unknown:
            if session.scalar(select(Person.id).limit(1)) is not None:
                raise SystemExit(f"relevo: {unknown}") from None
        return int(ensure_person(session, name=name, now=app.runner.clock.now()).id)


def serving(args: argparse.Namespace) -> App:
    """The app of a long-running process (warned, or refused, on the embedded SQLite)."""
    return bootstrap(serving=args.process, require_database=args.require_database)


def search_index(app: App) -> MeiliIndex:
    if app.index is None:
        raise SystemExit("relevo: set RELEVO_MEILI_URL (and RELEVO_MEILI_KEY) to use Meilisearch.")
    return app.index


def listening(process: argparse.ArgumentParser) -> None:
    """--host, --port and --workers, with the defaults a Procfile platform sets."""
    process.add_argument("--host", default="0.0.0.0")
    process.add_argument("--port", type=port, default=os.environ.get("PORT") or "8000")
    process.add_argument(
        "--workers",
        type=workers,
        default=os.environ.get("WEB_CONCURRENCY") or "1",
        help="worker processes (default: WEB_CONCURRENCY, else 1)",
    )


def port(text: str) -> int:
    number = parse_port(text)
    if number is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (PORT or --port)")
    return number


def workers(text: str) -> int:
    number = parse_workers(text)
    if number is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of worker processes (WEB_CONCURRENCY or --workers)"
        )
    return number


def instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO date-time") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
