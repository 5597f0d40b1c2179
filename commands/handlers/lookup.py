"""whois and find: the one-glance card and search."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Row

from commands import format as fmt
from commands.handlers.common import need_person
from commands.handlers.people import (
    away_text,
    colleague_reply,
    contact_reply,
    edited,
    interaction_text,
    overdue,
)
from commands.reply import Action, Field, Item, Reply, Section, Tone
from commands.types import Find, Whois
from hub import ids
from hub.cards import WhoisCard, whois_card
from hub.complaints import breached
from hub.i18n import _, money_text, ngettext, pgettext
from hub.lookup import find_account_or_contact
from hub.models import Account, Contact
from hub.money import rates_for, totals_text
from hub.people import find_by_name
from hub.pipeline import PROBABILITY
from hub.segments import country_code, country_name, industry_name, size_band, source_name
from hub.triage import TRIAGE, triage_messages
from hub.value_names import value_text
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
        return _pick_list(
            _("Several matches for “{query}”", query=cmd.query), lookup.accounts, lookup.contacts
        )
    similar = search.accounts_like(work, cmd.query)
    if len(similar) == 1:
        work.audit_read(similar[0], how="whois")
        card = account_card(work, whois_card(work, similar[0]))
        return replace(
            card,
            notes=(_("Showing {name} for “{query}”.", name=similar[0].name, query=cmd.query),),
        )
    if similar:
        return _pick_list(
            _("No exact match for “{query}”; did you mean", query=cmd.query), similar, []
        )
    return Reply(
        title=_("No account or contact called “{query}” that you can see.", query=cmd.query),
        text=_("Check the spelling, or create it with the account command."),
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
        Item(
            a.name,
            actions=(
                Action(
                    pgettext("button", "whois {name}", name=a.name), f"whois {fmt.quoted(a.name)}"
                ),
            ),
        )
        for a in accounts
    ]
    items += [
        Item(
            f"{c.name} ({c.account.name})",
            actions=(
                Action(
                    pgettext("button", "whois {name}", name=c.name),
                    f"whois {c.email or fmt.quoted(c.name)}",
                ),
            ),
        )
        for c in contacts
    ]
    return Reply(
        title=title,
        sections=(Section(_("Which one?"), tuple(items[:8]), more=max(len(items) - 8, 0)),),
    )


def account_card(work: Work, card: WhoisCard) -> Reply:
    account, who = card.account, card.responsibility
    today, tz, now = work.today, work.tz, work.now
    owner = who.owner_name
    if who.handed_until is not None:
        by = who.handed_by_name or who.owner_name
        until = fmt.day(who.handed_until, today)
        owner = (
            _("{name} until {day} (handed over by {by})", name=who.acting_name, day=until, by=by)
            if by == who.owner_name
            else _(
                "{name} until {day} (handed over by {by}; {owner} owns it)",
                name=who.acting_name,
                day=until,
                by=by,
                owner=who.owner_name,
            )
        )
    if who.away_until is not None:
        owner += " — " + away_text(who.away_until, who.cover_name, today)
    fields = [Field(_("Owner"), owner)]
    if who.handed_until is not None and who.handover_note:
        fields.append(Field(_("Handover note"), who.handover_note))
    fields += [
        Field(_("Tier"), account.tier),
        Field(_("Status"), value_text("status", account.status)),
    ]
    if account.visibility != "public":
        team = account.department or _("no team")
        fields.append(
            Field(_("Visibility"), f"{value_text('visibility', account.visibility)} ({team})")
        )
    if account.domain:
        fields.append(Field(_("Domain"), account.domain))
    if card.aliases:
        fields.append(Field(_("Also known as"), ", ".join(card.aliases)))
    segment = _segment_line(account)
    if segment:
        fields.append(Field(_("Segment"), segment))
    if account.last_contact_at:
        fields.append(
            Field(_("Last contact"), _("{age} ago", age=fmt.age(account.last_contact_at, now)))
        )
    contacts = tuple(Item(_contact_line(c)) for c in card.contacts)
    agreements = tuple(_agreement_item(a, today) for a in card.agreements)
    complaints = tuple(
        Item(
            _(
                "{text} — {severity}, open {age}",
                text=c.text,
                severity=value_text("severity", c.severity),
                age=fmt.age(c.opened_at, now),
            ),
            ref=ids.show("complaint", c.id),
            flags=(*((_("SLA breached"),) if breached(c, now) else ()), *_edited(c)),
            actions=(
                Action(pgettext("button", "Resolve"), f"resolve {ids.show('complaint', c.id)} "),
            ),
        )
        for c in card.complaints
    )
    deals = tuple(
        Item(
            f"{d.title} — {value_text('stage', d.stage)} · "
            + fmt.money(d.amount, d.currency or work.settings.currency)
            + (" · " + _("closes {day}", day=fmt.day(d.close_on, today)) if d.close_on else "")
            + f" · {int(PROBABILITY[d.stage] * 100)}%",
            ref=ids.show("deal", d.id),
            flags=(_("close date passed"),) if d.close_on and d.close_on < today else (),
        )
        for d in card.deals
    )
    interactions = tuple(
        Item(
            interaction_text(
                fmt.moment(i.occurred_at, tz, now), i.kind, i.contact_name, i.author_name, i.text
            ),
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
                flags=(*((overdue(),) if task.due_at < now else ()), *_edited(task)),
                actions=(
                    Action(pgettext("button", "Done"), f"done {ids.show('follow-up', task.id)}"),
                    Action(
                        pgettext("button", "Snooze"), f"snooze {ids.show('follow-up', task.id)} "
                    ),
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
                _("Contacts"),
                contacts,
                empty=_("No contacts yet."),
                more=card.contact_count - len(contacts),
            ),
            Section(_("Last agreements"), agreements, empty=_("No agreements recorded.")),
            Section(
                _("Open complaints"),
                complaints,
                empty=_("No open complaints."),
                more=card.complaint_count - len(complaints),
            ),
            Section(
                _(
                    "Open deals ({value})",
                    value=totals_text(
                        card.pipeline_value,
                        rates_for(work.session, work.today, card.pipeline_value),
                    ),
                ),
                deals,
                empty=_("No open deals."),
                more=card.deal_count - len(deals),
            ),
            Section(_("Last interactions"), interactions, empty=_("Nothing logged yet.")),
            Section(_("Next follow-up"), follow_up, empty=_("No follow-up planned.")),
        ),
        actions=(
            Action(pgettext("button", "Log"), f"log {name} "),
            Action(pgettext("button", "Agree"), f"agree {name} "),
            Action(pgettext("button", "Complaint"), f"complaint {name} "),
            Action(pgettext("button", "Cover"), f"handover {name} to @{work.actor.handle} until "),
            Action(pgettext("button", "Segment"), f"account {name} "),
            Action(pgettext("button", "Whole history"), f"timeline {name}"),
        ),
    )


def _segment_line(account: Account) -> str:
    """The account's segmentation in one line, what is known of it: "retail · Madrid,
    Spain · 51-200 employees · €2,000,000 a year · source: referral (Feria 2026)"."""
    place = ", ".join(
        p for p in (account.region, country_name(account.country) if account.country else "") if p
    )
    parts = [account.industry or "", place]
    if account.size_band:
        parts.append(_("{band} employees", band=account.size_band))
    if account.revenue is not None:
        revenue = money_text(account.revenue, account.revenue_currency)
        parts.append(_("{amount} a year", amount=revenue))
    if account.lead_source and account.lead_campaign:
        parts.append(
            _(
                "source: {source} ({campaign})",
                source=account.lead_source,
                campaign=account.lead_campaign,
            )
        )
    elif account.lead_source or account.lead_campaign:
        parts.append(
            _("source: {source}", source=account.lead_source)
            if account.lead_source
            else _("campaign: {campaign}", campaign=account.lead_campaign)
        )
    return " · ".join(p for p in parts if p)


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
        state = value_text("agreement", agreement.state)
        return Item(agreement.text + why, ref=shown, flags=(state, *_edited(agreement)))
    text = (
        _(
            "{text} — due {day}",
            text=agreement.text,
            day=fmt.day(agreement.due_on, today),
        )
        if agreement.due_on
        else agreement.text
    )
    late = agreement.due_on is not None and agreement.due_on < today
    return Item(
        text,
        ref=shown,
        flags=(*((overdue(),) if late else ()), *_edited(agreement)),
        actions=(Action(pgettext("button", "Kept"), f"kept {shown}"),) if late else (),
    )


def _edited(row: Row[Any]) -> tuple[str, ...]:
    """The flag of a record someone corrected with `edit`."""
    return (edited(),) if row.edited_at is not None else ()


def _triage_section(work: Work, text: str) -> Section | None:
    """Unknown senders' e-mail that matches, for those who may see it."""
    messages, total = triage_messages(work, text)
    if not messages:
        return None
    items = tuple(
        Item(
            f"{m.sender_name + ' ' if m.sender_name else ''}<{m.sender}>: {m.subject} — "
            + _("{age} ago", age=fmt.age(m.received_at, work.now))
        )
        for m in messages
    )
    return Section(_("Triage: e-mail from unknown senders"), items, more=total - len(items))


def find(work: Work, cmd: Find, *, search: Search) -> Reply:
    if cmd.type == TRIAGE:
        triage = _triage_section(work, cmd.text)
        if triage is None:
            return Reply(title=_("No e-mail waiting in triage that you can see."), tone=Tone.INFO)
        return Reply(title=_("E-mail waiting in triage"), sections=(triage,))
    owner = need_person(work, cmd.owner).id if cmd.owner else None
    query = Query(
        cmd.text,
        type=cmd.type,
        owner_id=owner,
        tier=cmd.tier,
        status=cmd.status,
        stage=cmd.stage,
        industry=industry_name(cmd.industry),
        country=country_code(cmd.country),
        size=size_band(cmd.size),
        source=source_name(cmd.source),
        page=cmd.page,
    )
    results = search.find(work, query)
    for account in results.accounts_shown:
        work.audit_read(account, how="find")
    first = cmd.page == 1
    triage = _triage_section(work, cmd.text) if cmd.type is None and first else None
    text = cmd.text
    if not results.hits:
        if triage is not None:
            title = _("Nothing filed for “{text}”", text=text) if text else _("Nothing filed")
            return Reply(title=title, sections=(triage,))
        if results.total:  # a page past the last
            pages = -(-results.total // query.limit)
            fields = {"total": results.total, "page": cmd.page, "pages": pages}
            return Reply(
                title=_(
                    "{total} results for “{text}”: page {page} is past the last ({pages}).",
                    text=text,
                    **fields,
                )
                if text
                else _("{total} results: page {page} is past the last ({pages}).", **fields),
                actions=(Action(pgettext("button", "First page"), find_line(cmd, 1)),),
                tone=Tone.INFO,
            )
        return Reply(
            title=_("Nothing found for “{text}”", text=text) if text else _("Nothing found"),
            text=_("Try fewer words, or another spelling.") if text else "",
            tone=Tone.INFO,
        )
    items = tuple(
        Item(
            f"{value_text('record', hit.kind)}: {hit.title}"
            + (f" — {hit.snippet}" if hit.snippet else ""),
            ref=hit.ref,
            actions=(Action(pgettext("button", "Open"), f"whois {fmt.quoted(hit.account_name)}"),),
        )
        for hit in results.hits
    )
    rest = max(results.total - query.offset - len(items), 0)
    pages = -(-results.total // query.limit)
    heading = (
        _("Results · page {page} of {pages}", page=cmd.page, pages=pages)
        if pages > 1
        else _("Results")
    )
    sections = (Section(heading, items, more=rest),)
    title = (
        ngettext("{n} result for “{text}”", "{n} results for “{text}”", results.total, text=text)
        if text
        else ngettext("{n} result", "{n} results", results.total)
    )
    return Reply(
        title=title,
        sections=(*sections, triage) if triage is not None else sections,
        actions=(Action(pgettext("button", "More"), find_line(cmd, cmd.page + 1), style="primary"),)
        if rest
        else (),
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
        ("industry", cmd.industry),
        ("country", cmd.country),
        ("size", cmd.size),
        ("source", cmd.source),
    ):
        if value:
            words.append(f"{key}:{fmt.option_value(value)}")
    if page > 1:
        words.append(f"page:{page}")
    return " ".join(words)
