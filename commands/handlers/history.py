"""timeline: an account's whole history, a page at a time, with a More button."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from commands import format as fmt
from commands.handlers.common import need_account
from commands.handlers.people import edited, interaction_text, overdue
from commands.reply import Action, Item, Reply, Section, Tone
from commands.types import Timeline
from hub import ids
from hub.i18n import _, ngettext, pgettext
from hub.timeline import PAGE, Page, timeline
from hub.value_names import value_text
from hub.work import Work


def show_timeline(work: Work, cmd: Timeline) -> Reply:
    account = need_account(work, cmd.account, verb="timeline")
    work.audit_read(account, how="timeline")
    page = timeline(work, account, kind=cmd.type, since=cmd.since, page=cmd.page)
    which = _kinds(cmd.type) if cmd.type else _("history")
    title = (
        _(
            "{name} — {what} since {day}",
            name=account.name,
            what=which,
            day=fmt.day(cmd.since, work.today),
        )
        if cmd.since
        else f"{account.name} — {which}"
    )
    card = Action(pgettext("button", "Card"), f"whois {fmt.quoted(account.name)}")
    if not page.entries:
        past = page.total and cmd.page > page.pages
        first = timeline_line(cmd, 1, account.name)
        return Reply(
            title=title,
            text=(
                _(
                    "There are {pages} pages; page {page} is past the end.",
                    pages=page.pages,
                    page=cmd.page,
                )
                if past
                else _("Nothing matches.")
                if cmd.type or cmd.since
                else _("Nothing recorded yet.")
            ),
            actions=(Action(pgettext("button", "First page"), first), card) if past else (card,),
            tone=Tone.INFO,
        )
    items = tuple(_item(work, entry) for entry in page.entries)
    rest = max(page.total - (cmd.page - 1) * PAGE - len(items), 0)
    entries = ngettext("{n} entry", "{n} entries", page.total)
    heading = _(
        "Newest first · page {page} of {pages} ({entries})",
        page=page.page,
        pages=page.pages,
        entries=entries,
    )
    return Reply(
        title=title,
        sections=(Section(heading, items, more=rest),),
        actions=(*_more(cmd, page, account.name), card),
    )


def _more(cmd: Timeline, page: Page, name: str) -> tuple[Action, ...]:
    if not page.more:
        return ()
    return (
        Action(pgettext("button", "More"), timeline_line(cmd, cmd.page + 1, name), style="primary"),
    )


def _kinds(kind: str) -> str:
    """The entries of one kind, as a title names them: 'interactions', 'deals'."""
    return {
        "interaction": _("interactions"),
        "agreement": _("agreements"),
        "complaint": _("complaints"),
        "deal": _("deals"),
        "handover": _("handovers"),
    }.get(kind, f"{kind}s")


def timeline_line(cmd: Timeline, page: int, name: str) -> str:
    """The timeline of account `name` at page `page`: what the More button runs."""
    words = ["timeline", fmt.quoted(name)]
    if cmd.type:
        words.append(f"type:{cmd.type}")
    if cmd.since:
        words.append(f"since:{cmd.since.isoformat()}")
    if page > 1:
        words.append(f"page:{page}")
    return " ".join(words)


def _item(work: Work, entry: Row[Any]) -> Item:
    when = fmt.moment(entry.at, work.tz, work.now)
    flagged = (edited(),) if entry.edited is not None else ()
    if entry.kind == "interaction":
        return Item(
            interaction_text(when, entry.state, entry.other, entry.person, entry.text),
            ref=ids.show("interaction", entry.id),
            flags=flagged,
        )
    if entry.kind == "agreement":
        said = (
            _("{text} — due {day}", text=entry.text, day=fmt.day(entry.day, work.today))
            if entry.day
            else entry.text
        )
        said += f" — {entry.detail}" if entry.detail else ""
        late = entry.state == "open" and entry.day is not None and entry.day < work.today
        return Item(
            _("{when} agreed ({name}): {text}", when=when, name=entry.person, text=said),
            ref=ids.show("agreement", entry.id),
            flags=(value_text("agreement", entry.state), *((overdue(),) if late else ()), *flagged),
        )
    if entry.kind == "complaint":
        how = f" — {entry.detail}" if entry.detail else ""
        return Item(
            _(
                "{when} complaint, {severity} ({name}): {text}",
                when=when,
                severity=value_text("severity", entry.previous),
                name=entry.person,
                text=entry.text + how,
            ),
            ref=ids.show("complaint", entry.id),
            flags=(value_text("complaint", entry.state), *flagged),
        )
    if entry.kind == "deal":
        why = f" — {entry.detail}" if entry.detail else ""
        stage = value_text("stage", entry.state)
        moved = (
            _(
                "{when} deal {title}: {before} → {after} ({name})",
                when=when,
                title=entry.text,
                before=value_text("stage", entry.previous),
                after=stage,
                name=entry.person,
            )
            if entry.previous
            else _(
                "{when} deal {title}: opened at {stage} ({name})",
                when=when,
                title=entry.text,
                stage=stage,
                name=entry.person,
            )
        )
        return Item(moved + why, ref=ids.show("deal", entry.id))
    by = _("(by {name})", name=entry.person)
    return Item(
        f"{when} {_handed(work, entry)} {by}" + (f": {entry.text}" if entry.text else ""),
        flags=(_ended(work, entry),) if entry.ended is not None else (),
    )


def _handed(work: Work, entry: Row[Any]) -> str:
    """What a handover entry says was handed, to whom and until when."""
    names = {"giver": entry.other, "taker": entry.target}
    if entry.previous == "book":
        if entry.day:
            day = fmt.day(entry.day, work.today)
            return _("{giver}'s whole book handed to {taker} until {day}", day=day, **names)
        return _("{giver}'s whole book handed to {taker} for good", **names)
    if entry.day:
        day = fmt.day(entry.day, work.today)
        return _("handed over from {giver} to {taker} until {day}", day=day, **names)
    return _("handed over from {giver} to {taker} for good", **names)


def _ended(work: Work, entry: Row[Any]) -> str:
    """The flag of a handover period ended early: 'ended Thu 26 Nov'."""
    ended = entry.ended.astimezone(work.tz).date()
    return _("ended {day}", day=fmt.day(ended, work.today))
