"""The `/crm` language: a line of text in, a typed command (or a `Usage` error) out.

The parser never touches the database. It is given two readers: `AccountNames`, to find
the longest known account name a line starts with, and `DateReader`, for natural dates.
Verbs, option keys and their values are read in English or by their Spanish names
(`commands.verbs`: `queja acme … gravedad:alta` is `complaint acme … severity:high`).

Options (`key:value`) are read for the keys a command knows. A word that reads as an
option (`_reads_as_option`: a key of three or more letters, a value right after the
colon) with a key the command doesn't know is refused, naming the keys it knows, in a
command that takes options; so "meeting at 10:30", "note: call back", "re: renewal" and
"https://acme.com" stay in the text, and so does every word of a command that takes no
options (`log`, `agree`, `remind`…).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Protocol

from commands.dates import DEFAULT_REMINDER_TIME, DateReader, read_duration
from commands.help import TOPICS
from commands.periods import read_period
from commands.tokens import DOUBLE_QUOTES, Token, text_of, tokenize
from commands.types import (
    AccountRef,
    Agree,
    Away,
    Back,
    CancelAbsence,
    CloseAgreement,
    Command,
    Delete,
    Done,
    Edit,
    Find,
    HandOver,
    Help,
    Log,
    Mine,
    MoveDeal,
    OpenComplaint,
    OpenDeal,
    Remind,
    Resolve,
    Restore,
    SaveAccount,
    SaveContact,
    ShowDigest,
    ShowReport,
    Snooze,
    Subscribe,
    Timeline,
    Undo,
    Unsubscribe,
    Usage,
    Whois,
)
from commands.verbs import (
    VERB_ALIASES,
    bare,
    closest_verb,
    option_key,
    option_value,
    report_alias,
    spanish_keys,
    verb_alias,
    word_alias,
)
from hub import ids
from hub.account_rules import Segments
from hub.i18n import N_, _, number_text, pgettext
from hub.models import Severity, Stage
from hub.reports import DEFAULT_PERIOD, GROUPINGS, PAGED, REPORTS
from hub.reports.period import Period


class AccountNames(Protocol):
    def longest_prefix(self, words: Sequence[str]) -> int:
        """How many leading `words` form a known account name (0 if none)."""
        ...

    def longest_person_prefix(self, words: Sequence[str]) -> int:
        """How many leading `words` form an active person's full name (0 if none)."""
        ...


KINDS = {
    "call": "call",
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "meeting": "meeting",
    "chat": "chat",
    "web": "web",
    "visit": "visit",
    "note": "note",
    "llamada": "call",
    "correo": "email",
    "reunión": "meeting",
    "reunion": "meeting",
    "visita": "visit",
    "nota": "note",
}
DEFAULT_KIND = "note"  # a log that doesn't say how: typed, on Slack and on Discord alike
STAGES = tuple(stage.value for stage in Stage)
FIND_TYPES = ("account", "contact", "interaction", "agreement", "complaint", "deal", "triage")
TIMELINE_TYPES = ("interaction", "agreement", "complaint", "deal", "handover")
MAX_PAGE = 10_000
SEVERITIES = tuple(severity.value for severity in Severity)
_AMOUNT = re.compile(
    r"^(?P<pre>[€$£]|[A-Za-z]{3})?\s*(?P<num>\d[\d.,]*)\s*(?P<mult>[kKmM])?\s*(?P<post>[€$£]|[A-Za-z]{3})?$"
)
_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP"}
MAX_LINE = 100_000
MAX_NAME_WORDS = 6  # a person's full name after @, as hub.people reads it
CORRECTED_EXAMPLES = (("interaction", 9), ("agreement", 7), ("complaint", 3), ("follow-up", 5))
MAYBE_ACCOUNT_WORDS = 4  # longer than that after `about`, it is a sentence, not a name
FOR_GOOD = (["for", "good"], ["para", "siempre"])  # a handover that says it is permanent
ANYWAY = ("anyway", "igualmente")  # a handover to someone away, knowingly
# Words that end a person's name after @ (handover … to @luis until friday): no one's
# name goes on with them, so the line needs no look-up of people.
AFTER_A_NAME = frozenset(
    {"until", "hasta", "for", "para", "anyway", "igualmente", "cover", "cubre", "to", "a"}
)
CANCEL_WORDS = ("cancel", "cancelar", "anular")  # away cancel
OVERLAP_WORDS = {
    "replace": "replace",
    "reemplazar": "replace",
    "sustituir": "replace",
    "extend": "extend",
    "ampliar": "extend",
    "extender": "extend",
}
VALUE_STARTS = "@#+€$£\"“”'‘’"  # what an option's value may start with, besides a letter or digit
STRAIGHT_QUOTES = str.maketrans(dict.fromkeys(DOUBLE_QUOTES, '"'))


_CURRENCY = re.compile(r"^(?:[€$£]|[A-Z]{3})$")
# Codes a lower-case word is read as after an amount (amount:5000 usd); any three
# capitals are read too (amount:5000 CHF), so "amount:5000 new pilot" keeps "new".
# Codes that are also words (pen, cop, ars) count only in capitals.
_CURRENCY_CODES = frozenset(
    [
        "eur",
        "usd",
        "gbp",
        "jpy",
        "chf",
        "cad",
        "aud",
        "nzd",
        "sek",
        "nok",
        "dkk",
        "pln",
        "czk",
        "huf",
        "ron",
        "mxn",
        "brl",
        "clp",
        "uyu",
        "cny",
        "hkd",
        "sgd",
        "inr",
        "krw",
        "zar",
        "aed",
        "sar",
        "ils",
    ]
)
_NUMBER = re.compile(r"^\d[\d.,]*[kKmM]?$")
_PHONE_START = re.compile(r"^(?:\+|00)?[\d()][\d()\-.]*$")
_PHONE_GROUP = re.compile(r"^\(?\d[\d\-.]*\)?$")
MAX_PHONE_DIGITS = 15  # the longest number E.164 allows
_Shape = Callable[[str, list[str], "DateReader | None"], int]


def _plain_words(tokens: Sequence[Token]) -> list[str]:
    """The leading words of `tokens` a value may take: up to a quoted word or an option."""
    words = []
    for token in tokens:
        if token.quoted or token.option():
            break
        words.append(token.text)
    return words


def _is_currency(word: str) -> bool:
    return _CURRENCY.match(word) is not None or word.lower() in _CURRENCY_CODES


def _amount_words(value: str, following: list[str], dates: DateReader | None) -> int:
    """How many `following` words belong to an amount: its currency (5000 USD, 5.000 €)
    or its number (USD 5,000, € 5k)."""
    if not following:
        return 0
    match = _AMOUNT.match(value) if value else None
    if match and not (match.group("pre") or match.group("post")):
        return 1 if _is_currency(following[0]) else 0
    if (not value or _is_currency(value)) and _NUMBER.match(following[0]):
        after = following[1:2]
        return 2 if not value and after and _is_currency(after[0]) else 1
    return 0


def _phone_words(value: str, following: list[str], dates: DateReader | None) -> int:
    """How many `following` words are digit groups of the phone number `value` starts."""
    if value and not _PHONE_START.match(value):
        return 0
    digits = sum(ch.isdigit() for ch in value)
    taken = 0
    for word in following:
        if not (_PHONE_START.match(word) if not value and not taken else _PHONE_GROUP.match(word)):
            break
        digits += sum(ch.isdigit() for ch in word)
        if digits > MAX_PHONE_DIGITS:
            break
        taken += 1
    return taken


def _reading(longest: Callable[[DateReader, Sequence[str]], tuple[int, object]]) -> _Shape:
    """The shape of a value a date reader reads: how many `following` words the value
    it starts goes on over (close:next friday, when:ayer 16:00)."""

    def words_taken(value: str, following: list[str], dates: DateReader | None) -> int:
        if dates is None or not following:
            return 0
        words = [value, *following] if value else following
        n, found = longest(dates, words)
        return max(n - 1, 0) if value else n if found is not None else 0

    return words_taken


_date_words = _reading(DateReader.longest_day)
_moment_words = _reading(DateReader.longest_moment)


def _all_words(value: str, following: list[str], dates: DateReader | None) -> int:
    """A name's words: all that follow, up to a quoted word or an option (rename:Globex
    Corporation)."""
    return len(following)


_SHAPES: dict[str, _Shape] = {
    "phone": _phone_words,
    "amount": _amount_words,
    "revenue": _amount_words,
    "close": _date_words,
    "due": _date_words,
    "since": _date_words,
    "when": _moment_words,
    "rename": _all_words,
}


class Line:
    """A command line being parsed: its tokens and the options a command accepts."""

    def __init__(
        self,
        text: str,
        tokens: list[Token],
        allowed: Sequence[str],
        dates: DateReader | None = None,
    ) -> None:
        self.text = text
        self.options: dict[str, str] = {}
        self.words: list[Token] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            i += 1
            option = token.option()
            key = option_key(option[0]) if option else ""
            if option and key not in allowed:
                _check_unknown_option(text, token, option, allowed)
            if option and key in allowed:
                typed, value = option
                if key in self.options:
                    raise Usage(
                        _("{key}: is given twice.", key=key)
                        if typed == key
                        else _(
                            "{key}: is given twice ({typed}: is another name for it).",
                            key=key,
                            typed=typed,
                        ),
                        topic=None,
                    )
                value = value.strip()
                # A value with spaces is read by its shape (phone:+34 611 222 333,
                # amount:5000 USD, close:next friday): the words that fit join it.
                shape = _SHAPES.get(key)
                if shape is not None and len(token.text) == token.end - token.start:
                    taken = shape(value, _plain_words(tokens[i:]), dates)
                    if taken:
                        value = text_of(text, [token, *tokens[i : i + taken]])
                        value = value.split(":", 1)[1].strip()
                        i += taken
                self.options[key] = option_value(key, value)
            else:
                self.words.append(token)

    @classmethod
    def of(cls, text: str, words: list[Token]) -> Line:
        """A line made of some words of another (a sub-phrase to parse on its own)."""
        line = cls(text, [], ())
        line.words = words
        return line

    def text_from(self, start: int, end: int | None = None) -> str:
        return text_of(self.text, self.words[start:end]).strip()


def _check_unknown_option(
    text: str, token: Token, option: tuple[str, str], allowed: Sequence[str]
) -> None:
    """A word that reads as an option the command doesn't know would end up in the text
    unseen: refused, with the corrected line for a near miss of a key the command knows
    (amont:, tipe:, mail:, gravedda:), else naming the keys it knows (foo:bar).

    It reads as an option (`_reads_as_option`) only in a command that takes options, so
    `log`, `agree`, `remind`… keep every colon in their text."""
    key, value = option
    if not allowed or not _reads_as_option(key, value):
        return
    names = {**{k: k for k in allowed}, **spanish_keys(allowed)}
    meant = closest_verb(key, list(names), names)
    if meant is not None and bare(meant) != bare(key):
        corrected = f"{text[: token.start]}{meant}{text[token.start + len(key) :]}"
        raise Usage(
            _("I don't know the option “{key}:”.", key=key), topic=None, suggestion=corrected
        )
    named = {k: alias for alias, k in reversed(spanish_keys(allowed).items())}  # the first
    spanish = ", ".join(f"{named[k]}:" for k in allowed if k in named)
    english = ", ".join(f"{k}:" for k in allowed)
    # The reader's own language's names first (a translation moves them).
    known = (
        _("{english} (in Spanish {spanish})", english=english, spanish=spanish)
        if spanish
        else english
    )
    raise Usage(
        _(
            "I don't know the option “{key}:”; the options here are {known}. "
            "To keep “{word}” in the text, put it in quotes.",
            key=key,
            known=known,
            word=token.text,
        ),
        topic=None,
    )


def _reads_as_option(key: str, value: str) -> bool:
    """Whether `key:value` (one word) is meant as an option: a key of three or more
    letters (any alphabet, no digits) and a value right after the colon that starts with a
    letter, a digit or one of @ # + € $ £ ". Not: `re: renewal`, `note: call back`
    (nothing right after the colon), `10:30` (digits), `https://acme.com` (a slash),
    `ok:)`, `C:\\tmp` (one letter)."""
    return (
        len(key) >= 3
        and bare(key).isalpha()
        and bool(value)
        and (value[0].isalnum() or value[0] in VALUE_STARTS)
    )


def _stage_must_be(typed: str) -> str:
    return _("stage: must be one of {stages}, not “{typed}”.", stages="/".join(STAGES), typed=typed)


def _severity_must_be(typed: str) -> str:
    return _(
        "severity: must be one of {severities}, not “{typed}”.",
        severities="/".join(SEVERITIES),
        typed=typed,
    )


def _kinds(kind: str) -> str:
    """Records of a `find` type, in a sentence: "accounts", "complaints"."""
    named = {
        "account": pgettext("records", "accounts"),
        "contact": pgettext("records", "contacts"),
        "interaction": pgettext("records", "interactions"),
        "agreement": pgettext("records", "agreements"),
        "complaint": pgettext("records", "complaints"),
        "deal": pgettext("records", "deals"),
        "triage": pgettext("records", "triages"),
    }
    return named.get(kind, f"{kind}s")


def _a_kind(kind: str) -> str:
    """A record of the kind an id names, with its article: "a deal", "an agreement"."""
    named = {
        "deal": pgettext("a record", "a deal"),
        "complaint": pgettext("a record", "a complaint"),
        "agreement": pgettext("a record", "an agreement"),
        "follow-up": pgettext("a record", "a follow-up"),
        "interaction": pgettext("a record", "an interaction"),
        "change": pgettext("a record", "a change"),
    }
    return named.get(kind) or ids.a(kind)


def parse(line: str, *, names: AccountNames, dates: DateReader) -> Command:
    """Turn one `/crm` line into a command; raises `Usage` with a friendly message."""
    if len(line) > MAX_LINE:
        raise Usage(
            _(
                "That line is {length} characters long; the limit is {limit}.",
                length=number_text(len(line)),
                limit=number_text(MAX_LINE),
            )
        )
    line = line.strip()
    if line.lower().startswith("/crm"):
        line = line[4:].lstrip()
    tokens = tokenize(line)
    if not tokens:
        return Help()
    verb, n = read_verb([t.text for t in tokens])
    if verb is None:
        raise Usage(
            _("I don't know the command “{word}”.", word=tokens[0].text),
            topic=None,
            suggestion=_corrected(line, tokens[0], VERB_NAMES, VERB_MEANINGS),
        )
    body_start = tokens[n - 1].end
    rest = tokens[n:]
    typed = " ".join(t.text for t in tokens[:n])
    return VERBS[verb].read(_Ctx(line, rest, body_start, names, dates, verb, typed))


def read_verb(words: Sequence[str]) -> tuple[str | None, int]:
    """The verb a line's first words name, in English or by its Spanish name (accents
    optional: `quién`, `quien`; `lo mío` is two words), and how many words name it."""
    first = words[0].lower() if words else ""
    if first in VERBS:
        return first, 1
    alias = verb_alias(words)
    return alias if alias is not None else (None, 1)


class _Ctx:
    def __init__(
        self,
        text: str,
        tokens: list[Token],
        body_start: int,
        names: AccountNames,
        dates: DateReader,
        verb: str,
        typed: str = "",
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.body_start = body_start
        self.names = names
        self.dates = dates
        self.verb = verb  # the English verb, whatever its name as typed
        self.typed = typed or verb  # the verb as typed (quién, lo mío)

    def line(self, *allowed: str) -> Line:
        try:
            return Line(self.text, self.tokens, allowed, self.dates)
        except Usage as error:
            if error.suggestion is not None:
                raise  # the corrected line says more than the usage would
            raise Usage(error.message, topic=self.verb) from None

    def usage(self, message: str) -> Usage:
        return Usage(message, topic=self.verb)

    def account(self, line: Line, start: int = 0) -> tuple[AccountRef, int]:
        """The account named at `line.words[start:]`: returns it and where the rest begins."""
        words = line.words[start:]
        if not words:
            raise self.usage(_("Name the account first."))
        if words[0].quoted:
            n = 1
            known = self.names.longest_prefix([words[0].text]) == 1
            name = words[0].text
        else:
            n = self.names.longest_prefix([w.text for w in words])
            known = n > 0
            n = max(n, 1)
            name = " ".join(w.text for w in words[:n])
        return AccountRef(name, known, _around(line.text, words[:n])), start + n

    def mention(self, words: Sequence[Token], at: int) -> tuple[str, int]:
        """The person `@…` at `words[at]` names, as one `@Full Name` mention, and where the
        rest begins. Unquoted, it is the longest active person's name the words start with
        (`@Marta Ruiz until friday`); `@"Marta Ruiz"` is already one word."""
        first = words[at].text
        following: list[str] = []
        for word in words[at + 1 : at + MAX_NAME_WORDS]:
            if word.quoted or word.word in AFTER_A_NAME:
                break  # a keyword that follows a name: nothing to look up
            following.append(word.text)
        if " " in first or len(first) < 2 or not following:
            return first, at + 1
        n = self.names.longest_person_prefix([first[1:], *following])
        if n < 2:
            return first, at + 1
        return " ".join(w.text for w in words[at : at + n]), at + n


def _whois(ctx: _Ctx) -> Command:
    if bare(ctx.typed) == "quien" and len(ctx.tokens) > 1 and ctx.tokens[0].word == "es":
        ctx.tokens = ctx.tokens[1:]  # quién es acme: the "es" is the question's, not a name's
    query = text_of(ctx.text, ctx.tokens).strip()
    query = " ".join(t.text for t in ctx.tokens) if all(t.quoted for t in ctx.tokens) else query
    if not query:
        raise ctx.usage(_("Who or which account? e.g. whois acme"))
    return Whois(query=query.strip("\"“”'‘’ "))


def _find(ctx: _Ctx) -> Command:
    line = ctx.line("type", "owner", "tier", "status", "stage", *FIND_SEGMENTS, "page")
    # A phrase in any double quotes is searched as a phrase: search reads straight ones.
    text = line.text_from(0).translate(STRAIGHT_QUOTES)
    if not text and not set(line.options) - {"page"}:
        raise ctx.usage(_("What should I look for?"))
    kind = line.options.get("type")
    if kind is not None and kind.lower().rstrip("s") not in FIND_TYPES:
        raise ctx.usage(_("type: must be one of {types}.", types="/".join(FIND_TYPES)))
    kind = kind.lower().rstrip("s") if kind else None
    stage = line.options.get("stage", "").lower() or None
    if stage is not None and stage not in STAGES:
        raise ctx.usage(_stage_must_be(stage))
    if stage is not None and kind not in (None, "deal"):
        raise ctx.usage(_("stage: is a deal's; there is none on {kinds}.", kinds=_kinds(kind)))
    return Find(
        text=text,
        type=kind,
        owner=line.options.get("owner"),
        tier=line.options.get("tier", "").upper() or None,
        status=line.options.get("status", "").lower() or None,
        stage=stage,
        **{key: line.options.get(key) for key in FIND_SEGMENTS},
        page=_page(ctx, line),
    )


# The segment filters of `find`: the account's (a deal's own source for deals).
FIND_SEGMENTS = ("industry", "country", "size", "source")
# The segmentation an `account` line may set (hub/segments.py reads the values).
ACCOUNT_SEGMENTS = ("industry", "country", "region", "size", "revenue", "source", "campaign")


def _page(ctx: _Ctx, line: Line) -> int:
    """`page:2`: which page of a long answer (the More button's line says it)."""
    typed = line.options.get("page")
    if typed is None:
        return 1
    if not typed.isdigit() or not 1 <= int(typed) <= MAX_PAGE:
        raise ctx.usage(
            _(
                "page: must be a number from 1 to {limit}, not “{typed}”.",
                limit=number_text(MAX_PAGE),
                typed=typed,
            )
        )
    return int(typed)


def _timeline(ctx: _Ctx) -> Command:
    line = ctx.line("type", "since", "page")
    account, at = ctx.account(line)
    if at < len(line.words) and not account.known:  # a name it doesn't know, whole
        words = line.words
        account = AccountRef(" ".join(w.text for w in words), False, _around(line.text, words))
    elif at < len(line.words):
        raise ctx.usage(
            _(
                "timeline takes an account, then type:, since: or page:; "
                "I didn't expect “{extra}”.",
                extra=line.text_from(at),
            )
        )
    kind = line.options.get("type", "").lower() or None
    if kind is not None:
        kind = kind if kind in TIMELINE_TYPES else kind.rstrip("s")
        if kind not in TIMELINE_TYPES:
            raise ctx.usage(_("type: must be one of {types}.", types="/".join(TIMELINE_TYPES)))
    since = None
    if "since" in line.options:
        since = ctx.dates.day(line.options["since"])
        if since is None:
            raise ctx.usage(
                _(
                    "I couldn't read “{typed}” as a date (try since:2026-11-01).",
                    typed=line.options["since"],
                )
            )
    return Timeline(account=account, type=kind, since=since, page=_page(ctx, line))


def _account(ctx: _Ctx) -> Command:
    line = ctx.line(
        "tier",
        "owner",
        "domain",
        "visibility",
        "status",
        "alias",
        "team",
        "department",
        "channel",
        "rename",
        *ACCOUNT_SEGMENTS,
        "new",
    )
    name = " ".join(w.text for w in line.words)
    if not name.strip():
        raise ctx.usage(_("Give the account a name."))
    opts = line.options
    new = opts.get("new", "no").lower()
    if new not in ("yes", "no"):
        raise ctx.usage(_("new: must be yes or no, not “{typed}”.", typed=opts["new"]))
    words = line.words
    # The line around the name, for a corrected line; only when the name is one run of
    # words (no option between them).
    gaps = (line.text[words[i - 1].end : words[i].start] for i in range(1, len(words)))
    around = _around(line.text, words) if all(not g.strip() for g in gaps) else None
    tier = opts.get("tier", "").upper() or None
    if tier is not None and tier not in ("A", "B", "C"):
        raise ctx.usage(_("tier: must be A, B or C, not “{typed}”.", typed=opts["tier"]))
    visibility = opts.get("visibility", "").lower() or None
    if visibility is not None and visibility not in ("public", "team", "private"):
        raise ctx.usage(
            _(
                "visibility: must be public, team or private, not “{typed}”.",
                typed=opts["visibility"],
            )
        )
    revenue, revenue_currency = (
        read_amount(opts["revenue"], what="revenue") if "revenue" in opts else (None, None)
    )
    return SaveAccount(
        name=name,
        tier=tier,
        owner=opts.get("owner"),
        domain=opts.get("domain"),
        visibility=visibility,
        status=opts.get("status", "").lower() or None,
        alias=opts.get("alias"),
        department=opts.get("team") or opts.get("department"),
        channel=opts.get("channel"),
        rename=opts.get("rename"),
        segments=Segments(
            industry=opts.get("industry"),
            country=opts.get("country"),
            region=opts.get("region"),
            size=opts.get("size"),
            revenue=revenue,
            revenue_currency=revenue_currency,
            source=opts.get("source"),
            campaign=opts.get("campaign"),
        ),
        new=new == "yes",
        around=around,
    )


def _contact(ctx: _Ctx) -> Command:
    line = ctx.line("role", "title", "email", "phone")
    account, at = ctx.account(line)
    name = " ".join(w.text for w in line.words[at:])
    if not name:
        raise ctx.usage(_("Name the contact at {account}.", account=account.name))
    opts = line.options
    return SaveContact(
        account=account,
        name=name,
        role=opts.get("role"),
        title=opts.get("title"),
        email=opts.get("email"),
        phone=opts.get("phone"),
    )


def _log(ctx: _Ctx) -> Command:
    line = ctx.line()
    account, at = ctx.account(line)
    occurred_at, at = _when_it_happened(ctx, line, at)
    kind = DEFAULT_KIND
    if at < len(line.words) and line.words[at].word in KINDS:
        kind = KINDS[line.words[at].word]
        at += 1
    if occurred_at is None:
        occurred_at, at = _when_it_happened(ctx, line, at)
    text = _unquoted(line, at)
    if not text:
        raise ctx.usage(
            _(
                "What happened with {account}? Add a few words after the account.",
                account=account.name,
            )
        )
    with_at = _last_keyword(line.words, at + 1, ("with", "con"))
    if with_at is None or with_at + 1 >= len(line.words):
        return Log(account=account, kind=kind, text=text, occurred_at=occurred_at)
    return Log(
        account=account,
        kind=kind,
        text=text,
        with_contact=" ".join(w.text for w in line.words[with_at + 1 :]),
        text_without_contact=line.text_from(at, with_at),
        occurred_at=occurred_at,
    )


def _agree(ctx: _Ctx) -> Command:
    line = ctx.line()
    account, at = ctx.account(line)
    agreed_at, at = _when_it_happened(ctx, line, at)
    due_at = _last_keyword(line.words, at + 1, ("due", "vence", "para", "until", "hasta", "by"))
    if due_at is not None and due_at + 1 < len(line.words):
        due_words = line.words[due_at + 1 :]
        due = ctx.dates.day(" ".join(w.text for w in due_words))
        if due is not None:
            text = line.text_from(at, due_at)
            if text:
                return Agree(account=account, text=text, due=due, agreed_at=agreed_at)
        elif line.words[due_at].word in ("due", "vence"):
            return Agree(
                account=account,
                text=line.text_from(at),
                unread_due=" ".join(w.text for w in due_words),
                agreed_at=agreed_at,
            )
    text = _unquoted(line, at)
    if not text:
        raise ctx.usage(_("What was agreed with {account}?", account=account.name))
    return Agree(account=account, text=text, agreed_at=agreed_at)


def _complaint(ctx: _Ctx) -> Command:
    line = ctx.line("severity")
    account, at = ctx.account(line)
    severity = line.options.get("severity", "medium").lower()
    if severity not in SEVERITIES:
        raise ctx.usage(_severity_must_be(severity))
    opened_at, at = _when_it_happened(ctx, line, at)
    text = _unquoted(line, at)
    if not text:
        raise ctx.usage(_("What is {account} complaining about?", account=account.name))
    return OpenComplaint(account=account, text=text, severity=severity, opened_at=opened_at)


def _resolve(ctx: _Ctx) -> Command:
    line = ctx.line()
    return Resolve(id=_id(ctx, line), note=line.text_from(1) or None)


# What a verb that takes only an id says of anything after it, by the id's kind.
_ONLY_ID = {
    "agreement": N_("{verb} takes only the agreement's id; I didn't expect “{extra}”."),
    "follow-up": N_("{verb} takes only the follow-up's id; I didn't expect “{extra}”."),
}


def _only_id(ctx: _Ctx, what: str) -> int:
    """The id of a verb that takes nothing else (`done F5`, `kept A7`)."""
    line = ctx.line()
    number = _id(ctx, line)
    if len(line.words) > 1:
        raise ctx.usage(_(_ONLY_ID[what], verb=ctx.verb, extra=line.text_from(1)))
    return number


def _kept(ctx: _Ctx) -> Command:
    return CloseAgreement(id=_only_id(ctx, "agreement"), state="kept")


def _broken(ctx: _Ctx) -> Command:
    line = ctx.line()
    return CloseAgreement(id=_id(ctx, line), state="broken", reason=line.text_from(1) or None)


def _deal(ctx: _Ctx) -> Command:
    line = ctx.line("amount", "stage", "close", "source", "campaign")
    account, at = ctx.account(line)
    title = _unquoted(line, at)
    if not title:
        raise ctx.usage(_("Give the deal with {account} a title.", account=account.name))
    opts = line.options
    stage = opts.get("stage", "lead").lower()
    if stage not in STAGES:
        raise ctx.usage(_stage_must_be(stage))
    amount, currency = read_amount(opts["amount"]) if "amount" in opts else (None, None)
    close = None
    if "close" in opts:
        close = ctx.dates.day(opts["close"])
        if close is None:
            raise ctx.usage(
                _(
                    "I couldn't read “{typed}” as a date (try close:2027-01-31).",
                    typed=opts["close"],
                )
            )
    return OpenDeal(
        account=account,
        title=title,
        amount=amount,
        currency=currency,
        stage=stage,
        close=close,
        source=opts.get("source"),
        campaign=opts.get("campaign"),
    )


def _stage(ctx: _Ctx) -> Command:
    line = ctx.line()
    deal_id = _id(ctx, line)
    stage = option_value("stage", line.words[1].word) if len(line.words) > 1 else ""
    if stage not in STAGES:
        raise ctx.usage(_("Say which stage: {stages}.", stages="/".join(STAGES)))
    return MoveDeal(id=deal_id, stage=stage, reason=line.text_from(2) or None)


def _won(ctx: _Ctx) -> Command:
    line = ctx.line()
    deal_id = _id(ctx, line)
    if len(line.words) > 1:
        raise ctx.usage(
            _("won takes only the deal's id; I didn't expect “{extra}”.", extra=line.text_from(1))
        )
    return MoveDeal(id=deal_id, stage="won")


def _lost(ctx: _Ctx) -> Command:
    line = ctx.line()
    return MoveDeal(id=_id(ctx, line), stage="lost", reason=line.text_from(1) or None)


def _remind(ctx: _Ctx) -> Command:
    line = ctx.line()
    words = line.words
    if not words:
        raise ctx.usage(_("When, and what? e.g. remind tomorrow 9am call María"))
    if words[0].quoted:
        when, at = ctx.dates.moment(words[0].text), 1
    else:
        at, when = ctx.dates.longest_moment([w.text for w in words])
    if when is None:
        raise ctx.usage(
            _("I couldn't read a date at the start of “{typed}”.", typed=line.text_from(0))
        )
    end = len(words)
    assignee = None
    # for @Marta Ruiz, last: the one `for @` followed by a name that ends the line.
    for_at = next(
        (
            i
            for i in range(end - 2, at - 1, -1)
            if words[i].word in ("for", "para") and words[i + 1].text.startswith("@")
        ),
        None,
    )
    if for_at is not None:
        mention, stop = ctx.mention(words, for_at + 1)
        if stop == end:
            assignee, end = mention, for_at
    about, maybe_about, start = None, None, at
    about_at = _last_keyword(words[:end], at + 1, ("about", "sobre"))
    if about_at is not None and about_at + 1 < end:
        tail = Line.of(ctx.text, words[about_at + 1 : end])
        ref, stop = ctx.account(tail)
        if ref.known and stop == len(tail.words):
            about, end = ref, about_at
        elif not ref.known and len(tail.words) <= MAYBE_ACCOUNT_WORDS:
            name = " ".join(w.text for w in tail.words)
            maybe_about = AccountRef(name, False, _around(ctx.text, tail.words))
    # The account first: remind friday about Acme Corp send the contract. The date
    # reader may have taken the `about` in ("friday about" reads as Friday): it is
    # given back to the text unless it introduces an account.
    lead = at - 1 if at > 1 and words[at - 1].word in ("about", "sobre") else at
    if about is None and lead + 1 < end and words[lead].word in ("about", "sobre"):
        start = lead
        tail = Line.of(ctx.text, words[lead + 1 : end])
        ref, stop = ctx.account(tail)
        if ref.known:  # with no words after the account, "about <account>" is the text
            about = ref
            start = lead + 1 + stop if stop < len(tail.words) else lead
    elif lead < at:
        start = lead
    text = line.text_from(start, end)
    if end - start == 1 and words[start].quoted:  # quotes around the text delimit it
        text = words[start].text.strip()
    if not text:
        raise ctx.usage(_("What should I remind you of?"))
    return Remind(when=when, text=text, about=about, assignee=assignee, maybe_about=maybe_about)


def _done(ctx: _Ctx) -> Command:
    return Done(id=_only_id(ctx, "follow-up"))


def _snooze(ctx: _Ctx) -> Command:
    line = ctx.line()
    task_id = _id(ctx, line)
    when_text = " ".join(w.text for w in line.words[1:])
    # A length of time (1h, 30m, 2 días, una semana) is counted from now; whole days
    # land at the usual reminder time.
    length = read_duration(when_text) if when_text else None
    until: datetime | None
    if length is not None:
        until = ctx.dates.now + length
        if not length % timedelta(days=1):
            until = datetime.combine(until.date(), DEFAULT_REMINDER_TIME, until.tzinfo)
    else:
        until = ctx.dates.moment(when_text) if when_text else None
    if until is None:
        raise ctx.usage(
            _("Until when? I couldn't read “{typed}” as a date.", typed=when_text)
            if when_text
            else _("Until when?")
        )
    return Snooze(id=task_id, until=until)


def _handover(ctx: _Ctx) -> Command:
    line = ctx.line()
    words = line.words
    to_at = next(
        (
            i
            for i in range(1, len(words) - 1)
            if words[i].word in ("to", "a") and words[i + 1].text.startswith("@")
        ),
        None,
    )
    if to_at is None:
        raise ctx.usage(_("Say who takes over: handover acme to @luis"))
    to, note_at = ctx.mention(words, to_at + 1)
    until, for_good = None, False
    if note_at < len(words) and words[note_at].word in ("until", "hasta"):
        n, until = ctx.dates.longest_day([w.text for w in words[note_at + 1 :]])
        if until is None:
            raise ctx.usage(_("Until when? e.g. handover acme to @luis until friday"))
        note_at += 1 + n
    anyway = False
    for _twice in range(2):  # "for good" and "anyway", in either order
        if until is None and [w.word for w in words[note_at : note_at + 2]] in FOR_GOOD:
            for_good, note_at = True, note_at + 2
        elif note_at < len(words) and words[note_at].word in ANYWAY:
            anyway, note_at = True, note_at + 1
    note = line.text_from(note_at) or None
    source = words[:to_at]
    if source and source[0].text.startswith("@") and not source[0].quoted:
        person, stop = ctx.mention(source, 0) if len(source) > 1 else (source[0].text, 1)
        if stop == len(source):
            return HandOver(
                to=to, person=person, until=until, note=note, for_good=for_good, anyway=anyway
            )
    accounts = []
    for group in _split_commas(source):
        sub = Line.of(ctx.text, group)
        ref, stop = ctx.account(sub)
        if stop < len(group):
            ref = AccountRef(" ".join(w.text for w in group), False, _around(ctx.text, group))
        accounts.append(ref)
    return HandOver(
        to=to, accounts=tuple(accounts), until=until, note=note, for_good=for_good, anyway=anyway
    )


def _away(ctx: _Ctx) -> Command:
    line = ctx.line()
    words = list(line.words)
    if [w.word for w in words] in ([c] for c in CANCEL_WORDS):
        return CancelAbsence()
    overlap = None
    if words and words[-1].word in OVERLAP_WORDS:
        overlap, words = OVERLAP_WORDS[words[-1].word], words[:-1]
    cover = None
    cover_at = next(
        (
            i
            for i in range(len(words) - 2, -1, -1)
            if words[i].word in ("cover", "cubre") and words[i + 1].text.startswith("@")
        ),
        None,
    )
    if cover_at is not None:
        mention, stop = ctx.mention(words, cover_at + 1)
        if stop == len(words):
            cover, words = mention, words[:cover_at]
    if overlap is None and words and words[-1].word in OVERLAP_WORDS:
        overlap, words = OVERLAP_WORDS[words[-1].word], words[:-1]
    texts = [w.text for w in words]
    if not texts:
        raise ctx.usage(_("From when to when? e.g. away 2026-12-01 2026-12-12 cover @luis"))
    today = ctx.dates.now.date()
    for i, word in enumerate(texts):
        if word.lower() in ("to", "until", "-", "hasta", "al"):
            starts = ctx.dates.day(" ".join(texts[:i])) if i else today
            ends = _day_after(ctx, starts, texts[i + 1 :])
            if starts and ends:
                return Away(starts=starts, ends=ends, cover=cover, overlap=overlap)
    for i in range(1, len(texts)):
        starts = ctx.dates.day(" ".join(texts[:i]))
        ends = _day_after(ctx, starts, texts[i:])
        if starts and ends:
            return Away(starts=starts, ends=ends, cover=cover, overlap=overlap)
    single = ctx.dates.day(" ".join(texts))
    if single:
        return Away(starts=single, ends=single, cover=cover, overlap=overlap)
    raise ctx.usage(_("I couldn't read “{typed}” as two dates.", typed=" ".join(texts)))


def _day_after(ctx: _Ctx, starts: date | None, words: Sequence[str]) -> date | None:
    """The last day of a period, read after its first: "el lunes el viernes" is that
    Monday to the Friday after it, not to the Friday of this week. A date written out
    (2026-12-14, 14/12) is read as written, and refused if it comes first."""
    text = " ".join(words)
    ends = ctx.dates.day(text)
    written_out = any(ch.isdigit() for ch in text)
    if starts and ends and ends < starts and not written_out and (starts - ends).days < 7:
        return ends + timedelta(days=7)
    return ends


def _undo(ctx: _Ctx) -> Command:
    line = ctx.line()
    if not line.words:
        return Undo()
    if len(line.words) > 1:
        raise ctx.usage(
            _("undo takes nothing, or a change's id; I didn't expect “{extra}”.", extra=line.text)
        )
    return Undo(change=read_id(line.words[0].text, "undo", "change"))


def _record(ctx: _Ctx, line: Line) -> tuple[str, int]:
    return read_record(line.words[0].text if line.words else "", ctx.verb)


def read_record(text: str, verb: str) -> tuple[str, int]:
    """The record a correction names: its id must say its kind (N9, A7, C3, F5, D12)."""
    typed = ids.read(text)
    kinds = ", ".join(ids.show(kind, n) for kind, n in CORRECTED_EXAMPLES)
    if typed is None or typed.kind is None or typed.kind == "change":
        raise Usage(
            _(
                "“{typed}” doesn't say which record. Give its id as replies show it: {examples}.",
                typed=text,
                examples=kinds,
            )
            if text
            else _("Which record? Give its id as replies show it: {examples}.", examples=kinds),
            topic=verb,
        )
    return typed.kind, typed.number


def read_when(dates: DateReader, kind: str, text: str) -> datetime | None:
    """A record's new moment: when an interaction happened (read towards the past; one in
    the future is refused by the hub, saying why), or when a follow-up is due."""
    past = dates.past_moment(text) if kind == "interaction" else None
    return past or dates.moment(text)


def _edit(ctx: _Ctx) -> Command:
    line = ctx.line("due", "when", "severity")
    kind, number = _record(ctx, line)
    text = _unquoted(line, 1) or None
    opts = line.options
    if text is None and not opts:
        raise ctx.usage(
            _("What should {id} say? e.g. edit N9 called Ana back", id=ids.show(kind, number))
        )
    due = when = None
    if "due" in opts:
        due = ctx.dates.day(opts["due"])
        if due is None:
            raise ctx.usage(_("I couldn't read “{typed}” as a date.", typed=opts["due"]))
    if "when" in opts:
        when = read_when(ctx.dates, kind, opts["when"])
        if when is None:
            raise ctx.usage(_("I couldn't read “{typed}” as a moment.", typed=opts["when"]))
    severity = opts.get("severity", "").lower() or None
    if severity is not None and severity not in SEVERITIES:
        raise ctx.usage(_severity_must_be(severity))
    return Edit(kind=kind, id=number, text=text, due=due, when=when, severity=severity)


def _only_record(ctx: _Ctx) -> tuple[str, int]:
    """The record of a verb that takes nothing else (`delete N9`, `restore N9`)."""
    line = ctx.line()
    kind, number = _record(ctx, line)
    if len(line.words) > 1:
        raise ctx.usage(
            _(
                "{verb} takes only the record's id; I didn't expect “{extra}”.",
                verb=ctx.verb,
                extra=line.text_from(1),
            )
        )
    return kind, number


def _delete(ctx: _Ctx) -> Command:
    kind, number = _only_record(ctx)
    return Delete(kind=kind, id=number)


def _restore(ctx: _Ctx) -> Command:
    kind, number = _only_record(ctx)
    return Restore(kind=kind, id=number)


def _no_arguments(make: Callable[[], Command]) -> Callable[[_Ctx], Command]:
    def parse_bare(ctx: _Ctx) -> Command:
        if ctx.tokens:
            extra = text_of(ctx.text, ctx.tokens)
            raise ctx.usage(
                _(
                    "{verb} takes no arguments; I didn't expect “{extra}”.",
                    verb=ctx.verb,
                    extra=extra,
                )
            )
        return make()

    return parse_bare


def _digest(ctx: _Ctx) -> Command:
    words = [word_alias(t.text).lower() for t in ctx.tokens]
    if words not in ([], ["now"]):
        raise ctx.usage(_("digest takes nothing or “now”."))
    return ShowDigest(now=words == ["now"])


def _report(ctx: _Ctx) -> Command:
    line = ctx.line("owner", "team", "tier", "since", "until", "page", "by")
    words = [w.text for w in line.words]
    kinds = ", ".join(REPORTS)
    if not words:
        raise ctx.usage(_("Which report? One of: {kinds}.", kinds=kinds))
    what = report_alias(words[0])
    if what not in REPORTS:
        raise ctx.usage(
            _("I don't know the report “{what}”; there are: {kinds}.", what=words[0], kinds=kinds)
        )
    today = ctx.dates.now.astimezone(ctx.dates.tz).date()
    period = _since_until(ctx, line, words[1:], today) or report_period(what, words[1:], today)
    tier = line.options.get("tier", "").upper() or None
    if tier is not None and tier not in ("A", "B", "C"):
        raise ctx.usage(_("tier: must be A, B or C."))
    if "page" in line.options and what not in PAGED:
        raise ctx.usage(
            _(
                "The {what} report fits one page; page: is for: {paged}.",
                what=words[0],
                paged=", ".join(PAGED),
            )
        )
    return ShowReport(
        what=what,
        period=period,
        owner=line.options.get("owner"),
        team=line.options.get("team"),
        tier=tier,
        page=_page(ctx, line),
        by=report_grouping(what, words[0], line.options.get("by")),
    )


def report_grouping(what: str, typed: str, by: str | None) -> str | None:
    """The grouping `by:` names, if report `what` (typed as `typed`) has groupings and it
    is one of them."""
    if by is None:
        return None
    if what not in GROUPINGS:
        raise Usage(
            _(
                "The {what} report has one grouping; by: is for: {grouped}.",
                what=typed,
                grouped=", ".join(GROUPINGS),
            ),
            topic="report",
        )
    if by.lower() not in GROUPINGS[what]:
        raise Usage(
            _(
                "by: must be one of {groupings}, not “{typed}”.",
                groupings="/".join(GROUPINGS[what]),
                typed=by,
            ),
            topic="report",
        )
    return by.lower()


def report_period(what: str, words: Sequence[str], today: date) -> Period:
    """The period `words` name, seen from `today`; report `what`'s own when there are none."""
    period = read_period(words or DEFAULT_PERIOD[what].split(), today)
    if period is None:
        raise Usage(
            _(
                "I couldn't read “{typed}” as a period: say this month, last quarter, "
                "last 30 days, 2026, Q3, or since:/until:.",
                typed=" ".join(words),
            ),
            topic="report",
        )
    return period


def _since_until(ctx: _Ctx, line: Line, words: list[str], today: date) -> Period | None:
    """The period since:/until: give (None without them); not beside period words."""
    if "since" not in line.options and "until" not in line.options:
        return None
    if words:
        raise ctx.usage(_("Give the period as words or with since:/until:, not both."))
    first = ctx.dates.day(line.options["since"]) if "since" in line.options else None
    last = ctx.dates.day(line.options["until"]) if "until" in line.options else today
    if ("since" in line.options and first is None) or last is None:
        raise ctx.usage(_("I couldn't read the dates of since:/until: (try since:2026-11-01)."))
    first = first or last.replace(month=1, day=1)
    if first > last:
        raise ctx.usage(_("since: must come before until:."))
    return Period.between(first, last)


def _subscribe(ctx: _Ctx) -> Command:
    line = ctx.line("language")
    words = [t.text for t in line.words]
    if not words:
        raise ctx.usage(_("Which channel? e.g. subscribe #sales weekly"))
    cadence = word_alias(words[1]).lower() if len(words) > 1 else "weekly"
    if cadence not in ("daily", "weekly") or len(words) > 2:
        raise ctx.usage(_("Say daily or weekly after the channel."))
    return Subscribe(channel=words[0], cadence=cadence, locale=line.options.get("language"))


def _unsubscribe(ctx: _Ctx) -> Command:
    words = [t.text for t in ctx.tokens]
    if len(words) != 1:
        raise ctx.usage(_("Which channel? e.g. unsubscribe #sales"))
    return Unsubscribe(channel=words[0])


def _help(ctx: _Ctx) -> Command:
    words = [t.text for t in ctx.tokens]
    topic = read_verb(words)[0] if words else None
    if words and topic not in TOPICS:
        raise Usage(
            _("There is no command “{word}”.", word=words[0]),
            topic=None,
            suggestion=_corrected(ctx.text, ctx.tokens[0], VERB_NAMES, VERB_MEANINGS),
        )
    return Help(topic=topic)


def _corrected(
    text: str, word: Token, verbs: Sequence[str], meaning: dict[str, str] | None = None
) -> str | None:
    """`text` with `word` (an unknown verb) replaced by the verb it most likely meant."""
    verb = closest_verb(word.text, verbs, meaning)
    return f"{text[: word.start]}{verb}{text[word.end :]}".strip() if verb else None


def _id(ctx: _Ctx, line: Line, kind: str | None = None) -> int:
    return read_id(line.words[0].text if line.words else "", ctx.verb, kind)


def read_id(text: str, verb: str, kind: str | None = None) -> int:
    """The id `verb` acts on: `D12` (refused if the verb takes another kind), `12`, `#12`.
    `kind` defaults to the verb's (`Verb.id_kind`)."""
    if kind is None and verb in VERBS:
        kind = VERBS[verb].id_kind
    example = ids.show(kind, 12) if kind else ""
    if not text.strip():
        raise Usage(
            _("Give the id shown in replies, e.g. {example}, 12 or #12.", example=example)
            if kind
            else _("Give the id shown in replies, e.g. 12 or #12."),
            topic=verb,
        )
    typed = ids.read(text)
    if typed is None:
        raise Usage(
            _(
                "“{typed}” is not an id; ids look like {example}, 12 or #12.",
                typed=text,
                example=example,
            )
            if kind
            else _("“{typed}” is not an id; ids look like 12 or #12.", typed=text),
            topic=verb,
        )
    if kind is not None and typed.kind is not None and typed.kind != kind:
        raise Usage(
            _(
                "{id} is {a_kind}; {verb} takes {another_kind} ({example}).",
                id=ids.show(typed.kind, typed.number),
                a_kind=_a_kind(typed.kind),
                verb=verb,
                another_kind=_a_kind(kind),
                example=ids.example(kind),
            ),
            topic=verb,
        )
    return typed.number


def read_amount(text: str, *, what: str = "amount") -> tuple[Decimal, str | None]:
    """An amount as people type it (48000, 48k, 48.000,50 €, USD 1,200): value, currency.
    `what` is the option it was typed in: `amount` (a deal's), `revenue` (an account's)."""
    match = _AMOUNT.match(text.strip())
    if not match:
        raise Usage(
            _(
                "I couldn't read “{typed}” as an amount (try amount:48000 or amount:48k).",
                typed=text,
            )
            if what == "amount"
            else _(
                "I couldn't read “{typed}” as an amount (try revenue:2M or revenue:250k).",
                typed=text,
            ),
            topic="deal" if what == "amount" else "account",
        )
    number = match.group("num")
    if "," in number and "." in number:
        decimal_mark = "," if number.rfind(",") > number.rfind(".") else "."
    elif number.count(",") == 1 and len(number.split(",")[1]) != 3:
        decimal_mark = ","
    elif number.count(".") == 1 and len(number.split(".")[1]) != 3:
        decimal_mark = "."
    else:
        decimal_mark = ""
    thousands = {",", "."} - {decimal_mark}
    cleaned = "".join(ch for ch in number if ch not in thousands).replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise Usage(
            _("I couldn't read “{typed}” as an amount.", typed=text), topic="deal"
        ) from None
    multiplier = {"k": 1_000, "m": 1_000_000}.get((match.group("mult") or "").lower(), 1)
    value *= multiplier
    if value >= Decimal("1e12"):
        raise Usage(_("That amount is too large."), topic="deal")
    code = match.group("pre") or match.group("post")
    currency = _SYMBOLS.get(code, code.upper()) if code else None
    return value.quantize(Decimal("0.01")), currency


def _unquoted(line: Line, start: int) -> str:
    """The text from `line.words[start]` on; quotes around all of it are delimiters."""
    words = line.words[start:]
    if len(words) == 1 and words[0].quoted:
        return words[0].text.strip()
    return line.text_from(start)


def _around(text: str, words: Sequence[Token]) -> tuple[str, str]:
    """The line before and after `words` (consecutive words of it), as typed."""
    return text[: words[0].start], text[words[-1].end :]


def _when_it_happened(ctx: _Ctx, line: Line, at: int) -> tuple[datetime | None, int]:
    """A date or time of day starting at `line.words[at]` that says when something
    happened (ayer, el lunes, yesterday 16:00) and where the rest begins. A moment still to
    come is not a date here: its words stay in the text. So are words that would leave
    no text after them."""
    words = line.words[at:]
    if not words or words[0].quoted:
        return None, at
    n, when = ctx.dates.longest_past([w.text for w in words])
    if when is None or n >= len(words):
        return None, at
    return when, at + n


def _last_keyword(words: Sequence[Token], start: int, keywords: Sequence[str]) -> int | None:
    for i in range(len(words) - 1, start - 1, -1):
        if words[i].word in keywords:
            return i
    return None


def _split_commas(words: Sequence[Token]) -> list[list[Token]]:
    groups: list[list[Token]] = [[]]
    for word in words:
        if word.quoted:
            groups[-1].append(word)
            continue
        pieces = word.text.split(",")
        exact = len(word.text) == word.end - word.start  # the token is the text as typed
        at = word.start
        for i, piece in enumerate(pieces):
            if piece:
                span = (at, at + len(piece)) if exact else (word.start, word.end)
                groups[-1].append(Token(piece, *span))
            at += len(piece) + 1
            if i < len(pieces) - 1:
                groups.append([])
    return [g for g in groups if g]


@dataclass(frozen=True)
class Verb:
    """What a verb of the language is: how its words are read, the type of command it
    makes (which says whether it writes), and the kind of record a bare id names."""

    read: Callable[[_Ctx], Command]
    makes: type[Command]
    id_kind: str | None = None


VERBS: dict[str, Verb] = {
    "whois": Verb(_whois, Whois),
    "find": Verb(_find, Find),
    "timeline": Verb(_timeline, Timeline),
    "account": Verb(_account, SaveAccount),
    "contact": Verb(_contact, SaveContact),
    "log": Verb(_log, Log),
    "agree": Verb(_agree, Agree),
    "complaint": Verb(_complaint, OpenComplaint),
    "resolve": Verb(_resolve, Resolve, id_kind="complaint"),
    "kept": Verb(_kept, CloseAgreement, id_kind="agreement"),
    "broken": Verb(_broken, CloseAgreement, id_kind="agreement"),
    "deal": Verb(_deal, OpenDeal),
    "stage": Verb(_stage, MoveDeal, id_kind="deal"),
    "won": Verb(_won, MoveDeal, id_kind="deal"),
    "lost": Verb(_lost, MoveDeal, id_kind="deal"),
    "remind": Verb(_remind, Remind),
    "done": Verb(_done, Done, id_kind="follow-up"),
    "snooze": Verb(_snooze, Snooze, id_kind="follow-up"),
    "handover": Verb(_handover, HandOver),
    "away": Verb(_away, Away),
    "back": Verb(_no_arguments(Back), Back),
    "mine": Verb(_no_arguments(Mine), Mine),
    "digest": Verb(_digest, ShowDigest),
    "report": Verb(_report, ShowReport),
    "subscribe": Verb(_subscribe, Subscribe),
    "unsubscribe": Verb(_unsubscribe, Unsubscribe),
    "undo": Verb(_undo, Undo, id_kind="change"),
    "edit": Verb(_edit, Edit),
    "delete": Verb(_delete, Delete),
    "restore": Verb(_restore, Restore),
    "help": Verb(_help, Help),
}


# Every name of a verb, English then Spanish, for "did you mean"; the verb each names.
VERB_NAMES = [*VERBS, *VERB_ALIASES]
VERB_MEANINGS = dict(VERB_ALIASES)


def line_verb(line: str) -> str | None:
    """The English verb a line names, before it is parsed (an empty line asks for help);
    None when its first words name no verb."""
    words = line.strip().removeprefix("/crm").split()
    return read_verb(words)[0] if words else "help"


def line_writes(line: str) -> bool:
    """Whether the command a line names writes (as its type says), before it is parsed:
    an unknown verb counts as a write, so a failure never claims nothing was lost."""
    verb = line_verb(line)
    return verb is None or VERBS[verb].makes.writes
