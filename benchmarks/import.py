"""CSV import throughput: 100k accounts and 300k contacts into a fresh PostgreSQL schema.

    python -m benchmarks.import [--accounts 100000] [--contacts 300000]

The files are generated deterministically (HubSpot-style headers), then imported with the
same code as `relevo import csv`; a second run of each file measures a re-import, which
must change nothing. Prints one JSON line per figure: seconds and rows per second.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import drop_schema, emit, fresh_schema
from hub.clock import FixedClock
from hub.db import Database
from hub.people import ensure_person, update_person
from hub.settings import Settings
from integrations.csv_import import Importer

WORDS = [
    "acme",
    "globex",
    "initech",
    "umbrella",
    "stark",
    "wayne",
    "tyrell",
    "cyberdyne",
    "soylent",
    "hooli",
    "vandelay",
    "wonka",
    "oscorp",
    "massive",
    "dynamic",
    "aperture",
    "black",
    "mesa",
    "nakatomi",
    "gringotts",
    "duff",
]
FIRST = [
    "María",
    "Luis",
    "Ana",
    "Pedro",
    "Carmen",
    "Jorge",
    "Lucía",
    "Pablo",
    "Elena",
    "Diego",
    "Sofía",
    "Javier",
]
LAST = [
    "López",
    "García",
    "Pérez",
    "Sanz",
    "Ortiz",
    "Ruiz",
    "Vidal",
    "Romero",
    "Navarro",
    "Torres",
    "Gil",
    "Moreno",
]


def write_files(folder: Path, accounts: int, contacts: int, seed: int = 7) -> tuple[Path, Path]:
    rng = random.Random(seed)
    account_path, contact_path = folder / "companies.csv", folder / "contacts.csv"
    with account_path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Record ID", "Company name", "Company Domain Name", "Lifecycle Stage"])
        for i in range(accounts):
            name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i}"
            out.writerow([10_000 + i, name, f"company{i}.example", "Customer"])
    with contact_path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "Record ID",
                "First Name",
                "Last Name",
                "Email",
                "Phone Number",
                "Job Title",
                "Associated Company IDs (Primary)",
            ]
        )
        for i in range(contacts):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            out.writerow(
                [
                    900_000 + i,
                    first,
                    f"{last} {i}",
                    f"contact{i}@company{i % accounts}.example",
                    f"+34 600 {i:06d}",
                    rng.choice(("CEO", "CTO", "Buyer", "Head of IT", "")),
                    10_000 + rng.randrange(accounts),
                ]
            )
    return account_path, contact_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=300_000)
    args = parser.parse_args(argv)
    url, schema = fresh_schema()
    database = Database(url=url)
    try:
        database.upgrade()
        clock = FixedClock(at=datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
        with database.unit_of_work() as session:
            person = ensure_person(session, name="Bench Importer", now=clock.now())
            update_person(person, role="admin")
            actor_id = person.id
        importer = Importer(
            database=database, settings=Settings(database_url=url), clock=clock, actor_id=actor_id
        )
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            paths = write_files(Path(folder), args.accounts, args.contacts)
            emit(figure="generate CSV", seconds=round(time.perf_counter() - started, 2))
            total = 0.0
            for label, kind, path, rows in (
                ("import accounts", "accounts", paths[0], args.accounts),
                ("import contacts", "contacts", paths[1], args.contacts),
                ("re-import accounts", "accounts", paths[0], args.accounts),
                ("re-import contacts", "contacts", paths[1], args.contacts),
            ):
                started = time.perf_counter()
                summary = importer.run(kind, path)
                seconds = time.perf_counter() - started
                if not label.startswith("re-"):
                    total += seconds
                emit(
                    figure=label,
                    rows=rows,
                    seconds=round(seconds, 2),
                    rows_per_s=round(rows / seconds) if seconds else None,
                    created=summary.created,
                    updated=summary.updated,
                    unchanged=summary.unchanged,
                    rejected=len(summary.rejected),
                )
            emit(
                figure="import accounts + contacts",
                rows=args.accounts + args.contacts,
                seconds=round(total, 2),
                rows_per_s=round((args.accounts + args.contacts) / total) if total else None,
                target_seconds=60,
            )
    finally:
        database.dispose()
        drop_schema(schema)


if __name__ == "__main__":
    main()
