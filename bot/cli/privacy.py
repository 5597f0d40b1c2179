"""`relevo forget contact` and `relevo export person`: a person's data, erased or handed
over (admins only)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.bootstrap import bootstrap
from bot.cli.common import acting_name
from hub.errors import HubError

if TYPE_CHECKING:
    from bot.cli.common import Commands


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
    from hub.privacy import admin_work, describe, forget_contact, gather, require_admin

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


def export_person(args: argparse.Namespace) -> int:
    """`relevo export person EMAIL [FILE]`: everything held about a person, as JSON."""
    import json

    from hub.privacy import admin_work, export_person

    if not args.file:
        raise SystemExit("relevo: export person needs an e-mail address")
    app = bootstrap()
    name = acting_name(args.person)
    try:
        with app.database.unit_of_work() as session:
            work = admin_work(app.runner.workplace, session, name)
            document = export_person(work, args.file)
    except HubError as error:
        print(f"relevo: {error}", file=sys.stderr)
        return 2
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"Exported everything held about {document['email']} to {args.output}.")
    return 0
