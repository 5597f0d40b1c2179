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
from hub.i18n import _, pgettext
from hub.lookup import find_account
from hub.models import Account, Person, Task
from hub.notices import unseen
from hub.tasks import complete_task, create_task, snooze_task
from hub.value_names import value_text
from hub.work import Work


def remind(work: Work, cmd: Remind) -> Reply:
    if cmd.about is None and cmd.maybe_about is not None:
        _ask_about(work, cmd)
    assignee = need_person(work, cmd.assignee) if cmd.assignee else work.actor
    target = need_account(work, cmd.about, verb="remind") if cmd.about else None
    task = create_task(work, text=cmd.text, due_at=cmd.when, assignee=assignee, account=target)
    notes = []
    due_day = cmd.when.astimezone(work.tz).date()
    receiver, absence = recipient(work, assignee, due_day)
    if absence is not None:
        back = fmt.day(absence.ends_on, work.today)
        if receiver.id != assignee.id:
            notes.append(
                _(
                    "{person} is away until {day}; {cover} covers and will get it.",
                    person=assignee.name,
                    day=back,
                    cover=receiver.name,
                )
            )
        else:
            notes.append(
                _("{person} is away until {day} with no cover.", person=assignee.name, day=back)
            )
    return Reply(
        title=_task_title(work, task, assignee, target),
        text=task.text,
        notes=tuple(notes),
        actions=_task_actions(task),
        tone=Tone.SUCCESS,
    )


def _task_title(work: Work, task: Task, person: Person, account: Account | None) -> str:
    """'Follow-up F1 for you about Acme Corp, tomorrow 11:00'."""
    fields = {
        "ref": ids.show("follow-up", task.id),
        "when": fmt.moment(task.due_at, work.tz, work.now),
        "person": person.name,
        "account": account.name if account else "",
    }
    if person.id == work.actor.id:
        if account:
            return _("Follow-up {ref} for you about {account}, {when}", **fields)
        return _("Follow-up {ref} for you, {when}", **fields)
    if account:
        return _("Follow-up {ref} for {person} about {account}, {when}", **fields)
    return _("Follow-up {ref} for {person}, {when}", **fields)


MAX_ABOUT_CHOICES = 5


def _ask_about(work: Work, cmd: Remind) -> None:
    """`remind … about X` where X is no account the person sees: linked to which of the
    closest ones, or saved as it is, with `about X` in the text? Asked, never guessed."""
    ref = cmd.maybe_about
    assert ref is not None
    lookup = find_account(work, ref.name)
    names = [a.name for a in lookup.accounts][:MAX_ABOUT_CHOICES] or lookup.suggestions
    linked = tuple(retry("remind", name, ref, label=_("About {name}", name=name)) for name in names)
    if not names:
        title = _(
            "I don't know an account called “{typed}”: save the reminder without one?",
            typed=ref.name,
        )
    elif len(names) == 1:
        title = _(
            "I don't know an account called “{typed}”. Is this reminder about {name}, "
            "or about no account?",
            typed=ref.name,
            name=names[0],
        )
    elif len(names) == 2:
        title = _(
            "I don't know an account called “{typed}”. Is this reminder about {first} or "
            "{second}, or about no account?",
            typed=ref.name,
            first=names[0],
            second=names[1],
        )
    else:
        title = _(
            "I don't know an account called “{typed}”. Which one is this reminder about, if any?",
            typed=ref.name,
        )

    def without_account(line: str) -> tuple[Action, ...]:
        unlinked = _text_quoted(line, cmd.text, ref.around)
        return (Action(_("Save it without an account"), unlinked),) if unlinked else ()

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
    return Reply(title=_("Follow-up {ref} done", ref=shown), text=task.text, tone=Tone.SUCCESS)


def snooze(work: Work, cmd: Snooze) -> Reply:
    task = snooze_task(work, cmd.id, until=cmd.until)
    shown = ids.show("follow-up", task.id)
    return Reply(
        title=_(
            "Follow-up {ref} moved to {when}",
            ref=shown,
            when=fmt.moment(task.due_at, work.tz, work.now),
        ),
        text=task.text,
        tone=Tone.SUCCESS,
    )


def mine(work: Work, _cmd: Mine) -> Reply:
    day = my_day(work)
    me = work.actor.id

    overdue = pgettext("flag", "overdue")

    def task_item(task: Task) -> Item:
        line = f"{fmt.moment(task.due_at, work.tz, work.now)} {task.text}"
        # An account made private since the task was given is not named (issue 20).
        if task.account and work.scope.can_read(task.account):
            line = _("{line} — {account}", line=line, account=task.account.name)
        if task.assignee_id != me:
            line = _("{line} (covering for {person})", line=line, person=task.assignee.name)
        return Item(
            line,
            ref=ids.show("follow-up", task.id),
            flags=(overdue,) if task.due_at < work.now else (),
            actions=_task_actions(task),
        )

    agreements = tuple(
        Item(
            _(
                "{account}: {text} — due {day}",
                account=account,
                text=a.text,
                day=fmt.day(a.due_on, work.today),
            )
            if a.due_on
            else a.text,
            ref=ids.show("agreement", a.id),
            flags=(overdue,) if a.due_on and a.due_on < work.today else (),
        )
        for a, account in day.agreements_due
    )
    accounts = tuple(
        Item(
            _("{name} (tier {tier})", name=acc.name, tier=acc.tier)
            if why == "owner"
            else _("{name} (tier {tier}) — {why}", name=acc.name, tier=acc.tier, why=why)
        )
        for acc, why in day.accounts
    )
    complaints = tuple(
        Item(
            _(
                "{account}: {text} — {severity}, open {age}",
                account=account,
                text=c.text,
                severity=value_text("severity", c.severity),
                age=fmt.age(c.opened_at, work.now),
            ),
            ref=ids.show("complaint", c.id),
            flags=(pgettext("flag", "SLA breached"),) if breached(c, work.now) else (),
            actions=(
                Action(pgettext("button", "Resolve"), f"resolve {ids.show('complaint', c.id)} "),
            ),
        )
        for c, account in day.complaints_over_sla
    )
    fields = tuple(
        Field(
            _("Covering"),
            _(
                "{person} until {day}",
                person=a.person.name,
                day=fmt.day(a.ends_on, work.today),
            ),
        )
        for a in day.covering
    )
    new = tuple(notice_line(n, work.now) for n in unseen(work))  # now seen
    return Reply(
        title=_("Your day, {name}", name=work.actor.name),
        fields=fields,
        sections=(
            *((Section(_("New for you"), new),) if new else ()),
            Section(
                _("Follow-ups due"),
                tuple(task_item(t) for t in day.tasks_due),
                empty=_("Nothing due."),
            ),
            Section(
                _("Coming up"),
                tuple(task_item(t) for t in day.tasks_upcoming),
                empty=_("Nothing this week."),
            ),
            Section(_("Agreements due"), agreements, empty=_("No agreements due this week.")),
            Section(_("Complaints over SLA"), complaints, empty=pgettext("section", "None.")),
            Section(
                _("Accounts you own or cover"),
                accounts,
                empty=_("None yet."),
                more=day.account_count - len(accounts),
            ),
        ),
    )


def _task_actions(task: Task) -> tuple[Action, ...]:
    return (
        Action(
            pgettext("button", "Done"), f"done {ids.show('follow-up', task.id)}", style="primary"
        ),
        Action(pgettext("button", "Snooze"), f"snooze {ids.show('follow-up', task.id)} tomorrow"),
    )
