"""What Slack sends in a command's text, turned back into what the person typed.

With "escape channels, users and links" on (the manifest turns it on), Slack sends
`<@U123|ana>` for a mention, `<#C123|sales>` for a channel, `<!here>` for @here and
`&amp;`/`&lt;`/`&gt;` for `&`, `<`, `>`. People become our `@handle`, channels keep their
id (`#C123`, which posting needs), special mentions become plain words again.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ENTITY = re.compile(r"<([^<>]*)>")


def typed_text(text: str, handle_of: Callable[[str], str]) -> str:
    """`handle_of(user_id)` gives the @handle of a Slack user (creating them if needed)."""

    def readable(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + handle_of(target[1:])
        if target.startswith("#"):
            return "#" + target[1:]
        if target.startswith("!subteam^"):
            return label or "@team"
        if target.startswith("!"):
            return label or "@" + target[1:].split("^")[0]
        if target.startswith("mailto:"):
            return label or target.removeprefix("mailto:")
        return target  # a link: its address, as typed

    return _unescape(_ENTITY.sub(readable, text))


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
