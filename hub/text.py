"""Text folding shared by lookups, uniqueness keys and search."""

from __future__ import annotations

import difflib
import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Return the lookup key of a name: no accents, case-folded, punctuation as spaces.

    "  María  López, S.A. " and "maria lopez s.a." share a key, so a person can type a
    name the way they remember it and still reach the record. Letters of any script are
    kept, so "Яндекс" has a key too.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NON_WORD.sub(" ", bare).strip()


def slug(text: str) -> str:
    """A handle for a person: their folded first word, e.g. "María López" -> "maria"."""
    key = fold(text)
    return key.split(" ")[0] if key else ""


def similarity(typed: str, name_key: str) -> float:
    """How close a typed key is to a name: whole name, any word of it, or its start."""
    matcher = difflib.SequenceMatcher(None, typed)
    scores = []
    for candidate in (name_key, name_key[: len(typed)], *name_key.split(" ")):
        matcher.set_seq2(candidate)
        if matcher.real_quick_ratio() >= 0.72 and matcher.quick_ratio() >= 0.72:
            scores.append(matcher.ratio())
    return max(scores, default=0.0)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> str | None:
    """What in `text` no database of ours can store exactly, in words; None when nothing.

    PostgreSQL text cannot hold NUL, and a lone surrogate (what invalid UTF-8 or a broken
    JSON escape becomes) is not Unicode at all, so no database can. Text with either is
    refused whole rather than quietly changed, the same way on SQLite and PostgreSQL.
    """
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "a NUL character (U+0000)"
    return "broken Unicode (a lone surrogate, e.g. from invalid UTF-8)"


def visible(text: str) -> str:
    """`text` safe to show back anywhere: NUL as ␀, a lone surrogate as �."""
    return _UNSTORABLE.sub(lambda m: "\u2400" if m.group() == "\x00" else "\ufffd", text)
