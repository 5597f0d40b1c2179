"""Handing over and covering: handover, away, back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

from commands import format as fmt
from commands.handlers.common import ReplyNow, need_account, need_person, question
from commands.reply import Action, Field, Item, Reply, Section, Tone
from commands.types import Away, Back, CancelAbsence, HandOver
from hub.coverage import (
    Overlapping,
    absences_on,
    book_size,
    cancel_next_absence,
    come_back,
    go_away,
    hand_over,
    hand_over_book,
    handed_away,
)
from hub.errors import Invalid, NotFound
from hub.models import Absence, Person
from hub.work import Work


def handover(work: Work, cmd: HandOver) -> Reply:
    to = need_person(work, cmd.to)
    period = f" until {fmt.day(cmd.until, work.today)}" if cmd.until else " for good"
    notes: tuple[str, ...] = ()
    if cmd.until:
        notes = (f"Ownership returns by itself after {fmt.day(cmd.until, work.today)}.",)
    giver = need_person(work, cmd.person) if cmd.person else None
    accounts = [need_account(work, ref, verb="handover") for ref in cmd.accounts]
    given = f"@{giver.name}" if giver else ", ".join(fmt.quoted(a.name) for a in accounts)
    if not cmd.anyway:
        _warn_if_away(work, cmd, given, to)
    if giver is not None:
        if giver.id == to.id:
            raise Invalid("That's the same person on both sides.")
        if cmd.until is None and not cmd.for_good:
            _confirm_whole_book(work, cmd, giver, to)
        book = hand_over_book(work, giver, to=to, until_on=cmd.until, note=cmd.note)
        count, names, listed = book.count, book.names, book.count
        if cmd.until:
            notes = (f"Accounts {giver.name} gains meanwhile go to {to.name} too.", *notes)
    else:
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


def _handover_line(cmd: HandOver, given: str, to: Person, *words: str) -> str:
    """The handover of `given` as a line, to `to`, with `words` said after its period."""
    said = [f"until {cmd.until.isoformat()}" if cmd.until else "", *words, cmd.note or ""]
    return " ".join(part for part in (f"handover {given} to @{to.name}", *said) if part)


def _warn_if_away(work: Work, cmd: HandOver, given: str, to: Person) -> None:
    """Handing work to someone who is away today is asked about: to them anyway, or to
    whoever covers them."""
    absence = absences_on(work, [to.id], work.today).get(to.id)
    if absence is None:
        return
    back = fmt.day(absence.ends_on, work.today)
    good = ("for good",) if cmd.for_good else ()
    choices = [Action(f"To {to.name} anyway", _handover_line(cmd, given, to, *good, "anyway"))]
    covered = f"{absence.cover.name} covers for them" if absence.cover else "nobody covers"
    if absence.cover is not None:
        cover = absence.cover
        choices.insert(
            0, Action(f"To {cover.name}", _handover_line(cmd, given, cover, *good), style="primary")
        )
    raise ReplyNow(
        question(
            f"{to.name} is away until {back} ({covered}). Hand it over anyway?", tuple(choices)
        )
    )


def _confirm_whole_book(work: Work, cmd: HandOver, giver: Person, to: Person) -> None:
    """A whole book for good is asked about first: it is the one handover that moves
    every account at once and that nobody but a manager can take back."""
    count = book_size(work, giver)
    if not count:
        return  # nothing to move: the handover itself says so
    line = _handover_line(cmd, f"@{giver.name}", to).removesuffix(
        f" {cmd.note}" if cmd.note else ""
    )
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
    try:
        absence = go_away(
            work, starts_on=cmd.starts, ends_on=cmd.ends, cover=cover, overlap=cmd.overlap
        )
    except Overlapping as overlap:
        _ask_about_overlap(work, cmd, overlap.earlier)
    notes = (
        (f"{absence.cover.name} will see your accounts and receive your follow-ups meanwhile.",)
        if absence.cover
        else ("No cover named: your follow-ups wait for you. Add one with cover @name.",)
    )
    title = f"You're away {_span(absence, work)}"
    if cmd.overlap is not None:
        title += " (replacing what you had)" if cmd.overlap == "replace" else " (extended)"
    return Reply(title=title, notes=notes, tone=Tone.SUCCESS)


def _span(absence: Absence, work: Work) -> str:
    if absence.starts_on == absence.ends_on:
        return fmt.day(absence.starts_on, work.today)
    return f"{fmt.day(absence.starts_on, work.today)} to {fmt.day(absence.ends_on, work.today)}"


def _ask_about_overlap(work: Work, cmd: Away, earlier: Sequence[Absence]) -> NoReturn:
    """A second absence over the days of one already set: replace it, or make one of both."""
    had = "; ".join(
        _span(a, work) + (f", {a.cover.name} covering" if a.cover else "") for a in earlier
    )
    asked = f"from {fmt.day(cmd.starts, work.today)} to {fmt.day(cmd.ends, work.today)}"
    raise ReplyNow(
        question(f"You're already away {had}. Replace that with {asked}, or extend it?"),
        choices_for=lambda line: (
            Action("Replace it", f"{line.strip()} replace", style="primary"),
            Action("Extend it", f"{line.strip()} extend"),
        ),
    )


def cancel_absence(work: Work, _cmd: CancelAbsence) -> Reply:
    cancelled = cancel_next_absence(work)
    if cancelled is None:
        raise NotFound("You have no planned absence to cancel. Back early? Type back.")
    covered = f" {cancelled.cover.name} no longer covers for you then." if cancelled.cover else ""
    return Reply(
        title=f"Cancelled your absence {_span(cancelled, work)}",
        text=covered.strip(),
        tone=Tone.SUCCESS,
    )


def back(work: Work, _cmd: Back) -> Reply:
    ended = come_back(work)
    if ended is None:
        cancelled = cancel_next_absence(work)
        if cancelled is None:
            return Reply(title="You weren't away today, and have no absence planned.")
        return Reply(
            title=f"You weren't away today: I cancelled your absence {_span(cancelled, work)}",
            text=f"{cancelled.cover.name} won't cover for you then." if cancelled.cover else "",
            notes=("Changed your mind? undo puts it back.",),
            tone=Tone.SUCCESS,
        )
    still = handed_away(work, work.actor)
    if not still:
        return Reply(
            title="Welcome back! Your accounts and follow-ups are yours again.", tone=Tone.SUCCESS
        )
    return Reply(
        title="Welcome back! Your follow-ups are yours again.",
        text="These are still handed over, and come back by themselves after the date:",
        sections=(
            Section(
                "Still handed over",
                tuple(
                    Item(f"{what} — {to} until {fmt.day(until, work.today)}")
                    for what, to, until in still
                ),
            ),
        ),
        tone=Tone.SUCCESS,
    )
