"""The middleware every Slack request goes through before a listener sees it: the
workspace check, the rate limit and the person lookup, once.

A listener finds in Bolt's `context` the asking Person's id (`PERSON_ID`), or what holds
the request back (`HELD`: a refusal, a wait, or the database out of reach) with the
answer to give instead. Lazy listeners get a copy of the same context.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from sqlalchemy.exc import InterfaceError, OperationalError

from bot.ratelimit import RateLimiter, slowed
from bot.slack.blocks import notification_text, reply_blocks
from bot.slack.people import NOT_SERVED, Refusal, SlackPeople
from bot.slack.requests import team_id, user_id
from commands import metrics
from commands.reply import Reply, Tone
from commands.runner import unreachable
from hub.i18n import _, current, reading_in

SOURCE = "slack"
PERSON_ID = "person_id"
HELD = "held"
# Typing in a picker is not a command: it is never slowed down (as Discord's autocomplete).
UNLIMITED = ("block_suggestion", "event_callback")


@dataclass(frozen=True)
class Held:
    """Why a request is not run, as the reply that says so, in `locale`: the person's
    when it is known, else the hub's."""

    refusal: str | None = None  # its English text (bot/slack/people.py)
    wait: float = 0.0
    locale: str | None = None

    def reply(self, typed: str | None = None) -> Reply:
        with reading_in(self.locale):
            if self.refusal is not None:
                reply = Reply(title=_(self.refusal), tone=Tone.WARNING)
            elif self.wait:
                reply = slowed(self.wait, typed)
            else:
                reply = unreachable(typed or "")
            return dataclasses.replace(reply, locale=current())


def refusal_reply(refusal: Refusal, locale: str | None = None) -> Reply:
    """A refusal said in the refused user's language, else in `locale`."""
    return Held(refusal=refusal.message, locale=refusal.locale or locale).reply()


class Pipeline:
    def __init__(self, people: SlackPeople, limiter: RateLimiter) -> None:
        self.people = people
        self.limiter = limiter

    def __call__(
        self, body: dict[str, Any], context: BoltContext, next: Callable[[], None]
    ) -> BoltResponse | None:
        team = team_id(body)
        hub_locale = self.people.app.settings.locale
        if team is not None and not self.people.serves(team):
            return _not_served(body, hub_locale)
        user = user_id(body)
        if user is None:
            next()
            return None
        kind = "command" if body.get("command") else body.get("type")
        wait = 0.0 if kind in UNLIMITED else self.limiter.wait_needed(SOURCE, team or "", user)
        if wait:
            metrics.count_slowed(SOURCE, str(body.get("text") or ""))
            context[HELD] = Held(wait=wait, locale=self.people.known_locale(team, user))
            next()
            return None
        try:
            who = self.people.person_id(team, user)
        except (OperationalError, InterfaceError):
            context[HELD] = Held(locale=hub_locale)
        else:
            if isinstance(who, Refusal):
                context[HELD] = Held(refusal=who.message, locale=who.locale or hub_locale)
            else:
                context[PERSON_ID] = who
        next()
        return None


def _not_served(body: dict[str, Any], locale: str) -> BoltResponse:
    """Requests from a workspace we don't serve get a refusal before any work, in the
    hub's language (we know nothing of the person)."""
    if not body.get("command"):
        return BoltResponse(status=200, body="")
    refusal = refusal_reply(Refusal(NOT_SERVED), locale)
    return BoltResponse(
        status=200,
        body=json.dumps(
            {
                "response_type": "ephemeral",
                "text": notification_text(refusal),
                "blocks": reply_blocks(refusal),
            }
        ),
        headers={"content-type": "application/json"},
    )
