"""The cards of people: a colleague's (`whois @ana`) and a customer contact's
(`whois "María López"`). `lookup.whois` decides which card a query asks for."""

from __future__ import annotations

from typing import Any

from commands import format as fmt
from commands.reply import Action, Field, Item, Reply, Section
from hub import ids
from hub.colleague import URGENT_KINDS, accounts_named, colleague_card
from hub.contact_card import contact_card
from hub.models import Contact, Person
from hub.work import Work

URGENT_TITLES = {
    "follow-up": ("follow-up due", "follow-ups due"),
    "agreement": ("agreement due", "agreements due"),
    "complaint": ("complaint over SLA", "complaints over SLA"),
    "deal": ("deal closing this week", "deals closing this week"),
}


def colleague_reply(work: Work, person: Person) -> Reply:
    card = colleague_card(work, person)
    work.audit_reads(accounts_named(card), how="whois")
    today, now = work.today, work.now
    mention = f"@{person.handle}"
    local = card.local_now
    fields = [
        Field("Role", str(person.role)),
        Field("Department", person.department or "none"),
        Field("Time zone", f"{card.tz_name} — {local:%H:%M} there ({local:%a})"),
    ]
    away = [
        _absence(row, today) + f" — covered by {row.name or 'nobody'}"
        for row in card.absences
        if row.kind == "away"
    ]
    fields.append(Field("Away", "; ".join(away) if away else "no"))
    covering = [
        f"{row.name} until {fmt.day(row.ends_on, today)}"
        for row in card.absences
        if row.kind == "covers"
    ]
    if covering:
        fields.append(Field("Covering for", "; ".join(covering)))
    fields.append(
        Field(
            "Last active",
            f"{fmt.age(card.last_active, now)} ago" if card.last_active else "nothing recorded",
        )
    )
    if not person.active:
        fields.append(Field("Status", "no longer active"))
    accounts = tuple(
        Item(
            f"{a.name} — tier {a.tier}"
            + (f" · {a.owner_name}'s" if a.owner_id != person.id else ""),
            flags=("urgent",) if a.urgent else (),
            actions=(Action("Open", f"whois {fmt.quoted(a.name)}"),),
        )
        for a in card.accounts
    )
    urgent = tuple(_urgent_item(row, work) for kind in URGENT_KINDS for row in card.urgent[kind])
    urgent_total = sum(card.urgent_counts.values())
    summary = " · ".join(
        f"{n} {URGENT_TITLES[kind][n != 1]}" for kind, n in card.urgent_counts.items() if n
    )
    handovers = tuple(_handover_item(row, today, person) for row in card.handovers)
    me = work.actor.id == person.id
    actions = [Action("Hand over", f"handover {mention} to ")]
    if not me:
        actions.insert(
            0, Action("Cover for them", f"handover {mention} to @{work.actor.handle} until ")
        )
    actions.append(Action("Their accounts", f"find type:account owner:{mention}"))
    return Reply(
        title=f"{person.name} ({mention}) — colleague",
        text=f"Urgent today: {summary}" if summary else "Nothing urgent today.",
        fields=tuple(fields),
        sections=(
            Section(
                f"Accounts ({card.account_count})",
                accounts,
                empty="No accounts that you can see.",
                more=card.account_count - len(accounts),
            ),
            Section(
                "Urgent today",
                urgent,
                empty="Nothing urgent that you can see.",
                more=urgent_total - len(urgent),
            ),
            Section(
                "Handovers",
                handovers,
                empty="No handovers running.",
                more=card.handover_count - len(handovers),
            ),
        ),
        actions=tuple(actions),
    )


def _absence(row: Any, today: Any) -> str:
    if row.starts_on <= today:
        return f"now, until {fmt.day(row.ends_on, today)}"
    return f"planned {fmt.day(row.starts_on, today)} – {fmt.day(row.ends_on, today)}"


def _urgent_item(row: Any, work: Work) -> Item:
    today, now = work.today, work.now
    where = f" — {row.account_name}" if row.account_name else ""
    if row.kind == "follow-up":
        shown = ids.show("follow-up", row.id)
        when = fmt.moment(row.due_at, work.tz, now)
        return Item(
            f"follow-up {when}: {row.text}{where}",
            ref=shown,
            flags=("overdue",) if row.due_at < now else (),
        )
    if row.kind == "agreement":
        return Item(
            f"agreement due {fmt.day(row.due_on, today)}: {row.text}{where}",
            ref=ids.show("agreement", row.id),
            flags=("overdue",) if row.due_on < today else (),
        )
    if row.kind == "complaint":
        return Item(
            f"complaint: {row.text}{where}",
            ref=ids.show("complaint", row.id),
            flags=("SLA breached",),
        )
    return Item(
        f"deal closing {fmt.day(row.due_on, today)}: {row.text}{where}",
        ref=ids.show("deal", row.id),
    )


def _handover_item(row: Any, today: Any, person: Person) -> Item:
    what = row.account_name or (
        "their whole book" if row.direction == "out" else f"{row.other_name}'s whole book"
    )
    if row.direction == "in":
        text = f"in: {what} from {row.other_name}"
    else:
        text = f"out: {what} to {row.other_name}"
    text += f" until {fmt.day(row.until_on, today)}"
    if row.by_name != (person.name if row.direction == "out" else row.other_name):
        text += f" (by {row.by_name})"
    if row.note:
        text += f" — “{row.note}”"
    return Item(text)


def contact_reply(work: Work, contact: Contact) -> Reply:
    card = contact_card(work, contact)
    for account, _ in card.accounts:
        work.audit_read(account, how="whois")
    today, tz, now = work.today, work.tz, work.now
    first = card.accounts[0][0]
    fields = [
        Field(label, value)
        for label, value in (
            ("Role", contact.role),
            ("Title", contact.title),
            ("E-mail", contact.email),
            ("Phone", contact.phone),
        )
        if value
    ]
    accounts = []
    for account, who in card.accounts:
        owner = f"owner {who.owner_name}"
        if who.handed_until is not None:
            owner += f", handed to {who.acting_name} until {fmt.day(who.handed_until, today)}"
        if who.away_until is not None:
            owner += (
                f" — away until {fmt.day(who.away_until, today)},"
                f" covered by {who.cover_name or 'nobody'}"
            )
        accounts.append(
            Item(
                f"{account.name} — {owner}",
                actions=(Action("Open", f"whois {fmt.quoted(account.name)}"),),
            )
        )
    timeline = []
    for row in card.timeline:
        edited = ("edited",) if row.edited_at is not None else ()
        where = f" on {row.account_name}" if card.account_count > 1 else ""
        if row.kind == "interaction":
            text = f"{fmt.moment(row.at, tz, now)} {row.detail}{where} ({row.author_name}): "
            timeline.append(
                Item(text + row.text, ref=ids.show("interaction", row.id), flags=edited)
            )
        elif row.kind == "agreement":
            due = f" — due {fmt.day(row.due_on, today)}" if row.due_on else ""
            timeline.append(
                Item(
                    f"{fmt.moment(row.at, tz, now)} agreement{where}: {row.text}{due}",
                    ref=ids.show("agreement", row.id),
                    flags=(row.detail, *edited),
                )
            )
        else:
            timeline.append(
                Item(
                    f"{fmt.moment(row.at, tz, now)} complaint{where}: {row.text}",
                    ref=ids.show("complaint", row.id),
                    flags=(row.detail, *edited),
                )
            )
    name = fmt.quoted(first.name)
    return Reply(
        title=f"{contact.name} — contact at {first.name}",
        fields=tuple(fields),
        sections=(
            Section(
                "Accounts" if card.account_count > 1 else "Account",
                tuple(accounts),
                more=card.account_count - len(accounts),
            ),
            Section(
                f"With {contact.name}",
                tuple(timeline),
                empty="Nothing logged with them yet.",
                more=card.timeline_count - len(timeline),
            ),
        ),
        actions=(
            Action("Log", f"log {name} "),
            Action("Agree", f"agree {name} "),
            Action("Account", f"whois {name}"),
        ),
    )
