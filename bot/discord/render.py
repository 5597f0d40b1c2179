"""The neutral reply model as a Discord message: one embed, buttons, nothing that pings.

User text is escaped (markdown and mentions) so it shows exactly as typed, and every
message carries `allowed_mentions: {"parse": []}`, so even a mention that slipped through
could not notify anyone.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from discord import MessageFlags
from discord.enums import ButtonStyle, ComponentType, InteractionResponseType
from discord.utils import escape_mentions

from bot.discord import limits
from bot.tables import table_code
from commands.reply import Action, Reply, Tone
from hub.i18n import _, ngettext, reading_in

RUN = "crm:run:"  # a button that runs its /crm line
FORM = "crm:form:"  # a button whose line wants more words: it opens a form
NO_PINGS: dict[str, list[str]] = {"parse": []}
EPHEMERAL = MessageFlags(ephemeral=True).value
CHANNEL_MESSAGE = InteractionResponseType.channel_message.value  # an answer, at once
ACTION_ROW, BUTTON = ComponentType.action_row.value, ComponentType.button.value
_STYLE = {"primary": ButtonStyle.primary.value, "danger": ButtonStyle.danger.value}
SECONDARY = ButtonStyle.secondary.value
_COLOUR = {
    Tone.INFO: 0x1F3A5F,
    Tone.SUCCESS: 0x2E7D32,
    Tone.WARNING: 0xF9A825,
    Tone.ERROR: 0xC62828,
}
_MARK = {Tone.SUCCESS: "✅ ", Tone.WARNING: "⚠️ ", Tone.ERROR: "❌ ", Tone.INFO: ""}


# Every ASCII punctuation character. Discord shows `\\` followed by any of them as the
# character itself, so escaping them all shows any text exactly and leaves nothing live:
# no markdown, masked link, spoiler, heading, list, mention, channel pill or timestamp.
# (discord.utils.escape_markdown misses some: of two masked links it escapes the first.)
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def inert(text: str) -> str:
    """`text` shown exactly as typed; @everyone and @here also defused as Discord advises."""
    return escape_mentions(_PUNCTUATION.sub(r"\\\1", text))


def cut(text: str, limit: int) -> str:
    """`text` within `limit` characters, "…" marking a cut that never splits an escape."""
    if len(text) <= limit:
        return text
    kept = text[: limit - 1]
    if (len(kept) - len(kept.rstrip("\\"))) % 2:
        kept = kept[:-1]
    return kept + "…"


def message(reply: Reply) -> dict[str, Any]:
    """The message body (for an interaction response, a follow-up or a channel post). Our
    own words (a field's "Or type", "… and 3 more") are in the reply's language."""
    with reading_in(reply.locale):
        return _message(reply)


def _message(reply: Reply) -> dict[str, Any]:
    title = cut(inert(_MARK[reply.tone] + reply.title), limits.EMBED_TITLE)
    embed: dict[str, Any] = {"title": title, "color": _COLOUR[reply.tone]}
    if reply.notes:
        # Footers show text as it is (no markdown), so only mentions are defused there.
        footer = escape_mentions("\n".join(reply.notes))
        embed["footer"] = {"text": cut(footer, 900)}
    # Room is kept for a footer line saying actions did not fit as buttons, if need be.
    budget = limits.EMBED_TOTAL - len(title) - len(embed.get("footer", {}).get("text", "")) - 80
    if reply.text:
        embed["description"] = cut(inert(reply.text), min(limits.EMBED_DESCRIPTION, budget))
        budget -= len(embed["description"])
    fields = [_field(f.label, inert(f.value), inline=True) for f in reply.fields]
    # A question's choices come first, a button each; a line too long for a button's
    # custom_id is listed to be typed instead.
    typed = [c for c in reply.choices if len(FORM + c.command) > limits.CUSTOM_ID]
    if typed:
        lines = [f"• {inert(c.label)}: {inert(c.command)}" for c in typed]
        fields.append(_field(_("Or type"), _fit(lines, 0)[1], inline=False))
    actions: list[Action] = [*reply.choices, *reply.actions]
    for section in reply.sections:
        if not section.items and not section.empty:
            continue
        lines = [_line(item.ref, item.text, item.flags) for item in section.items]
        if not section.items:
            lines = [f"*{inert(section.empty)}*"]
        shown, value = _fit(lines, section.more)
        fields.append(_field(section.title, value, inline=False))
        for item in section.items[:shown]:
            actions.extend(_tied(action, item.ref) for action in item.actions)
    for table in reply.tables:
        fields.append(_field(table.title, table_code(table, limits.FIELD_VALUE), inline=False))
    kept = []
    for field in fields[: limits.EMBED_FIELDS]:
        size = len(field["name"]) + len(field["value"])
        if size > budget:
            break
        kept.append(field)
        budget -= size
    if kept:
        embed["fields"] = kept
    body: dict[str, Any] = {"embeds": [embed], "allowed_mentions": NO_PINGS}
    rows, dropped = _rows(actions)
    if rows:
        body["components"] = rows
    if dropped:
        # Never drop actions silently: the lines still name what to type.
        note = ngettext(
            "{n} more actions than buttons fit: type them with /crm.",
            "{n} more actions than buttons fit: type them with /crm.",
            dropped,
        )
        footer = embed.get("footer", {}).get("text")
        embed["footer"] = {"text": f"{footer}\n{note}" if footer else note}
    return body


def _tied(action: Action, ref: str | None) -> Action:
    """An item's button names its item ("Done T12"), so a list of tasks stays clear."""
    if not ref or ref in action.label:
        return action
    return replace(action, label=f"{action.label} {ref}")


def response(reply: Reply) -> dict[str, Any]:
    """An interaction response (a channel message) carrying the reply: only the person sees it,
    unless they shared it."""
    data = message(reply)
    if not reply.shared:
        data["flags"] = EPHEMERAL
    return {"type": CHANNEL_MESSAGE, "data": data}


def _field(name: str, value: str, *, inline: bool) -> dict[str, Any]:
    return {
        "name": cut(inert(name), limits.FIELD_NAME) or "\u200b",
        "value": cut(value, limits.FIELD_VALUE) or "\u200b",
        "inline": inline,
    }


def _line(ref: str | None, text: str, flags: tuple[str, ...]) -> str:
    marks = "".join(f" ⚠️ *{inert(flag)}*" for flag in flags)
    # A ref is ours ("#12") and sits in a code span, where Discord shows a backslash as it
    # is: escaping it would show `\#12`.
    code = f"`{ref.replace('`', '')}` " if ref else ""
    return f"• {code}{inert(text)}{marks}"


def _fit(lines: list[str], more: int) -> tuple[int, str]:
    """As many lines as fit in a field value; the rest counted in a last line."""
    kept: list[str] = []
    size = 0
    for line in lines:
        line = cut(line, 300)
        if size + len(line) + 1 > limits.FIELD_VALUE - 40:
            break
        kept.append(line)
        size += len(line) + 1
    hidden = more + len(lines) - len(kept)
    if hidden > 0:
        kept.append(_("… and {n} more", n=hidden))
    return len(kept) if hidden <= 0 else len(kept) - 1, "\n".join(kept)


def _rows(actions: list[Action]) -> tuple[list[dict[str, Any]], int]:
    """Action rows of buttons, and how many distinct actions did not fit in them."""
    buttons, seen = [], set()
    for action in actions:
        prefix = FORM if action.command.endswith(" ") else RUN
        custom_id = prefix + action.command
        if len(custom_id) > limits.CUSTOM_ID or custom_id in seen:
            continue  # a longer line stays in the text; a button cannot carry it
        seen.add(custom_id)
        buttons.append(
            {
                "type": BUTTON,
                "style": _STYLE.get(action.style, SECONDARY),
                "label": cut(action.label, limits.BUTTON_LABEL),
                "custom_id": custom_id,
            }
        )
    room = limits.ACTION_ROWS * limits.ROW_BUTTONS
    dropped = max(0, len(buttons) - room)
    buttons = buttons[:room]
    rows = [
        {"type": ACTION_ROW, "components": buttons[i : i + limits.ROW_BUTTONS]}
        for i in range(0, len(buttons), limits.ROW_BUTTONS)
    ]
    return rows, dropped
