"""whois and find: the one-glance card and search."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Row

from commands import format as fmt
from commands.handlers.common import need_person
from commands.handlers.people import colleague_reply, contact_reply
from commands.reply import Action, Field, Item, Reply, Section, Tone
from commands.types import Find, Whois
from hub import ids
from hub.cards import WhoisCard, whois_card
from hub.complaints import breached
from hub.lookup import find_account_or_contact
from hub.models import Account, Contact
from hub.people import find_by_name
from hub.pipeline import PROBABILITY
from hub.triage import TRIAGE, triage_messages
from hub.work import Work
from search.results import Query
from search.service import Search


def whois(work: Work, cmd: Whois, *, search: Search) -> Reply:
    """The card a query names. `@x` is always a colleague. Otherwise an account's exact
    name, alias or domain comes first, then a contact's exact name or e-mail, then a team
    member's exact full name (`whois Ana García`), and only then partial matches and
    look-alikes of accounts and contacts."""
    if cmd.query.startswith("@"):
        mention = "".join(ch for ch in cmd.query if ch not in "\"“”'‘’")  # @"Marta Ruiz"
        return colleague_reply(work, need_person(work, mention))
    # Exact names first: the common case (a card) costs one look-up, and a colleague's
    # name is looked up only when no account or contact has it.
    lookup = find_account_or_contact(work, cmd.query, exact_only=True)
    if (card := _card_of(work, lookup.found)) is not None:
        return card
    colleague = find_by_name(work.session, cmd.query)
    if colleague is not None and not lookup.ambiguous:
        return colleague_reply(work, colleague)
    if search.index is None and colleague is None:  # the database's partial matches
        lookup = find_account_or_contact(work, cmd.query)
        if (card := _card_of(work, lookup.found)) is not None:
            return card
    emails = {c.email for c in lookup.contacts}
    if lookup.contacts and not lookup.accounts and len(emails) == 1 and None not in emails:
        return contact_reply(work, lookup.contacts[0])  # one person, at several accounts
    if lookup.ambiguous:
        return _pick_list(f"Several matches for “{cmd.query}”", lookup.accounts, lookup.contacts)
    similar = search.accounts_like(work, cmd.query)
    if len(similar) == 1:
        work.audit_read(similar[0], how="whois")
        card = account_card(work, whois_card(work, similar[0]))
        return replace(card, notes=(f"Showing {similar[0].name} for “{cmd.query}”.",))
    if similar:
        return _pick_list(f"No exact match for “{cmd.query}”; did you mean", similar, [])
    return Reply(
        title=f"No account or contact called “{cmd.query}” that you can see.",
        text="Check the spelling, or create it with the account command.",
        tone=Tone.WARNING,
    )


def _card_of(work: Work, found: Account | Contact | None) -> Reply | None:
    if isinstance(found, Account):
        work.audit_read(found, how="whois")
        return account_card(work, whois_card(work, found))
    if isinstance(found, Contact):
        return contact_reply(work, found)
    return None


def _pick_list(title: str, accounts: list[Account], contacts: list[Contact]) -> Reply:
    items = [
        Item(a.name, actions=(Action(f"whois {a.name}", f"whois {fmt.quoted(a.name)}"),))
        for a in accounts
    ]
    items += [
        Item(
            f"{c.name} ({c.account.name})",
            actions=(Action(f"whois {c.name}", f"whois {c.email or fmt.quoted(c.name)}"),),
        )
        for c in contacts
    ]
    return Reply(
        title=title,
        sections=(Section("Which one?", tuple(items[:8]), more=max(len(items) - 8, 0)),),
    )


def account_card(work: Work, card: WhoisCard) -> Reply:
    account, who = card.account, card.responsibility
    today, tz, now = work.today, work.tz, work.now
    owner = who.owner_name
    if who.handed_until is not None:
        by = who.handed_by_name or who.owner_name
        owner = f"{who.acting_name} until {fmt.day(who.handed_until, today)} (handed over by {by}"
        owner += ")" if by == who.owner_name else f"; {who.owner_name} owns it)"
    if who.away_until is not None:
        back = fmt.day(who.away_until, today)
        owner += f" — away until {back}, covered by {who.cover_name or 'nobody'}"
    fields = [Field("Owner", owner)]
    if who.handed_until is not None and who.handover_note:
        fields.append(Field("Handover note", who.handover_note))
    fields += [Field("Tier", account.tier), Field("Status", account.status)]
    if account.visibility != "public":
        fields.append(
            Field("Visibility", f"{account.visibility} ({account.department or 'no team'})")
        )
    if account.domain:
        fields.append(Field("Domain", account.domain))
    if card.aliases:
        fields.append(Field("Also known as", ", ".join(card.aliases)))
    if account.last_contact_at:
        fields.append(Field("Last contact", fmt.age(account.last_contact_at, now) + " ago"))
    contacts = tuple(Item(_contact_line(c)) for c in card.contacts)
    agreements = tuple(_agreement_item(a, today) for a in card.agreements)
    complaints = tuple(
        Item(
            f"{c.text} — {c.severity}, open {fmt.age(c.opened_at, now)}",
            ref=ids.show("complaint", c.id),
            flags=(*(("SLA breached",) if breached(c, now) else ()), *_edited(c)),
            actions=(Action("Resolve", f"resolve {ids.show('complaint', c.id)} "),),
        )
        for c in card.complaints
    )
    deals = tuple(
        Item(
            f"{d.title} — {d.stage} · {fmt.money(d.amount, d.currency)}"
            + (f" · closes {fmt.day(d.close_on, today)}" if d.close_on else "")
            + f" · {int(PROBABILITY[d.stage] * 100)}%",
            ref=ids.show("deal", d.id),
            flags=("close date passed",) if d.close_on and d.close_on < today else (),
        )
        for d in card.deals
    )
    interactions = tuple(
        Item(
            f"{fmt.moment(i.occurred_at, tz, now)} {i.kind}"
            + (f" with {i.contact_name}" if i.contact_name else "")
            + f" ({i.author_name}): {i.text}",
            ref=ids.show("interaction", i.id),
            flags=_edited(i),
        )
        for i in card.interactions
    )
    task = card.next_task
    follow_up = (
        (
            Item(
                f"{fmt.moment(task.due_at, tz, now)} — {task.text} ({task.assignee_name})",
                ref=ids.show("follow-up", task.id),
                flags=(*(("overdue",) if task.due_at < now else ()), *_edited(task)),
                actions=(
                    Action("Done", f"done {ids.show('follow-up', task.id)}"),
                    Action("Snooze", f"snooze {ids.show('follow-up', task.id)} "),
                ),
            ),
        )
        if task
        else ()
    )
    name = fmt.quoted(account.name)
    return Reply(
        title=account.name,
        fields=tuple(fields),
        sections=(
            Section(
                "Contacts",
                contacts,
                empty="No contacts yet.",
                more=card.contact_count - len(contacts),
            ),
            Section("Last agreements", agreements, empty="No agreements recorded."),
            Section(
                "Open complaints",
                complaints,
                empty="No open complaints.",
                more=card.complaint_count - len(complaints),
            ),
            Section(
                f"Open deals ({fmt.money(card.pipeline_value, _currency(card))})",
                deals,
                empty="No open deals.",
                more=card.deal_count - len(deals),
            ),
            Section("Last interactions", interactions, empty="Nothing logged yet."),
            Section("Next follow-up", follow_up, empty="No follow-up planned."),
        ),
        actions=(
            Action("Log", f"log {name} "),
            Action("Agree", f"agree {name} "),
            Action("Complaint", f"complaint {name} "),
            Action("Cover", f"handover {name} to @{work.actor.handle} until "),
            Action("Whole history", f"timeline {name}"),
        ),
    )


def _contact_line(contact: Row[Any]) -> str:
    label = ", ".join(d for d in (contact.role, contact.title) if d)
    extras = "".join(f" · {d}" for d in (contact.email, contact.phone) if d)
    return f"{contact.name} — {label}{extras}" if label else f"{contact.name}{extras}"


def _agreement_item(agreement: Row[Any], today: date) -> Item:
    """An agreement on the card: an open one with its due date (and a Kept button once it
    is overdue), a closed one as kept or broken, with why."""
    shown = ids.show("agreement", agreement.id)
    if agreement.state != "open":
        why = f" — {agreement.reason}" if agreement.reason else ""
        return Item(agreement.text + why, ref=shown, flags=(agreement.state, *_edited(agreement)))
    due = f" — due {fmt.day(agreement.due_on, today)}" if agreement.due_on else ""
    overdue = agreement.due_on is not None and agreement.due_on < today
    return Item(
        agreement.text + due,
        ref=shown,
        flags=(*(("overdue",) if overdue else ()), *_edited(agreement)),
        actions=(Action("Kept", f"kept {shown}"),) if overdue else (),
    )


def _edited(row: Row[Any]) -> tuple[str, ...]:
    """The flag of a record someone corrected with `edit`."""
    return ("edited",) if row.edited_at is not None else ()


def _currency(card: WhoisCard) -> str | None:
    currencies = {d.currency for d in card.deals}
    return currencies.pop() if len(currencies) == 1 else None


def _triage_section(work: Work, text: str) -> Section | None:
    """Unknown senders' e-mail that matches, for those who may see it."""
    messages, total = triage_messages(work, text)
    if not messages:
        return None
    items = tuple(
        Item(
            f"{m.sender_name + ' ' if m.sender_name else ''}<{m.sender}>: {m.subject}"
            f" — {fmt.age(m.received_at, work.now)} ago"
        )
        for m in messages
    )
    return Section("Triage: e-mail from unknown senders", items, more=total - len(items))


def find(work: Work, cmd: Find, *, search: Search) -> Reply:
    if cmd.type == TRIAGE:
        triage = _triage_section(work, cmd.text)
        if triage is None:
            return Reply(title="No e-mail waiting in triage that you can see.", tone=Tone.INFO)
        return Reply(title="E-mail waiting in triage", sections=(triage,))
    owner = need_person(work, cmd.owner).id if cmd.owner else None
    query = Query(
        cmd.text,
        type=cmd.type,
        owner_id=owner,
        tier=cmd.tier,
        status=cmd.status,
        stage=cmd.stage,
        page=cmd.page,
    )
    results = search.find(work, query)
    for account in results.accounts_shown:
        work.audit_read(account, how="find")
    first = cmd.page == 1
    triage = _triage_section(work, cmd.text) if cmd.type is None and first else None
    what = f" for “{cmd.text}”" if cmd.text else ""
    if not results.hits:
        if triage is not None:
            return Reply(title=f"Nothing filed{what}", sections=(triage,))
        if results.total:  # a page past the last
            pages = -(-results.total // query.limit)
            return Reply(
                title=f"{results.total} results{what}: page {cmd.page} is past the last ({pages}).",
                actions=(Action("First page", find_line(cmd, 1)),),
                tone=Tone.INFO,
            )
        return Reply(
            title=f"Nothing found{what}",
            text="Try fewer words, or another spelling." if cmd.text else "",
            tone=Tone.INFO,
        )
    items = tuple(
        Item(
            f"{hit.kind}: {hit.title}" + (f" — {hit.snippet}" if hit.snippet else ""),
            ref=hit.ref,
            actions=(Action("Open", f"whois {fmt.quoted(hit.account_name)}"),),
        )
        for hit in results.hits
    )
    rest = max(results.total - query.offset - len(items), 0)
    pages = -(-results.total // query.limit)
    heading = f"Results · page {cmd.page} of {pages}" if pages > 1 else "Results"
    sections = (Section(heading, items, more=rest),)
    return Reply(
        title=f"{results.total} result{'s' * (results.total != 1)}{what}",
        sections=(*sections, triage) if triage is not None else sections,
        actions=(Action("More", find_line(cmd, cmd.page + 1), style="primary"),) if rest else (),
        notes=results.notes,
    )


def find_line(cmd: Find, page: int) -> str:
    """The find's line at page `page`: what the More button runs."""
    words = ["find", cmd.text] if cmd.text else ["find"]
    for key, value in (
        ("type", cmd.type),
        ("owner", cmd.owner),
        ("tier", cmd.tier),
        ("status", cmd.status),
        ("stage", cmd.stage),
    ):
        if value:
            words.append(f"{key}:{_option_value(value)}")
    if page > 1:
        words.append(f"page:{page}")
    return " ".join(words)


def _option_value(value: str) -> str:
    """An option's value as one word: quoted when it has spaces (`owner:@"Marta Ruiz"`)."""
    if " " not in value:
        return value
    at = "@" if value.startswith("@") else ""
    return f'{at}"{value.removeprefix("@")}"'
