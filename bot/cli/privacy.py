"""`relevo forget contact` and `relevo export person`: a person's data, erased or handed
over (admins only)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from bot.bootstrap import App, bootstrap
from bot.cli.common import acting_name
from hub.errors import HubError

if TYPE_CHECKING:
    from bot.cli.common import Commands
    from hub.work import Work

T = TypeVar("T")


def add_commands(commands: Commands) -> None:
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


def _forget_contact(args: argparse.Namespace) -> int:
    from hub.privacy import describe, forget_contact, gather, require_admin

    app = bootstrap()
    name = acting_name(args.person)
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
        forgotten = _as_admin(app, name, lambda work: forget_contact(work, args.email))
    except HubError as error:
        return _refused(error)
    print(f"Forgot {holdings.subject.email}.")
    print("\n".join(forgotten.lines()))
    print("Search follows through the outbox (relevo serve indexer).")
    return 0


def export_held(args: argparse.Namespace) -> int:
    """`relevo export person EMAIL [FILE]`: everything held about a person, as JSON."""
    import json

    from hub.privacy import export_person

    if not args.file:
        raise SystemExit("relevo: export person needs an e-mail address")
    app = bootstrap()
    name = acting_name(args.person)
    try:
        document = _as_admin(app, name, lambda work: export_person(work, args.file))
    except HubError as error:
        return _refused(error)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"Exported everything held about {document['email']} to {args.output}.")
    return 0


def _as_admin(app: App, name: str, act: Callable[[Work], T]) -> T:
    """`act` in one unit of work, as the admin called `name` (HubError if they are not)."""
    from hub.privacy import admin_work

    with app.database.unit_of_work() as session:
        return act(admin_work(app.runner.workplace, session, name))


def _refused(error: HubError) -> int:
    print(f"relevo: {error}", file=sys.stderr)
    return 2
