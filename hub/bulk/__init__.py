"""Bulk create-or-update for imports: the rules of `save_account`/`save_contact`, per batch.

An import of 400,000 rows cannot afford one ORM round trip per row, so each batch looks up
every existing key in a few queries (`lookups`), then inserts and updates with one
statement per table (`statements`), writing the audit and search outbox rows the ORM
listeners would have written. One module a kind of record: `accounts`, `contacts`,
`deals`, and `timeline` (interactions, agreements, complaints).

Each saver takes rows already checked for shape (the importer's job) and returns the
outcome of each row, in order: "created", "updated", "unchanged", or a reason it was
rejected. The caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from hub.bulk.accounts import AccountLink, AccountRow, save_accounts
from hub.bulk.contacts import ContactRow, save_contacts
from hub.bulk.deals import DealRow, save_deals
from hub.bulk.lookups import in_list
from hub.bulk.statements import CREATED, UNCHANGED, UPDATED, insert_rows
from hub.bulk.timeline import (
    AgreementRow,
    ComplaintRow,
    InteractionRow,
    log_interactions,
    save_agreements,
    save_complaints,
)

# The saver of each kind of record an import can hold.
SAVERS: dict[str, Callable[..., list[str]]] = {
    "accounts": save_accounts,
    "contacts": save_contacts,
    "deals": save_deals,
    "interactions": log_interactions,
    "agreements": save_agreements,
    "complaints": save_complaints,
}

__all__ = [
    "CREATED",
    "SAVERS",
    "UNCHANGED",
    "UPDATED",
    "AccountLink",
    "AccountRow",
    "AgreementRow",
    "ComplaintRow",
    "ContactRow",
    "DealRow",
    "InteractionRow",
    "in_list",
    "insert_rows",
    "log_interactions",
    "save_accounts",
    "save_agreements",
    "save_complaints",
    "save_contacts",
    "save_deals",
]
