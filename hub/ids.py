"""Ids that name their kind: `D12` a deal, `C3` a complaint, `A7` an agreement, `F5` a
follow-up, `N9` an interaction (a note of what happened), `U17` a change one can undo.

Each kind keeps its own numbering in the database, so "12" alone is ambiguous; the
letter makes it say what it is. This module is the one place that knows the letters:
everything that shows an id calls `show`, and the parser reads what people type with
`read` (a prefixed id, a bare number or `#12`, which leave the kind to the verb).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hub.i18n import N_, _

LETTERS = {
    "deal": "D",
    "complaint": "C",
    "agreement": "A",
    "follow-up": "F",
    "interaction": "N",
    "change": "U",  # a write that can be undone: `undo U17` (the Undo buttons)
}
KINDS = {letter: kind for kind, letter in LETTERS.items()}
# Each kind with its article, for messages ("D12 is a deal"), translated where shown.
WITH_ARTICLE = {
    "deal": N_("a deal"),
    "complaint": N_("a complaint"),
    "agreement": N_("an agreement"),
    "follow-up": N_("a follow-up"),
    "interaction": N_("an interaction"),
    "change": N_("a change"),
}

_TYPED = re.compile(r"^#?(?P<letter>[A-Za-z])?#?(?P<number>\d{1,12})$")


@dataclass(frozen=True)
class TypedId:
    """An id as typed: its number, and its kind when the letter named one."""

    number: int
    kind: str | None = None


def show(kind: str, number: int) -> str:
    """How an id is shown wherever it appears: `show("deal", 12)` is "D12"."""
    return f"{LETTERS[kind]}{number}"


def a(kind: str) -> str:
    """The kind with its article, in the reader's language: "a deal", "an agreement"."""
    return _(WITH_ARTICLE[kind])


def read(text: str) -> TypedId | None:
    """`D12`, `d12`, `#D12`, `12` or `#12`; None for anything else (or an unknown letter)."""
    match = _TYPED.match(text.strip())
    if not match:
        return None
    letter = match.group("letter")
    if letter is not None and letter.upper() not in KINDS:
        return None
    return TypedId(int(match.group("number")), KINDS[letter.upper()] if letter else None)


def example(kind: str) -> str:
    """How to type an id of `kind`, for messages: "D…"."""
    return f"{LETTERS[kind]}…"
