"""What every handler needs: the account or person a command names, or a helpful reply."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from commands.format import quoted
from commands.reply import Action, Reply, Tone
from commands.tokens import tokenize
from commands.types import AccountRef
from hub.i18n import N_, _
from hub.lookup import find_account
from hub.models import Account, Person
from hub.people import AmbiguousMention, resolve_mention
from hub.work import Work

NOTHING_SAVED_YET = N_("Nothing was saved yet.")
Choices = Callable[[str], tuple[Action, ...]]


class ReplyNow(Exception):
    """Stop the command here and answer with `reply`; nothing it started is saved.

    `choices_for`, when given, makes the reply's choices from the line as it was typed
    (for readings that change one word of it, like an @name said in full)."""

    def __init__(self, reply: Reply, *, choices_for: Choices | None = None) -> None:
        super().__init__(reply.title)
        self.reply = reply
        self.choices_for = choices_for

    def reply_to(self, line: str) -> Reply:
        """The reply to `line`, the line that was typed (or that a form stands for)."""
        if self.choices_for is None:
            return self.reply
        choices = self.choices_for(line)
        return replace(self.reply, choices=(*self.reply.choices, *choices))


def question(title: str, choices: tuple[Action, ...] = (), *, text: str = "") -> Reply:
    """A question: what was typed reads more than one way; each choice is one reading, a
    whole line to run. Asked, it saves nothing (raise it in a `ReplyNow`)."""
    return Reply(
        title=title, text=text, choices=choices, notes=(_(NOTHING_SAVED_YET),), tone=Tone.WARNING
    )


def need_account(work: Work, ref: AccountRef, *, verb: str) -> Account:
    """The account `ref` names, or a reply offering the closest matches (text kept)."""
    lookup = find_account(work, ref.name)
    account = lookup.found
    if isinstance(account, Account):
        return account
    if lookup.ambiguous:
        options = lookup.accounts[:8]
        raise ReplyNow(
            question(
                _("“{name}” matches several accounts: which one?", name=ref.name),
                tuple(_retry(verb, a.name, ref) for a in options),
            )
        )
    hints = lookup.suggestions
    if hints:
        raise ReplyNow(
            question(
                _("I don't know an account called “{name}”.", name=ref.name),
                tuple(_retry(verb, name, ref) for name in hints),
                text=_("Did you mean one of these?"),
            )
        )
    create = f"account {quoted(ref.name)}"
    raise ReplyNow(
        Reply(
            title=_("I don't know an account called “{name}”.", name=ref.name),
            text=_("Create it first with: {line}", line=create),
            actions=(Action(_("Create it"), create),),
            notes=(_(NOTHING_SAVED_YET),),
            tone=Tone.WARNING,
        )
    )


def retry(verb: str, name: str, ref: AccountRef, *, label: str | None = None) -> Action:
    """The line as typed with `name` for the account `ref` names (see `_retry`)."""
    action = _retry(verb, name, ref)
    return action if label is None else replace(action, label=label)


def _retry(verb: str, name: str, ref: AccountRef) -> Action:
    """The line as typed with `name` for the account: options and all kept."""
    if ref.around is None:  # not typed as a line (a form, a Discord option): a line to finish
        start = (
            f"remind tomorrow about {quoted(name)}"
            if verb == "remind"
            else f"{verb} {quoted(name)}"
        )
        return Action(_("Use {name}", name=name), f"{start} ", style="primary")
    before, after = ref.around
    # "acmee corp call..." → "Acme Corp" already covers "corp": don't repeat it.
    extra = name.split()[len(ref.name.split()) :]
    if extra:
        repeated = r"\s+".join(map(re.escape, extra))
        match = re.match(rf"\s*{repeated}(?=\s|$)", after, re.IGNORECASE)
        after = after[match.end() :] if match else after
    return Action(
        _("Use {name}", name=name), f"{before}{quoted(name)}{after}".strip(), style="primary"
    )


def need_person(work: Work, mention: str) -> Person:
    """The team member an @mention names (NotFound, with close names, otherwise). An
    @first-name several people share asks which one: the line with each full name."""
    try:
        return resolve_mention(work.session, mention)
    except AmbiguousMention as which:
        typed, names = which.mention, which.names

        def said_in_full(line: str) -> tuple[Action, ...]:
            lines = [(name, with_mention(line, typed, name)) for name in names]
            return tuple(Action(name, said) for name, said in lines if said is not None)

        raise ReplyNow(question(which.question), choices_for=said_in_full) from None


def with_mention(line: str, mention: str, name: str) -> str | None:
    """`line` with the person `mention` (`@marta`, or `owner:@marta`) named in full:
    `@"Marta Ruiz"`, one word for the parser. None if the line does not say `mention`."""
    typed = mention.casefold()
    full = f'@"{name}"' if " " in name else f"@{name}"
    pieces, at = [], 0
    for token in tokenize(line):
        if token.quoted:
            continue
        option = token.option()
        if token.text.casefold() == typed:
            prefix = ""
        elif option is not None and option[1].casefold() == typed:
            prefix = token.text[: len(token.text) - len(option[1])]  # owner:
        else:
            continue
        pieces.append(f"{line[at : token.start]}{prefix}{full}")
        at = token.end
    if not pieces:
        return None
    return "".join(pieces) + line[at:]
