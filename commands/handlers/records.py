"""Writing to an account: account, contact, log, agree, kept/broken, complaint, resolve."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select

from commands import format as fmt
from commands.handlers.common import ReplyNow, need_account, need_person, question
from commands.reply import Action, Field, Reply, Tone
from commands.types import (
    Agree,
    CloseAgreement,
    Log,
    OpenComplaint,
    Resolve,
    SaveAccount,
    SaveContact,
)
from hub import ids
from hub.accounts import save_account, save_contact
from hub.complaints import SLA, open_complaint, resolve_complaint
from hub.i18n import _, pgettext
from hub.interactions import close_agreement, log_interaction, record_agreement
from hub.lookup import closest_account_names, find_account, longest_account_prefix
from hub.models import Account, Contact, Severity
from hub.text import fold
from hub.value_names import value_text
from hub.work import Work


def account(work: Work, cmd: SaveAccount) -> Reply:
    exact = longest_account_prefix(work, [cmd.name]) == 1  # a visible name or alias
    if cmd.new and exact:
        raise ReplyNow(
            Reply(
                title=_("There is already an account called {name}.", name=cmd.name),
                text=_("To update it, send the line again without new:yes."),
                notes=(_("Nothing was saved."),),
                tone=Tone.WARNING,
            )
        )
    if not exact and not cmd.new:
        _ask_update_or_create(work, cmd)
    owner = need_person(work, cmd.owner) if cmd.owner else None
    saved = save_account(
        work,
        name=cmd.name,
        tier=cmd.tier,
        owner=owner,
        domain=cmd.domain,
        visibility=cmd.visibility,
        status=cmd.status,
        alias=cmd.alias,
        department=cmd.department,
        channel=cmd.channel,
        rename=cmd.rename,
        segments=cmd.segments,
    )
    record = saved.record
    assert isinstance(record, Account)
    name = fmt.quoted(record.name)
    if saved.created:
        others = [n for n in closest_account_names(work, record.name) if fold(n) != record.name_key]
        return Reply(
            title=_("Created account {name}", name=record.name),
            fields=(
                Field(_("Owner"), (owner or work.actor).name),
                Field(_("Tier"), record.tier),
                Field(_("Visibility"), value_text("visibility", record.visibility)),
            ),
            notes=(
                (_("Similar names already exist: {names}.", names=", ".join(others)),)
                if others
                else ()
            ),
            actions=(
                Action(_("Add a contact"), f"contact {name} "),
                Action(pgettext("button", "Log"), f"log {name} "),
            ),
            tone=Tone.SUCCESS,
        )
    if not saved.changed:
        return Reply(title=_("{name} already looks like that; nothing changed.", name=record.name))
    return Reply(
        title=_("Updated {name}", name=record.name),
        text="; ".join(saved.changed),
        tone=Tone.SUCCESS,
    )


def _ask_update_or_create(work: Work, cmd: SaveAccount) -> None:
    """A name that is no account's but partly matches some the person sees ("tyrell" for
    Tyrell Systems) asks which they meant: update one of them, or create a new one."""
    lookup = find_account(work, cmd.name)
    # Look-alikes that differ in a number ("Soak 1-1", "Soak 1-0") are other accounts
    # of a numbered series, not a typo of this one.
    numbers = re.findall(r"\d+", fold(cmd.name))
    alike = [n for n in lookup.suggestions if re.findall(r"\d+", fold(n)) == numbers]
    names = [a.name for a in lookup.accounts][:MAX_UPDATE_CHOICES] or alike
    if not names:
        return
    if len(names) == 1:
        title = _("Update {name}, or create an account called {new}?", name=names[0], new=cmd.name)
    else:
        title = _(
            "“{new}” is close to {count} accounts: update one, or create an account called {new}?",
            new=cmd.name,
            count=len(names),
        )
    choices = tuple(
        Action(_("Update {name}", name=name), _account_line(cmd, name)) for name in names
    )
    create_line = _account_line(cmd, cmd.name) + " new:yes"
    create = Action(_("Create an account called {name}", name=cmd.name), create_line)
    raise ReplyNow(question(title, (*choices, create)))


MAX_UPDATE_CHOICES = 8


def _account_line(cmd: SaveAccount, name: str) -> str:
    """`account <name> …` with the options typed (or given in a form), as a line."""
    if cmd.around is not None:
        before, after = cmd.around
        return f"{before}{fmt.quoted(name)}{after}".strip()
    seg = cmd.segments
    options = {
        "tier": cmd.tier,
        "owner": cmd.owner,
        "domain": cmd.domain,
        "visibility": cmd.visibility,
        "status": cmd.status,
        "alias": cmd.alias,
        "team": cmd.department,
        "channel": cmd.channel,
        "rename": cmd.rename,
        "industry": seg.industry,
        "country": seg.country,
        "region": seg.region,
        "size": seg.size,
        "revenue": f"{seg.revenue} {seg.revenue_currency or ''}".strip() if seg.revenue else None,
        "source": seg.source,
        "campaign": seg.campaign,
    }
    shown = [f"{key}:{fmt.quoted(value)}" for key, value in options.items() if value]
    return " ".join(["account", fmt.quoted(name), *shown])


def contact(work: Work, cmd: SaveContact) -> Reply:
    target = need_account(work, cmd.account, verb="contact")
    saved = save_contact(
        work,
        target,
        name=cmd.name,
        role=cmd.role,
        title=cmd.title,
        email=cmd.email,
        phone=cmd.phone,
    )
    person = saved.record
    assert isinstance(person, Contact)
    if saved.created:
        title = (
            _(
                "Added {name} ({role}) to {account}",
                name=person.name,
                role=person.role,
                account=target.name,
            )
            if person.role
            else _("Added {name} to {account}", name=person.name, account=target.name)
        )
        return Reply(title=title, tone=Tone.SUCCESS)
    if not saved.changed:
        return Reply(
            title=_(
                "{name} at {account} already looks like that.",
                name=person.name,
                account=target.name,
            )
        )
    return Reply(
        title=_("Updated {name} at {account}", name=person.name, account=target.name),
        text="; ".join(saved.changed),
        tone=Tone.SUCCESS,
    )


def log(work: Work, cmd: Log) -> Reply:
    target = need_account(work, cmd.account, verb="log")
    text, with_contact, notes = cmd.text, None, []
    if cmd.with_contact:
        with_contact = _contact_named(work, target, cmd.with_contact)
        if with_contact is not None and cmd.text_without_contact:
            text = cmd.text_without_contact
        elif with_contact is None:
            notes.append(
                _(
                    "{account} has no contact called “{contact}”, so it stays in the text.",
                    account=target.name,
                    contact=cmd.with_contact,
                )
            )
    interaction = log_interaction(
        work, target, kind=cmd.kind, text=text, contact=with_contact, occurred_at=cmd.occurred_at
    )
    ref, kind = ids.show("interaction", interaction.id), value_text("interaction", interaction.kind)
    title = (
        _(
            "Logged {kind} {ref} with {contact} on {account}",
            kind=kind,
            ref=ref,
            contact=with_contact.name,
            account=target.name,
        )
        if with_contact
        else _("Logged {kind} {ref} on {account}", kind=kind, ref=ref, account=target.name)
    )
    return Reply(
        title=title,
        text=interaction.text,
        fields=_when(work, cmd.occurred_at),
        notes=tuple(notes),
        actions=(
            Action(_("Add a follow-up"), f"remind tomorrow about {fmt.quoted(target.name)} "),
        ),
        tone=Tone.SUCCESS,
        channel=target.channel,
    )


def _when(work: Work, at: datetime | None, label: str | None = None) -> tuple[Field, ...]:
    """The moment a record was dated back to, when it was (ayer, el lunes 16:00)."""
    if at is None:
        return ()
    return (Field(label or _("When"), fmt.moment(at, work.tz, work.now)),)


def _contact_named(work: Work, account: Account, name: str) -> Contact | None:
    key, lowered = fold(name), name.strip().lower()
    contacts = work.session.scalars(
        select(Contact)
        .where(Contact.account_id == account.id)
        .where(
            (Contact.name_key == key)
            | (Contact.email == lowered)
            | Contact.name_key.startswith(key + " ", autoescape=True)
        )
        .limit(2)
    ).all()
    return contacts[0] if len(contacts) == 1 else None


def agree(work: Work, cmd: Agree) -> Reply:
    target = need_account(work, cmd.account, verb="agree")
    agreement = record_agreement(
        work, target, text=cmd.text, due_on=cmd.due, agreed_at=cmd.agreed_at
    )
    ref = ids.show("agreement", agreement.id)
    title = (
        _(
            "Agreement {ref} recorded on {account}, due {day}",
            ref=ref,
            account=target.name,
            day=fmt.day(agreement.due_on, work.today),
        )
        if agreement.due_on
        else _("Agreement {ref} recorded on {account}", ref=ref, account=target.name)
    )
    notes: tuple[str, ...] = ()
    if cmd.unread_due:
        notes = (
            _(
                "I couldn't read “{words}” as a date, so no due date was set; "
                "the words stay in the text.",
                words=cmd.unread_due,
            ),
        )
    return Reply(
        title=title,
        text=agreement.text,
        fields=_when(work, cmd.agreed_at, _("Agreed")),
        notes=notes,
        tone=Tone.SUCCESS if not notes else Tone.WARNING,
        channel=target.channel,
    )


def close(work: Work, cmd: CloseAgreement) -> Reply:
    closed, target = close_agreement(work, cmd.id, state=cmd.state, reason=cmd.reason)
    fields: list[Field] = []
    if closed.due_on:
        fields.append(Field(_("Was due"), fmt.day(closed.due_on, work.today)))
    if closed.reason:
        fields.append(Field(_("Why"), closed.reason))
    ref = ids.show("agreement", closed.id)
    titles = {
        "kept": _("Agreement {ref} on {account} kept", ref=ref, account=target.name),
        "broken": _("Agreement {ref} on {account} broken", ref=ref, account=target.name),
    }
    return Reply(
        title=titles.get(closed.state, f"Agreement {ref} on {target.name} {closed.state}"),
        text=closed.text,
        fields=tuple(fields),
        tone=Tone.SUCCESS,
        channel=target.channel,
    )


def complaint(work: Work, cmd: OpenComplaint) -> Reply:
    target = need_account(work, cmd.account, verb="complaint")
    opened = open_complaint(
        work, target, text=cmd.text, severity=cmd.severity, opened_at=cmd.opened_at
    )
    sla = SLA[Severity(opened.severity)]
    shown = ids.show("complaint", opened.id)
    return Reply(
        title=_(
            "Complaint {ref} opened on {account} ({severity})",
            ref=shown,
            account=target.name,
            severity=value_text("severity", opened.severity),
        ),
        text=opened.text,
        fields=(
            *_when(work, cmd.opened_at, _("Opened")),
            Field(_("Resolve by"), fmt.moment(opened.sla_due_at, work.tz, work.now)),
            Field(_("SLA"), _("{n} h", n=int(sla.total_seconds() // 3600))),
        ),
        actions=(Action(pgettext("button", "Resolve"), f"resolve {shown} "),),
        tone=Tone.SUCCESS,
        channel=target.channel,
    )


def resolve(work: Work, cmd: Resolve) -> Reply:
    closed, target = resolve_complaint(work, cmd.id, note=cmd.note)
    took = fmt.age(closed.opened_at, work.now)
    within = closed.resolved_at is not None and closed.resolved_at <= closed.sla_due_at
    text = (
        _("Open for {took}, within its SLA.", took=took)
        if within
        else _("Open for {took}, after its SLA.", took=took)
    )
    if closed.resolution:
        text += " " + _("Note: {note}", note=closed.resolution)
    return Reply(
        title=_(
            "Complaint {ref} on {account} resolved",
            ref=ids.show("complaint", closed.id),
            account=target.name,
        ),
        text=text,
        tone=Tone.SUCCESS,
        channel=target.channel,
    )
