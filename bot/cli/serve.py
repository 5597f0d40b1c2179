"""`relevo serve …`, the long-running processes, and `relevo discord sync`."""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING

from bot.bootstrap import bootstrap
from bot.cli.common import listening, search_index, serving
from bot.config import Config

if TYPE_CHECKING:
    from bot.cli.common import Commands
    from bot.discord.config import DiscordConfig


def add_commands(commands: Commands) -> Commands:
    """Add `serve` and its processes; returns them, for other modules to add theirs."""
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
    listening(slack)
    slack.set_defaults(run=_serve_slack)
    serve.add_parser("clock", help="the scheduler: nudges and digests").set_defaults(
        run=_serve_clock
    )
    serve.add_parser("discord", help="the Discord gateway bot").set_defaults(run=_serve_discord)
    web = serve.add_parser("web", help="HTTP endpoints: Slack, Discord, intakes, /healthz")
    listening(web)
    web.set_defaults(run=_serve_web)
    return serve


def add_discord(commands: Commands) -> None:
    discord = commands.add_parser("discord", help="Discord administration").add_subparsers(
        required=True, metavar="ACTION"
    )
    sync = discord.add_parser("sync", help="register the /crm command group with Discord")
    sync.add_argument("--guild", type=int, help="register in this guild only (shows at once)")
    sync.set_defaults(run=_discord_sync)


def _serve_indexer(args: argparse.Namespace) -> int:
    from search.indexer import Indexer

    app = serving(args)
    Indexer(database=app.database, index=search_index(app)).run_forever()
    return 0


def _serve_clock(args: argparse.Namespace) -> int:
    from bot.schedule import build_courier
    from bot.schedule.clock_process import ClockProcess

    app = serving(args)
    logging.getLogger("bot.schedule").setLevel(logging.INFO)
    ClockProcess(
        database=app.database,
        courier=build_courier(app),
        clock=app.runner.clock,
        interval=app.settings.schedule.clock_interval_seconds,
    ).serve_forever()
    return 0


def _discord_config(config: Config) -> DiscordConfig:
    if config.discord is None or not config.discord.bot_token:
        raise SystemExit(
            "relevo: set DISCORD_BOT_TOKEN, DISCORD_APPLICATION_ID and DISCORD_PUBLIC_KEY."
        )
    return config.discord


def _serve_discord(args: argparse.Namespace) -> int:
    from bot.discord.gateway import run

    config = Config.from_env()
    app = bootstrap(config, serving=args.process, require_database=args.require_database)
    run(app, _discord_config(config))
    return 0


def _discord_sync(args: argparse.Namespace) -> int:
    import asyncio

    from bot.discord.gateway import sync

    config = Config.from_env()
    app = bootstrap(config)
    names = asyncio.run(sync(app, _discord_config(config), args.guild))
    where = f"guild {args.guild}" if args.guild else "every guild (may take a while to show)"
    print(f"Registered /{', /'.join(names)} in {where}.")
    return 0


def _serve_web(args: argparse.Namespace) -> int:
    from bot.web import serve

    serve(serving(args), host=args.host, port=args.port, workers=args.workers)
    return 0


def _serve_slack(args: argparse.Namespace) -> int:
    config = Config.from_env()
    slack = config.slack
    if slack is None:
        raise SystemExit("relevo: set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET) to serve Slack.")
    app = bootstrap(config, serving=args.process, require_database=args.require_database)
    if not args.socket:
        from bot.web import serve

        serve(app, host=args.host, port=args.port, workers=args.workers)
        return 0
    if not slack.app_token:
        raise SystemExit("relevo: Socket Mode needs SLACK_APP_TOKEN (an xapp- token).")
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.slack.app import SlackBot

    SocketModeHandler(SlackBot(app, slack).bolt, slack.app_token).start()
    return 0
