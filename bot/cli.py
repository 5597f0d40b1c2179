"""The `relevo` command line."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.bootstrap import App, bootstrap
from hub.errors import HubError
from hub.people import find_member, person_acting, set_role, update_person
from hub.settings import parse_port, parse_workers
from integrations import cli as integrations_cli
from search.index import MeiliIndex

if TYPE_CHECKING:
    from bot.discord.config import DiscordConfig
    from bot.schedule.notifier import Result


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

    commands.add_parser(
        "check", help="what the configuration resolves to, each connection tried"
    ).set_defaults(run=_check)
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
    slack = serve.add_parser("slack", help="the Slack app: HTTP (like web) or Socket Mode")
    slack.add_argument(
        "--socket", action="store_true", help="connect over Socket Mode (needs SLACK_APP_TOKEN)"
    )
    _listening(slack)
    slack.set_defaults(run=_serve_slack)
    serve.add_parser("clock", help="the scheduler: nudges and digests").set_defaults(
        run=_serve_clock
    )
    serve.add_parser("discord", help="the Discord gateway bot").set_defaults(run=_serve_discord)
    web = serve.add_parser("web", help="HTTP endpoints: Slack, Discord, intakes, /healthz")
    _listening(web)
    web.set_defaults(run=_serve_web)

    run = commands.add_parser("run", help="one scheduler pass, now").add_subparsers(
        required=True, metavar="WHAT"
    )
    nudges = run.add_parser("nudges", help="send the daily nudges that are due")
    digest = run.add_parser("digest", help="post the pipeline digests that are due")
    digest.add_argument(
        "--channel", help="this subscribed channel's digest for the current period, now"
    )
    for one in (nudges, digest):
        one.add_argument("--at", type=_instant, help="as if it were this ISO date-time")
        one.add_argument(
            "--dry-run", action="store_true", help="print what would be sent; record nothing"
        )
    nudges.set_defaults(run=_run_nudges)
    digest.set_defaults(run=_run_digest)

    discord = commands.add_parser("discord", help="Discord administration").add_subparsers(
        required=True, metavar="ACTION"
    )
    sync = discord.add_parser("sync", help="register the /crm command group with Discord")
    sync.add_argument("--guild", type=int, help="register in this guild only (shows at once)")
    sync.set_defaults(run=_discord_sync)

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
    person.add_argument("--nudge-at", help="local time of the daily nudge (HH:MM) or 'off'")
    person.add_argument("--days-off", help="weekdays without a nudge, e.g. sat,sun or none")
    person.add_argument(
        "--notify-via",
        choices=["slack", "discord", "last"],
        help="where their DMs go (default last: the platform they used last)",
    )
    person.add_argument(
        "--quiet", metavar="HH:MM-HH:MM", help="local hours when notices wait, or 'off'"
    )
    person.set_defaults(run=_people_set)
    people.add_parser("list", help="list team members").set_defaults(run=_people_list)
    link = people.add_parser(
        "link", help="make a Slack or Discord user a given team member (what e-mail can't match)"
    )
    link.add_argument("name", help="the team member: full name or @handle")
    user = link.add_mutually_exclusive_group(required=True)
    user.add_argument("--slack", metavar="USER_ID", help="a Slack user id, U…")
    user.add_argument("--discord", metavar="USER_ID", help="a Discord user id")
    link.add_argument(
        "--workspace",
        help="the Slack workspace (T…) or Discord server id; default: the only one configured",
    )
    link.set_defaults(run=_people_link)

    forget = commands.add_parser("forget", help="erase a person's data (admins)").add_subparsers(
        required=True, metavar="WHAT"
    )
    contact = forget.add_parser(
        "contact", help="erase a contact, their messages and mentions, by e-mail address"
    )
    contact.add_argument("email")
    contact.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    contact.add_argument(
        "--as", dest="person", metavar="NAME", help="the admin doing it (default: RELEVO_USER)"
    )
    contact.set_defaults(run=_forget_contact)
    integrations_cli.add_commands(commands, serve)
    for name, process in serve.choices.items():
        process.set_defaults(process=name)
        process.add_argument(
            "--require-database",
            action="store_true",
            help="refuse to start on the embedded SQLite (also RELEVO_REQUIRE_DATABASE=1)",
        )
    return parser


def _listening(process: argparse.ArgumentParser) -> None:
    """--host, --port and --workers, with the defaults a Procfile platform sets."""
    process.add_argument("--host", default="0.0.0.0")
    process.add_argument("--port", type=_port, default=os.environ.get("PORT") or "8000")
    process.add_argument(
        "--workers",
        type=_workers,
        default=os.environ.get("WEB_CONCURRENCY") or "1",
        help="worker processes (default: WEB_CONCURRENCY, else 1)",
    )


def _port(text: str) -> int:
    port = parse_port(text)
    if port is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (PORT or --port)")
    return port


def _workers(text: str) -> int:
    workers = parse_workers(text)
    if workers is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of worker processes (WEB_CONCURRENCY or --workers)"
        )
    return workers


def _serving(args: argparse.Namespace) -> App:
    """The app of a long-running process (warned, or refused, on the embedded SQLite)."""
    return bootstrap(serving=args.process, require_database=args.require_database)


def _console(args: argparse.Namespace) -> int:
    from bot.console import Console

    app = bootstrap()
    Console(app=app, person_name=integrations_cli.acting_name(args.person)).run()
    return 0


def _demo(args: argparse.Namespace) -> int:
    from bot.demo import load_demo

    app = bootstrap(migrate=True)
    if args.if_empty and not app.database.is_empty():
        return 0
    loaded = load_demo(app)
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


def _serve_indexer(args: argparse.Namespace) -> int:
    from search.indexer import Indexer

    app = _serving(args)
    Indexer(database=app.database, index=_search_index(app)).run_forever()
    return 0


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO date-time") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _report(results: list[Result]) -> None:
    if not results:
        print("Nothing is due.")
    for r in results:
        print(f"{r.kind} {r.label} ({r.recipient}) {r.period}: {r.outcome}")


def _run_nudges(args: argparse.Namespace) -> int:
    from bot.schedule import build_notifier

    app = bootstrap()
    at = args.at or app.runner.clock.now()
    _report(build_notifier(app).nudges(at, dry_run=args.dry_run))
    return 0


def _run_digest(args: argparse.Namespace) -> int:
    from bot.schedule import build_notifier

    app = bootstrap()
    at = args.at or app.runner.clock.now()
    notifier = build_notifier(app)
    results = notifier.digests(
        at, dry_run=args.dry_run, channel=args.channel, force=args.channel is not None
    )
    if args.channel and not results:
        print(f"relevo: {args.channel} is not subscribed to digests.", file=sys.stderr)
        return 2
    _report(results)
    return 0


def _serve_clock(args: argparse.Namespace) -> int:
    from bot.schedule import build_notifier
    from bot.schedule.clock import ClockProcess

    app = _serving(args)
    logging.getLogger("bot.schedule").setLevel(logging.INFO)
    ClockProcess(
        database=app.database,
        notifier=build_notifier(app),
        clock=app.runner.clock,
        interval=app.settings.schedule.clock_interval_seconds,
    ).serve_forever()
    return 0


def _discord_config() -> DiscordConfig:
    from bot.discord.config import DiscordConfig

    config = DiscordConfig.from_env()
    if config is None or not config.bot_token:
        raise SystemExit(
            "relevo: set DISCORD_BOT_TOKEN, DISCORD_APPLICATION_ID and DISCORD_PUBLIC_KEY."
        )
    return config


def _serve_discord(args: argparse.Namespace) -> int:
    from bot.discord.gateway import run

    run(_serving(args), _discord_config())
    return 0


def _discord_sync(args: argparse.Namespace) -> int:
    import asyncio

    from bot.discord.gateway import sync

    names = asyncio.run(sync(bootstrap(), _discord_config(), args.guild))
    where = f"guild {args.guild}" if args.guild else "every guild (may take a while to show)"
    print(f"Registered /{', /'.join(names)} in {where}.")
    return 0


def _serve_web(args: argparse.Namespace) -> int:
    from bot.web import serve

    serve(_serving(args), host=args.host, port=args.port, workers=args.workers)
    return 0


def _serve_slack(args: argparse.Namespace) -> int:
    from bot.slack.config import SlackConfig

    config = SlackConfig.from_env()
    if config is None:
        raise SystemExit("relevo: set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET) to serve Slack.")
    app = _serving(args)
    if not args.socket:
        from bot.web import serve

        serve(app, host=args.host, port=args.port, workers=args.workers)
        return 0
    if not config.app_token:
        raise SystemExit("relevo: Socket Mode needs SLACK_APP_TOKEN (an xapp- token).")
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.slack.app import SlackBot

    SocketModeHandler(SlackBot(app, config).bolt, config.app_token).start()
    return 0


def _people_set(args: argparse.Namespace) -> int:
    app = bootstrap()
    try:
        with app.database.unit_of_work() as session:
            now = app.runner.clock.now()
            person = person_acting(session, name=args.name, now=now)
            if args.role is not None:
                set_role(session, person, args.role, by="command line", now=now)
            update_person(
                person,
                department=args.department,
                tz=args.tz,
                locale=args.locale,
                email=args.email,
                nudge_at=args.nudge_at,
                days_off=args.days_off,
                notify_via=args.notify_via,
                quiet_hours=args.quiet,
            )
            print(
                f"{person.name} (@{person.handle}): {person.role}, "
                f"{person.department or 'no department'}, {person.tz or app.settings.timezone}"
            )
    except HubError as error:
        print(f"relevo: {error}", file=sys.stderr)
        return 2
    return 0


def _people_link(args: argparse.Namespace) -> int:
    from hub.identities import link_identity

    platform, external_id = ("slack", args.slack) if args.slack else ("discord", args.discord)
    variable = "SLACK_TEAM_IDS" if platform == "slack" else "DISCORD_GUILD_IDS"
    configured = [w.strip() for w in os.environ.get(variable, "").split(",") if w.strip()]
    workspace = args.workspace or (configured[0] if len(configured) == 1 else None)
    if workspace is None:
        raise SystemExit(f"relevo: say which workspace with --workspace ({variable} has not one).")
    if configured and workspace not in configured:
        raise SystemExit(
            f"relevo: {workspace} is not served ({variable}: {', '.join(configured)})."
        )
    app = bootstrap()
    with app.database.unit_of_work() as session:
        person = find_member(session, args.name)
        if person is None:
            raise SystemExit(
                f"relevo: no team member is called {args.name} (a full name or @handle)."
            )
        before = link_identity(
            session,
            person,
            platform=platform,
            workspace=workspace,
            external_id=external_id.strip(),
            now=app.runner.clock.now(),
        )
        user = f"{platform.title()} user {external_id} ({workspace})"
        print(f"{user} is {person.name} (@{person.handle}).")
        if before is not None:
            print(f"It was {before.name} (@{before.handle}) until now, who keeps what they wrote.")
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


def _forget_contact(args: argparse.Namespace) -> int:
    from hub.privacy import admin_work, describe, forget_contact, gather, require_admin

    app = bootstrap()
    name = integrations_cli.acting_name(args.person)
    try:
        with app.database.unit_of_work() as session:
            require_admin(session, name)
            holdings = gather(session, args.email)
            preview = describe(holdings) if holdings.found() else []
        if preview and not args.yes:
            print("This erases for good, from the hub and from search:")
            print("\n".join(f"  {line}" for line in preview))
            try:
                answer = input(f"Forget {holdings.subject.email}? [y/N] ")
            except EOFError:
                answer = ""
            if answer.strip().lower() not in ("y", "yes"):
                print("Nothing was changed.")
                return 1
        with app.database.unit_of_work() as session:
            work = admin_work(app.runner.workplace, session, name)
            forgotten = forget_contact(work, args.email)
    except HubError as error:
        print(f"relevo: {error}", file=sys.stderr)
        return 2
    print(f"Forgot {holdings.subject.email}.")
    print("\n".join(forgotten.lines()))
    print("Search follows through the outbox (relevo serve indexer).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
