"""Corrections: `undo`, `edit`, `delete` and `restore`, and who may make them.

A record may be corrected by its author, by whoever answers for its account (its owner,
their cover, a temporary owner) and by managers. Someone who cannot read the account is
told the record does not exist, as everywhere else. `delete` removes the record from
everything (cards, search, digests, exports) and keeps it, row by row, in its change
(hub/journal.py) for the audit trail; an admin brings it back with `restore`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from hub import ids, journal
from hub.complaints import SLA
from hub.errors import Invalid, NotAllowed, NotFound
from hub.i18n import N_, _
from hub.interactions import checked_text
from hub.models import (
    Account,
    Agreement,
    Change,
    Complaint,
    Deal,
    InboundEmail,
    Interaction,
    Role,
    Severity,
    Task,
)
from hub.vocabulary import check_choice
from hub.work import Work

UNDO_WINDOW = timedelta(minutes=15)
MODELS: dict[str, type[Any]] = {
    "interaction": Interaction,
    "agreement": Agreement,
    "complaint": Complaint,
    "follow-up": Task,
    "deal": Deal,
}
EDITABLE = ("interaction", "agreement", "complaint", "follow-up")


@dataclass(frozen=True)
class Correctable:
    """A record the acting person may correct, and the account it belongs to."""

    kind: str
    row: Any
    account: Account | None

    @property
    def shown(self) -> str:
        return ids.show(self.kind, self.row.id)


def correctable(work: Work, kind: str, number: int) -> Correctable:
    """The record `kind` `number`, if the acting person may correct it."""
    shown = ids.show(kind, number)
    row = work.session.get(MODELS[kind], number)
    missing = NotFound(_("There is no {id} that you can see.", id=shown))
    if row is None:
        raise missing
    account = work.session.get(Account, row.account_id) if row.account_id else None
    if account is not None and not work.scope.can_read(account):
        raise missing
    if account is None and not (
        work.scope.sees_all or work.actor.id in (row.created_by_id, row.assignee_id)
    ):
        raise missing  # someone else's follow-up on no account: private to them
    if not (
        work.scope.sees_all
        or _author_id(row) == work.actor.id
        or (account is not None and work.scope.is_responsible(account))
        or (account is not None and work.scope.can_manage(account))
    ):
        if account is None:
            raise NotAllowed(_("Only {id}'s author or a manager can change it.", id=shown))
        raise NotAllowed(
            _(
                "Only {id}'s author, {name}'s owner or their cover, or a manager can change it.",
                id=shown,
                name=account.name,
            )
        )
    return Correctable(kind, row, account)


def edit(
    work: Work,
    kind: str,
    number: int,
    *,
    text: str | None = None,
    due: date | None = None,
    when: datetime | None = None,
    severity: str | None = None,
) -> Correctable:
    """Change a record's text, date or severity; it says "edited" from then on."""
    if kind not in EDITABLE:
        raise Invalid(
            _(
                "{id} is {kind}; edit takes interactions, agreements, "
                "complaints and follow-ups. Change a deal with stage, won or lost.",
                id=ids.show(kind, number),
                kind=ids.a(kind),
            )
        )
    target = correctable(work, kind, number)
    row = target.row
    if text is not None:
        row.text = checked_text(text, N_("Say the new text."))
    if due is not None:
        if kind == "agreement":
            row.due_on = due
        else:
            raise Invalid(
                _(
                    "due: is for agreements; {id} is {kind}.",
                    id=target.shown,
                    kind=ids.a(kind),
                )
            )
    if when is not None:
        if kind == "interaction":
            if when > work.now:
                raise Invalid(_("An interaction can't have happened in the future."))
            row.occurred_at = when
        elif kind == "follow-up":
            row.due_at = when
        else:
            raise Invalid(
                _(
                    "when: is for interactions and follow-ups; {id} is {kind}.",
                    id=target.shown,
                    kind=ids.a(kind),
                )
            )
    if severity is not None:
        if kind != "complaint":
            raise Invalid(
                _(
                    "severity: is for complaints; {id} is {kind}.",
                    id=target.shown,
                    kind=ids.a(kind),
                )
            )
        check_choice(N_("Severity"), severity, Severity)
        row.severity = severity
        row.sla_due_at = row.opened_at + SLA[Severity(severity)]
    if not work.session.is_modified(row):
        raise Invalid(_("{id} already says that; nothing changed.", id=target.shown))
    row.edited_at = work.now
    if kind == "interaction" and when is not None:
        journal.recount_last_contact(work.session, [row.account_id])
    _audit(work, "record.edit", target)
    return target


def delete(work: Work, kind: str, number: int) -> Correctable:
    """Remove a record from everything; its change keeps it for `restore`."""
    target = correctable(work, kind, number)
    row = target.row
    session = work.session
    journal.mark_deleted(session, target.shown)
    if isinstance(row, Deal):
        for step in row.history:  # the stage history goes (and comes back) with the deal
            session.delete(step)
    if isinstance(row, Interaction):
        emails = select(InboundEmail).where(InboundEmail.interaction_id == row.id)
        for email in session.scalars(emails):
            email.interaction_id = None
    session.flush()
    session.delete(row)
    session.flush()
    if isinstance(row, Interaction):
        journal.recount_last_contact(session, [row.account_id])
    _audit(work, "record.delete", target)
    return target


def restore(work: Work, kind: str, number: int) -> Change:
    """Bring back a deleted record (admins only), as it was when it was deleted."""
    shown = ids.show(kind, number)
    if work.actor.role != Role.ADMIN:
        raise NotAllowed(_("Only an admin can restore a deleted record."))
    change = work.session.scalars(
        select(Change)
        .where(Change.record == shown, Change.action == "delete", Change.undone_at.is_(None))
        .order_by(Change.id.desc())
        .limit(1)
    ).first()
    if change is None:
        raise NotFound(_("{id} was not deleted; there is nothing to restore.", id=shown))
    journal.revert(work, change)
    work.audit("record.restore", entity=_entity(kind), entity_id=number, change_id=change.id)
    return change


def undo(work: Work, change_id: int | None = None) -> Change:
    """Revert the acting person's last write (or the one named) if it is recent enough."""
    since = work.now - UNDO_WINDOW
    mine = select(Change).where(Change.person_id == work.actor.id)
    if change_id is None:
        change = work.session.scalars(
            mine.where(Change.undone_at.is_(None), Change.at >= since)
            .order_by(Change.id.desc())
            .limit(1)
        ).first()
        if change is None:
            raise NotFound(
                _(
                    "You have written nothing in the last 15 minutes that I can undo. "
                    "Older records are corrected with edit or delete."
                )
            )
    else:
        change = work.session.scalars(mine.where(Change.id == change_id)).first()
        shown = ids.show("change", change_id)
        if change is None:
            raise NotFound(_("There is no change {id} of yours to undo.", id=shown))
        if change.undone_at is not None:
            raise Invalid(_("“{change}” was already undone.", change=change.summary))
        if change.at < since:
            raise Invalid(
                _(
                    "“{change}” is more than 15 minutes old; correct it with edit, "
                    "delete or the command that changes it back.",
                    change=change.summary,
                )
            )
    journal.revert(work, change)
    work.audit("change.undo", entity="change", entity_id=change.id)
    return change


def _author_id(row: Any) -> int | None:
    if isinstance(row, Task):
        return row.created_by_id
    if isinstance(row, Deal):
        return row.owner_id
    author: int = row.author_id
    return author


def _audit(work: Work, action: str, target: Correctable) -> None:
    work.audit(
        action,
        entity=_entity(target.kind),
        entity_id=target.row.id,
        account_id=target.account.id if target.account else None,
    )


def _entity(kind: str) -> str:
    return "task" if kind == "follow-up" else kind
