"""The platform-neutral reply: what a command answers, before any platform renders it.

`bot/` turns it into plain text, Slack Block Kit or Discord embeds. Actions carry the
`/crm` command line they stand for, so every platform can run or prefill them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Tone(StrEnum):
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Action:
    label: str
    command: str  # the /crm line it stands for; ends with a space when it wants more words
    style: str = "default"  # default / primary / danger


@dataclass(frozen=True)
class Item:
    text: str
    ref: str | None = None  # "D12", "F5" (hub/ids.py): what `done`, `resolve`, `stage` take
    flags: tuple[str, ...] = ()  # e.g. "overdue", "SLA breached"
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[Item, ...] = ()
    empty: str = ""  # shown when there are no items
    more: int = 0  # items not shown


@dataclass(frozen=True)
class Table:
    """Rows of figures under named columns (a report's); cells are already written in the
    reader's language. `numeric` marks the columns aligned to the right."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()
    empty: str = ""  # shown when there are no rows
    more: int = 0  # rows not shown


@dataclass(frozen=True)
class Reply:
    title: str
    text: str = ""
    fields: tuple[Field, ...] = ()
    sections: tuple[Section, ...] = ()
    tables: tuple[Table, ...] = ()
    actions: tuple[Action, ...] = ()
    # A question: what was typed can be read more than one way, and each choice is one
    # reading as a whole /crm line. Nothing is saved until the person picks one (a button
    # on Slack and Discord, its number in the console) or types the line they meant.
    choices: tuple[Action, ...] = ()
    notes: tuple[str, ...] = ()
    tone: Tone = Tone.INFO
    # The person asked for it to be posted, for everyone where they asked (`digest now`), so
    # it holds only what a channel may see: public accounts. Every other answer is theirs.
    shared: bool = False
    error_id: str | None = None
    duplicate: bool = False  # a redelivered request: already answered, nothing written
    channel: str | None = None  # the account's linked channel, where a write is announced
    locale: str = "en"  # the reader's language: what the adapters write their own labels in

    @property
    def ok(self) -> bool:
        return self.tone in (Tone.INFO, Tone.SUCCESS)
