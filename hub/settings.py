"""Configuration from environment variables only (12-factor); `.env.example` lists them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_DATABASE_URL = "sqlite:///relevo.db"


@dataclass(frozen=True, kw_only=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    timezone: str = "UTC"
    locale: str = "en"
    meili_url: str | None = None
    meili_key: str | None = None

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
        return cls(
            database_url=env.get("RELEVO_DATABASE_URL") or DEFAULT_DATABASE_URL,
            timezone=timezone,
            locale=locale,
            meili_url=env.get("RELEVO_MEILI_URL") or None,
            meili_key=env.get("RELEVO_MEILI_KEY") or None,
        )
