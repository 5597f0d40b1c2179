"""Where traffic from outside lands: a web lead or an inbound e-mail matched to an account
by facts the hub keeps, never by what the sender or a colleague typed.

A sender proves nothing: not the company they name, not the website they give, and a
contact anyone can add elsewhere proves nothing either. So an address belongs to:

1. a contact with that address on the account whose domain is the address's domain
   (the oldest such contact), else
2. the contact with that address, when every contact with it is on one account (the
   oldest); an address that contacts on several accounts share, none of them by domain,
   belongs to nobody (an e-mail from it waits in triage, where a manager files it).

Failing a contact, a lead goes to the oldest account whose domain is the address's
domain, and failing that it makes a new account. What arrives never changes an existing
account or contact: no owner, status, domain, visibility, name, phone or title.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from hub.models import Account, AccountAlias, Contact
from hub.text import fold
from hub.vocabulary import MAX_NAME, email_domain, fitting, normalise_email

# Addresses at these domains say nothing about the sender's company.
FREE_MAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "yahoo.com",
        "yahoo.es",
        "icloud.com",
        "me.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "aol.com",
    }
)


def company_domain(address: str) -> str | None:
    """The company domain an address speaks for: its domain, unless a free-mail one."""
    domain = email_domain(address)
    return None if not domain or domain in FREE_MAIL else domain


def contact_for_address(session: Session, address: str) -> Contact | None:
    """The contact an incoming address belongs to (the module's rules 1 and 2)."""
    contacts = session.execute(
        select(Contact, Account.domain)
        .join(Account, Account.id == Contact.account_id)
        .where(Contact.email == normalise_email(address))
        .order_by(Contact.id)
    ).all()
    domain = company_domain(address)
    on_domain = [contact for contact, account_domain in contacts if account_domain == domain]
    if domain is not None and on_domain:
        return on_domain[0]
    if len({contact.account_id for contact, _domain in contacts}) == 1:
        return contacts[0][0]
    return None


def account_for_domain(session: Session, domain: str) -> Account | None:
    """The oldest account whose domain this is."""
    return session.scalars(
        select(Account).where(Account.domain == domain).order_by(Account.id).limit(1)
    ).first()


def unused_account_name(session: Session, wanted: str, qualifier: str) -> str:
    """`wanted`, or `wanted (qualifier)`, `wanted (qualifier) 2`, ...: the first that no
    account has as its name or alias, so a name from outside never lands on an existing
    account (naming an account updates the one that has the name)."""
    wanted = fitting(wanted, MAX_NAME // 2)
    if not fold(wanted):
        wanted = qualifier
    candidates = [wanted, f"{wanted} ({qualifier[: MAX_NAME // 2 - 8]})"]
    for candidate in candidates:
        if not _taken(session, candidate):
            return candidate
    number = 2
    while _taken(session, f"{candidates[-1]} {number}"):
        number += 1
    return f"{candidates[-1]} {number}"


def _taken(session: Session, name: str) -> bool:
    key = fold(name)
    return bool(
        session.scalar(
            select(
                exists().where(Account.name_key == key)
                | exists().where(AccountAlias.alias_key == key)
            )
        )
    )
