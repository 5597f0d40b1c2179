"""Corrections: undo, edit, delete, restore."""

from __future__ import annotations

from commands.reply import Action, Reply, Tone
from commands.types import Delete, Edit, Restore, Undo
from hub import corrections, ids
from hub.i18n import _
from hub.work import Work


def undo(work: Work, cmd: Undo) -> Reply:
    change = corrections.undo(work, cmd.change)
    return Reply(
        title=_("Undone: {summary}", summary=change.summary),
        text=_("Everything it wrote is back as it was."),
        actions=(Action(_("Undo the one before"), "undo"),),
        tone=Tone.SUCCESS,
    )


def edit(work: Work, cmd: Edit) -> Reply:
    target = corrections.edit(
        work, cmd.kind, cmd.id, text=cmd.text, due=cmd.due, when=cmd.when, severity=cmd.severity
    )
    title = (
        _("Edited {ref} ({account})", ref=target.shown, account=target.account.name)
        if target.account
        else _("Edited {ref}", ref=target.shown)
    )
    return Reply(
        title=title,
        text=target.row.text,
        notes=(_("Changed your mind? undo puts it back."),),
        tone=Tone.SUCCESS,
    )


def delete(work: Work, cmd: Delete) -> Reply:
    target = corrections.delete(work, cmd.kind, cmd.id)
    title = (
        _("Deleted {ref} from {account}", ref=target.shown, account=target.account.name)
        if target.account
        else _("Deleted {ref}", ref=target.shown)
    )
    what = target.row.title if cmd.kind == "deal" else target.row.text
    return Reply(
        title=title,
        text=what,
        notes=(
            _(
                "It is gone from cards, search and digests, and kept for the audit trail; "
                "undo brings it back now, an admin later with restore."
            ),
        ),
        tone=Tone.SUCCESS,
    )


def restore(work: Work, cmd: Restore) -> Reply:
    corrections.restore(work, cmd.kind, cmd.id)
    shown = ids.show(cmd.kind, cmd.id)
    return Reply(
        title=_("Restored {ref} as it was when it was deleted", ref=shown), tone=Tone.SUCCESS
    )
