"""The cards of people: a colleague's (`whois @ana`) and a customer contact's
(`whois "María López"`). `lookup.whois` decides which card a query asks for."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.dates import format_date

from commands import format as fmt
from commands.reply import Action, Field, Item, Reply, Section
from hub import i18n, ids
from hub.colleague import URGENT_KINDS, accounts_named, colleague_card
from hub.contact_card import contact_card
from hub.i18n import _, ngettext, pgettext
from hub.models import Contact, Person
from hub.value_names import value_text
from hub.work import Work


def _urgent_count(kind: str, n: int) -> str:
    """'2 follow-ups due', '1 complaint over SLA'."""
    if kind == "follow-up":
        return ngettext("{n} follow-up due", "{n} follow-ups due", n)
    if kind == "agreement":
        return ngettext("{n} agreement due", "{n} agreements due", n)
    if kind == "complaint":
        return ngettext("{n} complaint over SLA", "{n} complaints over SLA", n)
    return ngettext("{n} deal closing this week", "{n} deals closing this week", n)


def _weekday(value: date) -> str:
    """'Thu', 'jue': the day of the week, short, in the reader's language."""
    return format_date(value, "EEE", locale="es_ES" if i18n.current() == "es" else "en")


def away_text(until: date, cover: str | None, today: date) -> str:
    """'away until Fri 27 Nov, covered by Luis Pérez' (or by nobody)."""
    back = fmt.day(until, today)
    if cover is None:
        return _("away until {day}, covered by nobody", day=back)
    return _("away until {day}, covered by {name}", day=back, name=cover)


def interaction_text(when: str, kind: str, contact: str | None, author: str, text: str) -> str:
    """'Tue 24 Nov 10:00 call with María López (Ana García): Talked pricing'."""
    how = value_text("interaction", kind)
    if contact:
        return _(
            "{when} {kind} with {contact} ({author}): {text}",
            when=when,
            kind=how,
            contact=contact,
            author=author,
            text=text,
        )
    return _("{when} {kind} ({author}): {text}", when=when, kind=how, author=author, text=text)


def overdue() -> str:
    """The flag of something past its date."""
    return pgettext("flag", "overdue")


def edited() -> str:
    """The flag of a record someone corrected with `edit`."""
    return pgettext("flag", "edited")


def colleague_reply(work: Work, person: Person) -> Reply:
    card = colleague_card(work, person)
    work.audit_reads(accounts_named(card), how="whois")
    today, now = work.today, work.now
    mention = f"@{person.handle}"
    local = card.local_now
    fields = [
        Field(_("Role"), value_text("role", str(person.role))),
        Field(_("Department"), person.department or _("none")),
        Field(
            _("Time zone"),
            _(
                "{zone} — {time} there ({weekday})",
                zone=card.tz_name,
                time=local.strftime("%H:%M"),
                weekday=_weekday(local.date()),
            ),
        ),
    ]
    away = [_absence(row, today) for row in card.absences if row.kind == "away"]
    fields.append(Field(_("Away"), "; ".join(away) if away else _("no")))
    covering = [
        _("{name} until {day}", name=row.name, day=fmt.day(row.ends_on, today))
        for row in card.absences
        if row.kind == "covers"
    ]
    if covering:
        fields.append(Field(_("Covering for"), "; ".join(covering)))
    fields.append(
        Field(
            _("Last active"),
            _("{age} ago", age=fmt.age(card.last_active, now))
            if card.last_active
            else _("nothing recorded"),
        )
    )
    if not person.active:
        fields.append(Field(_("Status"), _("no longer active")))
    accounts = tuple(
        Item(
            _("{name} — tier {tier}", name=a.name, tier=a.tier)
            + (" · " + _("{name}'s", name=a.owner_name) if a.owner_id != person.id else ""),
            flags=(pgettext("flag", "urgent"),) if a.urgent else (),
            actions=(Action(pgettext("button", "Open"), f"whois {fmt.quoted(a.name)}"),),
        )
        for a in card.accounts
    )
    urgent = tuple(_urgent_item(row, work) for kind in URGENT_KINDS for row in card.urgent[kind])
    urgent_total = sum(card.urgent_counts.values())
    summary = " · ".join(_urgent_count(kind, n) for kind, n in card.urgent_counts.items() if n)
    handovers = tuple(_handover_item(row, today, person) for row in card.handovers)
    me = work.actor.id == person.id
    actions = [Action(pgettext("button", "Hand over"), f"handover {mention} to ")]
    if not me:
        actions.insert(
            0,
            Action(
                pgettext("button", "Cover for them"),
                f"handover {mention} to @{work.actor.handle} until ",
            ),
        )
    actions.append(
        Action(pgettext("button", "Their accounts"), f"find type:account owner:{mention}")
    )
    return Reply(
        title=_("{name} ({mention}) — colleague", name=person.name, mention=mention),
        text=_("Urgent today: {summary}", summary=summary)
        if summary
        else _("Nothing urgent today."),
        fields=tuple(fields),
        sections=(
            Section(
                _("Accounts ({count})", count=card.account_count),
                accounts,
                empty=_("No accounts that you can see."),
                more=card.account_count - len(accounts),
            ),
            Section(
                _("Urgent today"),
                urgent,
                empty=_("Nothing urgent that you can see."),
                more=urgent_total - len(urgent),
            ),
            Section(
                _("Handovers"),
                handovers,
                empty=_("No handovers running."),
                more=card.handover_count - len(handovers),
            ),
        ),
        actions=tuple(actions),
    )


def _absence(row: Any, today: Any) -> str:
    """One of their absences, with who covers: 'now, until Fri 27 Nov — covered by Luis'."""
    end = fmt.day(row.ends_on, today)
    if row.starts_on <= today:
        if row.name is None:
            return _("now, until {end} — covered by nobody", end=end)
        return _("now, until {end} — covered by {name}", end=end, name=row.name)
    start = fmt.day(row.starts_on, today)
    if row.name is None:
        return _("planned {start} – {end} — covered by nobody", start=start, end=end)
    return _("planned {start} – {end} — covered by {name}", start=start, end=end, name=row.name)


def _urgent_item(row: Any, work: Work) -> Item:
    today, now = work.today, work.now
    where = f" — {row.account_name}" if row.account_name else ""
    if row.kind == "follow-up":
        shown = ids.show("follow-up", row.id)
        when = fmt.moment(row.due_at, work.tz, now)
        return Item(
            _("follow-up {when}: {text}", when=when, text=row.text) + where,
            ref=shown,
            flags=(overdue(),) if row.due_at < now else (),
        )
    if row.kind == "agreement":
        day = fmt.day(row.due_on, today)
        return Item(
            _("agreement due {day}: {text}", day=day, text=row.text) + where,
            ref=ids.show("agreement", row.id),
            flags=(overdue(),) if row.due_on < today else (),
        )
    if row.kind == "complaint":
        return Item(
            _("complaint: {text}", text=row.text) + where,
            ref=ids.show("complaint", row.id),
            flags=(_("SLA breached"),),
        )
    day = fmt.day(row.due_on, today)
    return Item(
        _("deal closing {day}: {text}", day=day, text=row.text) + where,
        ref=ids.show("deal", row.id),
    )


def _handover_item(row: Any, today: Any, person: Person) -> Item:
    what = row.account_name or (
        _("their whole book")
        if row.direction == "out"
        else _("{name}'s whole book", name=row.other_name)
    )
    until = fmt.day(row.until_on, today)
    if row.direction == "in":
        text = _("in: {what} from {name} until {day}", what=what, name=row.other_name, day=until)
    else:
        text = _("out: {what} to {name} until {day}", what=what, name=row.other_name, day=until)
    if row.by_name != (person.name if row.direction == "out" else row.other_name):
        text += " " + _("(by {name})", name=row.by_name)
    if row.note:
        text += f" — “{row.note}”"
    return Item(text)


def contact_reply(work: Work, contact: Contact) -> Reply:
    card = contact_card(work, contact)
    for account, _who in card.accounts:
        work.audit_read(account, how="whois")
    today, tz, now = work.today, work.tz, work.now
    first = card.accounts[0][0]
    fields = [
        Field(label, value)
        for label, value in (
            (_("Role"), contact.role),
            (pgettext("job", "Title"), contact.title),
            (_("E-mail"), contact.email),
            (_("Phone"), contact.phone),
        )
        if value
    ]
    accounts = []
    for account, who in card.accounts:
        owner = (
            _(
                "owner {owner}, handed to {name} until {day}",
                owner=who.owner_name,
                name=who.acting_name,
                day=fmt.day(who.handed_until, today),
            )
            if who.handed_until is not None
            else _("owner {name}", name=who.owner_name)
        )
        if who.away_until is not None:
            owner += " — " + away_text(who.away_until, who.cover_name, today)
        accounts.append(
            Item(
                f"{account.name} — {owner}",
                actions=(Action(pgettext("button", "Open"), f"whois {fmt.quoted(account.name)}"),),
            )
        )
    timeline = []
    several = card.account_count > 1
    for row in card.timeline:
        flagged = (edited(),) if row.edited_at is not None else ()
        when = fmt.moment(row.at, tz, now)
        if row.kind == "interaction":
            how = value_text("interaction", row.detail)
            text = (
                _(
                    "{when} {kind} on {account} ({author}): {text}",
                    when=when,
                    kind=how,
                    account=row.account_name,
                    author=row.author_name,
                    text=row.text,
                )
                if several
                else interaction_text(when, row.detail, None, row.author_name, row.text)
            )
            timeline.append(Item(text, ref=ids.show("interaction", row.id), flags=flagged))
        elif row.kind == "agreement":
            said = (
                _("{text} — due {day}", text=row.text, day=fmt.day(row.due_on, today))
                if row.due_on
                else row.text
            )
            timeline.append(
                Item(
                    _(
                        "{when} agreement on {account}: {text}",
                        when=when,
                        account=row.account_name,
                        text=said,
                    )
                    if several
                    else _("{when} agreement: {text}", when=when, text=said),
                    ref=ids.show("agreement", row.id),
                    flags=(value_text("agreement", row.detail), *flagged),
                )
            )
        else:
            severity, _comma, status = row.detail.partition(", ")
            detail = f"{value_text('severity', severity)}, {value_text('complaint', status)}"
            timeline.append(
                Item(
                    _(
                        "{when} complaint on {account}: {text}",
                        when=when,
                        account=row.account_name,
                        text=row.text,
                    )
                    if several
                    else _("{when} complaint: {text}", when=when, text=row.text),
                    ref=ids.show("complaint", row.id),
                    flags=(detail, *flagged),
                )
            )
    name = fmt.quoted(first.name)
    return Reply(
        title=_("{name} — contact at {account}", name=contact.name, account=first.name),
        fields=tuple(fields),
        sections=(
            Section(
                _("Accounts") if several else _("Account"),
                tuple(accounts),
                more=card.account_count - len(accounts),
            ),
            Section(
                _("With {name}", name=contact.name),
                tuple(timeline),
                empty=_("Nothing logged with them yet."),
                more=card.timeline_count - len(timeline),
            ),
        ),
        actions=(
            Action(pgettext("button", "Log"), f"log {name} "),
            Action(pgettext("button", "Agree"), f"agree {name} "),
            Action(pgettext("button", "Account"), f"whois {name}"),
        ),
    )
