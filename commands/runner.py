"""Runs one `/crm` line for one person: parse, handle, commit, and never raise.

Every line runs in its own unit of work: whatever a command writes is committed together
when it succeeds and rolled back entirely when it fails, so a bad line never leaves half
a record behind. Failures become replies that keep what the person typed.
"""

from __future__ import annotations

import dataclasses
import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from commands import metrics
from commands import types as t
from commands.dates import DateReader
from commands.handlers import (
    corrections,
    coverage,
    followups,
    history,
    lookup,
    pipeline,
    records,
    reports,
)
from commands.handlers.common import ReplyNow
from commands.handlers.help import help_reply, show_help
from commands.help import TOPICS
from commands.parser import line_writes, parse
from commands.reply import Action, Reply, Tone
from hub import i18n, ids, journal, notices
from hub.clock import Clock
from hub.db import Database
from hub.errors import HubError
from hub.i18n import N_, _, pgettext
from hub.lookup import longest_account_prefix
from hub.models import Person, RequestReceipt
from hub.people import longest_person_prefix
from hub.settings import Settings
from hub.text import unstorable, visible
from hub.work import Work, Workplace
from search.service import Search

log = logging.getLogger(__name__)

HANDLERS: dict[type, Callable[[Work, Any], Reply]] = {
    t.Timeline: history.show_timeline,
    t.SaveAccount: records.account,
    t.SaveContact: records.contact,
    t.Log: records.log,
    t.Agree: records.agree,
    t.OpenComplaint: records.complaint,
    t.Resolve: records.resolve,
    t.CloseAgreement: records.close,
    t.OpenDeal: pipeline.deal,
    t.MoveDeal: pipeline.move,
    t.ShowDigest: pipeline.digest,
    t.ShowReport: reports.show_report,
    t.Subscribe: pipeline.subscribe,
    t.Unsubscribe: pipeline.unsubscribe,
    t.Remind: followups.remind,
    t.Done: followups.done,
    t.Snooze: followups.snooze,
    t.Mine: followups.mine,
    t.HandOver: coverage.handover,
    t.Away: coverage.away,
    t.CancelAbsence: coverage.cancel_absence,
    t.Back: coverage.back,
    t.Undo: corrections.undo,
    t.Edit: corrections.edit,
    t.Delete: corrections.delete,
    t.Restore: corrections.restore,
    t.Help: show_help,
}
# Seconds to wait before each new try after the database connection failed...
RETRY_DELAYS = (0.1, 0.5)
# ...and then, while a write's COMMIT failed and whether it was saved is still unknown.
SETTLE_DELAYS = (1.0, 2.0, 4.0)
UNREACHABLE = N_("I couldn't reach the hub's database.")
UNSETTLED = N_(
    "I lost the hub's database while saving this, so I can't tell whether it was saved. "
    "Look before typing it again."
)


def _dates(work: Work) -> DateReader:
    """Dates as the acting person writes them: in their time zone, in their locale."""
    return DateReader(now=work.now, tz=work.tz, locale=work.locale)


class HubNames:
    """The parser's view of names: accounts the acting person can see, active people."""

    def __init__(self, work: Work) -> None:
        self.work = work

    def longest_prefix(self, words: Sequence[str]) -> int:
        return longest_account_prefix(self.work, words)

    def longest_person_prefix(self, words: Sequence[str]) -> int:
        return longest_person_prefix(self.work.session, words)


class CommandRunner:
    def __init__(
        self, *, database: Database, settings: Settings, clock: Clock, search: Search | None = None
    ) -> None:
        self.database = database
        self.settings = settings
        self.clock = clock
        self.search = search or Search()
        self.workplace = Workplace(database=database, settings=settings, clock=clock)
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
            return parse(line, names=HubNames(work), dates=_dates(work))

        return self._execute(parsed, line, person_id, source, request_key)

    def read(self, line: str, work: Work) -> t.Command:
        """The command `line` stands for, as `work`'s person writes it (raises `Usage`)."""
        return parse(line, names=HubNames(work), dates=_dates(work))

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
                return command(_dates(work))
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
        """Run the command, again on a fresh connection when the database connection fails.

        Every write takes a request receipt (the platform's key, or one of our own) in its
        transaction, which makes trying again safe: a write that did commit collides on its
        receipt and is not written twice. It is also how an ambiguous failure is settled:
        when the connection dies during COMMIT the write may or may not be saved, and the
        next try's receipt tells which (it waits for, and then sees, the first one's fate).
        """
        started = time.perf_counter()
        run = _Run()
        # Replies are in the hub's language until the person is read, then in theirs.
        with i18n.reading_in(self.settings.locale):
            reply = self._settled(command_for, line, person_id, source, request_key, run)
            reply = dataclasses.replace(reply, locale=i18n.current())
        metrics.count_command(metrics.verb_of(line), run.outcome, time.perf_counter() - started)
        return reply

    def _settled(
        self,
        command_for: Callable[[Work], t.Command],
        line: str,
        person_id: int,
        source: str,
        request_key: str | None,
        run: _Run,
    ) -> Reply:
        """The reply, with how the command ended in `run.outcome`."""
        problem = unstorable(line)
        if problem is not None:
            run.outcome = metrics.REFUSED
            return _failure(_cannot_store(problem), line)
        key = request_key if request_key is not None else f"auto:{uuid.uuid4().hex}"
        retries = iter(RETRY_DELAYS)
        settling = iter(SETTLE_DELAYS)
        unsettled: Reply | None = None  # a reply whose commit failed: saved or not, unknown
        while True:
            attempt = _Attempt()
            try:
                reply = self._attempt(command_for, line, person_id, source, key, attempt)
                run.outcome = metrics.OK
                return reply
            except _AlreadyHandled:
                if unsettled is not None:
                    log.warning("a write whose COMMIT lost its connection was saved after all")
                    run.outcome = metrics.OK
                    return unsettled
                run.outcome = metrics.DUPLICATE
                return Reply(
                    title=_("That request reached me twice; it was saved once."), duplicate=True
                )
            except t.Usage as usage:
                run.outcome = metrics.USAGE
                return _usage_reply(usage, line)
            except ReplyNow as stop:
                run.outcome = metrics.ASKED
                return _keep_text(stop.reply_to(line), line)
            except HubError as refusal:
                run.outcome = metrics.REFUSED
                return _failure(str(refusal), line)
            except StaleDataError:
                run.outcome = metrics.CONFLICT
                return _failure(
                    _("Someone changed that record at the same moment; please try again."), line
                )
            except (OperationalError, InterfaceError) as error:
                log.warning("database unavailable: %s", type(error).__name__)
                if attempt.reply is not None and attempt.receipt_taken:
                    unsettled = attempt.reply  # failed while committing
                elif attempt.receipt_taken:
                    unsettled = None  # the receipt was free: no earlier try was saved
                run.outcome = metrics.UNAVAILABLE
                if not self.database.is_transient(error):
                    return _failure(_(UNREACHABLE), line)
                delay = next(retries, None)
                if delay is None and unsettled is not None:
                    delay = next(settling, None)
                if delay is None:
                    if unsettled is not None:
                        return _failure(_(UNSETTLED), line, saved_unknown=True)
                    return _failure(_(UNREACHABLE), line)
                time.sleep(delay)
            except Exception as error:
                run.outcome = metrics.ERROR
                return crash_reply(error, line)

    def _attempt(
        self,
        command_for: Callable[[Work], t.Command],
        line: str,
        person_id: int,
        source: str,
        key: str,
        attempt: _Attempt,
    ) -> Reply:
        with self.workplace.open(person_id, source=source) as work:
            i18n.read_as(work.locale)
            command = command_for(work)
            if command.writes:  # a write takes its receipt in its own transaction
                _take_receipt(work.session, source, key, work.actor, work.now)
                attempt.receipt_taken = True
            problem = next(filter(None, map(unstorable, _texts(command))), None)
            if problem is not None:
                raise HubError(_cannot_store(problem))
            journaled = command.writes and not isinstance(command, t.Undo | t.Restore)
            if journaled:
                journal.start(work.session)
            reply = self.handlers[type(command)](work, command)
            if journaled:
                change = journal.close(work, summary=reply.title)
                if change is not None:
                    notices.from_change(work, change)  # who should hear of it
                if change is not None and _offers_undo(command):
                    reply = dataclasses.replace(reply, actions=(*reply.actions, _undo(change.id)))
            attempt.reply = reply
        return attempt.reply


def _offers_undo(command: t.Command) -> bool:
    """Writes that take effect at once but are easy to regret: their reply has an Undo."""
    return isinstance(command, t.HandOver) or (
        isinstance(command, t.MoveDeal) and command.stage == "lost"
    )


def _undo(change_id: int) -> Action:
    return Action(
        pgettext("button", "Undo"), f"undo {ids.show('change', change_id)}", style="danger"
    )


@dataclass
class _Run:
    """How a command ended, for the metrics (commands/metrics.py)."""

    outcome: str = metrics.ERROR


@dataclass
class _Attempt:
    """How far one try got: past its receipt, and to a reply (so only COMMIT was left)."""

    receipt_taken: bool = False
    reply: Reply | None = None


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
    return _("I can't store text with {problem}; remove it and send again.", problem=problem)


def _texts(value: object) -> Iterator[str]:
    """Every string a typed command carries (forms and Discord options build them)."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _texts(getattr(value, field.name))


def _kept(line: str, *, saved_unknown: bool = False) -> tuple[str, ...]:
    """The notes that close every failure: whether anything was saved, and the text typed."""
    typed = _("You typed: {line}", line=visible(line.strip()))
    return (_("Nothing was saved."), typed) if line_writes(line) and not saved_unknown else (typed,)


def _usage_reply(usage: t.Usage, line: str) -> Reply:
    if usage.suggestion is not None:
        return Reply(
            title=_("{problem} Did you mean: {line}", problem=usage.message, line=usage.suggestion),
            choices=(Action(_("Run the corrected line"), usage.suggestion, style="primary"),),
            notes=_kept(line),
            tone=Tone.ERROR,
        )
    if usage.topic not in TOPICS:  # none, or a Discord subcommand with no page of its own
        return Reply(
            title=usage.message,
            text=_("Type help to see every command."),
            notes=_kept(line),
            tone=Tone.ERROR,
        )
    guide = help_reply(usage.topic)
    return Reply(
        title=usage.message,
        text=_("Usage: {usage}", usage=guide.title),
        sections=guide.sections,
        notes=_kept(line),
        tone=Tone.ERROR,
    )


def _keep_text(reply: Reply, line: str) -> Reply:
    return dataclasses.replace(reply, notes=(*reply.notes, _kept(line)[-1]))


def unreachable(line: str) -> Reply:
    """The answer when the hub's database cannot be reached: nothing saved, text kept."""
    return _failure(_(UNREACHABLE), line)


def _failure(message: str, line: str, *, saved_unknown: bool = False) -> Reply:
    return Reply(title=message, notes=_kept(line, saved_unknown=saved_unknown), tone=Tone.ERROR)


def crash_reply(error: BaseException, line: str) -> Reply:
    """What the person sees when something unexpected broke: an apology with an error id
    to quote (the details go to the log, never to the chat) and their text back."""
    error_id = uuid.uuid4().hex[:8]
    log.error("command failed [%s]", error_id, exc_info=error)
    return Reply(
        title=_("Sorry, something went wrong on my side (error {error_id}).", error_id=error_id),
        notes=_kept(line),
        tone=Tone.ERROR,
        error_id=error_id,
    )
