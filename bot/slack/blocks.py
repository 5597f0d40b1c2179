"""The neutral reply model as Slack Block Kit, inert and within Slack's limits.

Whatever a person typed is shown back exactly and can never ping: `&`, `<` and `>` are
escaped in every text object and in the notification text (Slack's own rule: it shows
`<!channel>` or `<@U123>` as literal text and decodes the three entities for display),
text goes out as plain_text where no formatting is needed, and mrkdwn has `verbatim` set
so that nothing is auto-linked.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.slack import limits
from commands.reply import Action, Item, Reply, Section, Tone

Block = dict[str, Any]

RUN = "crm:run"  # a button that runs its /crm line as it is
FORM = "crm:form"  # a button whose line wants more words: it opens a form
_MARK = {Tone.SUCCESS: "✅ ", Tone.WARNING: "⚠️ ", Tone.ERROR: "❌ ", Tone.INFO: ""}
_RESERVED = 5  # blocks kept for the reply's own actions and notes, and what did not fit


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    """`text` within `limit` characters, "…" marking a cut; an entity (`&lt;`) that would
    be split goes whole, so Slack never shows a half one like `&l…`."""
    if len(text) <= limit:
        return text
    kept = text[: limit - 1]
    amp = kept.rfind("&", len(kept) - 4)
    if amp != -1 and ";" not in kept[amp:]:
        kept = kept[:amp]
    return kept + "…"


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(escape(text), limit) or " ", "emoji": False}


def mrkdwn(text: str, limit: int) -> dict[str, Any]:
    """`text` must already be escaped; cut before escaping would split an entity."""
    return {"type": "mrkdwn", "text": cut(text, limit) or " ", "verbatim": True}


def notification_text(reply: Reply) -> str:
    """The message's `text`: what notifications and screen readers show."""
    return cut(escape(_MARK[reply.tone] + reply.title), 300)


def reply_blocks(reply: Reply, *, surface: str = "message") -> list[Block]:
    budget = limits.MAX_BLOCKS[surface] - _RESERVED
    blocks: list[Block] = [
        {"type": "header", "text": plain(_MARK[reply.tone] + reply.title, limits.HEADER_TEXT)}
    ]
    if reply.text:
        blocks.append({"type": "section", "text": plain(reply.text, limits.SECTION_TEXT)})
    if reply.fields:
        fields = [
            mrkdwn(f"*{escape(f.label)}*\n{escape(f.value)}", limits.FIELD_TEXT)
            for f in reply.fields[: limits.SECTION_FIELDS]
        ]
        blocks.append({"type": "section", "fields": fields})
    left_out: list[str] = []
    for number, section in enumerate(reply.sections):
        if section.items or section.empty:
            shown = _section(section, f"s{number}", budget - len(blocks))
            if not shown and section.items:
                left_out.append(f"{section.title} ({len(section.items) + section.more})")
            blocks.extend(shown)
    if left_out:
        # Never drop a part of the answer silently: say what is not shown.
        note = "No room here for: " + ", ".join(left_out)
        blocks.append({"type": "context", "elements": [plain(note, limits.CONTEXT_TEXT)]})
    if _usable(reply.actions):
        blocks.append(_actions(_usable(reply.actions), "reply"))
    if reply.notes:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    plain(note, limits.CONTEXT_TEXT)
                    for note in reply.notes[: limits.CONTEXT_ELEMENTS]
                ],
            }
        )
    return blocks


def _section(section: Section, key: str, room: int) -> list[Block]:
    """A titled list: plain items share one text block, items with buttons get their own."""
    if room < 2:
        return []
    blocks: list[Block] = []
    lines: list[str] = [f"*{escape(section.title)}*"]
    if not section.items:
        lines.append(f"_{escape(section.empty)}_")
    hidden = section.more

    def flush() -> None:
        if lines:
            blocks.extend(_text_blocks(lines))
            lines.clear()

    for n, item in enumerate(section.items):
        item = replace(item, actions=_usable(item.actions))
        if not item.actions:
            lines.append(_item_line(item))
            continue
        flush()
        if len(blocks) + 3 > room:
            hidden += len(section.items) - n
            break
        blocks.append(_item_block(item, f"{key}.{n}"))
        if len(item.actions) > 1:
            blocks.append(_actions(item.actions, f"{key}.{n}"))
    if hidden > 0:
        lines.append(f"… and {hidden} more")
    flush()
    return blocks[:room]


def _text_blocks(lines: list[str]) -> list[Block]:
    """Lines in as few section blocks as the 3,000-character limit allows."""
    blocks, chunk = [], ""
    for line in lines:
        line = cut(line, limits.SECTION_TEXT - 10)
        if chunk and len(chunk) + len(line) + 1 > limits.SECTION_TEXT:
            blocks.append({"type": "section", "text": mrkdwn(chunk, limits.SECTION_TEXT)})
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk:
        blocks.append({"type": "section", "text": mrkdwn(chunk, limits.SECTION_TEXT)})
    return blocks


def _item_line(item: Item) -> str:
    ref = f"`{escape(item.ref)}` " if item.ref else ""
    flags = "".join(f"  :warning: _{escape(flag)}_" for flag in item.flags)
    return f"• {ref}{escape(item.text)}{flags}"


def _item_block(item: Item, key: str) -> Block:
    block: Block = {
        "type": "section",
        "text": mrkdwn(_item_line(item), limits.SECTION_TEXT),
    }
    if len(item.actions) == 1:
        block["accessory"] = _button(item.actions[0], key)
    return block


def _usable(actions: tuple[Action, ...]) -> tuple[Action, ...]:
    """Buttons whose line fits in a button's value; a longer line stays in the text only."""
    return tuple(a for a in actions if len(a.command) <= limits.BUTTON_VALUE)


def _actions(actions: tuple[Action, ...], key: str) -> Block:
    return {
        "type": "actions",
        "elements": [
            _button(action, f"{key}.{n}")
            for n, action in enumerate(actions[: limits.ACTIONS_ELEMENTS])
        ],
    }


def _button(action: Action, key: str) -> dict[str, Any]:
    """A button carries its /crm line; a line that wants more words opens a form."""
    kind = FORM if action.command.endswith(" ") else RUN
    button: dict[str, Any] = {
        "type": "button",
        "text": plain(action.label, limits.BUTTON_TEXT),
        "action_id": f"{kind}:{key}",
        "value": action.command,
    }
    if action.style in ("primary", "danger"):
        button["style"] = action.style
    return button
