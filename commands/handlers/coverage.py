"""Handing over and covering: handover, away, back."""

from __future__ import annotations

from commands import format as fmt
from commands.handlers.common import ReplyNow, need_account, need_person, question
from commands.reply import Action, Field, Item, Reply, Section, Tone
from commands.types import Away, Back, HandOver
from hub.coverage import (
    book_size,
    come_back,
    go_away,
    hand_over,
    hand_over_book,
    upcoming_absences,
)
from hub.errors import Invalid
from hub.models import Person
from hub.work import Work


def handover(work: Work, cmd: HandOver) -> Reply:
    to = need_person(work, cmd.to)
    period = f" until {fmt.day(cmd.until, work.today)}" if cmd.until else " for good"
    notes: tuple[str, ...] = ()
    if cmd.until:
        notes = (f"Ownership returns by itself after {fmt.day(cmd.until, work.today)}.",)
    if cmd.person:
        giver = need_person(work, cmd.person)
        if giver.id == to.id:
            raise Invalid("That's the same person on both sides.")
        if cmd.until is None and not cmd.for_good:
            _confirm_whole_book(work, cmd, giver, to)
        book = hand_over_book(work, giver, to=to, until_on=cmd.until, note=cmd.note)
        count, names, listed = book.count, book.names, book.count
        if cmd.until:
            notes = (f"Accounts {giver.name} gains meanwhile go to {to.name} too.", *notes)
    else:
        accounts = [need_account(work, ref, verb="handover") for ref in cmd.accounts]
        done = hand_over(work, accounts, to=to, until_on=cmd.until, note=cmd.note)
        if not done:
            return Reply(
                title=f"{to.name} already owns {'that account' if len(accounts) == 1 else 'them'}."
            )
        count, names, listed = len(done), [a.name for a in accounts], len(accounts)
    shown = ", ".join(names[:10]) + (f" and {listed - 10} more" if listed > 10 else "")
    return Reply(
        title=f"Handed {count} account{'s' * (count != 1)} to {to.name}{period}",
        text=shown,
        fields=(Field("Note", cmd.note),) if cmd.note else (),
        notes=notes,
        tone=Tone.SUCCESS,
    )


def _confirm_whole_book(work: Work, cmd: HandOver, giver: Person, to: Person) -> None:
    """A whole book for good is asked about first: it is the one handover that moves
    every account at once and that nobody but a manager can take back."""
    count = book_size(work, giver)
    if not count:
        return  # nothing to move: the handover itself says so
    line = f"handover @{giver.name} to @{to.name}"
    note = f" {cmd.note}" if cmd.note else ""
    raise ReplyNow(
        question(
            f"Hand all {count} of {giver.name}'s accounts to {to.name} for good?"
            if count > 1
            else f"Hand {giver.name}'s one account to {to.name} for good?",
            (
                Action("Yes, for good", f"{line} for good{note}", style="primary"),
                Action("Only until a date…", f"{line} until "),
            ),
            text="Or only until a date, after which they return by themselves.",
        )
    )


def away(work: Work, cmd: Away) -> Reply:
    cover = need_person(work, cmd.cover) if cmd.cover else None
    absence = go_away(work, starts_on=cmd.starts, ends_on=cmd.ends, cover=cover)
    span = (
        f"{fmt.day(absence.starts_on, work.today)}"
        if absence.starts_on == absence.ends_on
        else f"{fmt.day(absence.starts_on, work.today)} to {fmt.day(absence.ends_on, work.today)}"
    )
    notes = (
        (f"{cover.name} will see your accounts and receive your follow-ups meanwhile.",)
        if cover
        else ("No cover named: your follow-ups wait for you. Add one with cover @name.",)
    )
    return Reply(title=f"You're away {span}", notes=notes, tone=Tone.SUCCESS)


def back(work: Work, _cmd: Back) -> Reply:
    ended = come_back(work)
    if ended is None:
        later = upcoming_absences(work, work.actor)
        items = tuple(
            Item(f"{fmt.day(a.starts_on, work.today)} to {fmt.day(a.ends_on, work.today)}")
            for a in later
        )
        return Reply(
            title="You weren't away today.",
            sections=(Section("Planned absences", items),) if items else (),
        )
    return Reply(
        title="Welcome back! Your accounts and follow-ups are yours again.", tone=Tone.SUCCESS
    )
