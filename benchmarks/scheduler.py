"""The scheduler's computations on a generated hub in PostgreSQL.

    python -m benchmarks.scheduler --scale S      # a smoke run
    python -m benchmarks.scheduler --scale L      # 100k accounts, 50k deals, 500 people

Prints one JSON line per figure: the time to compute every person's nudge at once (who
is due, what each gets, rendered as replies) and one channel digest (figures, reply and
chart separately), with the SQL statements each took. Targets at L: nudges < 2 s,
digest < 0.5 s. Nothing is sent or recorded.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event

from benchmarks.common import drop_schema, emit, fresh_schema
from benchmarks.generate import SCALES, load
from bot.schedule.chart import funnel_png
from commands.notices import digest_reply, nudge_reply
from hub.db import Database
from hub.digest import compute_digest
from hub.models import Account, Visibility
from hub.nudges import compute_nudges, due_people
from hub.settings import Settings


class Counter:
    def __init__(self, database: Database) -> None:
        self.statements = 0
        event.listen(database.engine, "before_cursor_execute", self._count)

    def _count(self, *_args: Any) -> None:
        self.statements += 1


def measure(label: str, runs: int, counter: Counter, work: Any, **extra: Any) -> None:
    times, statements = [], []
    result = None
    for _ in range(runs):
        before = counter.statements
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
        statements.append(counter.statements - before)
    emit(
        figure=label,
        seconds_median=round(statistics.median(times), 3),
        seconds_max=round(max(times), 3),
        runs=runs,
        statements=statistics.median(statements),
        **extra,
        **(result or {}),
    )


def run(scale: str, runs: int, seed: int) -> None:
    url, schema = fresh_schema()
    try:
        database = Database(url=url)
        database.upgrade()
        now = datetime.now(UTC).replace(microsecond=0)
        started = time.perf_counter()
        load(database, SCALES[scale], seed=seed, now=now)
        emit(figure="load", scale=scale, seconds=round(time.perf_counter() - started, 1))
        settings = Settings(database_url=url, timezone="Europe/Madrid")
        madrid = ZoneInfo("Europe/Madrid")
        # The generated people live in Madrid: 09:05 there today is when all are due.
        at = datetime.combine(now.astimezone(madrid).date(), settings.schedule.nudge_at, madrid)
        at += timedelta(minutes=5)
        if at.weekday() in settings.schedule.days_off:  # a working day, for everyone
            at += timedelta(days=7 - at.weekday())
        counter = Counter(database)

        def nudges() -> dict[str, Any]:
            with database.unit_of_work() as session:
                due = due_people(session, settings, at, skip_delivered=False)
                computed = compute_nudges(session, settings, at, due)
            replies = [nudge_reply(n) for n in computed if not n.empty]
            items = sum(len(s.items) for r in replies for s in r.sections)
            return {"people_due": len(due), "nudges": len(replies), "items": items}

        def digest() -> dict[str, Any]:
            with database.unit_of_work() as session:
                figures = compute_digest(
                    session,
                    since=at - timedelta(days=7),
                    until=at,
                    tz=madrid,
                    schedule=settings.schedule,
                    readable=Account.visibility == Visibility.PUBLIC,
                    currency=settings.currency,
                )
            digest.figures = figures  # type: ignore[attr-defined]
            digest_reply(figures, cadence="weekly")
            return {"open_deals": figures.open_count, "at_risk": figures.risk.total}

        measure("all nudges", runs, counter, nudges, scale=scale, target_seconds=2.0)
        measure("digest", runs, counter, digest, scale=scale, target_seconds=0.5)
        figures = digest.figures  # type: ignore[attr-defined]
        measure("digest chart", runs, counter, lambda: {"png_bytes": len(funnel_png(figures))})
        database.dispose()
    finally:
        drop_schema(schema)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", default="S", choices=sorted(SCALES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    run(args.scale, args.runs, args.seed)


if __name__ == "__main__":
    main()
