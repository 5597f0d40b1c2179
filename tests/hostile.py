"""Hostile input for the fuzz tests: a corpus of text that has broken other systems, the
hypothesis strategies built on it, the example budget, and a count of the cases run.

The budget is small enough for CI on two cores; `RELEVO_FUZZ_EXAMPLES=N` runs N examples
per fuzz test instead (a deeper run by hand or in a nightly job).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

LONG = 100_000

# Text that means something to a database, a search engine, Slack, Discord, markdown or
# a terminal, and text that is merely awkward (long, invisible, right-to-left).
CORPUS: tuple[str, ...] = (
    "'); DROP TABLE account;--",
    "Robert'); DROP TABLE interaction; --",
    "1' OR '1'='1",
    "%",
    "_",
    "\\",
    "\\%_",
    "visibility = public OR 1=1",
    "account_id IN [1,2]",
    'name = "x" AND visibility != private',
    "_geoRadius(0, 0, 1)",
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U123>",
    "<@U0ANA|ana>",
    "<!subteam^S1>",
    "<!subteam^S1|@eng>",
    "<#C0SALES|sales>",
    "<https://evil.example|click here>",
    "<mailto:x@evil.example|mail>",
    "*bold* _x_ ~y~ `code`",
    "*bold* _it_ ~s~ `code` > quote <@U123> <!channel> &amp; <https://x|y>",
    "```block```",
    "&lt;",
    "&amp;lt;!channel&amp;gt;",
    "&gt;",
    "@everyone",
    "@here",
    "<@123>",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<@&456>",
    "<@&456789012345678901>",
    "<#123456789012345678>",
    "||spoiler||",
    "[x](http://evil)",
    "[click](https://evil.example/login)",
    "> quoted",
    "# heading",
    "- item",
    "**bold** __under__ ~~strike~~",
    "\\*not bold\\*",
    "C:\\path\\*x*",
    "https://evil.example/a_b_c*d*",
    "\u202egnp.exe",
    "abc\u202edef\u202c",
    "\u200d\u200b\u2060\ufeff",
    "👨\u200d👩\u200d👧",
    "e\u0301\u0301\u0301",
    "\u0645\u0631\u062d\u0628\u0627",
    "\x1b[31mred\x1b[0m",
    "\x07\x08\x7f",
    "tab\there",
    "line\nbreak",
    "crlf\r\nline",
    "\u2028\u2029",
    "'",
    '"',
    "“",
    "«",
    "🙂",
    "a" * LONG,
)
# What no PostgreSQL text column can hold and no UTF-8 can encode.
UNSTORABLE: tuple[str, ...] = ("\x00", "nul\x00byte", "\ud800", "lone \udfff surrogate")

_SPICE = st.sampled_from(
    [c for text in CORPUS if len(text) < 100 for c in text]
    + ["\u202e", "\u200d", "\u200b", "\ufeff", "\x1b", "\t", "\n", "<", ">", "&", "@", "|"]
)
_SHORT = [text for text in CORPUS if len(text) < 1000]


def _joined(parts: list[str]) -> str:
    return " ".join(parts)


def hostile_text(*, max_size: int = 120, long: bool = True) -> st.SearchStrategy[str]:
    """Corpus entries, their mixtures with arbitrary text, and (with `long`) huge strings.

    Never NUL or lone surrogates: see `unstorable_text` for those.
    """
    printable = st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=max_size,
    )
    mixed = st.lists(
        st.one_of(st.sampled_from(_SHORT), printable, st.text(_SPICE, max_size=20)),
        min_size=1,
        max_size=6,
    ).map(_joined)
    options = [st.sampled_from(_SHORT), mixed]
    if long:
        options.append(
            st.builds(
                lambda head, n: (head + " ") * n,
                st.sampled_from(_SHORT),
                st.integers(min_value=1, max_value=LONG // 10),
            ).map(lambda text: text[:LONG])
        )
        options.append(st.just("a" * LONG))
    return st.one_of(*options)


def unstorable_text() -> st.SearchStrategy[str]:
    """Text with a NUL or a lone surrogate somewhere in it."""
    return st.builds(
        lambda head, bad, tail: head + bad + tail,
        hostile_text(max_size=30, long=False),
        st.sampled_from(UNSTORABLE),
        st.text(max_size=20),
    )


def json_garbage(depth: int = 3) -> st.SearchStrategy[Any]:
    """Any JSON value, strings hostile."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        hostile_text(max_size=40, long=False),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.text(max_size=12), inner, max_size=5),
        ),
        max_leaves=12,
    )


def mutated(base: dict[str, Any], *, keys: tuple[str, ...] = ()) -> st.SearchStrategy[Any]:
    """`base` with some fields dropped, retyped or replaced by garbage (and extra keys)."""
    names = tuple(base) + keys

    def apply(changes: list[tuple[str, str, Any]]) -> dict[str, Any]:
        out = dict(base)
        for name, how, value in changes:
            if how == "drop":
                out.pop(name, None)
            else:
                out[name] = value
        return out

    change = st.tuples(st.sampled_from(names), st.sampled_from(["drop", "set"]), json_garbage())
    return st.lists(change, min_size=1, max_size=4).map(apply)


# -- budget and accounting ----------------------------------------------------------------

_ENV_EXAMPLES = int(os.environ.get("RELEVO_FUZZ_EXAMPLES", "0") or 0)

settings.register_profile(
    "relevo-fuzz",
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def fuzz(examples: int) -> Callable[[Any], Any]:
    """Hypothesis settings for one fuzz test: `examples` in CI, the env var's when set."""
    return settings(
        settings.get_profile("relevo-fuzz"),
        max_examples=_ENV_EXAMPLES or examples,
    )


CASES: Counter[str] = Counter()


def ran(target: str) -> None:
    """Count one fuzz case run against `target` (reported at the end of the session)."""
    CASES[target] += 1


_DISCORD_ESCAPE = re.compile(r"\\([^0-9A-Za-z\s])")


def discord_shows(text: str) -> str:
    """What Discord displays for escaped text: a backslash before punctuation shows the
    punctuation itself; the zero-width space that defuses a mention is invisible."""
    return _DISCORD_ESCAPE.sub(r"\1", text).replace("@\u200b", "@")
