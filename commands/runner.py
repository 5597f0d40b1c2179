"""Runs one `/crm` line for one person: parse, handle, commit, and never raise.

Every line runs in its own unit of work: whatever a command writes is committed together
when it succeeds and rolled back entirely when it fails, so a bad line never leaves half
a record behind. Failures become replies that keep what the person typed.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from commands import types as t
from commands.dates import DateReader
from commands.handlers import coverage, followups, lookup, pipeline, records
from commands.handlers.common import ReplyNow
from commands.handlers.help import help_reply, show_help
from commands.parser import parse
from commands.reply import Reply, Tone
from hub.clock import Clock
from hub.db import Database
from hub.errors import HubError
from hub.lookup import longest_account_prefix
from hub.models import Person, RequestReceipt
from hub.settings import Settings
from hub.text import unstorable, visible
from hub.work import Work
from search.service import Search

log = logging.getLogger(__name__)

HANDLERS: dict[type, Callable[[Work, Any], Reply]] = {
    t.SaveAccount: records.account,
    t.SaveContact: records.contact,
    t.Log: records.log,
    t.Agree: records.agree,
    t.OpenComplaint: records.complaint,
    t.Resolve: records.resolve,
    t.OpenDeal: pipeline.deal,
    t.MoveDeal: pipeline.move,
    t.ShowDigest: pipeline.digest,
    t.Subscribe: pipeline.subscribe,
    t.Unsubscribe: pipeline.unsubscribe,
    t.Remind: followups.remind,
    t.Done: followups.done,
    t.Snooze: followups.snooze,
    t.Mine: followups.mine,
    t.HandOver: coverage.handover,
    t.Away: coverage.away,
    t.Back: coverage.back,
    t.Help: show_help,
}
READ_ONLY = {"whois", "find", "mine", "digest", "help"}


class HubNames:
    """The parser's view of account names: those the acting person can see."""

    def __init__(self, work: Work) -> None:
        self.work = work

    def longest_prefix(self, words: Sequence[str]) -> int:
        return longest_account_prefix(self.work, words)


class CommandRunner:
    def __init__(
        self, *, database: Database, settings: Settings, clock: Clock, search: Search | None = None
    ) -> None:
        self.database = database
        self.settings = settings
        self.clock = clock
        self.search = search or Search()
        self.handlers: dict[type, Callable[[Work, Any], Reply]] = {
            **HANDLERS,
            t.Whois: partial(lookup.whois, search=self.search),
            t.Find: partial(lookup.find, search=self.search),
        }

    def run(
        self,
        line: str,
        *,
        person_id: int,
        source: str = "console",
        request_key: str | None = None,
    ) -> Reply:
        """The reply to `line` typed by person `person_id`. Never raises.

        `request_key` is the platform's id of the request (Slack's trigger or event id):
        a write delivered again under the same key writes nothing and answers `duplicate`.
        """

        def parsed(work: Work) -> t.Command:
            return parse(line, names=HubNames(work), dates=DateReader(now=work.now, tz=work.tz))

        return self._execute(parsed, line, person_id, source, request_key)

    def execute(
        self,
        command: t.Command | Callable[[DateReader], t.Command],
        *,
        typed: str,
        person_id: int,
        source: str,
        request_key: str | None = None,
    ) -> Reply:
        """Like `run`, for a command a form or a platform's typed options build: the command
        itself, or a function of the person's DateReader (their time zone and "now").

        `typed` is the command as a line, shown back when something goes wrong.
        """

        def built(work: Work) -> t.Command:
            if callable(command):
                return command(DateReader(now=work.now, tz=work.tz))
            return command

        return self._execute(built, typed, person_id, source, request_key)

    def _execute(
        self,
        command_for: Callable[[Work], t.Command],
        line: str,
        person_id: int,
        source: str,
        request_key: str | None,
    ) -> Reply:
        problem = unstorable(line)
        if problem is not None:
            return _failure(_cannot_store(problem), line)
        try:
            with self.database.unit_of_work() as session:
                actor = session.get(Person, person_id)
                if actor is None:
                    raise HubError("I don't know you yet; ask an admin to add you.")
                if request_key is not None and _writes(line):
                    _take_receipt(session, source, request_key, actor, self.clock.now())
                work = Work(
                    session=session,
                    actor=actor,
                    now=self.clock.now(),
                    settings=self.settings,
                    source=source,
                )
                command = command_for(work)
                problem = next(filter(None, map(unstorable, _texts(command))), None)
                if problem is not None:
                    raise HubError(_cannot_store(problem))
                return self.handlers[type(command)](work, command)
        except _AlreadyHandled:
            return Reply(title="That request reached me twice; it was saved once.", duplicate=True)
        except t.Usage as usage:
            return _usage_reply(usage, line)
        except ReplyNow as stop:
            return _keep_text(stop.reply, line)
        except HubError as refusal:
            return _failure(str(refusal), line)
        except StaleDataError:
            return _failure(
                "Someone changed that record at the same moment; please try again.", line
            )
        except (OperationalError, InterfaceError) as error:
            log.warning("database unavailable: %s", type(error).__name__)
            return _failure("I couldn't reach the hub's database.", line)
        except Exception as error:
            return _crash(error, line)


class _AlreadyHandled(Exception):
    pass


def _take_receipt(session: Session, platform: str, key: str, actor: Person, now: datetime) -> None:
    session.add(
        RequestReceipt(platform=platform, key=key[:128], person_id=actor.id, created_at=now)
    )
    try:
        session.flush()
    except IntegrityError:
        raise _AlreadyHandled from None


def _cannot_store(problem: str) -> str:
    return f"I can't store text with {problem}; remove it and send again."


def _texts(value: object) -> Iterator[str]:
    """Every string a typed command carries (forms and Discord options build them)."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _texts(getattr(value, field.name))


def _writes(line: str) -> bool:
    words = line.strip().removeprefix("/crm").split()
    return bool(words) and words[0].lower() not in READ_ONLY


def _kept(line: str) -> tuple[str, ...]:
    """The notes that close every failure: whether anything was saved, and the text typed."""
    typed = f"You typed: {visible(line.strip())}"
    return ("Nothing was saved.", typed) if _writes(line) else (typed,)


def _usage_reply(usage: t.Usage, line: str) -> Reply:
    if usage.topic is None:
        return Reply(
            title=usage.message,
            text="Type help to see every command.",
            notes=_kept(line),
            tone=Tone.ERROR,
        )
    guide = help_reply(usage.topic)
    return Reply(
        title=usage.message,
        text=f"Usage: {guide.title}",
        sections=guide.sections,
        notes=_kept(line),
        tone=Tone.ERROR,
    )


def _keep_text(reply: Reply, line: str) -> Reply:
    return Reply(
        title=reply.title,
        text=reply.text,
        fields=reply.fields,
        sections=reply.sections,
        actions=reply.actions,
        notes=(*reply.notes, _kept(line)[-1]),
        tone=reply.tone,
    )


def _failure(message: str, line: str) -> Reply:
    return Reply(title=message, notes=_kept(line), tone=Tone.ERROR)


def _crash(error: BaseException, line: str) -> Reply:
    error_id = uuid.uuid4().hex[:8]
    log.error("command failed [%s]", error_id, exc_info=error)
    return Reply(
        title=f"Sorry, something went wrong on my side (error {error_id}).",
        notes=_kept(line),
        tone=Tone.ERROR,
        error_id=error_id,
    )
