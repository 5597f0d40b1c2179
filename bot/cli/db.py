"""`relevo demo`, `check`, `db upgrade` and `reindex`: the hub's stores and configuration."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.bootstrap import bootstrap
from bot.cli.common import search_index

if TYPE_CHECKING:
    from bot.cli.common import Commands


def add_commands(commands: Commands) -> None:
    demo = commands.add_parser("demo", help="load the demo hub (idempotent)")
    demo.add_argument("--if-empty", action="store_true", help="only when the hub has no data")
    demo.add_argument(
        "--locale",
        choices=["en", "es"],
        help="every demo person's locale (default: es for the Spanish-named people in Madrid)",
    )
    demo.set_defaults(run=_demo)

    commands.add_parser(
        "check", help="what the configuration resolves to, each connection tried"
    ).set_defaults(run=_check)
    db = commands.add_parser("db", help="database administration").add_subparsers(
        required=True, metavar="ACTION"
    )
    db.add_parser("upgrade", help="apply migrations").set_defaults(run=_db_upgrade)

    reindex = commands.add_parser("reindex", help="rebuild the search index from the hub")
    reindex.set_defaults(run=_reindex)


def _demo(args: argparse.Namespace) -> int:
    from bot.demo import load_demo

    app = bootstrap(migrate=True)
    if args.if_empty and not app.database.is_empty():
        return 0
    loaded = load_demo(app, locale=args.locale)
    print("Demo hub loaded." if loaded else "The demo hub is already there.")
    return 0


def _check(_args: argparse.Namespace) -> int:
    from bot.check import check

    lines = check()
    for line in lines:
        print(line)
    problems = sum(1 for line in lines if line.problem)
    if problems:
        print(f"relevo check: {problems} problem(s) to mend before serving.", file=sys.stderr)
    return 1 if problems else 0


def _db_upgrade(_args: argparse.Namespace) -> int:
    bootstrap(migrate=True)
    print("Database is up to date.")
    return 0


def _reindex(_args: argparse.Namespace) -> int:
    from hub.progress import terminal_bar
    from search.reindex import reindex

    app = bootstrap()
    count = reindex(app.database, search_index(app), progress=terminal_bar)
    print(f"Reindexed {count:,} records.")
    return 0
