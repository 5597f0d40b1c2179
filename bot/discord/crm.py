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
    report_grouping,
    report_period,
)
from commands.verbs import VERB_ALIASES
from hub.account_rules import Segments
from hub.i18n import LOCALES as LANGUAGES
from hub.i18n import N_, _, current, number_text, pgettext, reading_in
from hub.models import AccountStatus, Cadence, Tier, Visibility
from hub.reports import GROUPINGS, REPORTS

# Discord's option types, as its API numbers them.
STRING = AppCommandOptionType.string.value
INTEGER = AppCommandOptionType.integer.value
BOOLEAN = AppCommandOptionType.boolean.value
USER = AppCommandOptionType.user.value
CHANNEL = AppCommandOptionType.channel.value
SUB_COMMAND = AppCommandOptionType.subcommand.value
CHAT_INPUT = AppCommandType.chat_input.value
TIERS = tuple(tier.value for tier in Tier)
# Every grouped report's groupings (`by:`), each once.
BY = tuple(dict.fromkeys(by for groupings in GROUPINGS.values() for by in groupings))

Args = dict[str, Any]  # option values; users as "@handle", channels as "#<id>"
Build = Callable[[Args, DateReader], t.Command]


# Discord shows a command's names and descriptions in the client's language when the
# command carries them (`name_localizations`, `description_localizations`): these are the
# Discord locales we give, each read from the catalogue of its language. What Discord sends
# back is always the English name (a localised name is for showing only), so the options
# below are read by `Option.name` whatever the person's language.
LOCALES = ("es-ES",)


def localised(text: Callable[[], str]) -> dict[str, str]:
    """`text()` written in each of LOCALES: {"es-ES": "…"}."""
    written = {}
    for locale in LOCALES:
        with reading_in(locale):
            written[locale] = text()
    return written


def verb_shown(verb: str) -> str:
    """A verb as the reader names it: in Spanish its first Spanish name (the one the
    parser's help shows, `quién` for whois), which is also what they may type."""
    if current() == "es":
        return next((alias for alias, meant in VERB_ALIASES.items() if meant == verb), verb)
    return verb


@dataclass(frozen=True)
class Option:
    name: str
    description: str  # marked with N_: the catalogue's text
    kind: int = STRING
    required: bool = False
    choices: tuple[str, ...] = ()
    autocomplete: bool = False
    verb_choices: bool = False  # its choices are verbs (help's topics), shown as verbs

    @property
    def prefix(self) -> str:
        """How the typed line introduces it: a required option in its place, else name:."""
        return "" if self.required else f"{self.name}:"

    @property
    def quote(self) -> bool:
        return self.autocomplete  # a name, which may have spaces

    def shown_name(self, sub: str) -> str:
        """The option's name as Discord shows it to the reader (of subcommand `sub`)."""
        return _option_shown(sub, self.name)

    def choice_shown(self, value: str) -> str | None:
        """A choice as the reader reads it; None for one that is no word (a tier's letter)."""
        if self.verb_choices:
            return verb_shown(value)
        return _choices_shown().get(value)

    def choice_localisations(self, value: str) -> dict[str, str]:
        return {
            locale: shown
            for locale, shown in localised(lambda: self.choice_shown(value) or "").items()
            if shown
        }

    def to_dict(self, sub: str) -> dict[str, Any]:
        option: dict[str, Any] = {
            "type": self.kind,
            "name": self.name,
            "description": self.description,
            "required": self.required,
            "name_localizations": localised(lambda: self.shown_name(sub)),
            "description_localizations": localised(lambda: _(self.description)),
        }
        if self.choices:
            option["choices"] = [self._choice(c) for c in self.choices]
        if self.autocomplete:
            option["autocomplete"] = True
        return option

    def _choice(self, value: str) -> dict[str, Any]:
        choice: dict[str, Any] = {"name": value, "value": value}
        shown = self.choice_localisations(value)
        if shown:
            choice["name_localizations"] = shown
        return choice


@dataclass(frozen=True)
class Sub:
    name: str
    description: str  # marked with N_: the catalogue's text
    options: tuple[Option, ...]
    build: Build
    line: Callable[[Args], str] | None = None  # the line it stands for, if not typed_line's

    def shown_name(self) -> str:
        """The subcommand's name as Discord shows it: the verb's name in the reader's
        language (`/crm quién`); `close` and `correct` are Discord's own."""
        own = _subcommands_shown().get(self.name)
        return own if own is not None else verb_shown(self.name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": SUB_COMMAND,
            "name": self.name,
            "description": self.description,
            "name_localizations": localised(self.shown_name),
            "description_localizations": localised(lambda: _(self.description)),
            "options": [o.to_dict(self.name) for o in self.options],
        }

    def typed(self, args: Args) -> str:
        """The command as a /crm line, to show back when something goes wrong."""
        return self.line(args) if self.line else typed_line(self.name, self.options, args)


def _subcommands_shown() -> dict[str, str]:
    """The names of the subcommands that are no verb of the parser's."""
    return {
        "close": pgettext("discord subcommand", "close"),
        "correct": pgettext("discord subcommand", "correct"),
    }


def _option_shown(sub: str, option: str) -> str:
    """An option's name as the reader reads it. Names are lowercase words without spaces
    (Discord's rule); where the parser has a Spanish key for the option, it is that key."""
    if (sub, option) == ("contact", "title"):
        return pgettext("discord option: a contact's job title", "title")
    if (sub, option) == ("away", "to"):
        return pgettext("discord option: the last day away", "to")
    names = {
        "query": pgettext("discord option", "query"),
        "text": pgettext("discord option", "text"),
        "type": pgettext("discord option", "type"),
        "owner": pgettext("discord option", "owner"),
        "tier": pgettext("discord option", "tier"),
        "status": pgettext("discord option", "status"),
        "stage": pgettext("discord option", "stage"),
        "page": pgettext("discord option", "page"),
        "account": pgettext("discord option", "account"),
        "since": pgettext("discord option", "since"),
        "name": pgettext("discord option", "name"),
        "domain": pgettext("discord option", "domain"),
        "visibility": pgettext("discord option", "visibility"),
        "alias": pgettext("discord option", "alias"),
        "team": pgettext("discord option", "team"),
        "channel": pgettext("discord option", "channel"),
        "rename": pgettext("discord option", "rename"),
        "role": pgettext("discord option", "role"),
        "title": pgettext("discord option", "title"),
        "email": pgettext("discord option", "email"),
        "phone": pgettext("discord option", "phone"),
        "kind": pgettext("discord option", "kind"),
        "with": pgettext("discord option", "with"),
        "due": pgettext("discord option", "due"),
        "severity": pgettext("discord option", "severity"),
        "id": pgettext("discord option", "id"),
        "note": pgettext("discord option", "note"),
        "outcome": pgettext("discord option", "outcome"),
        "why": pgettext("discord option", "why"),
        "amount": pgettext("discord option", "amount"),
        "close": pgettext("discord option", "close"),
        "reason": pgettext("discord option", "reason"),
        "when": pgettext("discord option", "when"),
        "about": pgettext("discord option", "about"),
        "for": pgettext("discord option", "for"),
        "until": pgettext("discord option", "until"),
        "to": pgettext("discord option", "to"),
        "account2": pgettext("discord option", "account2"),
        "account3": pgettext("discord option", "account3"),
        "book_of": pgettext("discord option", "book_of"),
        "from": pgettext("discord option", "from"),
        "cover": pgettext("discord option", "cover"),
        "now": pgettext("discord option", "now"),
        "what": pgettext("discord option", "what"),
        "period": pgettext("discord option", "period"),
        "cadence": pgettext("discord option", "cadence"),
        "language": pgettext("discord option", "language"),
        "change": pgettext("discord option", "change"),
        "action": pgettext("discord option", "action"),
        "command": pgettext("discord option", "command"),
        "industry": pgettext("discord option", "industry"),
        "country": pgettext("discord option", "country"),
        "region": pgettext("discord option", "region"),
        "size": pgettext("discord option", "size"),
        "revenue": pgettext("discord option", "revenue"),
        "source": pgettext("discord option", "source"),
        "campaign": pgettext("discord option", "campaign"),
        "by": pgettext("discord option", "by"),
    }
    return names[option]


def _choices_shown() -> dict[str, str]:
    """The choices that are words, as the reader reads them (the value sent stays English)."""
    return {
        # kinds of record (find's and timeline's type)
        "account": pgettext("discord choice", "account"),
        "contact": pgettext("discord choice", "contact"),
        "interaction": pgettext("discord choice", "interaction"),
        "agreement": pgettext("discord choice", "agreement"),
        "complaint": pgettext("discord choice", "complaint"),
        "deal": pgettext("discord choice", "deal"),
        "triage": pgettext("discord choice", "triage"),
        "handover": pgettext("discord choice", "handover"),
        # a deal's stages
        "lead": pgettext("discord choice", "lead"),
        "qualified": pgettext("discord choice", "qualified"),
        "proposal": pgettext("discord choice", "proposal"),
        "negotiation": pgettext("discord choice", "negotiation"),
        "won": pgettext("discord choice", "won"),
        "lost": pgettext("discord choice", "lost"),
        # kinds of interaction
        "call": pgettext("discord choice", "call"),
        "email": pgettext("discord choice", "email"),
        "meeting": pgettext("discord choice", "meeting"),
        "chat": pgettext("discord choice", "chat"),
        "web": pgettext("discord choice", "web"),
        "visit": pgettext("discord choice", "visit"),
        "note": pgettext("discord choice", "note"),
        # a complaint's severities
        "low": pgettext("discord choice", "low"),
        "medium": pgettext("discord choice", "medium"),
        "high": pgettext("discord choice", "high"),
        "critical": pgettext("discord choice", "critical"),
        # an account's visibility and status
        "public": pgettext("discord choice", "public"),
        "team": pgettext("discord choice", "team"),
        "private": pgettext("discord choice", "private"),
        "prospect": pgettext("discord choice", "prospect"),
        "active": pgettext("discord choice", "active"),
        "paused": pgettext("discord choice", "paused"),
        "churned": pgettext("discord choice", "churned"),
        # a digest's cadence
        "daily": pgettext("discord choice", "daily"),
        "weekly": pgettext("discord choice", "weekly"),
        # reports
        "digest": pgettext("discord choice", "digest"),
        "pipeline": pgettext("discord choice", "pipeline"),
        "forecast": pgettext("discord choice", "forecast"),
        "sellers": pgettext("discord choice", "sellers"),
        "segments": pgettext("discord choice", "segments"),
        "sources": pgettext("discord choice", "sources"),
        "complaints": pgettext("discord choice", "complaints"),
        "risk": pgettext("discord choice", "risk"),
        # a grouped report's groupings (segments by:)
        "tier": pgettext("discord choice", "tier"),
        "industry": pgettext("discord choice", "industry"),
        "country": pgettext("discord choice", "country"),
        "region": pgettext("discord choice", "region"),
        "size": pgettext("discord choice", "size"),
        # a digest's language
        "en": pgettext("discord choice", "English"),
        "es": pgettext("discord choice", "Spanish"),
    }


def _account(name: str = "account", *, required: bool = True) -> Option:
    return Option(name, N_("The account (type to search)"), required=required, autocomplete=True)


def _ref(args: Args, name: str = "account") -> t.AccountRef:
    return t.AccountRef(name=str(args[name]).strip(), known=True)


def _id(args: Args, verb: str) -> int:
    """The id option, typed as shown (`D12`) or as a number (a client that still has the
    integer option registered sends 12)."""
    return read_id(str(args["id"]), verb)


def _moment(dates: DateReader, text: str, what: str) -> datetime:
    moment = dates.moment(text)
    if moment is None:
        raise t.Usage(
            _(
                "I couldn't read “{text}” as a date for {what} (try tomorrow 9am).",
                text=text,
                what=what,
            )
        )
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
        source=args.get("source"),
        campaign=args.get("campaign"),
    )


def _save_account(args: Args, _dates: DateReader) -> t.Command:
    revenue, currency = (
        read_amount(args["revenue"], what="revenue") if args.get("revenue") else (None, None)
    )
    return t.SaveAccount(
        name=args["name"],
        tier=args.get("tier"),
        owner=args.get("owner"),
        domain=args.get("domain"),
        visibility=args.get("visibility"),
        status=args.get("status"),
        alias=args.get("alias"),
        department=args.get("team"),
        channel=args.get("channel"),
        rename=args.get("rename"),
        segments=Segments(
            industry=args.get("industry"),
            country=args.get("country"),
            region=args.get("region"),
            size=args.get("size"),
            revenue=revenue,
            revenue_currency=currency,
            source=args.get("source"),
            campaign=args.get("campaign"),
        ),
    )


# Where an account or a deal came from, for `account`, `deal` and `find`.
_SOURCE = Option("source", N_("Where it came from, e.g. web, referral, event"))
_CAMPAIGN = Option("campaign", N_("The campaign it came from"))
_INDUSTRY = Option("industry", N_("Its industry, e.g. retail"))
_COUNTRY = Option("country", N_("Its country: a code like ES, or a name"))
_SIZE = Option("size", N_("Employees: a number, or a band like 51-200"))


def _page(args: Args) -> int:
    page = args.get("page") or 1
    if not 1 <= int(page) <= MAX_PAGE:
        raise t.Usage(_("page: must be a number from 1 to {last}.", last=number_text(MAX_PAGE)))
    return int(page)


def _find(args: Args, _dates: DateReader) -> t.Command:
    find = t.Find(
        text=(args.get("text") or "").strip(),
        type=args.get("type"),
        owner=args.get("owner"),
        tier=args.get("tier"),
        status=(args.get("status") or "").strip().lower() or None,
        stage=args.get("stage"),
        industry=args.get("industry"),
        country=args.get("country"),
        size=args.get("size"),
        source=args.get("source"),
        page=_page(args),
    )
    filters = (find.type, find.owner, find.tier, find.status, find.stage)
    if not find.text and not any((*filters, find.industry, find.country, find.size, find.source)):
        raise t.Usage(_("What should I look for? Give text, or a filter."), topic="find")
    if find.stage and find.type not in (None, "deal"):
        raise t.Usage(
            _("stage: is a deal's; there is none on {type}s.", type=find.type), topic="find"
        )
    return find


# `kept` and `broken` are one subcommand (Discord allows 25): the outcome is a choice.
OUTCOMES = ("kept", "broken")


def _close(args: Args, _dates: DateReader) -> t.Command:
    outcome = args["outcome"]
    if outcome not in OUTCOMES:
        raise t.Usage(
            _("outcome: must be kept or broken, not “{outcome}”.", outcome=outcome), topic="kept"
        )
    if outcome == "kept":
        return t.CloseAgreement(id=_id(args, "kept"), state="kept")
    return t.CloseAgreement(id=_id(args, "broken"), state="broken", reason=args.get("why"))


def _close_line(args: Args) -> str:
    """`/crm close` as the line one would type: `kept A7`, `broken A7 why`."""
    words = [str(args.get("outcome") or "kept"), str(args.get("id") or "")]
    if args.get("outcome") == "broken" and args.get("why"):
        words.append(str(args["why"]))
    return " ".join(w for w in words if w)


def _report(args: Args, dates: DateReader) -> t.Command:
    """`report` is a report, or the digest (Discord has room for 25 subcommands)."""
    what = str(args["what"])
    if what == "digest":
        return t.ShowDigest(now=bool(args.get("now")))
    today = dates.now.astimezone(dates.tz).date()
    period = report_period(what, str(args.get("period") or "").split(), today)
    by = report_grouping(what, what, args.get("by"))
    return t.ShowReport(
        what=what,
        period=period,
        owner=args.get("owner"),
        team=args.get("team"),
        tier=args.get("tier"),
        by=by,
    )


def _report_line(args: Args) -> str:
    """`/crm report` as the line one would type: `report complaints last month`, `digest`."""
    if args.get("what") == "digest":
        return "digest now" if args.get("now") else "digest"
    words = ["report", str(args.get("what") or ""), str(args.get("period") or "")]
    words += [f"{key}:{args[key]}" for key in ("owner", "team", "tier", "by") if args.get(key)]
    return " ".join(w for w in words if w)


CORRECTIONS = ("edit", "delete", "restore")


def _correct(args: Args, dates: DateReader) -> t.Command:
    """`correct` is `edit`, `delete` or `restore` with typed options."""
    action = args["action"]
    if action not in CORRECTIONS:
        raise t.Usage(
            _("action: must be one of {actions}.", actions="/".join(CORRECTIONS)), topic="edit"
        )
    kind, number = read_record(str(args["id"]), action)
    if action == "delete":
        return t.Delete(kind=kind, id=number)
    if action == "restore":
        return t.Restore(kind=kind, id=number)
    when = None
    if args.get("when"):
        when = read_when(dates, kind, args["when"])
        if when is None:
            raise t.Usage(
                _("I couldn't read “{text}” as a moment.", text=args["when"]), topic="edit"
            )
    edit = t.Edit(
        kind=kind,
        id=number,
        text=(args.get("text") or "").strip() or None,
        due=day(dates, args.get("due"), "due"),
        when=when,
        severity=args.get("severity"),
    )
    if edit.text is None and edit.due is None and edit.when is None and edit.severity is None:
        raise t.Usage(_("Say what changes: the text, due, when or severity."), topic="edit")
    return edit


# Discord has no list option: the accounts of one handover are options of their own.
HANDOVER_ACCOUNTS = ("account", "account2", "account3")


def _handover(args: Args, dates: DateReader) -> t.Command:
    until = day(dates, args.get("until"), "until")
    if args.get("book_of"):
        return t.HandOver(to=args["to"], person=args["book_of"], until=until, note=args.get("note"))
    accounts = tuple(_ref(args, name) for name in HANDOVER_ACCOUNTS if args.get(name))
    if not accounts:
        raise t.Usage(_("Name an account, or whose book (book_of) to hand over."), topic="handover")
    return t.HandOver(to=args["to"], accounts=accounts, until=until, note=args.get("note"))


def _away(args: Args, dates: DateReader) -> t.Command:
    starts = day(dates, args["from"], "from")
    ends = day(dates, args.get("to") or args["from"], "to")
    assert starts is not None and ends is not None
    return t.Away(starts=starts, ends=ends, cover=args.get("cover"))


_COMMANDS: tuple[Sub, ...] = (
    Sub(
        "whois",
        N_("The one-glance card of an account or contact"),
        (
            Option(
                "query", N_("Account, contact, e-mail or domain"), required=True, autocomplete=True
            ),
        ),
        lambda a, _d: t.Whois(query=a["query"].strip()),
    ),
    Sub(
        "find",
        N_("Search accounts, contacts, interactions, agreements, complaints"),
        (
            Option("text", N_("What to look for (empty: list what the filters match)")),
            Option("type", N_("Only this kind of record"), choices=FIND_TYPES),
            Option("owner", N_("Only what this person owns"), USER),
            Option("tier", N_("Only this tier"), choices=TIERS),
            Option("status", N_("A complaint's or agreement's status, else the account's")),
            Option("stage", N_("Only deals at this stage"), choices=STAGES),
            _INDUSTRY,
            _COUNTRY,
            _SIZE,
            _SOURCE,
            Option("page", N_("Which page of results"), INTEGER),
        ),
        _find,
    ),
    Sub(
        "timeline",
        N_("An account's whole history, newest first, a page at a time"),
        (
            _account(),
            Option("type", N_("Only this kind of entry"), choices=TIMELINE_TYPES),
            Option("since", N_("From this day on, e.g. 2026-11-01")),
            Option("page", N_("Which page"), INTEGER),
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
        N_("Create or update an account"),
        (
            Option("name", N_("The account's name"), required=True, autocomplete=True),
            Option("tier", N_("Importance"), choices=TIERS),
            Option("owner", N_("Who owns it"), USER),
            Option("domain", N_("Its web domain, e.g. acme.com")),
            Option("visibility", N_("Who may see it"), choices=tuple(v.value for v in Visibility)),
            Option("status", N_("Account status"), choices=tuple(s.value for s in AccountStatus)),
            Option("alias", N_("Another name people use for it")),
            Option("team", N_("Its department, for team visibility")),
            Option("channel", N_("A channel that hears about its changes"), CHANNEL),
            Option("rename", N_("A new name")),
            _INDUSTRY,
            _COUNTRY,
            Option("region", N_("Its region or state, e.g. Madrid")),
            _SIZE,
            Option("revenue", N_("Annual revenue, e.g. 2M EUR")),
            _SOURCE,
            _CAMPAIGN,
        ),
        _save_account,
    ),
    Sub(
        "contact",
        N_("Create or update a contact and their role at an account"),
        (
            _account(),
            Option("name", N_("The contact's name"), required=True),
            Option("role", N_("Their role, e.g. decision maker")),
            Option("title", N_("Job title")),
            Option("email", N_("E-mail address")),
            Option("phone", N_("Phone number")),
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
        N_("Record an interaction"),
        (
            _account(),
            Option("text", N_("What happened"), required=True),
            Option("kind", N_("How"), choices=KINDS),
            Option("with", N_("The contact it was with"), autocomplete=True),
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
        N_("Record an agreement: what was promised, by whom, until when"),
        (
            _account(),
            Option("text", N_("What was agreed"), required=True),
            Option("due", N_("When it is due, e.g. next friday")),
        ),
        lambda a, d: t.Agree(account=_ref(a), text=a["text"], due=day(d, a.get("due"), "due")),
    ),
    Sub(
        "complaint",
        N_("Open a complaint"),
        (
            _account(),
            Option("text", N_("What is wrong"), required=True),
            Option("severity", N_("How bad"), choices=SEVERITIES),
        ),
        lambda a, _d: t.OpenComplaint(
            account=_ref(a), text=a["text"], severity=a.get("severity") or "medium"
        ),
    ),
    Sub(
        "resolve",
        N_("Close a complaint"),
        (
            Option("id", N_("The complaint's id, e.g. C12"), required=True),
            Option("note", N_("How it was resolved")),
        ),
        lambda a, _d: t.Resolve(id=_id(a, "resolve"), note=a.get("note")),
    ),
    Sub(
        "close",
        N_("Say whether an agreement was kept or broken"),
        (
            Option("id", N_("The agreement's id, e.g. A7"), required=True),
            Option(
                "outcome", N_("Kept or broken"), required=True, choices=OUTCOMES, verb_choices=True
            ),
            Option("why", N_("Why it was not kept")),
        ),
        _close,
        line=_close_line,
    ),
    Sub(
        "deal",
        N_("Open a deal"),
        (
            _account(),
            Option("title", N_("The deal's title"), required=True),
            Option("amount", N_("Amount, e.g. 48000 or 48k EUR")),
            Option("stage", N_("Pipeline stage"), choices=STAGES),
            Option("close", N_("Expected close date")),
            _SOURCE,
            _CAMPAIGN,
        ),
        _deal,
    ),
    Sub(
        "stage",
        N_("Move a deal to another stage: won and lost included"),
        (
            Option("id", N_("The deal's id, e.g. D12"), required=True),
            Option("stage", N_("The new stage"), required=True, choices=STAGES),
            Option("reason", N_("Why it was lost")),
        ),
        lambda a, _d: t.MoveDeal(id=_id(a, "stage"), stage=a["stage"], reason=a.get("reason")),
    ),
    Sub(
        "remind",
        N_("A follow-up, delivered in the daily DM"),
        (
            Option("when", N_("When, e.g. tomorrow 9am"), required=True),
            Option("text", N_("What to do"), required=True),
            _account("about", required=False),
            Option("for", N_("Who should do it"), USER),
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
        N_("Mark a follow-up done"),
        (Option("id", N_("The follow-up's id, e.g. F5"), required=True),),
        lambda a, _d: t.Done(id=_id(a, "done")),
    ),
    Sub(
        "snooze",
        N_("Move a follow-up later"),
        (
            Option("id", N_("The follow-up's id, e.g. F5"), required=True),
            Option("until", N_("Until when, e.g. monday 9am"), required=True),
        ),
        lambda a, d: t.Snooze(id=_id(a, "snooze"), until=_moment(d, a["until"], "until")),
    ),
    Sub(
        "handover",
        N_("Hand accounts over, for good or for a period"),
        (
            Option("to", N_("Who takes over"), USER, required=True),
            _account(required=False),
            Option("account2", N_("Another account (type to search)"), autocomplete=True),
            Option("account3", N_("And another (type to search)"), autocomplete=True),
            Option("book_of", N_("Hand over all of this person's accounts"), USER),
            Option("until", N_("Until when (empty: for good)")),
            Option("note", N_("A note for the new owner")),
        ),
        _handover,
    ),
    Sub(
        "away",
        N_("You're away: your cover sees and receives your work"),
        (
            Option("from", N_("First day away"), required=True),
            Option("to", N_("Last day away")),
            Option("cover", N_("Who covers for you"), USER),
        ),
        _away,
    ),
    Sub("back", N_("You're back early"), (), lambda _a, _d: t.Back()),
    Sub(
        "mine",
        N_("My day: tasks, agreements due, accounts, complaints over SLA"),
        (),
        lambda _a, _d: t.Mine(),
    ),
    Sub(
        "report",
        N_("A report for managers, or the pipeline digest"),
        (
            Option("what", N_("Which report"), required=True, choices=("digest", *REPORTS)),
            Option("period", N_("this month, last quarter, last 30 days, 2026, Q3…")),
            Option("owner", N_("Only this person's accounts"), USER),
            Option("team", N_("Only this team's accounts")),
            Option("tier", N_("Only accounts of this tier"), choices=TIERS),
            Option("by", N_("Segments: one row per tier, industry, country…"), choices=BY),
            Option(
                "now", N_("Digest: post the channels' digest (public accounts only) here"), BOOLEAN
            ),
        ),
        _report,
        line=_report_line,
    ),
    Sub(
        "subscribe",
        N_("Send pipeline digests to a channel"),
        (
            Option("channel", N_("The channel"), CHANNEL, required=True),
            Option("cadence", N_("How often"), choices=tuple(c.value for c in Cadence)),
            Option("language", N_("The digest's language (empty: the hub's)"), choices=LANGUAGES),
        ),
        lambda a, _d: t.Subscribe(
            channel=a["channel"], cadence=a.get("cadence") or "weekly", locale=a.get("language")
        ),
    ),
    Sub(
        "unsubscribe",
        N_("Stop digests to a channel"),
        (Option("channel", N_("The channel"), CHANNEL, required=True),),
        lambda a, _d: t.Unsubscribe(channel=a["channel"]),
    ),
    Sub(
        "undo",
        N_("Undo your last write (under 15 minutes old), or the change an Undo button names"),
        (Option("change", N_("The change's id, e.g. U17 (empty: your last write)")),),
        lambda a, _d: t.Undo(
            change=read_id(a["change"], "undo", "change") if a.get("change") else None
        ),
    ),
    Sub(
        "correct",
        N_("Edit, delete or restore an interaction, agreement, complaint or follow-up"),
        (
            Option(
                "action", N_("What to do"), required=True, choices=CORRECTIONS, verb_choices=True
            ),
            Option("id", N_("The record's id, e.g. N9, A7, C3, F5 or D12"), required=True),
            Option("text", N_("The new text (edit)")),
            Option("due", N_("An agreement's new due date (edit)")),
            Option("when", N_("When an interaction happened, or a follow-up is due (edit)")),
            Option("severity", N_("A complaint's new severity (edit)"), choices=SEVERITIES),
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
        N_("Usage, with examples"),
        (Option("command", N_("A command"), choices=HELP_TOPICS, verb_choices=True),),
        lambda a, _d: t.Help(topic=a.get("command")),
    ),
)
BY_NAME = {sub.name: sub for sub in SUBCOMMANDS}


GROUP_DESCRIPTION = N_("Look up, log and hand over customer relationships")


def command_group() -> dict[str, Any]:
    """The `/crm` group as Discord registers it (PUT .../applications/{id}/commands), with
    its names and descriptions in each of LOCALES for clients in those languages."""
    return {
        "name": "crm",
        "type": CHAT_INPUT,
        "description": GROUP_DESCRIPTION,
        "name_localizations": localised(lambda: "crm"),
        "description_localizations": localised(lambda: _(GROUP_DESCRIPTION)),
        "contexts": [0],  # guilds only: strangers in DMs get nothing
        "options": [sub.to_dict() for sub in SUBCOMMANDS],
    }
