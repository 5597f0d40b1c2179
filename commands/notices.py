"""What the scheduler sends, as platform-neutral replies: the daily nudge, the digest and
the notices (a handover received, a cover named, a follow-up assigned, a change).

Every item carries the `/crm` lines it stands for (done, snooze, log, resolve, ...), so
each platform turns them into buttons or prefilled commands the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from commands import format as fmt
from commands.reply import Action, Field, Item, Reply, Section, Tone
from hub import ids
from hub.digest import DigestFigures
from hub.notices import ASSIGNED, COVER, HANDOVER, Shown
from hub.nudges import HandedToYou, Nudge
from hub.pipeline import PROBABILITY

_RISK_TEXT = {
    "complaint": "open high-severity complaint",
    "overdue agreement": "overdue agreement",
    "no contact": "no recent contact",
}


def _covering(who: str | None) -> tuple[str, ...]:
    return (f"covering for {who}",) if who else ()


def _log(account: str) -> Action:
    return Action("Log", f"log {fmt.quoted(account)} ")


def nudge_reply(nudge: Nudge) -> Reply:
    """The daily DM; callers don't send it when `nudge.empty`."""
    due, now = nudge.due, nudge.now
    tz, today = due.tz, due.day
    tasks = tuple(
        Item(
            f"{fmt.moment(t.due_at, tz, now)} {t.text}" + (f" — {t.account}" if t.account else ""),
            ref=ids.show("follow-up", t.id),
            flags=("overdue",) * (t.due_at < now) + _covering(t.covering_for),
            actions=(
                Action("Done", f"done {ids.show('follow-up', t.id)}", style="primary"),
                Action("Snooze", f"snooze {ids.show('follow-up', t.id)} tomorrow"),
                *((_log(t.account),) if t.account else ()),
            ),
        )
        for t in nudge.tasks.items
    )
    agreements = tuple(
        Item(
            f"{a.account}: {a.text} — due {fmt.day(a.due_on, today)}",
            ref=ids.show("agreement", a.id),
            flags=("overdue",) * (a.due_on < today) + _covering(a.covering_for),
            actions=(_log(a.account),),
        )
        for a in nudge.agreements.items
    )
    complaints = tuple(
        Item(
            f"{c.account}: {c.text} — {c.severity}, SLA passed {fmt.age(c.sla_due_at, now)} ago",
            ref=ids.show("complaint", c.id),
            flags=("SLA breached", *_covering(c.covering_for)),
            actions=(Action("Resolve", f"resolve {ids.show('complaint', c.id)} "), _log(c.account)),
        )
        for c in nudge.complaints.items
    )
    stale = tuple(
        Item(
            f"{s.name} (tier {s.tier}) — "
            + (
                f"no contact for {fmt.age(s.last_contact_at, now)}"
                if s.last_contact_at
                else "never contacted"
            ),
            flags=_covering(s.covering_for),
            actions=(_log(s.name), Action("Whois", f"whois {fmt.quoted(s.name)}")),
        )
        for s in nudge.stale.items
    )
    fields = tuple(Field("Covering for", name) for name in nudge.covering) + tuple(
        Field("Handed to you", _handed(h, today)) for h in nudge.handed
    )
    return Reply(
        title=f"Good morning, {due.name.split()[0]}: your day",
        fields=fields,
        sections=tuple(
            section
            for section in (
                Section("Follow-ups due", tasks, more=nudge.tasks.more),
                Section("Agreements due", agreements, more=nudge.agreements.more),
                Section("Complaints over SLA", complaints, more=nudge.complaints.more),
                Section("Accounts to get in touch with", stale, more=nudge.stale.more),
            )
            if section.items
        ),
        actions=(Action("My day", "mine"),),
    )


def _handed(handover: HandedToYou, today: date) -> str:
    what = handover.account or f"{handover.book_of}'s accounts"
    note = f": {handover.note}" if handover.note else ""
    return f"{what} until {fmt.day(handover.until_on, today)}, from {handover.by}{note}"


def _money(value: Decimal) -> str:
    return fmt.money(value.quantize(Decimal(1)) if value == value.to_integral() else value, None)


def digest_reply(figures: DigestFigures, *, cadence: str, channel: bool = True) -> Reply:
    """The pipeline digest; `channel` says it was limited to public accounts."""
    d = figures
    stages = tuple(
        Item(
            f"{line.stage}: {line.count} deal{'s' * (line.count != 1)} · {_money(line.value)}"
            f" · weighted {_money(line.value * PROBABILITY[line.stage])}"
            + (f" · this {_period(cadence)}: +{line.entered} in, −{line.left} out")
        )
        for line in d.stages
    )
    moves = ", ".join(
        f"{m.count} {kind} ({_money(m.value)})" for kind, m in d.moves.items() if m.count
    )
    lost = d.moves["lost"]
    reasons = "; ".join(f"{reason} ×{n}" for reason, n in d.lost_reasons)
    win_rate = f"{d.win_rate:.0%}" if d.win_rate is not None else "no deals closed"
    cycle = f"{d.cycle_days:.1f} days" if d.cycle_days is not None else "no deals won"
    at_risk = tuple(
        Item(
            f"{r.name} (tier {r.tier}) — {', '.join(_RISK_TEXT[x] for x in r.reasons)}",
            actions=(Action("Whois", f"whois {fmt.quoted(r.name)}"),),
        )
        for r in d.at_risk
    )
    attention = tuple(
        Item(
            f"{a.account}: {a.text} — {a.detail}",
            ref=ids.show(a.kind, a.id),
            actions=(
                (Action("Resolve", f"resolve {ids.show(a.kind, a.id)} "),)
                if a.kind == "complaint"
                else (
                    Action("Stage", f"stage {ids.show(a.kind, a.id)} "),
                    Action("Lost", f"lost {ids.show(a.kind, a.id)} "),
                )
            ),
        )
        for a in d.attention
    )
    risk_counts = ", ".join(f"{n} {reason}" for reason, n in d.risk_counts.items() if n)
    notes = (
        (
            "Public accounts only: team and private ones are in the digest each person "
            "asks for (digest).",
        )
        if channel
        else ()
    )
    return Reply(
        title=f"{cadence.capitalize()} pipeline digest — "
        f"{fmt.day(d.since.astimezone(d.until.tzinfo).date(), d.today)} to {d.today:%a %d %b}",
        fields=(
            Field(
                "Open pipeline",
                f"{d.open_count} deal{'s' * (d.open_count != 1)} · {_money(d.open_value)}",
            ),
            Field(f"Moved this {_period(cadence)}", moves or "nothing moved"),
            Field("Won", f"{d.moves['won'].count} · {_money(d.moves['won'].value)}"),
            Field("Lost", f"{lost.count}" + (f" ({reasons})" if reasons else "")),
            Field("Forecast this month", _money(d.forecast_this_month)),
            Field("Forecast next month", _money(d.forecast_next_month)),
            Field("Win rate (90 days)", win_rate),
            Field("Average cycle (won, 90 days)", cycle),
            Field(
                "Complaints",
                f"{d.complaints_new} new, {d.complaints_resolved} resolved, "
                f"{d.complaints_open} open ({d.complaints_breached} over SLA)",
            ),
            Field(
                "Accounts at risk",
                f"{d.at_risk_total}" + (f": {risk_counts}" if risk_counts else ""),
            ),
        ),
        sections=(
            Section("Open pipeline by stage", stages),
            Section("Needs a manager", attention, empty="Nothing urgent."),
            Section(
                "Accounts at risk",
                at_risk,
                empty="None right now.",
            ),
        ),
        notes=notes,
    )


def _period(cadence: str) -> str:
    return "week" if cadence == "weekly" else "period"


# -- notices: what a colleague did that a person should hear of (hub/notices.py) ----------


def notice_line(notice: Shown, now: datetime) -> Item:
    """One notice as a line of `mine`'s "New for you"."""
    title, text, actions = _notice(notice, now)
    return Item(f"{title}: {text}" if text else title, actions=actions)


def notice_reply(notice: Shown, now: datetime) -> Reply:
    """One notice as a DM."""
    title, text, actions = _notice(notice, now)
    return Reply(title=title, text=text, actions=actions, tone=Tone.INFO)


def _notice(notice: Shown, now: datetime) -> tuple[str, str, tuple[Action, ...]]:
    facts = notice.facts
    today = now.astimezone(notice.reader_tz).date()

    def who(key: str) -> str:
        person = facts.get(key)
        return notice.people.get(person, "someone") if person else "someone"

    def when(value: str | None) -> str:
        return fmt.day(date.fromisoformat(value), today) if value else ""

    accounts = ", ".join(notice.accounts)
    if notice.kind == HANDOVER:
        return _handover(notice, who, when, accounts)
    if notice.kind == COVER:
        return _cover(facts, who, when), "", ()
    if notice.kind == ASSIGNED:
        task = ids.show("follow-up", facts["task"])
        due = fmt.moment(datetime.fromisoformat(facts["due"]), notice.reader_tz, now)
        about = f" — {accounts}" if accounts else ""
        return (
            f"{who('actor')} gave you follow-up {task}, {due}{about}",
            notice.texts.get(("task", facts["task"])) or "",
            (
                Action("Done", f"done {task}", style="primary"),
                Action("Snooze", f"snooze {task} tomorrow"),
            ),
        )
    said = [_change(c, notice) for c in facts.get("changes") or []]
    changes = "; ".join(c for c in said if c)
    return f"{who('actor')} changed {accounts}", changes, ()


def _handover(
    notice: Shown, who: Callable[[str], str], when: Callable[[str | None], str], accounts: str
) -> tuple[str, str, tuple[Action, ...]]:
    facts = notice.facts
    until = facts.get("until")
    period = f"until {when(until)}" if until else "for good"
    book = facts.get("book_of")
    what = (
        f"{who('book_of')}'s accounts ({facts.get('count') or 0})"
        if book
        else accounts or "accounts"
    )
    note = facts.get("note") or ""
    receiving = facts.get("side") == "receiver"
    if facts.get("event") == "end":
        ended = f"ended {when(until)}"
        if receiving:
            if book:
                return f"The handover of {who('book_of')}'s accounts to you {ended}", "", ()
            if not accounts:
                return f"The handover from {who('from')} to you {ended}", "", ()
            giver = who("from")
            return f"{accounts}: the handover from {giver} {ended}; back with {giver}", "", ()
        mine = "Your accounts" if book or not accounts else accounts
        them = "it" if not book and len(notice.accounts) == 1 else "them"
        return f"{mine}: back with you; {who('to')} held {them} until {when(until)}", "", ()
    by = facts.get("by")
    done_by = "" if by == facts.get("from") else f" (done by {who('by')})"
    if receiving:
        source = "" if book else f" from {who('from')}"
        return f"You now hold {what}{source} {period}{done_by}", note, ()
    return f"{what} handed to {who('to')} {period}{done_by}", note, ()


def _cover(
    facts: Mapping[str, Any], who: Callable[[str], str], when: Callable[[str | None], str]
) -> str:
    def periods(pairs: list[list[str]]) -> str:
        return ", ".join(f"{when(a)} – {when(b)}" for a, b in pairs)

    absent = who("absent")
    if facts.get("event") == "set":
        return f"{absent} is away {periods(facts['after'])}; you cover"
    if facts.get("event") == "cancelled":
        return f"{absent}'s absence {periods(facts['before'])} is off; you no longer cover it"
    return (
        f"{absent}'s absence you cover changed: {periods(facts['before'])} → "
        f"{periods(facts['after'])}"
    )


def _change(change: Mapping[str, Any], notice: Shown) -> str:
    """One change as the notice says it; "" for a record deleted since."""
    people = notice.people
    if "deal" in change:
        if ("deal", change["deal"]) not in notice.texts:
            return ""
        title, reason = notice.texts[("deal", change["deal"])]
        why = f" ({reason})" if reason and change["to"] == "lost" else ""
        deal = ids.show("deal", change["deal"])
        return f"{deal} {title}: {change['from']} → {change['to']}{why}"
    if "complaint" in change:
        text = notice.texts.get(("complaint", change["complaint"]))
        if text is None:
            return ""
        shown = ids.show("complaint", change["complaint"])
        return f"complaint {shown} opened ({change['severity']}): {text}"
    field, old, new = change["field"], change["from"], change["to"]
    if field == "owner_id":
        return f"owner {people.get(old, 'someone')} → {people.get(new, 'someone')}"
    return f"{field} {old} → {new}"
