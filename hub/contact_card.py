"""The contact card (`whois "María López"`): the person at the customer, the accounts
they are a contact of (those the reader may read) with who answers for each, and their
own timeline: the interactions with them, and the agreements and complaints of their
accounts that mention them by name.

A contact is one row per account; the same person at several accounts is known by their
e-mail address, so a contact with an address brings every readable contact row that
has it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, Select, String, cast, func, literal, null, select, union_all
from sqlalchemy.orm import aliased

from hub.coverage import Responsibility, responsibility
from hub.models import Account, Agreement, Complaint, Contact, Interaction, Person
from hub.work import Work

ACCOUNTS_SHOWN = 5
TIMELINE_SHOWN = 8


@dataclass(frozen=True)
class ContactCard:
    contact: Contact
    # the accounts they are a contact of, with who answers for each, and the total
    accounts: list[tuple[Account, Responsibility]]
    account_count: int
    # (kind, id, at, text, detail, author_name, account_name, edited_at, total), newest first
    timeline: Sequence[Any]
    timeline_count: int


def contact_card(work: Work, contact: Contact) -> ContactCard:
    readable = work.scope.readable()
    same_person = Contact.email == contact.email if contact.email else Contact.id == contact.id
    rows = work.session.execute(
        select(Contact, func.count().over())
        .join(Account, Account.id == Contact.account_id)
        .where(same_person, readable)
        .order_by(Contact.id != contact.id, Account.name_key)
        .limit(ACCOUNTS_SHOWN)
    ).all()
    contacts = [c for c, _ in rows] or [contact]
    accounts = [(c.account, responsibility(work, c.account, work.today)) for c in contacts]
    timeline = work.session.execute(
        _timeline(
            [c.id for c in contacts], [c.account_id for c in contacts], contact.name, readable
        )
    ).all()
    return ContactCard(
        contact=contact,
        accounts=accounts,
        account_count=rows[0][1] if rows else 1,
        timeline=timeline,
        timeline_count=timeline[0].total if timeline else 0,
    )


def _timeline(
    contact_ids: list[int], account_ids: list[int], name: str, readable: Any
) -> Select[Any]:
    """Interactions with the contact, and agreements and complaints of their accounts
    whose text names them (their full name, case aside), newest first, with the total."""
    author = aliased(Person)
    named = f"%{name.lower().replace('%', '').replace('_', '')}%"
    interactions = (
        select(
            literal("interaction", String).label("kind"),
            Interaction.id,
            Interaction.occurred_at.label("at"),
            Interaction.text,
            Interaction.kind.label("detail"),
            author.name.label("author_name"),
            Account.name.label("account_name"),
            Interaction.edited_at,
            cast(null(), Date).label("due_on"),
        )
        .join(author, author.id == Interaction.author_id)
        .join(Account, Account.id == Interaction.account_id)
        .where(Interaction.contact_id.in_(contact_ids), readable)
    )
    agreements = (
        select(
            literal("agreement", String),
            Agreement.id,
            Agreement.created_at,
            Agreement.text,
            Agreement.state,
            author.name,
            Account.name,
            Agreement.edited_at,
            Agreement.due_on,
        )
        .join(author, author.id == Agreement.author_id)
        .join(Account, Account.id == Agreement.account_id)
        .where(
            Agreement.account_id.in_(account_ids),
            readable,
            func.lower(Agreement.text).like(named),
        )
    )
    complaints = (
        select(
            literal("complaint", String),
            Complaint.id,
            Complaint.opened_at,
            Complaint.text,
            Complaint.severity + literal(", ", String) + Complaint.status,
            author.name,
            Account.name,
            Complaint.edited_at,
            cast(null(), Date),
        )
        .join(author, author.id == Complaint.author_id)
        .join(Account, Account.id == Complaint.account_id)
        .where(
            Complaint.account_id.in_(account_ids),
            readable,
            func.lower(Complaint.text).like(named),
        )
    )
    every = union_all(interactions, agreements, complaints).subquery()
    return (
        select(every, func.count().over().label("total"))
        .order_by(every.c.at.desc(), every.c.id.desc())
        .limit(TIMELINE_SHOWN)
    )
