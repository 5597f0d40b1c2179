"""The `relevo` command line."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from bot.bootstrap import App, bootstrap
from hub.errors import HubError
from hub.people import ensure_person, update_person
from hub.settings import Settings
from integrations import cli as integrations_cli
from search.index import MeiliIndex


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return int(args.run(args) or 0)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="relevo", description="Relevo, the chat-ops CRM.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    console = commands.add_parser("console", help="the /crm commands in a terminal")
    console.add_argument(
        "--as", dest="person", metavar="NAME", help="act as this team member (created if unknown)"
    )
    console.set_defaults(run=_console)

    demo = commands.add_parser("demo", help="load the demo hub (idempotent)")
    demo.add_argument("--if-empty", action="store_true", help="only when the hub has no data")
    demo.set_defaults(run=_demo)

    db = commands.add_parser("db", help="database administration").add_subparsers(
        required=True, metavar="ACTION"
    )
    db.add_parser("upgrade", help="apply migrations").set_defaults(run=_db_upgrade)

    reindex = commands.add_parser("reindex", help="rebuild the search index from the hub")
    reindex.set_defaults(run=_reindex)

    serve = commands.add_parser("serve", help="long-running processes").add_subparsers(
        required=True, metavar="PROCESS"
    )
    serve.add_parser("indexer", help="keep the search index in step with the hub").set_defaults(
        run=_serve_indexer
    )
    web = serve.add_parser("web", help="HTTP endpoints: Slack, Discord, intakes, /healthz")
    web.add_argument("--host", default="0.0.0.0")
    web.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    web.set_defaults(run=_serve_web)

    people = commands.add_parser("people", help="team members").add_subparsers(
        required=True, metavar="ACTION"
    )
    person = people.add_parser("set", help="create or update a team member")
    person.add_argument("name")
    person.add_argument("--role", choices=["member", "manager", "admin"])
    person.add_argument("--department")
    person.add_argument("--tz", help="time zone, e.g. Europe/Madrid")
    person.add_argument("--locale", choices=["en", "es"])
    person.add_argument("--email")
    person.set_defaults(run=_people_set)
    people.add_parser("list", help="list team members").set_defaults(run=_people_list)
    integrations_cli.add_commands(commands, serve)
    return parser


def _console(args: argparse.Namespace) -> int:
    from bot.console import Console

    app = bootstrap()
    name = args.person or os.environ.get("RELEVO_USER") or getpass.getuser()
    Console(app=app, person_name=name).run()
    return 0


def _demo(args: argparse.Namespace) -> int:
    from bot.demo import load_demo

    app = bootstrap(migrate=True)
    if args.if_empty and not app.database.is_empty():
        return 0
    loaded = load_demo(app)
    print("Demo hub loaded." if loaded else "The demo hub is already there.")
    return 0


def _db_upgrade(_args: argparse.Namespace) -> int:
    bootstrap(migrate=True)
    print("Database is up to date.")
    return 0


def _search_index(app: App) -> MeiliIndex:
    if app.index is None:
        raise SystemExit("relevo: set RELEVO_MEILI_URL (and RELEVO_MEILI_KEY) to use Meilisearch.")
    return app.index


def _reindex(_args: argparse.Namespace) -> int:
    from search.reindex import reindex, terminal_bar

    app = bootstrap()
    count = reindex(app.database, _search_index(app), progress=terminal_bar)
    print(f"Reindexed {count:,} records.")
    return 0


def _serve_indexer(_args: argparse.Namespace) -> int:
    from search.indexer import Indexer

    app = bootstrap()
    index = _search_index(app)
    index.ensure()
    Indexer(database=app.database, index=index).run_forever()
    return 0


def _serve_web(args: argparse.Namespace) -> int:
    from bot.web import serve

    serve(bootstrap(), host=args.host, port=args.port)
    return 0


def _people_set(args: argparse.Namespace) -> int:
    app = bootstrap()
    try:
        with app.database.unit_of_work() as session:
            person = ensure_person(session, name=args.name, now=app.runner.clock.now())
            update_person(
                person,
                role=args.role,
                department=args.department,
                tz=args.tz,
                locale=args.locale,
                email=args.email,
            )
            print(
                f"{person.name} (@{person.handle}): {person.role}, "
                f"{person.department or 'no department'}, {person.tz or Settings().timezone}"
            )
    except HubError as error:
        print(f"relevo: {error}", file=sys.stderr)
        return 2
    return 0


def _people_list(_args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from hub.models import Person

    app = bootstrap()
    with app.database.unit_of_work() as session:
        for person in session.scalars(select(Person).order_by(Person.name_key)):
            print(
                f"@{person.handle:<12} {person.name:<24} {person.role:<8} "
                f"{person.department or '-'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
