"""Secrets never reach the logs: every log line is scrubbed of the configured secrets.

Our own code takes care not to log tokens, but libraries at DEBUG level, exception
messages and tracebacks may carry a request, a URL or a header; the formatter replaces
any secret it was given, wherever it appears in the formatted line, with `[redacted]`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[redacted]"
_SECRET_SUFFIXES = ("_TOKEN", "_SECRET", "_KEY", "_PASSWORD")
_SHORTEST = 6  # shorter values would redact ordinary words


def configured_secrets(env: Mapping[str, str]) -> set[str]:
    """Every secret value in the environment: tokens, signing secrets, API keys, intake
    secrets and the database password."""
    found = {value for name, value in env.items() if name.endswith(_SECRET_SUFFIXES) and value}
    for item in (env.get("RELEVO_INTAKE_FORMS") or "").split(","):
        found.add(item.partition(":")[2].strip())
    try:
        password = make_url(env.get("RELEVO_DATABASE_URL") or "sqlite://").password
    except ArgumentError:
        password = None
    if password:
        found.add(str(password))
    return {secret for secret in found if len(secret) >= _SHORTEST}


class RedactingFormatter(logging.Formatter):
    def __init__(self, secrets: Iterable[str], fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        # Longest first, so a secret containing another is replaced whole.
        self.secrets = sorted(set(secrets), key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        for secret in self.secrets:
            line = line.replace(secret, REDACTED)
        return line


@dataclass(frozen=True)
class LogConfig:
    """How loud the logs are (RELEVO_LOG_LEVEL, default WARNING) and what they never show."""

    level: str = "WARNING"
    secrets: frozenset[str] = frozenset()

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LogConfig:
        level = (env.get("RELEVO_LOG_LEVEL") or "WARNING").upper()
        return cls(
            level=level if level in logging.getLevelNamesMapping() else "WARNING",
            secrets=frozenset(configured_secrets(env)),
        )


def configure_logging(config: LogConfig | None = None) -> None:
    """Log at the configured level through the redacting formatter."""
    config = LogConfig.from_env(os.environ) if config is None else config
    logging.basicConfig(level=config.level)
    formatter = RedactingFormatter(config.secrets)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)
