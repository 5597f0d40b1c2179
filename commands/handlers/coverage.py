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
from hub.i18n import _, ngettext, pgettext
from hub.models import Absence, Person
from hub.work import Work


def handover(work: Work, cmd: HandOver) -> Reply:
    to = need_person(work, cmd.to)
    notes: tuple[str, ...] = ()
    if cmd.until:
        notes = (_("Ownership returns by itself after {day}.", day=fmt.day(cmd.until, work.today)),)
    giver = need_person(work, cmd.person) if cmd.person else None
    accounts = [need_account(work, ref, verb="handover") for ref in cmd.accounts]
    given = f"@{giver.name}" if giver else ", ".join(fmt.quoted(a.name) for a in accounts)
    if not cmd.anyway:
        _warn_if_away(work, cmd, given, to)
    if giver is not None:
        if giver.id == to.id:
            raise Invalid(_("That's the same person on both sides."))
        if cmd.until is None and not cmd.for_good:
            _confirm_whole_book(work, cmd, giver, to)
        book = hand_over_book(work, giver, to=to, until_on=cmd.until, note=cmd.note)
        count, names, listed = book.count, book.names, book.count
        if cmd.until:
            notes = (
                _(
                    "Accounts {giver} gains meanwhile go to {name} too.",
                    giver=giver.name,
                    name=to.name,
                ),
                *notes,
            )
    else:
        done = hand_over(work, accounts, to=to, until_on=cmd.until, note=cmd.note)
        if not done:
            return Reply(
                title=_("{name} already owns that account.", name=to.name)
                if len(accounts) == 1
                else _("{name} already owns them.", name=to.name)
            )
        count, names, listed = len(done), [a.name for a in accounts], len(accounts)
    shown = ", ".join(names[:10])
    if listed > 10:
        shown = _("{names} and {n} more", names=shown, n=listed - 10)
    title = (
        ngettext(
            "Handed {n} account to {name} until {day}",
            "Handed {n} accounts to {name} until {day}",
            count,
            name=to.name,
            day=fmt.day(cmd.until, work.today),
        )
        if cmd.until
        else ngettext(
            "Handed {n} account to {name} for good",
            "Handed {n} accounts to {name} for good",
            count,
            name=to.name,
        )
    )
    return Reply(
        title=title,
        text=shown,
        fields=(Field(_("Note"), cmd.note),) if cmd.note else (),
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
    choices = [
        Action(
            pgettext("button", "To {name} anyway", name=to.name),
            _handover_line(cmd, given, to, *good, "anyway"),
        )
    ]
    asked = _(
        "{name} is away until {day} (nobody covers). Hand it over anyway?", name=to.name, day=back
    )
    if absence.cover is not None:
        cover = absence.cover
        choices.insert(
            0,
            Action(
                pgettext("button", "To {name}", name=cover.name),
                _handover_line(cmd, given, cover, *good),
                style="primary",
            ),
        )
        asked = _(
            "{name} is away until {day} ({cover} covers for them). Hand it over anyway?",
            name=to.name,
            day=back,
            cover=cover.name,
        )
    raise ReplyNow(question(asked, tuple(choices)))


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
            ngettext(
                "Hand {giver}'s one account to {name} for good?",
                "Hand all {n} of {giver}'s accounts to {name} for good?",
                count,
                giver=giver.name,
                name=to.name,
            ),
            (
                Action(
                    pgettext("button", "Yes, for good"),
                    f"{line} for good{note}",
                    style="primary",
                ),
                Action(pgettext("button", "Only until a date…"), f"{line} until "),
            ),
            text=_("Or only until a date, after which they return by themselves."),
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
        (
            _(
                "{name} will see your accounts and receive your follow-ups meanwhile.",
                name=absence.cover.name,
            ),
        )
        if absence.cover
        else (_("No cover named: your follow-ups wait for you. Add one with cover @name."),)
    )
    span = _span(absence, work)
    if cmd.overlap is None:
        title = _("You're away {span}", span=span)
    elif cmd.overlap == "replace":
        title = _("You're away {span} (replacing what you had)", span=span)
    else:
        title = _("You're away {span} (extended)", span=span)
    return Reply(title=title, notes=notes, tone=Tone.SUCCESS)


def _span(absence: Absence, work: Work) -> str:
    if absence.starts_on == absence.ends_on:
        return fmt.day(absence.starts_on, work.today)
    return _(
        "{start} to {end}",
        start=fmt.day(absence.starts_on, work.today),
        end=fmt.day(absence.ends_on, work.today),
    )


def _ask_about_overlap(work: Work, cmd: Away, earlier: Sequence[Absence]) -> NoReturn:
    """A second absence over the days of one already set: replace it, or make one of both."""
    had = "; ".join(
        _("{span}, {name} covering", span=_span(a, work), name=a.cover.name)
        if a.cover
        else _span(a, work)
        for a in earlier
    )
    raise ReplyNow(
        question(
            _(
                "You're already away {had}. Replace that with from {start} to {end}, or extend it?",
                had=had,
                start=fmt.day(cmd.starts, work.today),
                end=fmt.day(cmd.ends, work.today),
            )
        ),
        choices_for=lambda line: (
            Action(pgettext("button", "Replace it"), f"{line.strip()} replace", style="primary"),
            Action(pgettext("button", "Extend it"), f"{line.strip()} extend"),
        ),
    )


def cancel_absence(work: Work, _cmd: CancelAbsence) -> Reply:
    cancelled = cancel_next_absence(work)
    if cancelled is None:
        raise NotFound(_("You have no planned absence to cancel. Back early? Type back."))
    covered = (
        _("{name} no longer covers for you then.", name=cancelled.cover.name)
        if cancelled.cover
        else ""
    )
    return Reply(
        title=_("Cancelled your absence {span}", span=_span(cancelled, work)),
        text=covered,
        tone=Tone.SUCCESS,
    )


def back(work: Work, _cmd: Back) -> Reply:
    ended = come_back(work)
    if ended is None:
        cancelled = cancel_next_absence(work)
        if cancelled is None:
            return Reply(title=_("You weren't away today, and have no absence planned."))
        return Reply(
            title=_(
                "You weren't away today: I cancelled your absence {span}",
                span=_span(cancelled, work),
            ),
            text=_("{name} won't cover for you then.", name=cancelled.cover.name)
            if cancelled.cover
            else "",
            notes=(_("Changed your mind? undo puts it back."),),
            tone=Tone.SUCCESS,
        )
    still = handed_away(work, work.actor)
    if not still:
        return Reply(
            title=_("Welcome back! Your accounts and follow-ups are yours again."),
            tone=Tone.SUCCESS,
        )
    return Reply(
        title=_("Welcome back! Your follow-ups are yours again."),
        text=_("These are still handed over, and come back by themselves after the date:"),
        sections=(
            Section(
                _("Still handed over"),
                tuple(
                    Item(
                        _(
                            "{what} — {name} until {day}",
                            # hub.coverage.handed_away names a whole book in English
                            what=_("all your accounts") if what == "all your accounts" else what,
                            name=to,
                            day=fmt.day(until, work.today),
                        )
                    )
                    for what, to, until in still
                ),
            ),
        ),
        tone=Tone.SUCCESS,
    )
