"""Telling a person about something that arrived for them (a new lead, for now).

The scheduler's delivery dispatcher sends DMs where each person is; intakes only need to
say "tell this person this". `Notifier` is that seam; `bot.schedule.DispatchingNotifier`
implements it on the exactly-once delivery ledger (kind, recipient "person:<id>", period =
what it is about), so a repeated notice is a no-op.
"""

from __future__ import annotations

import logging
from typing import Protocol

from commands.reply import Reply

log = logging.getLogger(__name__)


class Notifier(Protocol):
    def notify_person(self, person_id: int, reply: Reply, *, kind: str, key: str) -> None:
        """Tell person `person_id` what `reply` says; `kind` and `key` identify the notice
        (e.g. "lead" and the interaction id) so it is sent at most once."""
        ...
