"""Follow-ups (reminders): created, snoozed and done; delivered in the daily DM."""

from __future__ import annotations

from datetime import datetime

from hub import ids
from hub.access import AccessScope
from hub.errors import Invalid, NotAllowed, NotFound
from hub.i18n import N_, _
from hub.interactions import checked_text
from hub.models import Account, Person, Task
from hub.work import Work


def create_task(
    work: Work, *, text: str, due_at: datetime, assignee: Person, account: Account | None
) -> Task:
    text = checked_text(text, N_("Say what to be reminded of."))
    if account is not None and assignee.id != work.actor.id:
        _check_assignee_reads(work, assignee, account)
    task = Task(
        text=text,
        due_at=due_at,
        assignee_id=assignee.id,
        created_by_id=work.actor.id,
        account_id=account.id if account else None,
        status="open",
        created_at=work.now,
    )
    work.session.add(task)
    work.session.flush()
    work.audit(
        "task.create",
        entity="task",
        entity_id=task.id,
        account_id=task.account_id,
        assignee_id=assignee.id,
    )
    return task


def _check_assignee_reads(work: Work, assignee: Person, account: Account) -> None:
    """A follow-up about an account its assignee cannot read would name the account in
    their day, their nudge and its notice: refused, naming the ways to let them read it
    (issue 20). Nothing is granted behind the owner's back."""
    if AccessScope.load(work.session, assignee, work.today).can_read(account):
        return
    name = f'"{account.name}"' if " " in account.name else account.name
    raise NotAllowed(
        _(
            "{person} can't see {account} ({visibility}), so a follow-up "
            "about it can't be theirs. To share it, make it visible to their team "
            "(account {typed} visibility:team team:{team}) or hand it "
            "over (handover {typed} to @{handle} until …); or remind them without "
            "the account.",
            person=assignee.name,
            account=account.name,
            visibility=account.visibility,
            typed=name,
            team=assignee.department or "…",
            handle=assignee.handle,
        )
    )


def own_task(work: Work, task_id: int) -> Task:
    """A task the actor may act on: theirs, one they created or cover; any for managers.

    Anyone else's task does not exist for the actor: the refusal is the one for a missing
    id, so it tells neither whose it is nor that it exists (its account may be private).
    """
    task = work.session.get(Task, task_id)
    if task is not None and (
        work.actor.id in (task.assignee_id, task.created_by_id)
        or task.assignee_id in work.scope.covered_ids
        or work.scope.sees_all
    ):
        return task
    raise NotFound(
        _(
            "There is no follow-up {id} that you can act on.",
            id=ids.show("follow-up", task_id),
        )
    )


def complete_task(work: Work, task_id: int) -> Task:
    task = own_task(work, task_id)
    if task.status == "done":
        raise Invalid(_("Follow-up {id} was already done.", id=ids.show("follow-up", task_id)))
    task.status = "done"
    task.done_at = work.now
    task.done_by_id = work.actor.id
    work.audit("task.done", entity="task", entity_id=task.id, account_id=task.account_id)
    return task


def snooze_task(work: Work, task_id: int, *, until: datetime) -> Task:
    task = own_task(work, task_id)
    if task.status == "done":
        shown = ids.show("follow-up", task_id)
        raise Invalid(_("Follow-up {id} is done; there is nothing to snooze.", id=shown))
    if until <= work.now:
        raise Invalid(_("Snooze to a time in the future, e.g. snooze F12 tomorrow 9am."))
    task.due_at = until
    task.snoozes += 1
    work.audit(
        "task.snooze",
        entity="task",
        entity_id=task.id,
        account_id=task.account_id,
        until=until.isoformat(),
    )
    return task
