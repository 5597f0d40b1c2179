"""Per-person and per-workspace limits on commands, so a runaway script gets a polite
"slow down" and cannot starve everyone else. Token buckets, in memory, per process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from commands.reply import Reply, Tone


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


def slowed(seconds: float, typed: str | None = None) -> Reply:
    """The answer to a command over the limit: wait this long; nothing saved, text kept."""
    title = (
        "You're sending commands faster than I can take them; "
        f"please slow down and try again in {max(1, round(seconds))} s. Nothing was saved."
    )
    notes = (f"You typed: {typed}",) if typed is not None else ()
    return Reply(title=title, notes=notes, tone=Tone.WARNING)
