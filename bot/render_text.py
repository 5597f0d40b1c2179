"""Plain-text rendering of a reply, for the console (and logs of what would be sent)."""

from __future__ import annotations

from commands.reply import Reply, Tone

_MARK = {Tone.SUCCESS: "✓ ", Tone.WARNING: "! ", Tone.ERROR: "✗ ", Tone.INFO: ""}


def render(reply: Reply) -> str:
    lines = [f"{_MARK[reply.tone]}{reply.title}"]
    if reply.text:
        lines.append(reply.text)
    if reply.fields:
        width = max(len(f.label) for f in reply.fields)
        lines.extend(f"  {f.label + ':':<{width + 1}} {f.value}" for f in reply.fields)
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
        lines.append(
            "Next: "
            + " | ".join(
                a.command.strip() + ("…" if a.command.endswith(" ") else "") for a in reply.actions
            )
        )
    for note in reply.notes:
        lines.append(f"  ({note})" if not note.startswith("You typed") else note)
    return "\n".join(lines)
