"""Search benchmark: indexing throughput, indexing lag, and lookup latency through our code
next to Meilisearch's own processing time for the same queries.

    python -m benchmarks.search --scale L      # 100k accounts, 300k contacts, 1M interactions

It loads a generated hub into a fresh PostgreSQL schema, starts a local Meilisearch (the
one scripts/meilisearch.sh fetches) unless RELEVO_MEILI_URL is set, and prints one JSON
line per figure.
"""

from __future__ import annotations

import argparse
import random
import threading
import time
import uuid

from sqlalchemy import select

from benchmarks import meili
from benchmarks.common import drop_schema, emit, fresh_schema, percentiles
from benchmarks.generate import SCALES, account_name, load
from bot.bootstrap import bootstrap
from bot.config import Config
from hub.clock import SystemClock
from hub.db import Database
from hub.models import Person
from hub.settings import Settings
from search.indexer import Indexer
from search.reindex import reindex
from search.results import Query
from search.service import query_filter


def queries(count: int, accounts: int, seed: int) -> list[str]:
    """What people type: names with typos and prefixes, topics, contact names."""
    r = random.Random(seed)
    typed = []
    for _ in range(count):
        name = account_name(r.randint(1, accounts))
        words = name.split()
        choice = r.random()
        if choice < 0.3:
            typed.append(" ".join(words[:2]))
        elif choice < 0.5:
            w = words[1]
            typed.append(f"{words[0]} {w[:2]}{w[3:]}{w[2]}")  # a transposition typo
        elif choice < 0.7:
            typed.append(words[1][:4].lower())
        else:
            typed.append(
                r.choice(
                    [
                        "renewal pricing",
                        "invoice",
                        "security review",
                        "onboarding",
                        "discount contract",
                        "outage",
                        "roadmap training",
                    ]
                )
            )
    return typed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="S")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--lag-samples", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="keep the schema and the index")
    args = parser.parse_args()

    url, schema = fresh_schema()
    server = None
    try:
        database = Database(url=url)
        database.upgrade()
        started = time.perf_counter()
        counts = load(database, SCALES[args.scale])
        emit(
            figure="load",
            scale=args.scale,
            seconds=round(time.perf_counter() - started, 1),
            **counts,
        )

        index, server = meili.engine(f"bench_{schema}")

        started = time.perf_counter()
        documents = reindex(database, index)
        seconds = time.perf_counter() - started
        emit(
            figure="indexing throughput",
            scale=args.scale,
            documents=documents,
            seconds=round(seconds, 1),
            documents_per_s=round(documents / seconds),
        )

        runner = bootstrap(
            Config(settings=Settings(database_url=url)),
            database=database,
            index=index,
            clock=SystemClock(),
            migrate=False,
            configure_logs=False,
        ).runner
        with database.unit_of_work() as session:
            member_id = session.scalars(select(Person.id).where(Person.role == "member")).first()
            manager_id = session.scalars(select(Person.id).where(Person.role == "manager")).first()

        # Indexing lag: a write through our code, then how long until `find` sees it,
        # with the indexer running as `relevo serve indexer` would.
        indexer = Indexer(database=database, index=index)
        stop = threading.Event()

        def keep_indexing() -> None:
            while not stop.is_set():
                if not indexer.drain_once():
                    time.sleep(0.01)

        thread = threading.Thread(target=keep_indexing, daemon=True)
        thread.start()
        lags = []
        for n in range(args.lag_samples):
            token = f"zq{uuid.uuid4().hex[:10]}"
            target = account_name(random.Random(n).randint(1, SCALES[args.scale].accounts))
            written = time.perf_counter()
            reply = runner.run(f'log "{target}" call Lag probe {token}', person_id=manager_id)
            assert reply.ok, reply.title
            while not index.search(token, limit=1)["hits"]:
                time.sleep(0.002)
            lags.append((time.perf_counter() - written) * 1000)
        stop.set()
        thread.join()
        emit(figure="indexing lag ms (write to searchable)", samples=len(lags), **percentiles(lags))

        typed = queries(args.queries, SCALES[args.scale].accounts, seed=11)
        with runner.workplace.open(member_id, source="benchmark") as work:
            scope = work.scope
        for verb in ("find", "whois"):
            ours, engine = [], []
            for line in typed:
                started = time.perf_counter()
                runner.run(f"{verb} {line}", person_id=member_id)
                ours.append((time.perf_counter() - started) * 1000)
                if verb == "find":
                    found = index.search(
                        line,
                        filter=" AND ".join(query_filter(scope, Query(line))),
                        hitsPerPage=10,
                        page=1,
                    )
                else:
                    found = index.search(
                        line,
                        filter=" AND ".join(
                            query_filter(scope, Query(line), types=["account", "contact"])
                        ),
                        limit=24,
                    )
                engine.append(float(found["processingTimeMs"]))
            ours_p, engine_p = percentiles(ours), percentiles(engine)
            emit(
                figure=f"{verb} latency ms",
                scale=args.scale,
                queries=len(typed),
                ours=ours_p,
                meilisearch_processing=engine_p,
                target_p95=round(2 * engine_p["p95"] + 10, 2),
                meets_target=ours_p["p95"] <= 2 * engine_p["p95"] + 10,
            )
        database.dispose()
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            drop_schema(schema)


if __name__ == "__main__":
    main()
