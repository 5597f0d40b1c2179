"""Hot paths of the hub, in-process, on a generated hub in PostgreSQL.

    python -m benchmarks.hub --scale S            # a smoke run
    python -m benchmarks.hub --scale S,L          # both, side by side, with the L/S ratio

For each command it prints one JSON line: latency p50/p95/p99 through our code (parse,
hub, render), the SQL statements per call, and at the end the process's peak RSS.

whois and find go through Meilisearch as in production (RELEVO_MEILI_URL, or a local
server the benchmark starts); `--search database` measures the database fallback instead.
The hub is loaded and indexed by a child process, so the peak RSS printed is that of a
process serving commands, not of the bulk loader.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, func, select

from benchmarks import meili
from benchmarks.autovacuum import AutovacuumStandIn
from benchmarks.common import drop_schema, emit, fresh_schema, percentiles
from benchmarks.generate import SCALES, account_name, load
from bot.bootstrap import bootstrap
from bot.config import Config
from bot.render_text import render
from commands.runner import CommandRunner
from hub.clock import SystemClock
from hub.db import Database
from hub.models import Account, Person
from hub.people import ensure_person
from hub.settings import Settings
from search.index import MeiliIndex
from search.reindex import reindex


class Probe:
    """Runs lines through the command runner, timing them and counting their statements."""

    def __init__(self, runner: CommandRunner) -> None:
        self.runner = runner
        self.statements = 0
        event.listen(runner.database.engine, "before_cursor_execute", self._count)

    def _count(self, *_args: Any) -> None:
        self.statements += 1

    def measure(self, lines: list[tuple[int, str]]) -> dict[str, Any]:
        times, counts, failures = [], [], 0
        for person_id, line in lines:
            before = self.statements
            started = time.perf_counter()
            reply = self.runner.run(line, person_id=person_id)
            render(reply)
            times.append((time.perf_counter() - started) * 1000)
            counts.append(self.statements - before)
            failures += reply.error_id is not None
        return {
            **percentiles(times),
            "calls": len(lines),
            "statements": statistics.median(counts),
            "crashes": failures,
        }


def workload(
    database: Database, scale: str, calls: int, seed: int
) -> dict[str, list[tuple[int, str]]]:
    """The lines each benchmark types, as (person id, line), visible to that person."""
    r = random.Random(seed)
    accounts = SCALES[scale].accounts
    with database.unit_of_work() as session:
        members = session.scalars(select(Person.id).where(Person.role == "member")).all()
        manager = session.scalars(select(Person.id).where(Person.role == "manager")).first()
        # The book: the owner whose account count is closest to 200. Handed for a period to
        # someone else, and for good to someone who owns nothing, then back: the book keeps
        # its size however many times it goes round.
        owner = session.execute(
            select(Account.owner_id)
            .group_by(Account.owner_id)
            .order_by(func.abs(func.count() - 200))
            .limit(1)
        ).scalar_one()
        # The colleague card's worst case: the owner of the largest book, read by a manager.
        largest = session.execute(
            select(Account.owner_id)
            .group_by(Account.owner_id)
            .order_by(func.count().desc())
            .limit(1)
        ).scalar_one()
        taker = session.scalars(
            select(Person.id).where(Person.id != owner, Person.role == "member").limit(1)
        ).one()
        empty = ensure_person(session, name="Benchmark Newcomer", now=datetime.now(UTC))
        handles = {
            p.id: p.handle
            for p in session.scalars(select(Person).where(Person.id.in_([owner, taker, largest])))
        }
        newcomer = empty.handle

    def name() -> str:
        return account_name(r.randint(1, accounts))

    def typo() -> str:
        words = name().split()
        w = words[1]
        return f"{words[0]} {w[:2]}{w[3:]}{w[2]} {words[2]}"

    return {
        "whois exact": [(manager, f'whois "{name()}"') for _ in range(calls)],
        "whois typo": [(manager, f"whois {typo()}") for _ in range(calls)],
        # The whole history's first page (issue 20: p99 ≤ 30 ms at L).
        "timeline first page": [(manager, f'timeline "{name()}"') for _ in range(calls)],
        "whois @person (largest book)": [
            (manager, f"whois @{handles[largest]}") for _ in range(calls)
        ],
        "mine": [(r.choice(members), "mine") for _ in range(calls)],
        "log": [(manager, f'log "{name()}" call Benchmark call {i}') for i in range(calls)],
        "agree": [
            (manager, f'agree "{name()}" Send the quote {i} due next friday') for i in range(calls)
        ],
        "complaint": [
            (manager, f'complaint "{name()}" Benchmark issue {i} severity:low')
            for i in range(calls)
        ],
        "handover 200-account book until friday": [
            (manager, f"handover @{handles[owner]} to @{handles[taker]} until friday")
            for _ in range(calls)
        ],
        "handover 200-account book for good": [
            (
                manager,
                f"handover @{handles[owner]} to @{newcomer} for good"
                if i % 2 == 0
                else f"handover @{newcomer} to @{handles[owner]} for good",
            )
            for i in range(calls)
        ],
        "find": [
            (
                manager,
                "find " + r.choice(["renewal", "invoice pricing", "security", name().split()[1]]),
            )
            for _ in range(calls)
        ],
    }


def load_hub(
    url: str,
    scale: str,
    seed: int,
    index_uid: str | None,
    meili_url: str | None,
    meili_key: str | None,
) -> None:
    """In a child process: fill the schema, then the search index."""
    database = Database(url=url)
    database.upgrade()
    started = time.perf_counter()
    load(database, SCALES[scale], seed=seed)
    emit(figure="load", scale=scale, seconds=round(time.perf_counter() - started, 1))
    if index_uid is not None:
        started = time.perf_counter()
        index = MeiliIndex(url=meili_url or "", key=meili_key, uid=index_uid, timeout=30)
        documents = reindex(database, index)
        emit(
            figure="index",
            scale=scale,
            documents=documents,
            seconds=round(time.perf_counter() - started, 1),
        )
    database.dispose()


def run_scale(scale: str, calls: int, seed: int, engine: str) -> dict[str, dict[str, Any]]:
    url, schema = fresh_schema()
    index, server = meili.engine(f"bench_{schema}") if engine == "meilisearch" else (None, None)
    try:
        child = multiprocessing.get_context("spawn").Process(
            target=load_hub,
            args=(
                url,
                scale,
                seed,
                index.uid if index else None,
                index.url if index else None,
                index.key if index else None,
            ),
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"loading the {scale} hub failed")
        app = bootstrap(
            Config(settings=Settings(database_url=url)),
            index=index,
            clock=SystemClock(),
            migrate=False,
            configure_logs=False,
        )
        database = app.database
        probe = Probe(app.runner)
        results = {}
        with AutovacuumStandIn(url, schema):
            for label, lines in workload(database, scale, calls, seed).items():
                results[label] = probe.measure(lines)
                emit(figure=label, scale=scale, search=engine, **results[label])
        database.dispose()
        return results
    finally:
        if server is not None:
            server.stop()
        drop_schema(schema)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", default="S", help="S, M, L or several: S,L")
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--search", choices=["meilisearch", "database"], default="meilisearch")
    args = parser.parse_args(argv)
    scales = [s.strip().upper() for s in args.scale.split(",")]
    figures = {scale: run_scale(scale, args.calls, args.seed, args.search) for scale in scales}
    if len(scales) > 1:
        small, large = figures[scales[0]], figures[scales[-1]]
        for label in small:
            ratio = large[label]["p50"] / small[label]["p50"] if small[label]["p50"] else None
            emit(
                figure=f"{label} {scales[-1]}/{scales[0]}",
                p50_ratio=round(ratio, 2) if ratio else None,
                **{scales[0]: small[label], scales[-1]: large[label]},
            )
    emit(
        figure="peak RSS",
        megabytes=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )


if __name__ == "__main__":
    main()
