"""`relevo run nudges|digest|notices`: one scheduler pass, now (or as if at `--at`)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.bootstrap import bootstrap
from bot.cli.common import instant

if TYPE_CHECKING:
    from bot.cli.common import Commands
    from bot.schedule.courier import Result


def add_commands(commands: Commands) -> None:
    run = commands.add_parser("run", help="one scheduler pass, now").add_subparsers(
        required=True, metavar="WHAT"
    )
    nudges = run.add_parser("nudges", help="send the daily nudges that are due")
    digest = run.add_parser("digest", help="post the pipeline digests that are due")
    digest.add_argument(
        "--channel", help="this subscribed channel's digest for the current period, now"
    )
    for one in (nudges, digest):
        one.add_argument("--at", type=instant, help="as if it were this ISO date-time")
        one.add_argument(
            "--dry-run", action="store_true", help="print what would be sent; record nothing"
        )
    nudges.set_defaults(run=_run_nudges)
    digest.set_defaults(run=_run_digest)
    notices = run.add_parser("notices", help="send colleagues' notices (handovers, cover...)")
    notices.add_argument("--at", type=instant, help="as if it were this ISO date-time")
    notices.set_defaults(run=_run_notices)


def _report(results: list[Result]) -> None:
    if not results:
        print("Nothing is due.")
    for r in results:
        print(f"{r.kind} {r.label} ({r.recipient}) {r.period}: {r.outcome}")


def _run_nudges(args: argparse.Namespace) -> int:
    from bot.schedule import build_courier

    app = bootstrap()
    at = args.at or app.runner.clock.now()
    _report(build_courier(app).nudges(at, dry_run=args.dry_run))
    return 0


def _run_digest(args: argparse.Namespace) -> int:
    from bot.schedule import build_courier

    app = bootstrap()
    at = args.at or app.runner.clock.now()
    courier = build_courier(app)
    results = courier.digests(
        at, dry_run=args.dry_run, channel=args.channel, force=args.channel is not None
    )
    if args.channel and not results:
        print(f"relevo: {args.channel} is not subscribed to digests.", file=sys.stderr)
        return 2
    _report(results)
    return 0


def _run_notices(args: argparse.Namespace) -> int:
    from bot.schedule import build_courier

    app = bootstrap()
    at = args.at or app.runner.clock.now()
    _report(build_courier(app).notices(at))
    return 0
