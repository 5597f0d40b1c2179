"""Discord configuration, from the environment (see .env.example)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

API_URL = "https://discord.com/api/v10"


@dataclass(frozen=True, kw_only=True)
class DiscordConfig:
    application_id: str
    public_key: str
    bot_token: str = field(default="", repr=False)  # kept out of repr(), logs, tracebacks
    guild_ids: frozenset[str] = frozenset()
    manager_role: str | None = None
    api_url: str = API_URL
    answer_budget: float = 2.0  # seconds before deferring; Discord allows 3

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> DiscordConfig | None:
        """None when Discord is not configured (no application id or public key)."""
        env = os.environ if env is None else env
        application_id = env.get("DISCORD_APPLICATION_ID") or ""
        public_key = env.get("DISCORD_PUBLIC_KEY") or ""
        if not application_id or not public_key:
            return None
        return cls(
            application_id=application_id,
            public_key=public_key,
            bot_token=env.get("DISCORD_BOT_TOKEN") or "",
            guild_ids=frozenset(
                g.strip() for g in (env.get("DISCORD_GUILD_IDS") or "").split(",") if g.strip()
            ),
            manager_role=env.get("DISCORD_MANAGER_ROLE_ID") or None,
            api_url=(env.get("DISCORD_API_URL") or API_URL).rstrip("/"),
            answer_budget=_seconds(env, "DISCORD_ANSWER_BUDGET_SECONDS", 2.0),
        )


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name) or str(default)
    try:
        return float(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a number of seconds") from None
