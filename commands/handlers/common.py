"""What every handler needs: the account or person a command names, or a helpful reply."""

from __future__ import annotations

import re

from commands.format import quoted
from commands.reply import Action, Item, Reply, Section, Tone
from commands.types import AccountRef
from hub.lookup import find_account
from hub.models import Account, Person
from hub.people import resolve_mention
from hub.work import Work


class ReplyNow(Exception):
    """Stop the command here and answer with `reply`; nothing it started is saved."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.title)
        self.reply = reply


def need_account(work: Work, ref: AccountRef, *, verb: str) -> Account:
    """The account `ref` names, or a reply offering the closest matches (text kept)."""
    lookup = find_account(work, ref.name)
    account = lookup.found
    if isinstance(account, Account):
        return account
    if lookup.ambiguous:
        options = lookup.accounts[:8]
        raise ReplyNow(
            Reply(
                title=f"“{ref.name}” matches several accounts: which one?",
                sections=(
                    Section(
                        "Pick one",
                        tuple(Item(a.name, actions=(_retry(verb, a.name, ref),)) for a in options),
                    ),
                ),
                notes=("Nothing was saved yet.",),
                tone=Tone.WARNING,
            )
        )
    hints = lookup.suggestions
    raise ReplyNow(
        Reply(
            title=f"I don't know an account called “{ref.name}”.",
            text="Did you mean one of these?"
            if hints
            else f"Create it first with: account {quoted(ref.name)}",
            sections=(
                Section(
                    "Closest matches",
                    tuple(Item(name, actions=(_retry(verb, name, ref),)) for name in hints),
                ),
            )
            if hints
            else (),
            actions=() if hints else (Action("Create it", f"account {quoted(ref.name)}"),),
            notes=("Nothing was saved yet.",),
            tone=Tone.WARNING,
        )
    )


def _retry(verb: str, name: str, ref: AccountRef) -> Action:
    """The line as typed with `name` for the account: options and all kept."""
    if ref.around is None:  # not typed as a line (a form, a Discord option): a line to finish
        start = (
            f"remind tomorrow about {quoted(name)}"
            if verb == "remind"
            else f"{verb} {quoted(name)}"
        )
        return Action(f"Use {name}", f"{start} ", style="primary")
    before, after = ref.around
    # "acmee corp call..." → "Acme Corp" already covers "corp": don't repeat it.
    extra = name.split()[len(ref.name.split()) :]
    if extra:
        repeated = r"\s+".join(map(re.escape, extra))
        match = re.match(rf"\s*{repeated}(?=\s|$)", after, re.IGNORECASE)
        after = after[match.end() :] if match else after
    return Action(f"Use {name}", f"{before}{quoted(name)}{after}".strip(), style="primary")


def need_person(work: Work, mention: str) -> Person:
    """The team member an @mention names (NotFound, with close names, otherwise)."""
    return resolve_mention(work.session, mention)
