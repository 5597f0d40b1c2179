"""The neutral reply model as Slack Block Kit, inert, exact and within Slack's limits.

Whatever a person typed is shown back exactly as typed and can never ping or link:

- plain_text carries our own text and any user text shown plainly (titles, notes, buttons,
  an item with buttons). Slack shows it unformatted; it decodes `&amp;`, `&lt;` and
  `&gt;` there, so `&`, `<` and `>` are escaped (and `<!channel>` shows as typed).
- rich_text carries what needs styling around user text (fields, titled lists): the
  style is structure, not markup, and a `text` element is neither parsed nor decoded, so
  user text goes in unescaped. Mentions and links would be elements of their own; we
  never make any.
- mrkdwn is never used: it formats `*bold*`, `_italic_`, `~strike~`, `` `code` `` and
  `>` quotes in whatever it is given, and has no escape for them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.slack import limits
from bot.tables import fitted_text
from commands.reply import Action, Field, Item, Reply, Section, Table, Tone
from hub.i18n import _, ngettext, reading_in

Block = dict[str, Any]
Element = dict[str, Any]  # a rich_text `text` element
Line = tuple[bool, list[Element]]  # a line of rich text: (a bullet item?, its elements)

RUN = "crm:run"  # a button that runs its /crm line as it is
FORM = "crm:form"  # a button whose line wants more words: it opens a form
_MARK = {Tone.SUCCESS: "✅ ", Tone.WARNING: "⚠️ ", Tone.ERROR: "❌ ", Tone.INFO: ""}
_FLAG = "  ⚠️ "
_RESERVED = 5  # blocks kept for the reply's own actions and notes, and what did not fit


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """`text` within `limit` characters, "…" marking a cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cut(text: str, limit: int) -> str:
    """`clip` for escaped text: an entity (`&lt;`) that would be split goes whole, so
    Slack never shows a half one like `&l…`."""
    if len(text) <= limit:
        return text
    kept = text[: limit - 1]
    amp = kept.rfind("&", len(kept) - 4)
    if amp != -1 and ";" not in kept[amp:]:
        kept = kept[:amp]
    return kept + "…"


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(escape(text), limit) or " ", "emoji": False}


def notification_text(reply: Reply) -> str:
    """The message's `text`: what notifications and screen readers show."""
    return cut(escape(_MARK[reply.tone] + reply.title), 300)


def reply_blocks(reply: Reply, *, surface: str = "message") -> list[Block]:
    """The reply's blocks; the labels of our own ("… and 3 more") in the reader's language."""
    with reading_in(reply.locale):
        return _reply_blocks(reply, surface)


def _reply_blocks(reply: Reply, surface: str) -> list[Block]:
    budget = limits.MAX_BLOCKS[surface] - _RESERVED
    blocks: list[Block] = [
        {"type": "header", "text": plain(_MARK[reply.tone] + reply.title, limits.HEADER_TEXT)}
    ]
    if reply.text:
        blocks.append({"type": "section", "text": plain(reply.text, limits.SECTION_TEXT)})
    if reply.fields:
        # At most ten, as when they were a section's fields: a card, not a table.
        shown_fields = reply.fields[: limits.SECTION_FIELDS]
        blocks.extend(_rich_text([_field_line(field) for field in shown_fields]))
    blocks.extend(_choices(reply.choices))
    left_out: list[str] = []
    for number, section in enumerate(reply.sections):
        if section.items or section.empty:
            shown = _section(section, f"s{number}", budget - len(blocks))
            if not shown and section.items:
                left_out.append(f"{section.title} ({len(section.items) + section.more})")
            blocks.extend(shown)
    for table in reply.tables:
        if len(blocks) >= budget:
            left_out.append(table.title)
            continue
        blocks.append(_table_block(table))
    if left_out:
        # Never drop a part of the answer silently: say what is not shown.
        note = _("No room here for: {parts}", parts=", ".join(left_out))
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


def _table_block(table: Table) -> Block:
    """A report's table: its title in bold, its rows as preformatted rich text (inert, as
    every text we send; Block Kit has no table that fits)."""
    title = clip(table.title, 200)
    body = fitted_text(table, limits.RICH_TEXT - len(title) - 10) or "–"
    return {
        "type": "rich_text",
        "elements": [
            {"type": "rich_text_section", "elements": [_text(title, bold=True)]},
            {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": body}]},
        ],
    }


def _choices(choices: tuple[Action, ...]) -> list[Block]:
    """A question's choices: a button each that runs its line; a line too long for a
    button is shown to be typed instead."""
    if not choices:
        return []
    usable = _usable(choices)
    blocks = [_actions(usable, "choice")] if usable else []
    typed = [c for c in choices if c not in usable]
    if typed:
        lines = [(True, [_text(f"{c.label}: {c.command}")]) for c in typed]
        blocks.extend(_rich_text([(False, [_text(_("Or type"), bold=True)]), *lines]))
    return blocks


def _section(section: Section, key: str, room: int) -> list[Block]:
    """A titled list: plain items share rich text blocks, items with buttons get their own."""
    if room < 2:
        return []
    blocks: list[Block] = []
    lines: list[Line] = [(False, [_text(section.title, bold=True)])]
    if not section.items:
        lines.append((False, [_text(section.empty, italic=True)]))
    hidden = section.more

    def flush() -> None:
        if lines:
            blocks.extend(_rich_text(lines))
            lines.clear()

    for n, item in enumerate(section.items):
        item = replace(item, actions=_usable(item.actions))
        if not item.actions:
            lines.append((True, _item_elements(item)))
            continue
        flush()
        if len(blocks) + 3 > room:
            hidden += len(section.items) - n
            break
        blocks.append(_item_block(item, f"{key}.{n}"))
        if len(item.actions) > 1:
            blocks.append(_actions(item.actions, f"{key}.{n}"))
    if hidden > 0:
        more = ngettext("… and {n} more", "… and {n} more", hidden)
        lines.append((False, [_text(more, italic=True)]))
    flush()
    return blocks[:room]


def _rich_text(lines: list[Line]) -> list[Block]:
    """Lines in as few rich_text blocks as our per-block text budget allows: plain lines
    share a rich_text_section (a newline between them), bullet items a rich_text_list."""
    blocks: list[Block] = []
    parts: list[Block] = []
    used = 0
    for bullet, elements in lines:
        # Slack refuses a `text` element whose text is empty.
        present = [e for e in elements if e["text"]]
        elements = _fit(present, limits.RICH_TEXT - 1) or [_text(" ")]
        size = 1 + sum(len(e["text"]) for e in elements)  # 1 for the newline before it
        if parts and used + size > limits.RICH_TEXT:
            blocks.append({"type": "rich_text", "elements": parts})
            parts, used = [], 0
        _add_line(parts, bullet, elements)
        used += size
    if parts:
        blocks.append({"type": "rich_text", "elements": parts})
    return blocks


def _add_line(parts: list[Block], bullet: bool, elements: list[Element]) -> None:
    last = parts[-1]["type"] if parts else None
    if bullet:
        item = {"type": "rich_text_section", "elements": elements}
        if last == "rich_text_list":
            parts[-1]["elements"].append(item)
        else:
            parts.append({"type": "rich_text_list", "style": "bullet", "elements": [item]})
    elif last == "rich_text_section":
        parts[-1]["elements"].extend([_text("\n"), *elements])
    else:
        parts.append({"type": "rich_text_section", "elements": elements})


def _fit(elements: list[Element], limit: int) -> list[Element]:
    """The elements within `limit` characters in all: the first that would overflow is
    clipped, those after it left out."""
    kept: list[Element] = []
    room = limit
    for element in elements:
        if len(element["text"]) > room:
            if room > 0:
                kept.append({**element, "text": clip(element["text"], room)})
            break
        kept.append(element)
        room -= len(element["text"])
    return kept


def _text(text: str, **style: bool) -> Element:
    """A rich_text `text` element: shown exactly as given, so never escaped."""
    element: Element = {"type": "text", "text": text}
    if style:
        element["style"] = style
    return element


def _field_line(field: Field) -> Line:
    """`Owner: Ana García`, the label in bold."""
    return False, [_text(f"{field.label}:", bold=True), _text(" "), _text(field.value)]


def _item_elements(item: Item) -> list[Element]:
    """`#12 Call Ana  ⚠️ overdue`: the ref as code, each flag in italics."""
    ref = [_text(item.ref, code=True), _text(" ")] if item.ref else []
    flags = [e for flag in item.flags for e in (_text(_FLAG), _text(flag, italic=True))]
    return [*ref, _text(item.text), *flags]


def _item_block(item: Item, key: str) -> Block:
    """An item with buttons: its line as plain_text, the one button beside it."""
    ref = f"{item.ref} " if item.ref else ""
    flags = "".join(f"{_FLAG}{flag}" for flag in item.flags)
    block: Block = {
        "type": "section",
        "text": plain(f"• {ref}{item.text}{flags}", limits.SECTION_TEXT),
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
