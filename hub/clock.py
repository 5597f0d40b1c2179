"""Where "now" comes from: the system clock in production, a fixed one in tests."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until told to move (tests, replays)."""

    def __init__(self, *, at: datetime) -> None:
        self.at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at.astimezone(UTC)


class StartedClock:
    """A clock that starts at a given instant and runs on at the system's pace.

    A process under test (the web server, the clock, a command) is started at a chosen
    instant with RELEVO_CLOCK_START, so what it decides by the date (an absence that is
    on, a reminder that is due) does not depend on the day the tests run.
    """

    def __init__(self, *, at: datetime) -> None:
        self.start = at.astimezone(UTC)
        self._started = time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._started)
