"""Complaints: opened with a severity, promised a resolution time (SLA), resolved."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from hub import ids
from hub.errors import Invalid, NotFound
from hub.i18n import N_, _
from hub.interactions import checked_text, happened_at
from hub.models import Account, Complaint, Severity
from hub.vocabulary import check_choice
from hub.work import Work

SLA = {
    Severity.CRITICAL: timedelta(hours=4),
    Severity.HIGH: timedelta(hours=24),
    Severity.MEDIUM: timedelta(days=3),
    Severity.LOW: timedelta(days=7),
}


def open_complaint(
    work: Work,
    account: Account,
    *,
    text: str,
    severity: str,
    opened_at: datetime | None = None,
) -> Complaint:
    """Open a complaint made now (or at `opened_at`, earlier: its SLA runs from then)."""
    text = checked_text(text, N_("Say what the customer complains about."))
    check_choice(N_("Severity"), severity, Severity)
    opened = happened_at(work, opened_at)
    complaint = Complaint(
        account_id=account.id,
        author_id=work.actor.id,
        text=text,
        severity=severity,
        status="open",
        opened_at=opened,
        sla_due_at=opened + SLA[Severity(severity)],
    )
    work.session.add(complaint)
    work.session.flush()
    work.audit(
        "complaint.open",
        entity="complaint",
        entity_id=complaint.id,
        account_id=account.id,
        severity=severity,
    )
    return complaint


def resolve_complaint(
    work: Work, complaint_id: int, *, note: str | None
) -> tuple[Complaint, Account]:
    complaint = work.session.get(Complaint, complaint_id)
    account = work.session.get(Account, complaint.account_id) if complaint else None
    if complaint is None or account is None or not work.scope.can_read(account):
        shown = ids.show("complaint", complaint_id)
        raise NotFound(_("There is no complaint {id} that you can see.", id=shown))
    if complaint.status == "resolved":
        raise Invalid(
            _(
                "Complaint {id} was already resolved.",
                id=ids.show("complaint", complaint_id),
            )
        )
    complaint.status = "resolved"
    complaint.resolved_at = work.now
    complaint.resolved_by_id = work.actor.id
    complaint.resolution = (note or "").strip() or None
    work.audit(
        "complaint.resolve", entity="complaint", entity_id=complaint.id, account_id=account.id
    )
    return complaint, account


class HasSla(Protocol):
    """A complaint, or a row of one with its status and SLA deadline."""

    @property
    def status(self) -> str: ...

    @property
    def sla_due_at(self) -> datetime: ...


def breached(complaint: HasSla, now: datetime) -> bool:
    return complaint.status == "open" and complaint.sla_due_at < now
