"""Relevo's whole configuration, read once from the environment (see .env.example).

Each part keeps its own reader (`Settings.from_env`, `SlackConfig.from_env`...); this is
where they are read together, once per process, and handed to `bot.bootstrap`. Nothing
else in the running app reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.discord.config import DiscordConfig
from bot.ratelimit import RateLimits
from bot.redact import LogConfig
from bot.slack.config import SlackConfig
from hub.settings import ScheduleSettings, Settings
from integrations.web import IntakeConfig


@dataclass(frozen=True, kw_only=True)
class Config:
    settings: Settings = field(default_factory=Settings)  # the hub's database, search, clock
    slack: SlackConfig | None = None  # None: Slack is not configured
    discord: DiscordConfig | None = None  # None: Discord is not configured
    rates: RateLimits = field(default_factory=RateLimits)
    intake: IntakeConfig = field(default_factory=IntakeConfig)
    logs: LogConfig = field(default_factory=LogConfig)
    metrics_token: str | None = None  # None: /metrics only for loopback clients

    @property
    def schedule(self) -> ScheduleSettings:
        """When nudges and digests go out (part of the hub's settings)."""
        return self.settings.schedule

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        """The configuration in `env` (the process's environment by default); a value
        that cannot be read stops the process with a message naming the variable."""
        env = os.environ if env is None else env
        return cls(
            settings=Settings.from_env(env),
            slack=SlackConfig.from_env(env),
            discord=DiscordConfig.from_env(env),
            rates=RateLimits.from_env(env),
            intake=IntakeConfig.from_env(env),
            logs=LogConfig.from_env(env),
            metrics_token=env.get("RELEVO_METRICS_TOKEN") or None,
        )
