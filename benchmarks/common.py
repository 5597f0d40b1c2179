"""What the benchmarks share: a fresh PostgreSQL schema, percentiles, one JSON line a figure."""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES = os.environ.get(
    "RELEVO_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(int(q * len(ordered)), len(ordered) - 1)]

    return {"p50": round(pick(0.50), 2), "p95": round(pick(0.95), 2), "p99": round(pick(0.99), 2)}


def emit(**figure: Any) -> None:
    print(json.dumps(figure, ensure_ascii=False), flush=True)


def fresh_schema() -> tuple[str, str]:
    """A new empty schema: its database URL and its name."""
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(POSTGRES)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    url = make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema},public"})
    return url.render_as_string(hide_password=False), schema


def drop_schema(schema: str) -> None:
    engine = create_engine(POSTGRES)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()
