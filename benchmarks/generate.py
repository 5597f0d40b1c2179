"""A deterministic generator of believable hubs, for benchmarks.

    python -m benchmarks.generate --scale L --url postgresql+psycopg://...

Scales: S (1k accounts), M (10k), L (100k accounts, 300k contacts, 1M interactions, 200k
agreements, 100k complaints, 50k deals with stage history, 500 people in 5 departments,
some away with a cover). PostgreSQL is loaded with COPY; SQLite with batched inserts.
The same seed gives the same hub.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, insert

from hub.db import Database
from hub.models import (
    Absence,
    Account,
    Agreement,
    Complaint,
    Contact,
    Deal,
    DealStageChange,
    Interaction,
    Person,
)
from hub.text import fold


@dataclass(frozen=True)
class Scale:
    accounts: int
    contacts: int
    interactions: int
    agreements: int
    complaints: int
    deals: int
    people: int


SCALES = {
    "S": Scale(1_000, 3_000, 10_000, 2_000, 1_000, 500, 50),
    "M": Scale(10_000, 30_000, 100_000, 20_000, 10_000, 5_000, 200),
    "L": Scale(100_000, 300_000, 1_000_000, 200_000, 100_000, 50_000, 500),
}
DEPARTMENTS = ["Sales", "Service", "Marketing", "Finance", "Success"]
FIRST = [
    "Ana",
    "Luis",
    "María",
    "Jorge",
    "Lucía",
    "Carlos",
    "Elena",
    "Pablo",
    "Sara",
    "Diego",
    "Tom",
    "Emma",
    "Noah",
    "Olivia",
    "Liam",
    "Mia",
    "Hugo",
    "Julia",
    "Marc",
    "Nora",
]
LAST = [
    "García",
    "López",
    "Martín",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Ruiz",
    "Díaz",
    "Smith",
    "Jones",
    "Brown",
    "Taylor",
    "Wilson",
    "Moreau",
    "Rossi",
    "Müller",
    "Novak",
    "Silva",
]
ADJECTIVES = [
    "Blue",
    "Northern",
    "Bright",
    "Iron",
    "Silver",
    "Green",
    "Atlas",
    "Summit",
    "Coastal",
    "Prime",
    "Nova",
    "Golden",
    "Urban",
    "Rapid",
    "Solid",
    "Clear",
]
NOUNS = [
    "Harbor",
    "Peak",
    "Bridge",
    "Forge",
    "Field",
    "Stone",
    "River",
    "Pixel",
    "Orbit",
    "Cedar",
    "Falcon",
    "Lumen",
    "Vertex",
    "Anchor",
    "Beacon",
    "Quarry",
]
TRADES = [
    "Logistics",
    "Foods",
    "Systems",
    "Health",
    "Energy",
    "Labs",
    "Retail",
    "Media",
    "Motors",
    "Textiles",
    "Pharma",
    "Software",
    "Insurance",
    "Travel",
    "Studios",
]
ROLES = ["decision maker", "technical buyer", "economic buyer", "champion", "user", "legal"]
TOPICS = [
    "pricing",
    "renewal",
    "invoice",
    "onboarding",
    "integration",
    "discount",
    "contract",
    "outage",
    "training",
    "roadmap",
    "security review",
    "support ticket",
    "upgrade",
]
VERBS = [
    "Discussed",
    "Reviewed",
    "Agreed on",
    "Escalated",
    "Followed up on",
    "Clarified",
    "Sent details about",
    "Asked about",
    "Complained about",
    "Confirmed",
]
STAGES = ["lead", "qualified", "proposal", "negotiation", "won", "lost"]
KINDS = ["call", "email", "meeting", "chat", "web", "visit", "note"]
SEVERITIES = ["low", "medium", "high", "critical"]


def account_name(i: int) -> str:
    r = random.Random(i)
    return f"{r.choice(ADJECTIVES)} {r.choice(NOUNS)} {r.choice(TRADES)} {i}"


def sentence(r: random.Random) -> str:
    return f"{r.choice(VERBS)} the {r.choice(TOPICS)} with the {r.choice(TOPICS)} team"


def _rows(scale: Scale, seed: int, now: datetime) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    r = random.Random(seed)
    people = []
    for i in range(1, scale.people + 1):
        name = f"{r.choice(FIRST)} {r.choice(LAST)} {i}"
        people.append(
            {
                "id": i,
                "name": name,
                "name_key": fold(name),
                "handle": f"p{i}",
                "email": f"p{i}@team.example",
                "role": "manager" if i % 25 == 0 else "member",
                "department": DEPARTMENTS[i % len(DEPARTMENTS)],
                "tz": "Europe/Madrid",
                "locale": "en",
                "active": True,
                "created_at": now - timedelta(days=400),
            }
        )
    yield Person, people
    today = now.date()
    absences = [
        {
            "id": n + 1,
            "person_id": p,
            "cover_id": p % scale.people + 1,
            "starts_on": today - timedelta(days=2),
            "ends_on": today + timedelta(days=5),
            "created_at": now - timedelta(days=3),
        }
        for n, p in enumerate(range(7, scale.people + 1, 20))
    ]
    yield Absence, absences
    batch: list[dict[str, Any]] = []
    for i in range(1, scale.accounts + 1):
        name = account_name(i)
        owner = r.randint(1, scale.people)
        created = now - timedelta(days=r.randint(30, 700))
        batch.append(
            {
                "id": i,
                "name": name,
                "name_key": fold(name),
                "domain": f"{fold(name).replace(' ', '')}.example",
                "tier": r.choices("ABC", weights=(1, 3, 6))[0],
                "status": r.choice(["active", "active", "prospect", "paused"]),
                "visibility": r.choices(["public", "team", "private"], weights=(8, 1, 1))[0],
                "department": DEPARTMENTS[owner % len(DEPARTMENTS)],
                "owner_id": owner,
                "channel": None,
                "created_at": created,
                "updated_at": created,
                "last_contact_at": now - timedelta(days=r.randint(0, 120)),
                "version": 1,
            }
        )
        if len(batch) == 10_000:
            yield Account, batch
            batch = []
    yield Account, batch
    yield from _children(scale, r, now)


def _children(
    scale: Scale, r: random.Random, now: datetime
) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    def account() -> int:
        # A few big accounts and a long tail, like a real book.
        return (
            min(int(r.paretovariate(1.2)), scale.accounts)
            if r.random() < 0.05
            else r.randint(1, scale.accounts)
        )

    def chunks(model: Any, count: int, make: Any) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
        batch = []
        for i in range(1, count + 1):
            batch.append(make(i))
            if len(batch) == 10_000:
                yield model, batch
                batch = []
        yield model, batch

    def contact(i: int) -> dict[str, Any]:
        name = f"{r.choice(FIRST)} {r.choice(LAST)} {i}"
        when = now - timedelta(days=r.randint(1, 600))
        return {
            "id": i,
            "account_id": account(),
            "name": name,
            "name_key": fold(name),
            "role": r.choice(ROLES),
            "title": None,
            "email": f"c{i}@client.example",
            "phone": None,
            "created_at": when,
            "updated_at": when,
        }

    def interaction(i: int) -> dict[str, Any]:
        return {
            "id": i,
            "account_id": account(),
            "contact_id": None,
            "author_id": r.randint(1, scale.people),
            "kind": r.choice(KINDS),
            "text": sentence(r),
            "source": "import",
            "occurred_at": now - timedelta(minutes=r.randint(1, 60 * 24 * 365)),
        }

    def agreement(i: int) -> dict[str, Any]:
        return {
            "id": i,
            "account_id": account(),
            "author_id": r.randint(1, scale.people),
            "text": f"Promised to send the {r.choice(TOPICS)} proposal",
            "due_on": now.date() + timedelta(days=r.randint(-60, 90)),
            "created_at": now - timedelta(days=r.randint(1, 300)),
        }

    def complaint(i: int) -> dict[str, Any]:
        opened = now - timedelta(hours=r.randint(1, 24 * 200))
        resolved = r.random() < 0.8
        return {
            "id": i,
            "account_id": account(),
            "author_id": r.randint(1, scale.people),
            "text": f"Problem with the {r.choice(TOPICS)}",
            "severity": r.choice(SEVERITIES),
            "status": "resolved" if resolved else "open",
            "opened_at": opened,
            "sla_due_at": opened + timedelta(days=3),
            "resolved_at": opened + timedelta(days=1) if resolved else None,
            "resolved_by_id": None,
            "resolution": None,
        }

    yield from chunks(Contact, scale.contacts, contact)
    yield from chunks(Interaction, scale.interactions, interaction)
    yield from chunks(Agreement, scale.agreements, agreement)
    yield from chunks(Complaint, scale.complaints, complaint)
    deals, history = [], []
    for i in range(1, scale.deals + 1):
        created = now - timedelta(days=r.randint(5, 400))
        reached = r.randint(0, 5)
        stage = STAGES[reached]
        deals.append(
            {
                "id": i,
                "account_id": account(),
                "owner_id": r.randint(1, scale.people),
                "title": f"{r.choice(TOPICS).title()} deal {i}",
                "amount": r.randint(1, 200) * 500,
                "currency": "EUR",
                "stage": stage,
                "close_on": now.date() + timedelta(days=r.randint(-30, 120)),
                "created_at": created,
                "closed_at": created + timedelta(days=30) if stage in ("won", "lost") else None,
                "lost_reason": "price" if stage == "lost" else None,
                "version": 1,
            }
        )
        path = STAGES[: min(reached, 3) + 1] + ([stage] if reached > 3 else [])
        for step, to_stage in enumerate(path):
            history.append(
                {
                    "id": len(history) + 1,
                    "deal_id": i,
                    "from_stage": path[step - 1] if step else None,
                    "to_stage": to_stage,
                    "changed_at": created + timedelta(days=7 * step),
                    "changed_by_id": 1,
                }
            )
    yield Deal, deals
    yield DealStageChange, history


# The tables `load` fills.
LOADED = (
    "person",
    "absence",
    "account",
    "contact",
    "interaction",
    "agreement",
    "complaint",
    "deal",
    "deal_stage_change",
)


def load(
    database: Database, scale: Scale, *, seed: int = 7, now: datetime | None = None
) -> dict[str, int]:
    """Fill an empty, migrated hub; returns the row counts per table."""
    now = now or datetime.now(UTC)
    counts: dict[str, int] = {}
    with database.engine.begin() as connection:
        for model, rows in _rows(scale, seed, now):
            if not rows:
                continue
            table: Table = model.__table__
            counts[table.name] = counts.get(table.name, 0) + len(rows)
            if database.is_sqlite:
                connection.execute(insert(table), rows)
                continue
            columns = list(rows[0])
            raw = connection.connection.driver_connection
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row([_naive(row[c]) for c in columns])
        if not database.is_sqlite:
            for table in LOADED:
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
    if not database.is_sqlite:
        _settle(database)
    return counts


def _settle(database: Database) -> None:
    """VACUUM (ANALYZE) what was loaded, as a hub in steady state is: otherwise
    autovacuum's first pass over millions of fresh rows runs during the measurements
    and is timed with them. Only these tables: a bare VACUUM or ANALYZE takes every
    schema's tables in the database, and deadlocks with tests truncating theirs."""
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        # account_name is filled by triggers on account (migration 0009).
        c.exec_driver_sql(f"VACUUM (ANALYZE) {', '.join((*LOADED, 'account_name'))}")


def _naive(value: Any) -> Any:
    """COPY bypasses the UTC column type: store naive UTC like the hub does."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="S")
    parser.add_argument("--url", required=True, help="database URL (an empty hub)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    database = Database(url=args.url)
    database.upgrade()
    started = time.perf_counter()
    counts = load(database, SCALES[args.scale], seed=args.seed)
    print({"scale": args.scale, "seconds": round(time.perf_counter() - started, 1), **counts})


if __name__ == "__main__":
    main()
