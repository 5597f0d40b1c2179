"""`relevo import`, `export`, `report` and `webhooks`, and `relevo serve webhooks`:
records in and out of the hub."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.bootstrap import bootstrap
from bot.cli.common import actor_id
from bot.cli.privacy import export_held
from integrations.columns import KINDS, FileRefused

if TYPE_CHECKING:
    from bot.cli.common import Commands

PERSON = "person"


def add_commands(commands: Commands, serve: Commands) -> None:
    """Add `import`, `export` and `webhooks` to `relevo`, and `serve webhooks`."""
    imports = commands.add_parser("import", help="bring records in").add_subparsers(
        required=True, metavar="FORMAT"
    )
    csv_cmd = imports.add_parser("csv", help="accounts, contacts, deals... from CSV")
    csv_cmd.add_argument("kind", choices=KINDS)
    csv_cmd.add_argument("file", type=Path)
    csv_cmd.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="read COLUMN as FIELD (empty FIELD: ignore the column)",
    )
    csv_cmd.add_argument("--dry-run", action="store_true", help="check and count, save nothing")
    csv_cmd.add_argument("--as", dest="person", metavar="NAME", help="import as this person")
    csv_cmd.set_defaults(run=_import_csv)

    eml = imports.add_parser("eml", help="log .eml e-mail files on their senders' accounts")
    eml.add_argument("files", nargs="+", type=Path)
    eml.set_defaults(run=_import_eml)

    export = commands.add_parser(
        "export",
        help="records you can see, as CSV or JSON lines; or everything about a person (admins)",
    )
    export.add_argument("kind", choices=[*KINDS, PERSON])
    export.add_argument(
        "file", nargs="?", help="default: standard output (export person: the e-mail address)"
    )
    export.add_argument("output", nargs="?", type=Path, help="export person only: the JSON file")
    export.add_argument("--format", dest="fmt", choices=["csv", "jsonl"], default=None)
    export.add_argument(
        "--locale",
        choices=["en", "es"],
        default="en",
        help="es: a CSV for Spanish Excel (Spanish headers, ';', decimal commas, UTF-8 BOM)",
    )
    export.add_argument("--as", dest="person", metavar="NAME", help="export as this person")
    export.set_defaults(run=_export)

    report = commands.add_parser(
        "report", help="a report for managers, as /crm report shows it, or as CSV"
    )
    report.add_argument("what", help="complaints, ...: the reports /crm report knows")
    report.add_argument(
        "words", nargs="*", help="the period and filters, as in chat: last month team:Sales"
    )
    report.add_argument("--csv", metavar="FILE", help="write every row as CSV (- for stdout)")
    report.add_argument("--as", dest="person", metavar="NAME", help="report as this person")
    report.set_defaults(run=_report)

    hooks = commands.add_parser("webhooks", help="outbound webhooks").add_subparsers(
        required=True, metavar="ACTION"
    )
    add = hooks.add_parser("add", help="subscribe URL to an event (prints its signing secret)")
    add.add_argument("event")
    add.add_argument("url")
    add.set_defaults(run=_webhooks_add)
    hooks.add_parser("list", help="subscriptions and their last deliveries").set_defaults(
        run=_webhooks_list
    )
    remove = hooks.add_parser("remove", help="remove a subscription by id")
    remove.add_argument("id", type=int)
    remove.set_defaults(run=_webhooks_remove)

    worker = serve.add_parser("webhooks", help="deliver webhook events, with retries")
    worker.add_argument("--once", action="store_true", help="deliver what is due, then stop")
    worker.set_defaults(run=_serve_webhooks)


def _import_csv(args: argparse.Namespace) -> int:
    from hub.progress import terminal_bar
    from integrations.csv_import import Importer

    app = bootstrap()
    mapping = {}
    for item in args.map:
        column, sep, field = item.partition("=")
        if not sep:
            raise SystemExit(f"relevo: --map {item}: write COLUMN=FIELD")
        mapping[column] = field.strip()
    if not args.file.is_file():
        raise SystemExit(f"relevo: {args.file}: no such file")
    importer = Importer(
        database=app.database,
        settings=app.settings,
        clock=app.runner.clock,
        actor_id=actor_id(app, args.person),
    )
    try:
        summary = importer.run(
            args.kind, args.file, mapping=mapping, dry_run=args.dry_run, progress=terminal_bar
        )
    except FileRefused as refused:
        raise SystemExit(f"relevo: {refused}") from None
    print("\n".join(summary.lines()))
    return 1 if summary.rejected else 0


def _import_eml(args: argparse.Namespace) -> int:
    from integrations.intake import EmailIntake, parse_eml

    app = bootstrap()
    intake = EmailIntake(database=app.database, settings=app.settings, clock=app.runner.clock)
    failed = 0
    for path in args.files:
        try:
            outcome = intake.receive(parse_eml(path.read_bytes()), channel="eml")
        except (OSError, ValueError) as error:
            print(f"{path}: {error}", file=sys.stderr)
            failed += 1
            continue
        print(f"{path}: {outcome.describe()}")
    return 1 if failed else 0


def _export(args: argparse.Namespace) -> int:
    from integrations.csv_export import export_to

    if args.kind == PERSON:
        return export_held(args)
    if args.output is not None:
        raise SystemExit(f"relevo: export {args.kind} takes one FILE")
    path = Path(args.file) if args.file else None
    app = bootstrap()
    fmt = args.fmt or ("jsonl" if path and path.suffix == ".jsonl" else "csv")
    count = export_to(
        app.database,
        app.settings,
        app.runner.clock,
        actor_id=actor_id(app, args.person),
        kind=args.kind,
        path=path,
        fmt=fmt,
        locale=args.locale,
    )
    if path is not None:
        print(f"Exported {count:,} {args.kind} to {path}.")
    return 0


def _report(args: argparse.Namespace) -> int:
    from bot.render_text import render
    from commands.handlers.reports import build_report
    from commands.types import ShowReport, Usage
    from hub import i18n
    from hub.reports import PAGED
    from integrations.report_csv import write_report_csv

    app = bootstrap()
    person = actor_id(app, args.person)
    line = " ".join(["report", args.what, *args.words])
    if args.csv is None:
        reply = app.runner.run(line, person_id=person, source="cli")
        print(render(reply))
        return 0 if reply.ok else 1
    with app.runner.workplace.open(person, source="cli") as work, i18n.reading_in(work.locale):
        try:
            command = app.runner.read(line, work)
        except Usage as usage:
            raise SystemExit(f"relevo: {usage.message}") from None
        assert isinstance(command, ShowReport)
        if command.what in PAGED:
            command = replace(command, page=0)  # every row, not a chat's page
        report = build_report(work, command)
        if args.csv == "-":
            write_report_csv(report, sys.stdout)
        else:
            with Path(args.csv).open("w", encoding="utf-8", newline="") as out:
                rows = write_report_csv(report, out)
            print(f"Wrote {rows:,} rows of the {args.what} report to {args.csv}.")
    return 0


def _webhooks_add(args: argparse.Namespace) -> int:
    from integrations.webhooks import subscribe

    app = bootstrap()
    try:
        sub = subscribe(app.database, event=args.event, url=args.url, now=app.runner.clock.now())
    except ValueError as error:
        raise SystemExit(f"relevo: {error}") from None
    print(f"Webhook #{sub.id}: {sub.event} → {sub.url}")
    print(f"Signing secret (keep it; verify X-Relevo-Signature with it): {sub.secret}")
    return 0


def _webhooks_list(_args: argparse.Namespace) -> int:
    from integrations.webhooks import describe_subscriptions

    app = bootstrap()
    lines = describe_subscriptions(app.database)
    print("\n".join(lines) if lines else "No webhooks yet: relevo webhooks add EVENT URL")
    return 0


def _webhooks_remove(args: argparse.Namespace) -> int:
    from integrations.webhooks import unsubscribe

    app = bootstrap()
    if not unsubscribe(app.database, args.id):
        raise SystemExit(f"relevo: there is no webhook #{args.id}")
    print(f"Webhook #{args.id} removed.")
    return 0


def _serve_webhooks(args: argparse.Namespace) -> int:
    from integrations.webhooks import Dispatcher

    app = bootstrap(serving="webhooks", require_database=args.require_database)
    dispatcher = Dispatcher(database=app.database, clock=app.runner.clock)
    if args.once:
        dispatcher.run_once()
    else:
        dispatcher.run_forever()
    return 0
