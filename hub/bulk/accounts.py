"""Accounts in bulk: matched by imported id, domain, then name or alias, and written under
the rules of `save_account` (`hub.account_rules`); and how child rows find their account.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from hub.account_rules import (
    NEW_ACCOUNT,
    SEGMENT_COLUMNS,
    SETTABLE,
    Segments,
    account_values,
    managed_refusal,
    name_taken,
)
from hub.bulk.lookups import People, in_list, known_refs
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
from hub.models import Account, AccountAlias, Visibility
from hub.text import fold
from hub.vocabulary import normalise_domain
from hub.work import Work


@dataclass(kw_only=True)
class AccountRow:
    name: str
    domain: str | None = None
    tier: str | None = None
    status: str | None = None
    visibility: str | None = None
    department: str | None = None
    channel: str | None = None
    owner: str | None = None
    ref: str | None = None
    segments: Segments | None = None


@dataclass(kw_only=True)
class AccountLink:
    """How a child row names its account: an imported id, a domain or a name."""

    ref: str | None = None
    domain: str | None = None
    name: str | None = None


ACCOUNT_COLUMNS = (
    Account.id,
    Account.name,
    Account.name_key,
    Account.domain,
    Account.tier,
    Account.status,
    Account.visibility,
    Account.department,
    Account.channel,
    Account.owner_id,
    *(getattr(Account, column) for column in SEGMENT_COLUMNS),
)


def _account_states(work: Work, ids: set[int], domains: set[str], keys: set[str]) -> list[Any]:
    clauses = []
    if ids:
        clauses.append(in_list(work, Account.id, ids))
    if domains:
        clauses.append(in_list(work, Account.domain, domains))
    if keys:
        clauses.append(in_list(work, Account.name_key, keys))
        clauses.append(
            Account.id.in_(
                select(AccountAlias.account_id).where(in_list(work, AccountAlias.alias_key, keys))
            )
        )
    rows: dict[int, Any] = {}
    for clause in clauses:
        for row in work.session.execute(select(*ACCOUNT_COLUMNS).where(clause)).mappings():
            rows[row["id"]] = row
    return list(rows.values())


class _AccountIndex:
    """The accounts of a batch the importer may read, by imported id, domain and name,
    existing or about to be.

    Accounts they cannot read are left out, so a row keyed like one (its domain, its
    name in a child row's account column) reads exactly like a row keyed like nothing.
    Only their names and aliases are kept, in `taken`: a name is unique in the hub, so a
    new account cannot have it, and the import refuses it as the console does.
    """

    def __init__(self, work: Work, system: str, links: Sequence[AccountLink | AccountRow]):
        refs = known_refs(work, system, "account", (link.ref for link in links))
        self.by_ref: dict[str, dict[str, Any]] = {}
        self.by_domain: dict[str, dict[str, Any]] = {}
        self.by_key: dict[str, dict[str, Any]] = {}
        self.taken: set[str] = set()
        domains = {d for d in (normalise_domain(link.domain) for link in links) if d}
        keys = {fold(link.name) for link in links if link.name}
        by_id: dict[int, dict[str, Any]] = {}
        states = _account_states(work, set(refs.values()), domains, keys)
        for row in sorted(states, key=lambda s: s["id"]):  # the oldest of a domain wins
            state = dict(row)
            if _readable(work, state):
                by_id[state["id"]] = state
                self.add(state)
            else:
                self.taken.add(state["name_key"])
        aliases = work.session.execute(
            select(AccountAlias.alias_key, AccountAlias.account_id).where(
                in_list(work, AccountAlias.alias_key, keys)
            )
        )
        for alias_key, account_id in aliases:
            if account_id in by_id:
                self.by_key.setdefault(alias_key, by_id[account_id])
            else:
                self.taken.add(alias_key)
        for external, entity_id in refs.items():
            if entity_id in by_id:
                self.by_ref[external] = by_id[entity_id]

    def add(self, state: dict[str, Any]) -> None:
        if state.get("domain"):
            self.by_domain.setdefault(state["domain"], state)
        self.by_key.setdefault(state["name_key"], state)

    def match(self, link: AccountLink | AccountRow) -> dict[str, Any] | None:
        domain = normalise_domain(link.domain)
        return (
            (self.by_ref.get(link.ref) if link.ref else None)
            or (self.by_domain.get(domain) if domain else None)
            or (self.by_key.get(fold(link.name)) if link.name else None)
        )


def _readable(work: Work, state: dict[str, Any]) -> bool:
    # Most accounts are public: no stand-in object for them (a batch holds thousands).
    return state["visibility"] == Visibility.PUBLIC or work.scope.can_read(_account(state))


def _account(state: dict[str, Any]) -> Account:
    """A stand-in for the account whose columns `state` holds, for the access rules (not
    added to the session)."""
    return Account(
        id=state["id"],
        name=state["name"],
        owner_id=state["owner_id"],
        visibility=state["visibility"],
        department=state["department"],
        channel=state["channel"],
    )


def save_accounts(work: Work, rows: Sequence[AccountRow], *, system: str) -> list[str]:
    """Create or update accounts, matched by imported id, domain, then name or alias."""
    index = _AccountIndex(work, system, rows)
    people = People(work)
    outcomes: list[str] = []
    new: list[dict[str, Any]] = []
    dirty: dict[int, dict[str, Any]] = {}
    changes: dict[int, list[str]] = {}
    new_refs: list[tuple[str, dict[str, Any]]] = []
    for row in rows:
        owner = people.find(row.owner)
        if row.owner and owner is None:
            outcomes.append(f"owner “{row.owner}” is not a team member")
            continue
        values = account_values(
            owner_id=owner.id if owner else None,
            tier=row.tier,
            status=row.status,
            visibility=row.visibility,
            department=row.department,
            domain=row.domain,
            channel=row.channel,
            segments=row.segments,
        )
        state = index.match(row)
        if state is None and fold(row.name) in index.taken:
            outcomes.append(name_taken(row.name))
            continue
        if state is None:
            owner = owner or work.actor
            state = {
                "id": None,
                "name": row.name,
                "name_key": fold(row.name),
                "domain": values["domain"],
                **{f: values[f] or default for f, default in NEW_ACCOUNT.items()},
                "department": values["department"] or owner.department,
                "channel": values["channel"],
                "owner_id": owner.id,
                **{column: values[column] for column in SEGMENT_COLUMNS},
            }
            new.append(state)
            index.add(state)
            outcomes.append(CREATED)
        else:
            refused = state["id"] is not None and managed_refusal(work, _account(state), values)
            if refused:
                outcomes.append(refused)
                continue
            changed = changed_fields(state, values)
            if not changed:
                outcomes.append(UNCHANGED)
            else:
                apply_update(state, values, changed, dirty, changes)
                outcomes.append(UPDATED)
        if row.ref:
            new_refs.append((row.ref, state))
    writes = Writes()
    fields = (
        "name",
        "name_key",
        "domain",
        "tier",
        "status",
        "visibility",
        "department",
        "channel",
        *SEGMENT_COLUMNS,
    )
    ids = insert_rows(
        work,
        Account,
        [
            {
                **{f: s[f] for f in fields},
                "owner_id": s["owner_id"],
                "created_at": work.now,
                "updated_at": work.now,
                "version": 1,
            }
            for s in new
        ],
    )
    for state, new_id in zip(new, ids, strict=True):
        state["id"] = new_id
        writes.record(work, "account", new_id, new_id, CREATED, ["created"])
    if dirty:
        update_by_id(
            work,
            Account,
            [
                {
                    "id": s["id"],
                    **{f: s[f] for f in SETTABLE},
                    "updated_at": work.now,
                }
                for s in dirty.values()
            ],
        )
        for account_id in dirty:
            writes.record(work, "account", account_id, account_id, UPDATED, changes[account_id])
    writes.remember(system, "account", new_refs, index.by_ref)
    writes.flush(work)
    return outcomes


def linked_accounts(
    work: Work, system: str, links: Sequence[AccountLink]
) -> tuple[_AccountIndex, list[dict[str, Any] | str]]:
    """Each link's account state, or why it cannot be used."""
    index = _AccountIndex(work, system, links)
    found: list[dict[str, Any] | str] = []
    for link in links:
        state = index.match(link)
        named = link.name or link.domain or link.ref or "(none)"
        if state is None:
            found.append(f"no account “{named}” that you can see")
        else:
            found.append(state)
    return index, found
