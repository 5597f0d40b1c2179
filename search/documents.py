"""Hub rows as search documents.

One multi-type index ("records") holds accounts, contacts, interactions, agreements,
complaints and deals. One index because `find` searches them all at once: a single query
ranks every kind together, and one access filter on the shared account fields
(visibility, department, owner, account) keeps counts and paging exact. Every document
repeats its account's name, aliases, domain and access fields, so a record is found by
its account's name and never shown to someone who may not read that account.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from hub.models import Account, Agreement, Complaint, Contact, Deal, Interaction
from hub.outbox import INDEXED
from hub.vocabulary import phone_keys

# `phones`: a contact's number as digits and their tails (hub.vocabulary.phone_keys), so
# that `find +34 600 111 222` and `find 600111222` find "+34 600 111 222".
SEARCHABLE = ["title", "account_name", "aliases", "domain", "email", "text", "phones"]
FILTERABLE = [
    "id",
    "type",
    "owner_id",
    "tier",
    "account_status",
    "account_id",
    "visibility",
    "department",
    "state",  # its own status: an account's, complaint's or agreement's; a deal's stage
    "industry",
    "country",
    "size_band",
    "source",  # a deal's own source; the account's lead source for every other record
]
SYNONYMS = {
    "corp": ["corporation"],
    "corporation": ["corp"],
    "inc": ["incorporated"],
    "incorporated": ["inc"],
    "ltd": ["limited"],
    "limited": ["ltd"],
    "co": ["company"],
    "company": ["co"],
    "sa": ["s a"],
    "s a": ["sa"],
    "sl": ["s l"],
    "s l": ["sl"],
}
SETTINGS: dict[str, Any] = {
    "searchableAttributes": SEARCHABLE,
    "filterableAttributes": FILTERABLE,
    "sortableAttributes": ["at", "title"],  # title: a listing without words is by name
    "synonyms": SYNONYMS,
    # A phone number one digit off is another person's.
    "typoTolerance": {"enabled": True, "disableOnAttributes": ["phones"]},
    "displayedAttributes": ["*"],
}
CHILDREN: tuple[Any, ...] = (Contact, Interaction, Agreement, Complaint, Deal)
KIND_OF = INDEXED  # the outbox's names for the indexed models
MODEL_OF: dict[str, Any] = {kind: model for model, kind in KIND_OF.items()}


def doc_id(kind: str, record_id: int) -> str:
    return f"{kind}-{record_id}"


def _account_fields(account: Account) -> dict[str, Any]:
    return {
        "account_id": account.id,
        "account_name": account.name,
        "aliases": [a.alias for a in account.aliases],
        "domain": account.domain or "",
        "owner_id": account.owner_id,
        "tier": account.tier,
        "account_status": account.status,
        "visibility": account.visibility,
        "department": account.department or "",
        "industry": account.industry or "",
        "country": account.country or "",
        "size_band": account.size_band or "",
        "source": account.lead_source or "",
    }


def document(record: Any, account: Account) -> dict[str, Any]:
    """The search document of a hub row (an account or a record attached to one)."""
    kind = KIND_OF[type(record)]
    doc = {
        "id": doc_id(kind, record.id),
        "type": kind,
        "record_id": record.id,
        **_account_fields(account),
    }
    if isinstance(record, Account):
        doc.update(
            title=record.name, text="", state=record.status, at=int(record.updated_at.timestamp())
        )
    elif isinstance(record, Contact):
        details = " · ".join(d for d in (record.role, record.title, record.phone) if d)
        doc.update(
            title=record.name,
            email=record.email or "",
            phones=phone_keys(record.phone),
            text=details,
            state="",
            at=int(record.updated_at.timestamp()),
        )
    elif isinstance(record, Interaction):
        doc.update(
            title=f"{record.kind} on {account.name}",
            text=record.text,
            state=record.kind,
            at=int(record.occurred_at.timestamp()),
        )
    elif isinstance(record, Agreement):
        doc.update(
            title=f"agreement with {account.name}",
            text=record.text,
            state=record.state,
            at=int(record.created_at.timestamp()),
        )
    elif isinstance(record, Complaint):
        doc.update(
            title=f"{record.severity} complaint",
            text=record.text,
            state=record.status,
            at=int(record.opened_at.timestamp()),
        )
    elif isinstance(record, Deal):
        doc.update(
            title=record.title,
            text=record.lost_reason or "",
            state=record.stage,
            source=record.source or "",
            at=int(record.created_at.timestamp()),
        )
    return doc


def accounts_documents(
    session: Session, ids: Iterable[int]
) -> tuple[list[dict[str, Any]], set[int]]:
    """The accounts `ids` and everything attached to them (what changes when an account
    changes), and the ids that no longer exist.

    One query per kind of record for all the accounts, not one per account: an indexer
    batch touching a hundred accounts must not cost seven hundred round trips.
    """
    wanted = set(ids)
    accounts = _accounts(session, wanted)
    docs = [document(a, a) for a in accounts.values()]
    if accounts:
        for model in CHILDREN:
            for record in session.scalars(select(model).where(model.account_id.in_(accounts))):
                docs.append(document(record, accounts[record.account_id]))
    return docs, wanted - set(accounts)


def _accounts(session: Session, ids: set[int]) -> dict[int, Account]:
    """The accounts `ids` by id, with the aliases their documents carry, in two queries."""
    return {
        a.id: a
        for a in session.scalars(
            select(Account).options(selectinload(Account.aliases)).where(Account.id.in_(ids))
        ).unique()
    }


def all_documents(session: Session, *, batch: int = 2000) -> Iterator[list[dict[str, Any]]]:
    """Every document of the hub, in batches, for a full reindex."""
    accounts: dict[int, Account] = {}
    last = 0
    while True:
        chunk = (
            session.scalars(
                select(Account)
                .options(selectinload(Account.aliases))
                .where(Account.id > last)
                .order_by(Account.id)
                .limit(batch)
            )
            .unique()
            .all()
        )
        if not chunk:
            break
        last = chunk[-1].id
        accounts.update((a.id, a) for a in chunk)
        yield [document(a, a) for a in chunk]
    for model in CHILDREN:
        last = 0
        while True:
            rows = session.scalars(
                select(model).where(model.id > last).order_by(model.id).limit(batch)
            ).all()
            if not rows:
                break
            last = rows[-1].id
            yield [document(r, accounts[r.account_id]) for r in rows if r.account_id in accounts]


def count_records(session: Session) -> int:
    return sum(
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Account, *CHILDREN)
    )


def documents_for(
    session: Session, kind: str, ids: Iterable[int]
) -> tuple[list[dict[str, Any]], set[int]]:
    """Documents of `kind` rows `ids`, and the ids that no longer exist."""
    model: Any = MODEL_OF[kind]
    wanted = set(ids)
    rows = {r.id: r for r in session.scalars(select(model).where(model.id.in_(wanted))).unique()}
    accounts = _accounts(
        session, {r.account_id for r in rows.values() if not isinstance(r, Account)}
    )
    docs = []
    for record in rows.values():
        account = record if isinstance(record, Account) else accounts.get(record.account_id)
        if account is not None:
            docs.append(document(record, account))
    return docs, wanted - set(rows)
