"""Forms, written once for every platform: what each asks (fields, labels, defaults,
choices, which are required), which form a button's unfinished line opens, and how the
submitted values become the typed command the parser would produce, with its line.

Slack renders these as Block Kit modals, Discord as modals of text inputs; neither defines
a form of its own. A submitted form becomes a typed command, never a line to re-parse, so
a note that happens to contain "due friday" stays a note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Protocol

from commands import types as t
from commands.dates import DateReader
from commands.format import quoted
from commands.parser import DEFAULT_KIND, SEVERITIES
from commands.tokens import tokenize
from hub import i18n
from hub.account_rules import Segments
from hub.i18n import _, pgettext
from hub.models import InteractionKind
from hub.segments import SIZE_BANDS

LOG, AGREE, COMPLAINT, HANDOVER = "log", "agree", "complaint", "handover"
SEGMENT = "account"  # an account's segmentation: industry, country, size, lead source
SAVE_MESSAGE = "save_message"  # a chat message saved as a log
LINE = "line"  # the fallback: complete any /crm line a button started
BUTTON_FORMS = (LOG, AGREE, COMPLAINT, HANDOVER, SEGMENT)  # what a button or the menu opens
KINDS = tuple(kind.value for kind in InteractionKind)


class Input(StrEnum):
    """What a field asks for; each platform picks its own widget for it."""

    ACCOUNT = "account"  # a visible account, picked or typed with suggestions
    PERSON = "person"  # a member of the team, as @handle
    CHOICE = "choice"  # one of `choices`
    DATE = "date"  # a day, as the person writes it ("next friday", 2030-01-15)
    WORD = "word"  # a short text on one line: a name, a code
    TEXT = "text"  # free text, possibly long


class Param(Protocol):
    """A value of a command as it stands in a typed line (a form field, a Discord option)."""

    @property
    def name(self) -> str: ...

    @property
    def prefix(self) -> str: ...

    @property
    def quote(self) -> bool: ...


@dataclass(frozen=True)
class Field:
    name: str  # the key of its value (Slack's block id, Discord's custom_id)
    label: str
    input: Input = Input.TEXT
    required: bool = False
    default: str = ""
    choices: tuple[str, ...] = ()
    hint: str = ""  # an example, shown where the platform has room for one
    # How the typed line introduces the value: "" (a word in its place), "due ", "severity:".
    prefix: str = ""
    quoted: bool = False  # a value of several words stands quoted in the line

    @property
    def quote(self) -> bool:
        return self.input == Input.ACCOUNT or self.quoted


@dataclass(frozen=True)
class Form:
    name: str
    verb: str  # the /crm command it makes
    title: str
    submit: str
    fields: tuple[Field, ...]
    footer: str = ""

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _account() -> Field:
    return Field("account", pgettext("form field", "Account"), Input.ACCOUNT, required=True)


def _how(default: str) -> Field:
    return Field(
        "kind",
        pgettext("form field", "How"),
        Input.CHOICE,
        required=True,
        default=default,
        choices=KINDS,
    )


def _written() -> tuple[Form, ...]:
    """Every form, in the reader's language."""
    return (
        Form(
            LOG,
            "log",
            pgettext("form title", "Log an interaction"),
            pgettext("form button", "Log"),
            (
                _account(),
                _how(DEFAULT_KIND),
                Field("text", pgettext("form field", "What happened"), required=True),
            ),
        ),
        Form(
            AGREE,
            "agree",
            pgettext("form title", "Record an agreement"),
            pgettext("form button", "Save"),
            (
                _account(),
                Field(
                    "text", pgettext("form field", "What was agreed (what, by whom)"), required=True
                ),
                Field(
                    "due",
                    pgettext("form field", "Due"),
                    Input.DATE,
                    hint=pgettext("form hint", "e.g. next friday"),
                    prefix="due ",
                ),
            ),
        ),
        Form(
            COMPLAINT,
            "complaint",
            pgettext("form title", "Open a complaint"),
            pgettext("form button", "Open"),
            (
                _account(),
                Field("text", pgettext("form field", "What is wrong"), required=True),
                Field(
                    "severity",
                    pgettext("form field", "Severity"),
                    Input.CHOICE,
                    required=True,
                    default="medium",
                    choices=SEVERITIES,
                    prefix="severity:",
                ),
            ),
        ),
        Form(
            HANDOVER,
            "handover",
            pgettext("form title", "Hand over"),
            pgettext("form button", "Hand over"),
            (
                _account(),
                Field(
                    "to",
                    pgettext("form field", "To"),
                    Input.PERSON,
                    required=True,
                    hint=pgettext("form hint", "@name"),
                    prefix="to ",
                ),
                Field(
                    "until",
                    pgettext("form field", "Until (leave empty to hand over for good)"),
                    Input.DATE,
                    hint=pgettext("form hint", "e.g. 2030-03-31"),
                    prefix="until ",
                ),
                Field("note", pgettext("form field", "Note for the new owner")),
            ),
        ),
        Form(
            SEGMENT,
            "account",
            pgettext("form title", "Segment an account"),
            pgettext("form button", "Save"),
            (
                _account(),
                Field(
                    "industry",
                    pgettext("form field", "Industry"),
                    Input.WORD,
                    hint=pgettext("form hint", "e.g. retail (empty: keep it)"),
                    prefix="industry:",
                    quoted=True,
                ),
                Field(
                    "country",
                    pgettext("form field", "Country"),
                    Input.WORD,
                    hint=pgettext("form hint", "e.g. ES or Spain (empty: keep it)"),
                    prefix="country:",
                    quoted=True,
                ),
                Field(
                    "size",
                    pgettext("form field", "Employees"),
                    Input.CHOICE,
                    choices=SIZE_BANDS,
                    prefix="size:",
                ),
                Field(
                    "source",
                    pgettext("form field", "Lead source"),
                    Input.WORD,
                    hint=pgettext("form hint", "e.g. referral (empty: keep it)"),
                    prefix="source:",
                    quoted=True,
                ),
            ),
        ),
        Form(
            SAVE_MESSAGE,
            "log",
            pgettext("form title", "Save to CRM"),
            pgettext("form button", "Save"),
            (
                _account(),
                _how(InteractionKind.CHAT),
                Field("text", pgettext("form field", "Message"), required=True),
            ),
        ),
        Form(
            LINE,
            "",
            "Relevo",
            pgettext("form button", "Run"),
            (Field("line", pgettext("form field", "Complete the command"), required=True),),
            footer=_("Type /crm help to see every command."),
        ),
    )


@cache
def _forms_in(language: str) -> dict[str, Form]:
    with i18n.reading_in(language):
        return {form.name: form for form in _written()}


class _Forms(Mapping[str, Form]):
    """The forms by name, each written in the language of whoever reads it now (the
    reading language where it is looked up: `i18n.reading_in`)."""

    def __getitem__(self, name: str) -> Form:
        return _forms_in(i18n.current())[name]

    def __iter__(self) -> Iterator[str]:
        return iter(_forms_in(i18n.DEFAULT))

    def __len__(self) -> int:
        return len(_forms_in(i18n.DEFAULT))


FORMS: Mapping[str, Form] = _Forms()


def form_for(line: str) -> tuple[Form, dict[str, str]]:
    """Which form a button's unfinished line opens, and the values it already gives:
    `log "Acme Corp" ` opens the log form on Acme Corp; `handover acme to @ana until `
    the handover form to @ana; anything else the line form, holding the line."""
    words = tokenize(line)
    verb = words[0].text.lower() if words else ""
    if verb not in BUTTON_FORMS or (len(words) > 1 and words[1].text.startswith("@")):
        return FORMS[LINE], {"line": line}
    values = {"account": words[1].text} if len(words) > 1 else {}
    if verb == HANDOVER:
        to = next((w.text for w in words[2:] if w.text.startswith("@")), None)
        if to is not None:
            values["to"] = to
    return FORMS[verb], values


def typed_line(verb: str, params: Iterable[Param], values: Mapping[str, object]) -> str:
    """The command as the line a person would type, to show back when something goes
    wrong: each value in its place, an account's name quoted."""
    words = [verb]
    for param in params:
        value = values.get(param.name)
        if value is None or value == "":
            continue
        shown = quoted(str(value)) if param.quote else str(value)
        words.append(param.prefix + shown)
    return " ".join(words)


Build = Callable[[DateReader], t.Command]


def command_from(form: Form, submitted: Mapping[str, str]) -> tuple[Build, str]:
    """The typed command a submitted form stands for (a function of the person's dates,
    so that "next friday" reads in their time zone), and the command as a line.

    `submitted` holds each field's value as text: an account by its name, a person as
    @handle, a day as written. A required field left empty is a usage error.
    """
    if form.name == LINE:
        raise ValueError("the line form runs its line")
    values = {f.name: (submitted.get(f.name) or "").strip() for f in form.fields}
    typed = typed_line(form.verb, form.fields, values)

    def build(dates: DateReader) -> t.Command:
        fields = FORMS[form.name].fields  # labelled in the language of who submitted it
        missing = [f.label for f in fields if f.required and not values[f.name]]
        if missing:
            raise t.Usage(_("Fill in {fields}.", fields=", ".join(missing)), topic=form.verb)
        for field in fields:
            chosen = values[field.name].lower()
            if field.choices and (chosen or field.required) and chosen not in field.choices:
                raise t.Usage(
                    _(
                        "{field}: must be one of {choices}, not “{value}”.",
                        field=field.label,
                        choices="/".join(field.choices),
                        value=values[field.name],
                    ),
                    topic=form.verb,
                )
        account = t.AccountRef(name=values["account"], known=True)
        text = submitted.get("text") or ""  # kept exactly as written
        if form.verb == "log":
            return t.Log(account=account, kind=values["kind"].lower(), text=text)
        if form.verb == "agree":
            return t.Agree(account=account, text=text, due=day(dates, values["due"], "due"))
        if form.verb == "complaint":
            return t.OpenComplaint(account=account, text=text, severity=values["severity"].lower())
        if form.verb == "account":
            segments = Segments(
                industry=values["industry"] or None,
                country=values["country"] or None,
                size=values["size"] or None,
                source=values["source"] or None,
            )
            return t.SaveAccount(name=account.name, segments=segments)
        return t.HandOver(
            to=values["to"],
            accounts=(account,),
            until=day(dates, values["until"], "until"),
            note=values["note"] or None,
        )

    return build, typed


def day(dates: DateReader, text: str | None, what: str) -> date | None:
    """The day `text` names, read as the person writes dates; None for no text."""
    if not text:
        return None
    found = dates.day(text)
    if found is None:
        raise t.Usage(
            _(
                "I couldn't read “{text}” as a date for {what} (try 2026-12-01).",
                text=text,
                what=what,
            )
        )
    return found
