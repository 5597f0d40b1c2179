"""The `/crm` command group on Discord: one subcommand per SPEC command, typed options,
and how each subcommand's options become the typed command the parser would produce.

Discord wants structured options rather than one free-text argument; the same command
objects come out, so the handlers (and every rule behind them) are the console's and
Slack's. Dates stay text read by the person's own DateReader ("next friday" works).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from discord.enums import AppCommandOptionType, AppCommandType

from commands import types as t
from commands.dates import DateReader
from commands.forms import KINDS, day, typed_line
from commands.help import TOPICS
from commands.parser import (
    DEFAULT_KIND,
    FIND_TYPES,
    MAX_PAGE,
    SEVERITIES,
    STAGES,
    TIMELINE_TYPES,
    read_amount,
    read_id,
    read_record,
    read_when,
)
from hub.models import AccountStatus, Cadence, Tier, Visibility

# Discord's option types, as its API numbers them.
STRING = AppCommandOptionType.string.value
INTEGER = AppCommandOptionType.integer.value
BOOLEAN = AppCommandOptionType.boolean.value
USER = AppCommandOptionType.user.value
CHANNEL = AppCommandOptionType.channel.value
SUB_COMMAND = AppCommandOptionType.subcommand.value
CHAT_INPUT = AppCommandType.chat_input.value
TIERS = tuple(tier.value for tier in Tier)

Args = dict[str, Any]  # option values; users as "@handle", channels as "#<id>"
Build = Callable[[Args, DateReader], t.Command]


@dataclass(frozen=True)
class Option:
    name: str
    description: str
    kind: int = STRING
    required: bool = False
    choices: tuple[str, ...] = ()
    autocomplete: bool = False

    @property
    def prefix(self) -> str:
        """How the typed line introduces it: a required option in its place, else name:."""
        return "" if self.required else f"{self.name}:"

    @property
    def quote(self) -> bool:
        return self.autocomplete  # a name, which may have spaces

    def to_dict(self) -> dict[str, Any]:
        option: dict[str, Any] = {
            "type": self.kind,
            "name": self.name,
            "description": self.description,
            "required": self.required,
        }
        if self.choices:
            option["choices"] = [{"name": c, "value": c} for c in self.choices]
        if self.autocomplete:
            option["autocomplete"] = True
        return option


@dataclass(frozen=True)
class Sub:
    name: str
    description: str
    options: tuple[Option, ...]
    build: Build
    line: Callable[[Args], str] | None = None  # the line it stands for, if not typed_line's

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": SUB_COMMAND,
            "name": self.name,
            "description": self.description,
            "options": [o.to_dict() for o in self.options],
        }

    def typed(self, args: Args) -> str:
        """The command as a /crm line, to show back when something goes wrong."""
        return self.line(args) if self.line else typed_line(self.name, self.options, args)


def _account(name: str = "account", *, required: bool = True) -> Option:
    return Option(name, "The account (type to search)", required=required, autocomplete=True)


def _ref(args: Args, name: str = "account") -> t.AccountRef:
    return t.AccountRef(name=str(args[name]).strip(), known=True)


def _id(args: Args, verb: str) -> int:
    """The id option, typed as shown (`D12`) or as a number (a client that still has the
    integer option registered sends 12)."""
    return read_id(str(args["id"]), verb)


def _moment(dates: DateReader, text: str, what: str) -> datetime:
    moment = dates.moment(text)
    if moment is None:
        raise t.Usage(f"I couldn't read “{text}” as a date for {what} (try tomorrow 9am).")
    return moment


def _deal(args: Args, dates: DateReader) -> t.Command:
    amount, currency = read_amount(args["amount"]) if args.get("amount") else (None, None)
    return t.OpenDeal(
        account=_ref(args),
        title=args["title"],
        amount=amount,
        currency=currency,
        stage=args.get("stage") or "lead",
        close=day(dates, args.get("close"), "close"),
    )


def _page(args: Args) -> int:
    page = args.get("page") or 1
    if not 1 <= int(page) <= MAX_PAGE:
        raise t.Usage(f"page: must be a number from 1 to {MAX_PAGE:,}.")
    return int(page)


def _find(args: Args, _dates: DateReader) -> t.Command:
    find = t.Find(
        text=(args.get("text") or "").strip(),
        type=args.get("type"),
        owner=args.get("owner"),
        tier=args.get("tier"),
        status=(args.get("status") or "").strip().lower() or None,
        stage=args.get("stage"),
        page=_page(args),
    )
    if not find.text and not (find.type or find.owner or find.tier or find.status or find.stage):
        raise t.Usage("What should I look for? Give text, or a filter.", topic="find")
    if find.stage and find.type not in (None, "deal"):
        raise t.Usage(f"stage: is a deal's; there is none on {find.type}s.", topic="find")
    return find


# `kept` and `broken` are one subcommand (Discord allows 25): the outcome is a choice.
OUTCOMES = ("kept", "broken")


def _close(args: Args, _dates: DateReader) -> t.Command:
    outcome = args["outcome"]
    if outcome not in OUTCOMES:
        raise t.Usage(f"outcome: must be kept or broken, not “{outcome}”.", topic="kept")
    if outcome == "kept":
        return t.CloseAgreement(id=_id(args, "kept"), state="kept")
    return t.CloseAgreement(id=_id(args, "broken"), state="broken", reason=args.get("why"))


def _close_line(args: Args) -> str:
    """`/crm close` as the line one would type: `kept A7`, `broken A7 why`."""
    words = [str(args.get("outcome") or "kept"), str(args.get("id") or "")]
    if args.get("outcome") == "broken" and args.get("why"):
        words.append(str(args["why"]))
    return " ".join(w for w in words if w)


CORRECTIONS = ("edit", "delete", "restore")


def _correct(args: Args, dates: DateReader) -> t.Command:
    """`correct` is `edit`, `delete` or `restore` with typed options."""
    action = args["action"]
    if action not in CORRECTIONS:
        raise t.Usage(f"action: must be one of {'/'.join(CORRECTIONS)}.", topic="edit")
    kind, number = read_record(str(args["id"]), action)
    if action == "delete":
        return t.Delete(kind=kind, id=number)
    if action == "restore":
        return t.Restore(kind=kind, id=number)
    when = None
    if args.get("when"):
        when = read_when(dates, kind, args["when"])
        if when is None:
            raise t.Usage(f"I couldn't read “{args['when']}” as a moment.", topic="edit")
    edit = t.Edit(
        kind=kind,
        id=number,
        text=(args.get("text") or "").strip() or None,
        due=day(dates, args.get("due"), "due"),
        when=when,
        severity=args.get("severity"),
    )
    if edit.text is None and edit.due is None and edit.when is None and edit.severity is None:
        raise t.Usage("Say what changes: the text, due, when or severity.", topic="edit")
    return edit


# Discord has no list option: the accounts of one handover are options of their own.
HANDOVER_ACCOUNTS = ("account", "account2", "account3")


def _handover(args: Args, dates: DateReader) -> t.Command:
    until = day(dates, args.get("until"), "until")
    if args.get("book_of"):
        return t.HandOver(to=args["to"], person=args["book_of"], until=until, note=args.get("note"))
    accounts = tuple(_ref(args, name) for name in HANDOVER_ACCOUNTS if args.get(name))
    if not accounts:
        raise t.Usage("Name an account, or whose book (book_of) to hand over.", topic="handover")
    return t.HandOver(to=args["to"], accounts=accounts, until=until, note=args.get("note"))


def _away(args: Args, dates: DateReader) -> t.Command:
    starts = day(dates, args["from"], "from")
    ends = day(dates, args.get("to") or args["from"], "to")
    assert starts is not None and ends is not None
    return t.Away(starts=starts, ends=ends, cover=args.get("cover"))


_COMMANDS: tuple[Sub, ...] = (
    Sub(
        "whois",
        "The one-glance card of an account or contact",
        (Option("query", "Account, contact, e-mail or domain", required=True, autocomplete=True),),
        lambda a, _d: t.Whois(query=a["query"].strip()),
    ),
    Sub(
        "find",
        "Search accounts, contacts, interactions, agreements, complaints",
        (
            Option("text", "What to look for (empty: list what the filters match)"),
            Option("type", "Only this kind of record", choices=FIND_TYPES),
            Option("owner", "Only what this person owns", USER),
            Option("tier", "Only this tier", choices=TIERS),
            Option("status", "A complaint's or agreement's status, else the account's"),
            Option("stage", "Only deals at this stage", choices=STAGES),
            Option("page", "Which page of results", INTEGER),
        ),
        _find,
    ),
    Sub(
        "timeline",
        "An account's whole history, newest first, a page at a time",
        (
            _account(),
            Option("type", "Only this kind of entry", choices=TIMELINE_TYPES),
            Option("since", "From this day on, e.g. 2026-11-01"),
            Option("page", "Which page", INTEGER),
        ),
        lambda a, d: t.Timeline(
            account=_ref(a),
            type=a.get("type"),
            since=day(d, a.get("since"), "since"),
            page=_page(a),
        ),
    ),
    Sub(
        "account",
        "Create or update an account",
        (
            Option("name", "The account's name", required=True, autocomplete=True),
            Option("tier", "Importance", choices=TIERS),
            Option("owner", "Who owns it", USER),
            Option("domain", "Its web domain, e.g. acme.com"),
            Option("visibility", "Who may see it", choices=tuple(v.value for v in Visibility)),
            Option("status", "Account status", choices=tuple(s.value for s in AccountStatus)),
            Option("alias", "Another name people use for it"),
            Option("team", "Its department, for team visibility"),
            Option("channel", "A channel that hears about its changes", CHANNEL),
            Option("rename", "A new name"),
        ),
        lambda a, _d: t.SaveAccount(
            name=a["name"],
            tier=a.get("tier"),
            owner=a.get("owner"),
            domain=a.get("domain"),
            visibility=a.get("visibility"),
            status=a.get("status"),
            alias=a.get("alias"),
            department=a.get("team"),
            channel=a.get("channel"),
            rename=a.get("rename"),
        ),
    ),
    Sub(
        "contact",
        "Create or update a contact and their role at an account",
        (
            _account(),
            Option("name", "The contact's name", required=True),
            Option("role", "Their role, e.g. decision maker"),
            Option("title", "Job title"),
            Option("email", "E-mail address"),
            Option("phone", "Phone number"),
        ),
        lambda a, _d: t.SaveContact(
            account=_ref(a),
            name=a["name"],
            role=a.get("role"),
            title=a.get("title"),
            email=a.get("email"),
            phone=a.get("phone"),
        ),
    ),
    Sub(
        "log",
        "Record an interaction",
        (
            _account(),
            Option("text", "What happened", required=True),
            Option("kind", "How", choices=KINDS),
            Option("with", "The contact it was with", autocomplete=True),
        ),
        lambda a, _d: t.Log(
            account=_ref(a),
            kind=a.get("kind") or DEFAULT_KIND,
            text=a["text"],
            with_contact=a.get("with"),
            text_without_contact=a["text"],
        ),
    ),
    Sub(
        "agree",
        "Record an agreement: what was promised, by whom, until when",
        (
            _account(),
            Option("text", "What was agreed", required=True),
            Option("due", "When it is due, e.g. next friday"),
        ),
        lambda a, d: t.Agree(account=_ref(a), text=a["text"], due=day(d, a.get("due"), "due")),
    ),
    Sub(
        "complaint",
        "Open a complaint",
        (
            _account(),
            Option("text", "What is wrong", required=True),
            Option("severity", "How bad", choices=SEVERITIES),
        ),
        lambda a, _d: t.OpenComplaint(
            account=_ref(a), text=a["text"], severity=a.get("severity") or "medium"
        ),
    ),
    Sub(
        "resolve",
        "Close a complaint",
        (
            Option("id", "The complaint's id, e.g. C12", required=True),
            Option("note", "How it was resolved"),
        ),
        lambda a, _d: t.Resolve(id=_id(a, "resolve"), note=a.get("note")),
    ),
    Sub(
        "close",
        "Say whether an agreement was kept or broken",
        (
            Option("id", "The agreement's id, e.g. A7", required=True),
            Option("outcome", "Kept or broken", required=True, choices=OUTCOMES),
            Option("why", "Why it was not kept"),
        ),
        _close,
        line=_close_line,
    ),
    Sub(
        "deal",
        "Open a deal",
        (
            _account(),
            Option("title", "The deal's title", required=True),
            Option("amount", "Amount, e.g. 48000 or 48k EUR"),
            Option("stage", "Pipeline stage", choices=STAGES),
            Option("close", "Expected close date"),
        ),
        _deal,
    ),
    Sub(
        "stage",
        "Move a deal to another stage: won and lost included",
        (
            Option("id", "The deal's id, e.g. D12", required=True),
            Option("stage", "The new stage", required=True, choices=STAGES),
            Option("reason", "Why it was lost"),
        ),
        lambda a, _d: t.MoveDeal(id=_id(a, "stage"), stage=a["stage"], reason=a.get("reason")),
    ),
    Sub(
        "remind",
        "A follow-up, delivered in the daily DM",
        (
            Option("when", "When, e.g. tomorrow 9am", required=True),
            Option("text", "What to do", required=True),
            _account("about", required=False),
            Option("for", "Who should do it", USER),
        ),
        lambda a, d: t.Remind(
            when=_moment(d, a["when"], "when"),
            text=a["text"],
            about=_ref(a, "about") if a.get("about") else None,
            assignee=a.get("for"),
        ),
    ),
    Sub(
        "done",
        "Mark a follow-up done",
        (Option("id", "The follow-up's id, e.g. F5", required=True),),
        lambda a, _d: t.Done(id=_id(a, "done")),
    ),
    Sub(
        "snooze",
        "Move a follow-up later",
        (
            Option("id", "The follow-up's id, e.g. F5", required=True),
            Option("until", "Until when, e.g. monday 9am", required=True),
        ),
        lambda a, d: t.Snooze(id=_id(a, "snooze"), until=_moment(d, a["until"], "until")),
    ),
    Sub(
        "handover",
        "Hand accounts over, for good or for a period",
        (
            Option("to", "Who takes over", USER, required=True),
            _account(required=False),
            Option("account2", "Another account (type to search)", autocomplete=True),
            Option("account3", "And another (type to search)", autocomplete=True),
            Option("book_of", "Hand over all of this person's accounts", USER),
            Option("until", "Until when (empty: for good)"),
            Option("note", "A note for the new owner"),
        ),
        _handover,
    ),
    Sub(
        "away",
        "You're away: your cover sees and receives your work",
        (
            Option("from", "First day away", required=True),
            Option("to", "Last day away"),
            Option("cover", "Who covers for you", USER),
        ),
        _away,
    ),
    Sub("back", "You're back early", (), lambda _a, _d: t.Back()),
    Sub(
        "mine",
        "My day: tasks, agreements due, accounts, complaints over SLA",
        (),
        lambda _a, _d: t.Mine(),
    ),
    Sub(
        "digest",
        "The pipeline digest",
        (Option("now", "Post the channels' digest (public accounts only) here", BOOLEAN),),
        lambda a, _d: t.ShowDigest(now=bool(a.get("now"))),
    ),
    Sub(
        "subscribe",
        "Send pipeline digests to a channel",
        (
            Option("channel", "The channel", CHANNEL, required=True),
            Option("cadence", "How often", choices=tuple(c.value for c in Cadence)),
        ),
        lambda a, _d: t.Subscribe(channel=a["channel"], cadence=a.get("cadence") or "weekly"),
    ),
    Sub(
        "unsubscribe",
        "Stop digests to a channel",
        (Option("channel", "The channel", CHANNEL, required=True),),
        lambda a, _d: t.Unsubscribe(channel=a["channel"]),
    ),
    Sub(
        "undo",
        "Undo your last write (under 15 minutes old), or the change an Undo button names",
        (Option("change", "The change's id, e.g. U17 (empty: your last write)"),),
        lambda a, _d: t.Undo(
            change=read_id(a["change"], "undo", "change") if a.get("change") else None
        ),
    ),
    Sub(
        "correct",
        "Edit, delete or restore an interaction, agreement, complaint or follow-up",
        (
            Option("action", "What to do", required=True, choices=CORRECTIONS),
            Option("id", "The record's id, e.g. N9, A7, C3, F5 or D12", required=True),
            Option("text", "The new text (edit)"),
            Option("due", "An agreement's new due date (edit)"),
            Option("when", "When an interaction happened, or a follow-up is due (edit)"),
            Option("severity", "A complaint's new severity (edit)", choices=SEVERITIES),
        ),
        _correct,
    ),
)
# help offers the commands as Discord shows them (25 choices at most); `correct` is
# explained by edit's help, `close` by kept's and broken's.
HELP_TOPICS = (
    *(sub.name for sub in _COMMANDS if sub.name in TOPICS),
    "edit",
    "kept",
    "broken",
)
SUBCOMMANDS: tuple[Sub, ...] = (
    *_COMMANDS,
    Sub(
        "help",
        "Usage, with examples",
        (Option("command", "A command", choices=HELP_TOPICS),),
        lambda a, _d: t.Help(topic=a.get("command")),
    ),
)
BY_NAME = {sub.name: sub for sub in SUBCOMMANDS}


def command_group() -> dict[str, Any]:
    """The `/crm` group as Discord registers it (PUT .../applications/{id}/commands)."""
    return {
        "name": "crm",
        "type": CHAT_INPUT,
        "description": "Look up, log and hand over customer relationships",
        "contexts": [0],  # guilds only: strangers in DMs get nothing
        "options": [sub.to_dict() for sub in SUBCOMMANDS],
    }
