"""Splitting a command line into words, keeping where each word was typed.

Quotes group words ("Acme Corp", “María López”, role:"decision maker"); straight and
typographic quotes are equal. A quote that is never closed is kept as an ordinary
character, so no typed text is ever dropped. Every token keeps its span in the line, so
free text (a note, an agreement) is sliced back exactly as it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_QUOTES = '"“”„«»'
SINGLE_QUOTES = "'‘’"
QUOTES = DOUBLE_QUOTES + SINGLE_QUOTES
# An option's key: letters of any alphabet, accents typed apart included (teléfono:,
# dueño:), or underscores.
_LETTERS = r"(?:[^\W\d]|[\u0300-\u036f]){2,20}"
_KEY = re.compile(_LETTERS)
_OPTION = re.compile(rf"^({_LETTERS}):(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Token:
    text: str  # the word with its quotes removed
    start: int
    end: int
    quoted: bool = False

    @property
    def word(self) -> str:
        """Lower-cased text, for matching keywords like `with` or `due`."""
        return "" if self.quoted else self.text.lower()

    def option(self) -> tuple[str, str] | None:
        """(key, value) when the token reads key:value, e.g. tier:A or role:"buyer"."""
        if self.quoted:
            return None
        match = _OPTION.match(self.text)
        return (match.group(1).lower(), match.group(2)) if match else None


def _closing(line: str, opening: int) -> int:
    """Index of the quote closing the one at `opening`, or -1 when it is never closed."""
    family = DOUBLE_QUOTES if line[opening] in DOUBLE_QUOTES else SINGLE_QUOTES
    i = opening + 1
    while i < len(line):
        if line[i] in family and (i + 1 == len(line) or line[i + 1].isspace()):
            return i
        i += 1
    return -1


def _names_a_person(prefix: str) -> bool:
    """Whether a token so far is `@` or `key:@`: a quote next opens a person's full name."""
    return prefix == "@" or (prefix.endswith(":@") and _KEY.fullmatch(prefix[:-2]) is not None)


def tokenize(line: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(line)
    while i < n:
        if line[i].isspace():
            i += 1
            continue
        start = i
        if line[i] in QUOTES:
            close = _closing(line, i)
            if close > i + 1:
                tokens.append(Token(line[i + 1 : close], start, close + 1, quoted=True))
                i = close + 1
                continue
        token: Token | None = None
        while i < n and not line[i].isspace():
            if line[i] in DOUBLE_QUOTES and _names_a_person(line[start:i]):
                # @"Marta Ruiz" or owner:@"Marta Ruiz": a person named in full, one word.
                close = _closing(line, i)
                if close > i + 1:
                    name = " ".join(line[i + 1 : close].split())
                    token = Token(f"{line[start:i]}{name}", start, close + 1)
                    i = close + 1
                    break
            if (
                line[i] in QUOTES
                and i > start
                and line[i - 1] == ":"
                and _KEY.fullmatch(line[start : i - 1])
            ):
                close = _closing(line, i)
                if close > i:
                    token = Token(f"{line[start : i - 1]}:{line[i + 1 : close]}", start, close + 1)
                    i = close + 1
                    break
            i += 1
        tokens.append(token or Token(line[start:i], start, i))
    return tokens


def text_of(line: str, tokens: list[Token]) -> str:
    """The words of `tokens` as typed: original spacing and quotes, gaps closed by a space.

    `tokens` must be in line order; two tokens that were next to each other in the line
    keep exactly what was between them.
    """
    parts: list[str] = []
    previous: Token | None = None
    for token in tokens:
        if previous is not None:
            between = line[previous.end : token.start]
            parts.append(between if between.strip() == "" else " ")
        parts.append(line[token.start : token.end])
        previous = token
    return "".join(parts)
