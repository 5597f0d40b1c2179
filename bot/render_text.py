"""Plain-text rendering of a reply, for the console (and logs of what would be sent)."""

from __future__ import annotations

from commands.reply import Action, Reply, Tone

_MARK = {Tone.SUCCESS: "✓ ", Tone.WARNING: "! ", Tone.ERROR: "✗ ", Tone.INFO: ""}


def render(reply: Reply) -> str:
    lines = [f"{_MARK[reply.tone]}{reply.title}"]
    if reply.text:
        lines.append(reply.text)
    if reply.fields:
        width = max(len(f.label) for f in reply.fields)
        lines.extend(f"  {f.label + ':':<{width + 1}} {f.value}" for f in reply.fields)
    if reply.choices:
        lines.append("")
        lines.extend(f"  {n}. {c.label} → {_line(c)}" for n, c in enumerate(reply.choices, 1))
        lines.append(f"Type {numbers(len(reply.choices))} to pick, or type the line you meant.")
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
            lines.append(f"  … and {section.more} more")
    if reply.actions:
        lines.append("")
        lines.append("Next: " + " | ".join(map(_line, reply.actions)))
    for note in reply.notes:
        lines.append(f"  ({note})" if not note.startswith("You typed") else note)
    return "\n".join(lines)


def _line(action: Action) -> str:
    """An action's /crm line, "…" marking one that wants more words."""
    return action.command.strip() + ("…" if action.command.endswith(" ") else "")


def numbers(n: int) -> str:
    """How the console's choices are picked: "1", "1 or 2", "1, 2 or 3", "a number from
    1 to 9"."""
    if n > 5:
        return f"a number from 1 to {n}"
    return " or ".join(filter(None, (", ".join(map(str, range(1, n))), str(n))))
