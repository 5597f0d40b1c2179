"""What this process counts for `GET /metrics` (bot/metrics.py serves them).

The instruments live here, below the adapters, so the command runner (which every
platform's command passes through) and the adapters above it (rate limits, HTTP acks)
count into the same ones, and imports stay one-way. Labels are bounded sets only (a verb
of the language, an outcome, a platform, a route): never a person, an account or text.

prometheus_client chooses at import time between in-memory values and its multi-process
files (when PROMETHEUS_MULTIPROC_DIR is set, as `relevo serve web --workers N` does before
its workers start); every instrument has labels, so no file is written before a command.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from commands.parser import line_verb

# Why a command ended as it did (docs/operations.md lists them for operators).
OK = "ok"  # done as asked
ASKED = "asked"  # answered with a question or a "not found" (which Acme? nothing saved)
USAGE = "usage"  # the line did not parse; the reply shows how to write it
REFUSED = "refused"  # the hub's rules said no (access, a closed record, unstorable text)
DUPLICATE = "duplicate"  # a redelivered request, written once
CONFLICT = "conflict"  # someone changed the record at the same moment
UNAVAILABLE = "unavailable"  # the database could not be reached (or the commit is unsettled)
ERROR = "error"  # a bug: the person got an error id
SLOWED = "slowed"  # held back by the rate limit before it ran
UNKNOWN_VERB = "unknown"

COMMANDS = Counter(
    "relevo_commands",
    "Commands run, by verb and outcome.",
    ["verb", "outcome"],
)
COMMAND_SECONDS = Histogram(
    "relevo_command_seconds",
    "Time to run a whole command (parse, handle, commit, retries), by verb.",
    ["verb"],
)
ACK_SECONDS = Histogram(
    "relevo_ack_seconds",
    "Time to answer an HTTP request, by route: for Slack and Discord, the acknowledgement.",
    ["route"],
)
RATE_LIMITED = Counter(
    "relevo_rate_limited",
    "Requests held back by the rate limit, by platform.",
    ["platform"],
)


def count_command(verb: str, outcome: str, seconds: float | None = None) -> None:
    """One command ended with `outcome`; `seconds`: how long it ran (None: it never ran)."""
    COMMANDS.labels(verb=verb, outcome=outcome).inc()
    if seconds is not None:
        COMMAND_SECONDS.labels(verb=verb).observe(seconds)


def verb_of(line: str) -> str:
    """The verb a line names, for a label: one of the language's, or `unknown`."""
    return (line_verb(line) if line.strip() else None) or UNKNOWN_VERB


def count_slowed(platform: str, typed: str = "") -> None:
    """A request the rate limit held back (`typed`: its line, if it has one): a refusal,
    and a command that did not run."""
    RATE_LIMITED.labels(platform=platform).inc()
    count_command(verb_of(typed), SLOWED)
