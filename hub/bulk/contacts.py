"""Contacts in bulk: matched by imported id, e-mail, then name at the account."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from hub.bulk.accounts import AccountLink, linked_accounts
from hub.bulk.lookups import in_list, known_refs, readable_only
from hub.bulk.statements import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Writes,
    apply_update,
    changed_fields,
    insert_rows,
    update_by_id,
)
from hub.models import Contact
from hub.text import fold
from hub.work import Work


@dataclass(kw_only=True)
class ContactRow:
    account: AccountLink
    name: str
    email: str | None = None
    phone: str | None = None
    title: str | None = None
    role: str | None = None
    ref: str | None = None


def save_contacts(work: Work, rows: Sequence[ContactRow], *, system: str) -> list[str]:
    """Create or update contacts, matched by imported id, e-mail, then name at the account."""
    _index, accounts = linked_accounts(work, system, [r.account for r in rows])
    refs = known_refs(work, system, "contact", (r.ref for r in rows))
    emails = {r.email for r in rows if r.email}
    name_keys = [fold(r.name) for r in rows]
    pairs = {(a["id"], k) for k, a in zip(name_keys, accounts, strict=True) if isinstance(a, dict)}
    columns = (
        Contact.id,
        Contact.account_id,
        Contact.name,
        Contact.name_key,
        Contact.email,
        Contact.phone,
        Contact.title,
        Contact.role,
    )
    states: dict[int, dict[str, Any]] = {}
    clauses = []
    if refs:
        clauses.append(in_list(work, Contact.id, refs.values()))
    if emails:
        clauses.append(in_list(work, Contact.email, emails))
    if pairs:
        # By name alone (its own index), the pairs picked out below: IN lists on both
        # columns of (account_id, name_key) make PostgreSQL probe every combination.
        clauses.append(in_list(work, Contact.name_key, {k for _, k in pairs}))
    ref_ids = set(refs.values())
    # Contacts of accounts the importer cannot read are never matched: a row with one's
    # e-mail adds a contact of its own, as the console's `contact` does.
    for clause in clauses:
        query = readable_only(work, select(*columns).where(clause), Contact)
        for found in work.session.execute(query).mappings():
            if (
                found["id"] in ref_ids
                or found["email"] in emails
                or ((found["account_id"], found["name_key"]) in pairs)
            ):
                states[found["id"]] = dict(found)
    by_ref = {e: states[i] for e, i in refs.items() if i in states}
    by_email: dict[str, dict[str, Any]] = {}
    by_pair: dict[tuple[int, str], dict[str, Any]] = {}

    def add(state: dict[str, Any]) -> None:
        if state["email"]:
            by_email.setdefault(state["email"], state)
        by_pair.setdefault((state["account_id"], state["name_key"]), state)

    for known in sorted(states.values(), key=lambda s: s["id"]):
        add(known)
    outcomes: list[str] = []
    new: list[dict[str, Any]] = []
    dirty: dict[int, dict[str, Any]] = {}
    changes: dict[int, list[str]] = {}
    new_refs: list[tuple[str, dict[str, Any]]] = []
    for row, name_key, account in zip(rows, name_keys, accounts, strict=True):
        if isinstance(account, str):
            outcomes.append(account)
            continue
        state: dict[str, Any] | None = (
            (by_ref.get(row.ref) if row.ref else None)
            or (by_email.get(row.email) if row.email else None)
            or by_pair.get((account["id"], name_key))
        )
        values = {"email": row.email, "phone": row.phone, "title": row.title, "role": row.role}
        if state is None:
            state = {
                "id": None,
                "account_id": account["id"],
                "name": row.name,
                "name_key": name_key,
                **values,
            }
            new.append(state)
            add(state)
            outcomes.append(CREATED)
        else:
            changed = changed_fields(state, values)
            if not changed:
                outcomes.append(UNCHANGED)
            else:
                apply_update(state, values, changed, dirty, changes)
                add(state)
                outcomes.append(UPDATED)
        if row.ref:
            new_refs.append((row.ref, state))
    writes = Writes()
    ids = insert_rows(
        work,
        Contact,
        [
            {
                "account_id": s["account_id"],
                "name": s["name"],
                "name_key": s["name_key"],
                "role": s["role"],
                "title": s["title"],
                "email": s["email"],
                "phone": s["phone"],
                "created_at": work.now,
                "updated_at": work.now,
            }
            for s in new
        ],
    )
    for state, new_id in zip(new, ids, strict=True):
        state["id"] = new_id
        writes.record(work, "contact", new_id, state["account_id"], CREATED, [])
    if dirty:
        update_by_id(
            work,
            Contact,
            [
                {
                    "id": s["id"],
                    **{f: s[f] for f in ("email", "phone", "title", "role")},
                    "updated_at": work.now,
                }
                for s in dirty.values()
            ],
        )
        for contact_id, state in dirty.items():
            writes.record(
                work, "contact", contact_id, state["account_id"], UPDATED, changes[contact_id]
            )
    writes.remember(system, "contact", new_refs, by_ref)
    writes.flush(work)
    return outcomes
