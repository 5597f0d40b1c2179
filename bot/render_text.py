"""Plain-text rendering of a reply, for the console (and logs of what would be sent)."""

from __future__ import annotations

from bot.tables import table_lines
from commands.reply import Action, Reply, Tone
from hub.i18n import _, ngettext, reading_in

_MARK = {Tone.SUCCESS: "✓ ", Tone.WARNING: "! ", Tone.ERROR: "✗ ", Tone.INFO: ""}


def render(reply: Reply) -> str:
    """The reply as text; the labels of our own ("Next:") in the reader's language."""
    with reading_in(reply.locale):
        return _render(reply)


def _render(reply: Reply) -> str:
    lines = [f"{_MARK[reply.tone]}{reply.title}"]
    if reply.text:
        lines.append(reply.text)
    if reply.fields:
        width = max(len(f.label) for f in reply.fields)
        lines.extend(f"  {f.label + ':':<{width + 1}} {f.value}" for f in reply.fields)
    if reply.choices:
        lines.append("")
        lines.extend(f"  {n}. {c.label} → {_line(c)}" for n, c in enumerate(reply.choices, 1))
        lines.append(
            _(
                "Type {numbers} to pick, or type the line you meant.",
                numbers=numbers(len(reply.choices)),
            )
        )
    for section in reply.sections:
        if not section.items and not section.empty:
            continue
        lines.append("")
        lines.append(section.title)
        if not section.items:
            lines.append(f"  {section.empty}")
        for item in section.items:
            ref = f"{item.ref} " if item.ref else ""
            flags = "".join(f" [{flag}]" for flag in item.flags)
            lines.append(f"  • {ref}{item.text}{flags}")
            if len(item.actions) == 1 and not item.actions[0].command.endswith(" "):
                lines.append(f"      → {item.actions[0].command}")
        if section.more > 0:
            lines.append("  " + ngettext("… and {n} more", "… and {n} more", section.more))
    for table in reply.tables:
        lines.append("")
        lines.append(table.title)
        lines.extend(f"  {row}" for row in table_lines(table))
    if reply.actions:
        lines.append("")
        lines.append(_("Next: {lines}", lines=" | ".join(map(_line, reply.actions))))
    typed = _typed_prefixes()
    for note in reply.notes:
        lines.append(note if note.startswith(typed) else f"  ({note})")
    return "\n".join(lines)


def _typed_prefixes() -> tuple[str, ...]:
    """How the note giving back what was typed begins (it is shown without brackets)."""
    translated = _("You typed: {line}", line="").rstrip()
    return ("You typed", translated) if translated else ("You typed",)


def _line(action: Action) -> str:
    """An action's /crm line, "…" marking one that wants more words."""
    return action.command.strip() + ("…" if action.command.endswith(" ") else "")


def numbers(n: int) -> str:
    """How the console's choices are picked, in the reader's language: "1", "1 or 2",
    "1, 2 or 3", "a number from 1 to 9"."""
    if n > 5:
        return _("a number from 1 to {n}", n=n)
    if n <= 1:
        return str(n)
    return _("{first} or {last}", first=", ".join(map(str, range(1, n))), last=n)
