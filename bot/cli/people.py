"""`relevo people set|list|link`: team members, their roles and their chat identities."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.bootstrap import bootstrap
from bot.config import Config
from hub.errors import HubError
from hub.people import find_member, person_acting, set_role, update_person

if TYPE_CHECKING:
    from bot.cli.common import Commands


def add_commands(commands: Commands) -> None:
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
    person.add_argument(
        "--mute",
        metavar="KINDS",
        help="notices they don't want: handover,cover,assigned,changes (or none)",
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
                muted=args.mute,
            )
            print(
                f"{person.name} (@{person.handle}): {person.role}, "
                f"{person.department or 'no department'}, {person.tz or app.settings.timezone}"
            )
    except HubError as error:
        print(f"relevo: {error}", file=sys.stderr)
        return 2
    return 0


def _served(config: Config, platform: str) -> list[str]:
    """The workspaces (Slack) or servers (Discord) the configuration serves."""
    if platform == "slack":
        return sorted(config.slack.team_ids) if config.slack else []
    return sorted(config.discord.guild_ids) if config.discord else []


def _people_link(args: argparse.Namespace) -> int:
    from hub.identities import link_identity

    platform, external_id = ("slack", args.slack) if args.slack else ("discord", args.discord)
    variable = "SLACK_TEAM_IDS" if platform == "slack" else "DISCORD_GUILD_IDS"
    config = Config.from_env()
    configured = _served(config, platform)
    workspace = args.workspace or (configured[0] if len(configured) == 1 else None)
    if workspace is None:
        raise SystemExit(f"relevo: say which workspace with --workspace ({variable} has not one).")
    if configured and workspace not in configured:
        raise SystemExit(
            f"relevo: {workspace} is not served ({variable}: {', '.join(configured)})."
        )
    app = bootstrap(config)
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
