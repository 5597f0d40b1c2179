"""Corrections: undo, edit, delete, restore."""

from __future__ import annotations

from commands.reply import Action, Reply, Tone
from commands.types import Delete, Edit, Restore, Undo
from hub import corrections, ids
from hub.work import Work


def undo(work: Work, cmd: Undo) -> Reply:
    change = corrections.undo(work, cmd.change)
    return Reply(
        title=f"Undone: {change.summary}",
        text="Everything it wrote is back as it was.",
        actions=(Action("Undo the one before", "undo"),),
        tone=Tone.SUCCESS,
    )


def edit(work: Work, cmd: Edit) -> Reply:
    target = corrections.edit(
        work, cmd.kind, cmd.id, text=cmd.text, due=cmd.due, when=cmd.when, severity=cmd.severity
    )
    where = f" ({target.account.name})" if target.account else ""
    return Reply(
        title=f"Edited {target.shown}{where}",
        text=target.row.text,
        notes=("Changed your mind? undo puts it back.",),
        tone=Tone.SUCCESS,
    )


def delete(work: Work, cmd: Delete) -> Reply:
    target = corrections.delete(work, cmd.kind, cmd.id)
    where = f" from {target.account.name}" if target.account else ""
    what = target.row.title if cmd.kind == "deal" else target.row.text
    return Reply(
        title=f"Deleted {target.shown}{where}",
        text=what,
        notes=(
            "It is gone from cards, search and digests, and kept for the audit trail; "
            "undo brings it back now, an admin later with restore.",
        ),
        tone=Tone.SUCCESS,
    )


def restore(work: Work, cmd: Restore) -> Reply:
    corrections.restore(work, cmd.kind, cmd.id)
    shown = ids.show(cmd.kind, cmd.id)
    return Reply(title=f"Restored {shown} as it was when it was deleted", tone=Tone.SUCCESS)
