"""Follow-ups and my day: remind, done, snooze, mine."""

from __future__ import annotations

from commands import format as fmt
from commands.handlers.common import ReplyNow, need_account, need_person, question, retry
from commands.notices import notice_line
from commands.reply import Action, Field, Item, Reply, Section, Tone
from commands.tokens import DOUBLE_QUOTES, SINGLE_QUOTES
from commands.types import Done, Mine, Remind, Snooze
from hub import ids
from hub.cards import my_day
from hub.complaints import breached
from hub.coverage import recipient
from hub.lookup import find_account
from hub.models import Task
from hub.notices import unseen
from hub.tasks import complete_task, create_task, snooze_task
from hub.work import Work


def remind(work: Work, cmd: Remind) -> Reply:
    if cmd.about is None and cmd.maybe_about is not None:
        _ask_about(work, cmd)
    assignee = need_person(work, cmd.assignee) if cmd.assignee else work.actor
    target = need_account(work, cmd.about, verb="remind") if cmd.about else None
    task = create_task(work, text=cmd.text, due_at=cmd.when, assignee=assignee, account=target)
    whom = "you" if assignee.id == work.actor.id else assignee.name
    notes = []
    due_day = cmd.when.astimezone(work.tz).date()
    receiver, absence = recipient(work, assignee, due_day)
    if absence is not None:
        back = fmt.day(absence.ends_on, work.today)
        if receiver.id != assignee.id:
            notes.append(
                f"{assignee.name} is away until {back}; {receiver.name} covers and will get it."
            )
        else:
            notes.append(f"{assignee.name} is away until {back} with no cover.")
    about = f" about {target.name}" if target else ""
    return Reply(
        title=f"Follow-up {ids.show('follow-up', task.id)} for {whom}{about}, "
        f"{fmt.moment(task.due_at, work.tz, work.now)}",
        text=task.text,
        notes=tuple(notes),
        actions=_task_actions(task),
        tone=Tone.SUCCESS,
    )


MAX_ABOUT_CHOICES = 5


def _ask_about(work: Work, cmd: Remind) -> None:
    """`remind … about X` where X is no account the person sees: linked to which of the
    closest ones, or saved as it is, with `about X` in the text? Asked, never guessed."""
    ref = cmd.maybe_about
    assert ref is not None
    lookup = find_account(work, ref.name)
    names = [a.name for a in lookup.accounts][:MAX_ABOUT_CHOICES] or lookup.suggestions
    linked = tuple(retry("remind", name, ref, label=f"About {name}") for name in names)
    unknown = f"I don't know an account called “{ref.name}”"
    if not names:
        title = f"{unknown}: save the reminder without one?"
    elif len(names) <= 2:
        title = f"{unknown}. Is this reminder about {' or '.join(names)}, or about no account?"
    else:
        title = f"{unknown}. Which one is this reminder about, if any?"

    def without_account(line: str) -> tuple[Action, ...]:
        unlinked = _text_quoted(line, cmd.text, ref.around)
        return (Action("Save it without an account", unlinked),) if unlinked else ()

    raise ReplyNow(question(title, linked), choices_for=without_account)


def _text_quoted(line: str, text: str, around: tuple[str, str] | None) -> str | None:
    """`line` with the reminder's `text` (which ends with the words after `about`)
    quoted whole, so that `about` is read as text: remind mañana "llamar about umbrella"."""
    if around is None:
        return None
    typed = line.strip()
    typed = typed[4:].lstrip() if typed.lower().startswith("/crm") else typed
    end = len(typed) - len(around[1])
    start = end - len(text)
    if start < 0 or typed[start:end] != text:
        return None
    for quote, family in (('"', DOUBLE_QUOTES), ("'", SINGLE_QUOTES)):
        # A quote of the family followed by a space inside the text would close it early.
        inside = f"{text} "
        if not any(ch in family and inside[i + 1].isspace() for i, ch in enumerate(text)):
            return f"{typed[:start]}{quote}{text}{quote}{typed[end:]}"
    return None


def done(work: Work, cmd: Done) -> Reply:
    task = complete_task(work, cmd.id)
    shown = ids.show("follow-up", task.id)
    return Reply(title=f"Follow-up {shown} done", text=task.text, tone=Tone.SUCCESS)


def snooze(work: Work, cmd: Snooze) -> Reply:
    task = snooze_task(work, cmd.id, until=cmd.until)
    shown = ids.show("follow-up", task.id)
    return Reply(
        title=f"Follow-up {shown} moved to {fmt.moment(task.due_at, work.tz, work.now)}",
        text=task.text,
        tone=Tone.SUCCESS,
    )


def mine(work: Work, _cmd: Mine) -> Reply:
    day = my_day(work)
    me = work.actor.id

    def task_item(task: Task) -> Item:
        whose = "" if task.assignee_id == me else f" (covering for {task.assignee.name})"
        # An account made private since the task was given is not named (issue 20).
        readable = task.account is not None and work.scope.can_read(task.account)
        about = f" — {task.account.name}" if task.account and readable else ""
        return Item(
            f"{fmt.moment(task.due_at, work.tz, work.now)} {task.text}{about}{whose}",
            ref=ids.show("follow-up", task.id),
            flags=("overdue",) if task.due_at < work.now else (),
            actions=_task_actions(task),
        )

    agreements = tuple(
        Item(
            f"{account}: {a.text} — due {fmt.day(a.due_on, work.today)}" if a.due_on else a.text,
            ref=ids.show("agreement", a.id),
            flags=("overdue",) if a.due_on and a.due_on < work.today else (),
        )
        for a, account in day.agreements_due
    )
    accounts = tuple(
        Item(f"{acc.name} (tier {acc.tier})" + ("" if why == "owner" else f" — {why}"))
        for acc, why in day.accounts
    )
    complaints = tuple(
        Item(
            f"{account}: {c.text} — {c.severity}, open {fmt.age(c.opened_at, work.now)}",
            ref=ids.show("complaint", c.id),
            flags=("SLA breached",) if breached(c, work.now) else (),
            actions=(Action("Resolve", f"resolve {ids.show('complaint', c.id)} "),),
        )
        for c, account in day.complaints_over_sla
    )
    fields = tuple(
        Field("Covering", f"{a.person.name} until {fmt.day(a.ends_on, work.today)}")
        for a in day.covering
    )
    new = tuple(notice_line(n, work.now) for n in unseen(work))  # now seen
    return Reply(
        title=f"Your day, {work.actor.name}",
        fields=fields,
        sections=(
            *((Section("New for you", new),) if new else ()),
            Section(
                "Follow-ups due", tuple(task_item(t) for t in day.tasks_due), empty="Nothing due."
            ),
            Section(
                "Coming up",
                tuple(task_item(t) for t in day.tasks_upcoming),
                empty="Nothing this week.",
            ),
            Section("Agreements due", agreements, empty="No agreements due this week."),
            Section("Complaints over SLA", complaints, empty="None."),
            Section(
                "Accounts you own or cover",
                accounts,
                empty="None yet.",
                more=day.account_count - len(accounts),
            ),
        ),
    )


def _task_actions(task: Task) -> tuple[Action, ...]:
    return (
        Action("Done", f"done {ids.show('follow-up', task.id)}", style="primary"),
        Action("Snooze", f"snooze {ids.show('follow-up', task.id)} tomorrow"),
    )
