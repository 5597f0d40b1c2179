"""Slack configuration, from the environment (see .env.example)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class SlackConfig:
    # Secrets stay out of repr(), so a logged config or a traceback never shows them.
    bot_token: str = field(repr=False)
    signing_secret: str = field(repr=False)
    app_token: str | None = field(default=None, repr=False)
    api_url: str | None = None
    team_ids: frozenset[str] = frozenset()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SlackConfig | None:
        """None when Slack is not configured (no bot token)."""
        env = os.environ if env is None else env
        token = env.get("SLACK_BOT_TOKEN") or ""
        if not token:
            return None
        api_url = env.get("SLACK_API_URL") or None
        if api_url and not api_url.endswith("/"):
            api_url += "/"
        return cls(
            bot_token=token,
            signing_secret=env.get("SLACK_SIGNING_SECRET") or "",
            app_token=env.get("SLACK_APP_TOKEN") or None,
            api_url=api_url,
            team_ids=frozenset(
                t.strip() for t in (env.get("SLACK_TEAM_IDS") or "").split(",") if t.strip()
            ),
        )
