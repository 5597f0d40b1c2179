"""timeline: an account's whole history, a page at a time, with a More button."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from commands import format as fmt
from commands.handlers.common import need_account
from commands.reply import Action, Item, Reply, Section, Tone
from commands.types import Timeline
from hub import ids
from hub.timeline import PAGE, Page, timeline
from hub.work import Work


def show_timeline(work: Work, cmd: Timeline) -> Reply:
    account = need_account(work, cmd.account, verb="timeline")
    work.audit_read(account, how="timeline")
    page = timeline(work, account, kind=cmd.type, since=cmd.since, page=cmd.page)
    which = f"{cmd.type}s" if cmd.type else "history"
    since = f" since {fmt.day(cmd.since, work.today)}" if cmd.since else ""
    title = f"{account.name} — {which}{since}"
    card = Action("Card", f"whois {fmt.quoted(account.name)}")
    if not page.entries:
        past = page.total and cmd.page > page.pages
        first = timeline_line(cmd, 1, account.name)
        return Reply(
            title=title,
            text=(
                f"There are {page.pages} pages; page {cmd.page} is past the end."
                if past
                else "Nothing matches."
                if cmd.type or cmd.since
                else "Nothing recorded yet."
            ),
            actions=(Action("First page", first), card) if past else (card,),
            tone=Tone.INFO,
        )
    items = tuple(_item(work, entry) for entry in page.entries)
    rest = max(page.total - (cmd.page - 1) * PAGE - len(items), 0)
    entries = f"{page.total} entr{'y' if page.total == 1 else 'ies'}"
    heading = f"Newest first · page {page.page} of {page.pages} ({entries})"
    return Reply(
        title=title,
        sections=(Section(heading, items, more=rest),),
        actions=(*_more(cmd, page, account.name), card),
    )


def _more(cmd: Timeline, page: Page, name: str) -> tuple[Action, ...]:
    if not page.more:
        return ()
    return (Action("More", timeline_line(cmd, cmd.page + 1, name), style="primary"),)


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
    edited = ("edited",) if entry.edited is not None else ()
    if entry.kind == "interaction":
        with_ = f" with {entry.other}" if entry.other else ""
        return Item(
            f"{when} {entry.state}{with_} ({entry.person}): {entry.text}",
            ref=ids.show("interaction", entry.id),
            flags=edited,
        )
    if entry.kind == "agreement":
        due = f" — due {fmt.day(entry.day, work.today)}" if entry.day else ""
        why = f" — {entry.detail}" if entry.detail else ""
        overdue = entry.state == "open" and entry.day is not None and entry.day < work.today
        return Item(
            f"{when} agreed ({entry.person}): {entry.text}{due}{why}",
            ref=ids.show("agreement", entry.id),
            flags=(entry.state, *(("overdue",) if overdue else ()), *edited),
        )
    if entry.kind == "complaint":
        how = f" — {entry.detail}" if entry.detail else ""
        return Item(
            f"{when} complaint, {entry.previous} ({entry.person}): {entry.text}{how}",
            ref=ids.show("complaint", entry.id),
            flags=(entry.state, *edited),
        )
    if entry.kind == "deal":
        moved = f"{entry.previous} → {entry.state}" if entry.previous else "opened"
        moved += "" if entry.previous else f" at {entry.state}"
        why = f" — {entry.detail}" if entry.detail else ""
        return Item(
            f"{when} deal {entry.text}: {moved} ({entry.person}){why}",
            ref=ids.show("deal", entry.id),
        )
    period = f"until {fmt.day(entry.day, work.today)}" if entry.day else "for good"
    what = (
        f"{entry.other}'s whole book handed to {entry.target} {period}"
        if entry.previous == "book"
        else f"handed over from {entry.other} to {entry.target} {period}"
    )
    note = f": {entry.text}" if entry.text else ""
    ended = entry.ended.astimezone(work.tz).date() if entry.ended is not None else None
    return Item(
        f"{when} {what} (by {entry.person}){note}",
        flags=(f"ended {fmt.day(ended, work.today)}",) if ended is not None else (),
    )
