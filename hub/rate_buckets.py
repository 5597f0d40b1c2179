"""Token buckets kept in PostgreSQL (`rate_bucket`), so every web process counts a
person's commands against the same limit, and a restart forgets nothing.

`take` is the whole exchange: one statement that refills the buckets by the time elapsed
(the database's clock, unless a `now` is given), locks them in key order, and takes a
token from each only if every one of them has one (a second statement the first time a
bucket is used, to create it). A command over the person's limit
spends nothing from the workspace's, and the other way round. A missing row is a full
bucket, so idle rows may be deleted at any time (`prune`) without granting anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, text

# Each bucket is refilled from its latest committed row, locked (FOR UPDATE, in key order
# so that two commands never wait on each other in a cycle), and the tokens are taken
# only if every bucket has one. A bucket with no row yet is created full and nothing is
# taken (the result is NULL): the caller runs the statement again, which then finds and
# locks every row. Deciding on a row no other command could see would let each of several
# commands arriving together take the same first token. Time never runs backwards for a
# bucket: a statement that started before the row's last update counts no refill and
# keeps the later instant.
TAKE = text(
    """
    WITH clock AS (
        SELECT COALESCE(CAST(:now AS timestamp), statement_timestamp() AT TIME ZONE 'UTC')
            AS now
    ),
    wanted AS (
        SELECT * FROM unnest(
            CAST(:keys AS varchar[]), CAST(:bursts AS float8[]), CAST(:rates AS float8[])
        ) AS wanted (key, burst, per_second)
    ),
    locked AS (
        SELECT key, tokens, updated_at FROM rate_bucket
        WHERE key = ANY (CAST(:keys AS varchar[]))
        ORDER BY key
        FOR UPDATE
    ),
    filled AS (
        SELECT w.key, w.burst, w.per_second, l.key IS NOT NULL AS found, LEAST(
            w.burst,
            l.tokens + w.per_second * GREATEST(0, EXTRACT(EPOCH FROM clock.now - l.updated_at))
        ) AS tokens
        FROM wanted AS w CROSS JOIN clock LEFT JOIN locked AS l ON l.key = w.key
    ),
    verdict AS (
        SELECT bool_and(found) AS complete, bool_and(tokens >= 1) AS granted FROM filled
    ),
    created AS (
        INSERT INTO rate_bucket (key, tokens, updated_at)
        SELECT f.key, f.burst, clock.now FROM filled AS f CROSS JOIN clock
        WHERE NOT f.found
        ORDER BY f.key
        ON CONFLICT (key) DO NOTHING
    ),
    taken AS (
        UPDATE rate_bucket AS b
        SET tokens = f.tokens - CASE WHEN v.granted THEN 1 ELSE 0 END,
            updated_at = GREATEST(b.updated_at, clock.now)
        FROM filled AS f CROSS JOIN verdict AS v CROSS JOIN clock
        WHERE b.key = f.key AND v.complete
    )
    SELECT CASE
        WHEN NOT v.complete THEN NULL
        WHEN v.granted THEN 0
        ELSE (SELECT MAX((1 - f.tokens) / f.per_second) FROM filled AS f WHERE f.tokens < 1)
    END
    FROM verdict AS v
    """
)
# A statement that created a bucket runs again; only a bucket pruned in between (idle for
# an hour: see `prune`) could make it need a third.
ATTEMPTS = 3

# Rows nobody is using (SKIP LOCKED): a prune never waits for, nor deadlocks with, a take.
PRUNE = text(
    """
    DELETE FROM rate_bucket
    WHERE key IN (
        SELECT key FROM rate_bucket
        WHERE updated_at < COALESCE(CAST(:now AS timestamp),
                                    statement_timestamp() AT TIME ZONE 'UTC')
                           - make_interval(secs => :idle)
        FOR UPDATE SKIP LOCKED
    )
    """
)


@dataclass(frozen=True)
class Bucket:
    """A bucket's name and size: it holds `burst` tokens at most and gains `per_second`."""

    key: str
    burst: int
    per_second: float


def bucket_key(*parts: str) -> str:
    """A bucket's row key from its parts, e.g. ("person", "slack", "T1", "U1")."""
    return ":".join(parts)


def _naive_utc(now: datetime | None) -> datetime | None:
    return None if now is None else now.astimezone(UTC).replace(tzinfo=None)


def take(
    connection: Connection, buckets: Sequence[Bucket], *, now: datetime | None = None
) -> float:
    """Take one token from every bucket, or none: 0.0 when they were taken, else the
    seconds until every bucket would have one. `now` (aware) replaces the database's
    clock, for tests; every process must then agree on it."""
    parameters = {
        "now": _naive_utc(now),
        "keys": [bucket.key for bucket in buckets],
        "bursts": [float(bucket.burst) for bucket in buckets],
        "rates": [bucket.per_second for bucket in buckets],
    }
    for _ in range(ATTEMPTS):
        wait = connection.execute(TAKE, parameters).scalar_one()
        if wait is not None:
            return float(wait)
    raise RuntimeError(f"rate buckets {parameters['keys']} vanished {ATTEMPTS} times in a row")


def prune(connection: Connection, *, idle: timedelta, now: datetime | None = None) -> int:
    """Delete the buckets untouched for `idle`, which must be at least the time any of
    them takes to refill from empty (then each deleted one was full: the same as no
    row). Returns how many went."""
    result = connection.execute(PRUNE, {"now": _naive_utc(now), "idle": idle.total_seconds()})
    return int(result.rowcount)
