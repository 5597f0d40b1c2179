"""Per-person and per-workspace limits on commands, so a runaway script gets a polite
"slow down" and cannot starve everyone else. Token buckets: in PostgreSQL, shared by every
web process (`SharedRateLimiter`, hub/rate_buckets.py), or in the process's memory on the
embedded SQLite hub, which one process serves (`RateLimiter`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import InterfaceError, OperationalError

from commands.reply import Reply, Tone
from hub import rate_buckets
from hub.db import Database
from hub.i18n import _
from hub.rate_buckets import Bucket, bucket_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    per_minute: float
    burst: int

    @classmethod
    def parse(cls, name: str, text: str) -> Limit:
        """`60/20`: 60 commands a minute, up to 20 at once."""
        rate, _, burst = text.partition("/")
        try:
            limit = cls(per_minute=float(rate), burst=int(burst or rate))
        except ValueError:
            limit = cls(per_minute=0, burst=0)
        if limit.per_minute <= 0 or limit.burst < 1:
            raise SystemExit(f"{name} must look like 60/20 (commands a minute / at once)")
        return limit


@dataclass(frozen=True)
class RateLimits:
    """The two limits every command is counted against, as configured."""

    person: Limit = Limit(per_minute=60, burst=20)
    workspace: Limit = Limit(per_minute=1200, burst=200)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RateLimits:
        return cls(
            person=Limit.parse("RELEVO_RATE_PERSON", env.get("RELEVO_RATE_PERSON") or "60/20"),
            workspace=Limit.parse(
                "RELEVO_RATE_WORKSPACE", env.get("RELEVO_RATE_WORKSPACE") or "1200/200"
            ),
        )


class RateLimiter:
    """The limits counted in this process's memory."""

    def __init__(
        self,
        *,
        person: Limit,
        workspace: Limit,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.person = person
        self.workspace = workspace
        self.monotonic = monotonic
        self._buckets: dict[tuple[str, ...], tuple[float, float]] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_limits(cls, limits: RateLimits) -> RateLimiter:
        return cls(person=limits.person, workspace=limits.workspace)

    def wait_needed(self, platform: str, workspace: str, person: str) -> float:
        """0 when the command may run now (and it is counted); else seconds to wait."""
        with self._lock:
            now = self.monotonic()
            keys = ((platform, workspace, person), (platform, workspace))
            limits = (self.person, self.workspace)
            waits = [self._wait(key, limit, now) for key, limit in zip(keys, limits, strict=True)]
            if max(waits) > 0:
                return max(waits)
            for key, limit in zip(keys, limits, strict=True):
                tokens, _ = self._refilled(key, limit, now)
                self._buckets[key] = (tokens - 1, now)
            return 0.0

    def _refilled(self, key: tuple[str, ...], limit: Limit, now: float) -> tuple[float, float]:
        tokens, at = self._buckets.get(key, (float(limit.burst), now))
        tokens = min(float(limit.burst), tokens + (now - at) * limit.per_minute / 60)
        return tokens, now

    def _wait(self, key: tuple[str, ...], limit: Limit, now: float) -> float:
        tokens, _ = self._refilled(key, limit, now)
        return 0.0 if tokens >= 1 else (1 - tokens) * 60 / limit.per_minute


class SharedRateLimiter(RateLimiter):
    """The limits counted in PostgreSQL, one statement per command, so they hold across
    every web process and a restart. While the database is out of reach, this process's
    own buckets (the in-memory limiter it extends) count instead: a command is neither
    refused for the outage nor let through unlimited.

    Rows of buckets idle for `PRUNE_IDLE` (or longer, if a limit takes longer to refill)
    are deleted by each process every `PRUNE_EVERY` seconds: a missing bucket is a full
    one, so this grants nothing, and the table stays as small as the people active lately.
    """

    PRUNE_IDLE = timedelta(hours=1)
    PRUNE_EVERY = 600.0  # seconds

    def __init__(
        self,
        database: Database,
        *,
        person: Limit,
        workspace: Limit,
        now: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """`now`: the clock buckets are refilled by; None (a deployment) is the
        database's, which every process shares whatever their hosts' clocks say."""
        super().__init__(person=person, workspace=workspace, monotonic=monotonic)
        # One statement, atomic by itself: no BEGIN/COMMIT round trips around it.
        self.engine = database.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.now = now
        refill = max((limit.burst + 1) * 60 / limit.per_minute for limit in (person, workspace))
        self.idle = max(self.PRUNE_IDLE, timedelta(seconds=2 * refill))
        self._next_prune = monotonic()

    @classmethod
    def for_database(cls, database: Database, limits: RateLimits) -> RateLimiter:
        """The limiter a process on `database` uses: shared on PostgreSQL, in memory on
        the embedded SQLite (one process)."""
        if database.is_sqlite:
            return RateLimiter.from_limits(limits)
        return cls(database, person=limits.person, workspace=limits.workspace)

    def wait_needed(self, platform: str, workspace: str, person: str) -> float:
        """0 when the command may run now (and it is counted); else seconds to wait."""
        buckets = (
            Bucket(bucket_key("person", platform, workspace, person), *_size(self.person)),
            Bucket(bucket_key("workspace", platform, workspace), *_size(self.workspace)),
        )
        now = self.now() if self.now is not None else None
        try:
            with self.engine.connect() as connection:
                wait = rate_buckets.take(connection, buckets, now=now)
                if self.monotonic() >= self._next_prune:
                    self._next_prune = self.monotonic() + self.PRUNE_EVERY
                    rate_buckets.prune(connection, idle=self.idle, now=now)
            return wait
        except (OperationalError, InterfaceError) as error:
            log.warning(
                "rate limits: the database is out of reach (%s); counting in this process",
                type(error).__name__,
            )
            return super().wait_needed(platform, workspace, person)


def _size(limit: Limit) -> tuple[int, float]:
    return limit.burst, limit.per_minute / 60


def slowed(seconds: float, typed: str | None = None) -> Reply:
    """The answer to a command over the limit: wait this long; nothing saved, text kept."""
    title = _(
        "You're sending commands faster than I can take them; "
        "please slow down and try again in {seconds} s. Nothing was saved.",
        seconds=max(1, round(seconds)),
    )
    notes = (_("You typed: {line}", line=typed),) if typed is not None else ()
    return Reply(title=title, notes=notes, tone=Tone.WARNING)
