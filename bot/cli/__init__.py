"""The `relevo` command line: the parser is assembled here, each group of commands lives
in a module of its own (db, serve, run, people, privacy, rates, data)."""

from __future__ import annotations

import argparse
import sys

from bot.cli import data, db, people, privacy, rates, run, serve
from bot.cli.common import acting_name


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args) or 0)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="relevo", description="Relevo, the chat-ops CRM.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    console = commands.add_parser("console", help="the /crm commands in a terminal")
    console.add_argument(
        "--as", dest="person", metavar="NAME", help="act as this team member (created if unknown)"
    )
    console.set_defaults(run=_console)
    db.add_commands(commands)
    processes = serve.add_commands(commands)
    run.add_commands(commands)
    serve.add_discord(commands)
    people.add_commands(commands)
    privacy.add_commands(commands)
    rates.add_commands(commands)
    data.add_commands(commands, processes)
    for name, process in processes.choices.items():
        process.set_defaults(process=name)
        process.add_argument(
            "--require-database",
            action="store_true",
            help="refuse to start on the embedded SQLite (also RELEVO_REQUIRE_DATABASE=1)",
        )
    return parser


def _console(args: argparse.Namespace) -> int:
    from bot.bootstrap import bootstrap
    from bot.console import Console

    app = bootstrap()
    Console(app=app, person_name=acting_name(args.person)).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
