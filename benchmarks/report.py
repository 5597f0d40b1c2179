"""Every `/crm report`, in-process, on a generated hub in PostgreSQL (issue 22: p95 ≤ 1 s
at L, 100k accounts and 50k deals with their stage history).

    python -m benchmarks.report --scale L --calls 50

Each report is asked by a manager (who reads every account: the most rows) and by a
member (whose reads go through the access rules), over its default period and over a
whole year. One JSON line per report and reader: latency p50/p95/p99 through our code
(parse, hub, render) and the statements per call.
"""

from __future__ import annotations

import argparse
import multiprocessing

from sqlalchemy import select

from benchmarks.common import drop_schema, emit, fresh_schema
from benchmarks.hub import Probe, load_hub
from bot.bootstrap import bootstrap
from bot.config import Config
from hub.clock import SystemClock
from hub.models import Person
from hub.reports import REPORTS
from hub.settings import Settings


def run_scale(scale: str, calls: int, seed: int) -> None:
    url, schema = fresh_schema()
    try:
        child = multiprocessing.get_context("spawn").Process(
            target=load_hub, args=(url, scale, seed, None, None, None)
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"loading the {scale} hub failed")
        app = bootstrap(
            Config(settings=Settings(database_url=url)),
            clock=SystemClock(),
            migrate=False,
            configure_logs=False,
        )
        with app.database.unit_of_work() as session:
            manager = session.scalars(select(Person.id).where(Person.role == "manager")).first()
            member = session.scalars(select(Person.id).where(Person.role == "member")).first()
        probe = Probe(app.runner)
        for what in REPORTS:
            for reader, person in (("manager", manager), ("member", member)):
                for period in ("", "this year"):
                    line = f"report {what} {period}".strip()
                    result = probe.measure([(int(person or 0), line)] * calls)
                    emit(figure=line, scale=scale, reader=reader, **result)
        app.database.dispose()
    finally:
        drop_schema(schema)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", default="S", help="S, M or L")
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    run_scale(args.scale.strip().upper(), args.calls, args.seed)


if __name__ == "__main__":
    main()
