"""Configuration from environment variables only (12-factor); `.env.example` lists them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import is_currency

DEFAULT_DATABASE_URL = "sqlite:///relevo.db"
# Where the database URL is read, first found wins: Relevo's own variable, then the one a
# managed PostgreSQL add-on sets on platforms that read a Procfile.
DATABASE_VARIABLES = ("RELEVO_DATABASE_URL", "DATABASE_URL")


@dataclass(frozen=True, kw_only=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    database_from: str = "the default"  # the variable database_url was read from
    # Long-running processes refuse the embedded SQLite (RELEVO_REQUIRE_DATABASE=1).
    require_database: bool = False
    timezone: str = "UTC"
    locale: str = "en"
    # The hub's currency (ISO 4217): amounts typed without one are in it, totals convert to it.
    currency: str = "EUR"
    meili_url: str | None = None
    meili_key: str | None = None
    meili_index: str = "records"  # several hubs may share one Meilisearch, each its index
    schedule: ScheduleSettings = field(default_factory=lambda: ScheduleSettings())
    # For processes under test only: "now" starts at this instant instead of the system's.
    clock_start: datetime | None = None

    @property
    def is_embedded(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        timezone = env.get("RELEVO_TIMEZONE") or "UTC"
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SystemExit(f"RELEVO_TIMEZONE={timezone!r} is not a known time zone") from None
        locale = (env.get("RELEVO_LOCALE") or "en").lower()
        if locale not in ("en", "es"):
            raise SystemExit(f"RELEVO_LOCALE must be 'en' or 'es', not {locale!r}")
        currency = parse_currency(env.get("RELEVO_CURRENCY") or "EUR")
        if currency is None:
            raise SystemExit(
                f"RELEVO_CURRENCY={env['RELEVO_CURRENCY']!r} is not a currency code like EUR or USD"
            )
        database_from = next((name for name in DATABASE_VARIABLES if env.get(name)), None)
        return cls(
            database_url=(
                normalise_database_url(env[database_from])
                if database_from
                else DEFAULT_DATABASE_URL
            ),
            database_from=database_from or "the default",
            require_database=(env.get("RELEVO_REQUIRE_DATABASE") or "").lower()
            in ("1", "true", "yes"),
            timezone=timezone,
            locale=locale,
            currency=currency,
            meili_url=env.get("RELEVO_MEILI_URL") or None,
            meili_key=env.get("RELEVO_MEILI_KEY") or None,
            meili_index=env.get("RELEVO_MEILI_INDEX") or "records",
            schedule=ScheduleSettings.from_env(env),
            clock_start=parse_clock_start(env.get("RELEVO_CLOCK_START") or ""),
        )


@dataclass(frozen=True, kw_only=True)
class ScheduleSettings:
    """When nudges and digests go out, and what counts as an account left untouched."""

    nudge_at: time = time(9, 0)
    digest_at: time = time(9, 0)
    days_off: frozenset[int] = frozenset({5, 6})  # weekday numbers: Saturday, Sunday
    grace_minutes: int = 180
    stale_days: tuple[tuple[str, int], ...] = (("A", 14), ("B", 30), ("C", 60))
    clock_interval_seconds: int = 120

    @property
    def stale_by_tier(self) -> dict[str, int]:
        return dict(self.stale_days)

    def stale_days_for(self, tier: str) -> int:
        """Days an account of `tier` may go without contact; a tier not set is C's."""
        days = self.stale_by_tier
        return days.get(tier, days.get("C", 60))

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ScheduleSettings:
        def number(name: str, default: int) -> int:
            raw = env.get(name) or str(default)
            try:
                value = int(raw)
            except ValueError:
                raise SystemExit(f"{name}={raw!r} is not a whole number") from None
            if value < 0:
                raise SystemExit(f"{name} can't be negative")
            return value

        def clock_time(name: str, default: time) -> time:
            raw = env.get(name)
            if not raw:
                return default
            parsed = parse_clock_time(raw)
            if parsed is None:
                raise SystemExit(f"{name}={raw!r} is not a time like 09:00")
            return parsed

        days_off = parse_days_off(env.get("RELEVO_DAYS_OFF") or "sat,sun")
        if days_off is None:
            raise SystemExit("RELEVO_DAYS_OFF must list weekdays like sat,sun (or none)")
        return cls(
            nudge_at=clock_time("RELEVO_NUDGE_AT", time(9, 0)),
            digest_at=clock_time("RELEVO_DIGEST_AT", time(9, 0)),
            days_off=days_off,
            grace_minutes=number("RELEVO_CATCHUP_GRACE_MINUTES", 180),
            stale_days=tuple(
                (tier, number(f"RELEVO_STALE_DAYS_{tier}", default))
                for tier, default in (("A", 14), ("B", 30), ("C", 60))
            ),
            clock_interval_seconds=max(number("RELEVO_CLOCK_INTERVAL_SECONDS", 120), 1),
        )


def normalise_database_url(url: str) -> str:
    """`postgres://…` and `postgresql://…` (what PostgreSQL add-ons set) name the psycopg
    driver Relevo ships with; any other URL is SQLAlchemy's to read as it is."""
    scheme, separator, rest = url.strip().partition("://")
    if separator and scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return url.strip()


def parse_currency(text: str) -> str | None:
    """'eur' or 'EUR' as the ISO 4217 code 'EUR'; None when it is not a known currency."""
    code = text.strip().upper()
    return code if len(code) == 3 and is_currency(code) else None


def parse_port(text: str) -> int | None:
    """PORT (or --port) as a port number; None when it is not one."""
    text = text.strip()
    return int(text) if text.isdigit() and 0 < int(text) < 65536 else None


def parse_workers(text: str) -> int | None:
    """WEB_CONCURRENCY (or --workers) as a number of processes; None when it is not one."""
    text = text.strip()
    return int(text) if text.isdigit() and int(text) >= 1 else None


def parse_clock_start(raw: str) -> datetime | None:
    """RELEVO_CLOCK_START: an ISO 8601 instant with its UTC offset, or nothing."""
    if not raw:
        return None
    try:
        start = datetime.fromisoformat(raw)
    except ValueError:
        start = None
    if start is None or start.tzinfo is None:
        raise SystemExit(
            f"RELEVO_CLOCK_START={raw!r} is not an instant like 2026-11-24T10:00+01:00"
        )
    return start


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_clock_time(text: str) -> time | None:
    """'09:00' or '9:30' as a time of day; None when it is not one."""
    hours, _, minutes = text.strip().partition(":")
    try:
        return time(int(hours), int(minutes or 0))
    except ValueError:
        return None


def parse_quiet_hours(text: str) -> tuple[time, time] | None:
    """'20:00-08:00' as (from, until) local times; None when it is not such a range."""
    start, dash, end = text.strip().partition("-")
    first, last = parse_clock_time(start), parse_clock_time(end)
    if not dash or first is None or last is None or first == last:
        return None
    return first, last


def in_quiet_hours(quiet_hours: str | None, local: time) -> bool:
    """Whether the local time of day `local` falls in `quiet_hours` ("20:00-08:00")."""
    hours = parse_quiet_hours(quiet_hours or "")
    if hours is None:
        return False
    first, last = hours
    return first <= local < last if first < last else (local >= first or local < last)


def parse_days_off(text: str) -> frozenset[int] | None:
    """'sat,sun' as weekday numbers (Monday 0); 'none' for no days off; None if unreadable."""
    words = [w.strip().lower()[:3] for w in text.replace(" ", ",").split(",") if w.strip()]
    if words == ["non"]:
        return frozenset()
    if not all(w in WEEKDAYS for w in words):
        return None
    return frozenset(WEEKDAYS.index(w) for w in words)
