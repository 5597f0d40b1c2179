"""Bulk create-or-update for imports: the rules of `save_account`/`save_contact`, per batch.

An import of 400,000 rows cannot afford one ORM round trip per row, so each batch looks up
every existing key in a few queries, then inserts and updates with one statement per
table. What the ORM listeners would have written for single records is written here
explicitly: an audit row for every record created or changed, and a search outbox row
for each. Imports do not raise webhook events: they are history, not news.

Each function takes rows already checked for shape (the importer's job) and returns the
outcome of each row, in order: "created", "updated", "unchanged", or a reason it was
rejected. The caller owns the transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVarTuple

from sqlalchemy import JSON, Select, Table, any_, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY

from hub.account_rules import (
    NEW_ACCOUNT,
    SETTABLE,
    account_values,
    managed_refusal,
    name_taken,
)
from hub.models import (
    Account,
    AccountAlias,
    Agreement,
    AuditEvent,
    Complaint,
    Contact,
    Deal,
    DealStageChange,
    ExternalRef,
    Interaction,
    Person,
    SearchOutbox,
    Stage,
    UTCDateTime,
    Visibility,
)
from hub.text import fold
from hub.vocabulary import normalise_domain
from hub.work import Work

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
Row = TypeVarTuple("Row")
# The record a source id of each kind names.
REF_MODELS: dict[str, Any] = {
    "account": Account,
    "contact": Contact,
    "deal": Deal,
    "interaction": Interaction,
    "agreement": Agreement,
    "complaint": Complaint,
}


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


@dataclass(kw_only=True)
class AccountLink:
    """How a child row names its account: an imported id, a domain or a name."""

    ref: str | None = None
    domain: str | None = None
    name: str | None = None


@dataclass(kw_only=True)
class ContactRow:
    account: AccountLink
    name: str
    email: str | None = None
    phone: str | None = None
    title: str | None = None
    role: str | None = None
    ref: str | None = None


@dataclass(kw_only=True)
class DealRow:
    account: AccountLink
    title: str
    amount: Decimal | None = None
    currency: str | None = None
    stage: str | None = None
    close_on: Any = None
    ref: str | None = None


@dataclass(kw_only=True)
class InteractionRow:
    account: AccountLink
    kind: str
    text: str
    occurred_at: datetime
    contact_email: str | None = None
    author: str | None = None
    ref: str | None = None


@dataclass
class Writes:
    """What a batch will write, gathered before any statement runs."""

    audits: list[dict[str, Any]] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    refs: list[dict[str, Any]] = field(default_factory=list)

    def record(
        self, work: Work, entity: str, entity_id: int, account_id: int, how: str, changed: list[str]
    ) -> None:
        self.audits.append(
            {
                "at": work.now,
                "actor_id": work.actor.id,
                "action": f"{entity}.{'create' if how == CREATED else 'update'}",
                "entity": entity,
                "entity_id": entity_id,
                "account_id": account_id,
                "detail": {"changed": changed, "via": "import"},
            }
        )
        self.outbox.append(
            {"entity": entity, "entity_id": entity_id, "op": "upsert", "created_at": work.now}
        )

    def flush(self, work: Work) -> None:
        insert_rows(work, AuditEvent.__table__, self.audits)
        insert_rows(work, SearchOutbox.__table__, self.outbox)
        insert_rows(work, ExternalRef, self.refs)


def insert_rows(work: Work, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` into `table` in one go; returns their new ids in order.

    On PostgreSQL the ids come from the table's sequence and the rows go in with COPY,
    several times faster than INSERT for large batches; elsewhere an executemany INSERT
    with RETURNING.
    """
    if not rows:
        return []
    table = table if isinstance(table, Table) else table.__table__
    session = work.session
    if session.get_bind().dialect.name != "postgresql":
        if "id" in table.c:
            result = session.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
            )
            return [r[0] for r in result]
        session.execute(insert(table), rows)
        return []
    ids: list[int] = session.scalar(
        select(
            func.array_agg(func.nextval(func.pg_get_serial_sequence(table.name, "id")))
        ).select_from(func.generate_series(1, len(rows)))
    )
    defaults = {
        c.name: c.default.arg
        for c in table.c
        if c.name not in rows[0] and c.default is not None and c.default.is_scalar
    }
    if defaults:
        rows = [{**defaults, **row} for row in rows]
    columns = list(rows[0])
    # COPY bypasses the column types: store naive UTC times and JSON text like they do.
    converted = [c for c in columns if isinstance(table.c[c].type, UTCDateTime | JSON)]
    raw: Any = session.connection().connection.driver_connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table.name} (id, {', '.join(columns)}) FROM STDIN") as copy,
    ):
        seen: dict[int, Any] = {}  # a batch repeats one `now` thousands of times
        for new_id, row in zip(ids, rows, strict=True):
            if converted:
                row = dict(row)
                for c in converted:
                    value = row[c]
                    if id(value) not in seen:
                        seen[id(value)] = (value, _copy_value(value))
                    row[c] = seen[id(value)][1]
            copy.write_row([new_id, *(row[c] for c in columns)])
    return ids


def update_by_id(work: Work, model: Any, rows: list[dict[str, Any]]) -> None:
    """One executemany UPDATE by primary key; versioned tables get their version bumped."""
    table = model.__table__
    columns = [c for c in rows[0] if c != "id"]
    values: dict[str, Any] = {c: bindparam(f"v_{c}", type_=table.c[c].type) for c in columns}
    if "version" in table.c:
        values["version"] = table.c.version + 1
    statement = update(table).where(table.c.id == bindparam("v_id")).values(values)
    work.session.execute(statement, [{f"v_{k}": v for k, v in row.items()} for row in rows])


def _copy_value(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


class People:
    """Team members named in a file (by e-mail, name or handle), looked up once each."""

    def __init__(self, work: Work) -> None:
        self.work = work
        self.cache: dict[str, Person | None] = {}

    def find(self, text: str | None) -> Person | None:
        if not text:
            return None
        key = text.strip().lower()
        if key not in self.cache:
            clause = (
                Person.email == key
                if "@" in key
                else (Person.name_key == fold(text)) | (Person.handle == key.lstrip("@"))
            )
            self.cache[key] = self.work.session.scalars(select(Person).where(clause)).first()
        return self.cache[key]


def in_list(work: Work, column: Any, values: Iterable[Any]) -> Any:
    """`column IN values`; on PostgreSQL `= ANY(array)`, one bound array instead of
    thousands of parameters to render and parse for every batch."""
    values = list(values)
    if work.session.get_bind().dialect.name != "postgresql":
        return column.in_(values)
    return column == any_(bindparam(None, values, type_=ARRAY(column.type)))


def known_refs(work: Work, system: str, kind: str, ids: Iterable[str | None]) -> dict[str, int]:
    """The record each source id names, among the records the importer may read.

    An id held only by records on accounts the importer cannot read is unknown to them, as
    if nobody had used it: their file creates a record of its own under it, and the id is
    remembered for that record too (`ExternalRef` is not unique). Changing the hidden
    record would be a write they may not make, and rejecting the row would tell them that
    the id is taken. Where someone can read several records under one id, the one that got
    it first is matched.
    """
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    model = REF_MODELS[kind]
    query = (
        select(ExternalRef.external_id, ExternalRef.entity_id)
        .join(model, model.id == ExternalRef.entity_id)
        .where(
            ExternalRef.system == system,
            ExternalRef.kind == kind,
            in_list(work, ExternalRef.external_id, wanted),
        )
        .order_by(ExternalRef.id)
    )
    found: dict[str, int] = {}
    for external, entity in work.session.execute(readable_only(work, query, model)):
        found.setdefault(external, entity)
    return found


def readable_only(work: Work, query: Select[*Row], model: Any) -> Select[*Row]:
    """`query`, which selects from `model`, narrowed to rows the importer may read."""
    if work.scope.sees_all:
        return query
    if model is not Account:
        query = query.join(Account, Account.id == model.account_id)
    return query.where(work.scope.readable())


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
            }
            new.append(state)
            index.add(state)
            outcomes.append(CREATED)
        else:
            refused = state["id"] is not None and managed_refusal(work, _account(state), values)
            if refused:
                outcomes.append(refused)
                continue
            changed = [f"{k} → {v}" for k, v in values.items() if v is not None and state[k] != v]
            if not changed:
                outcomes.append(UNCHANGED)
            else:
                state.update({k: v for k, v in values.items() if v is not None})
                if state["id"] is not None:
                    dirty[state["id"]] = state
                    changes.setdefault(state["id"], []).extend(changed)
                outcomes.append(UPDATED)
        if row.ref:
            new_refs.append((row.ref, state))
    writes = Writes()
    fields = ("name", "name_key", "domain", "tier", "status", "visibility", "department", "channel")
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
    remember_refs(work, writes, system, "account", new_refs, index.by_ref)
    writes.flush(work)
    return outcomes


def remember_refs(
    work: Work,
    writes: Writes,
    system: str,
    kind: str,
    refs: list[tuple[str, dict[str, Any]]],
    known: dict[str, dict[str, Any]],
) -> None:
    seen = set(known)
    for external, state in refs:
        if external in seen:
            continue
        seen.add(external)
        writes.refs.append(
            {"system": system, "kind": kind, "external_id": external, "entity_id": state["id"]}
        )


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
            changed = [f"{k} → {v}" for k, v in values.items() if v is not None and state[k] != v]
            if not changed:
                outcomes.append(UNCHANGED)
            else:
                state.update({k: v for k, v in values.items() if v is not None})
                add(state)
                if state["id"] is not None:
                    dirty[state["id"]] = state
                    changes.setdefault(state["id"], []).extend(changed)
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
    remember_refs(work, writes, system, "contact", new_refs, by_ref)
    writes.flush(work)
    return outcomes


def save_deals(work: Work, rows: Sequence[DealRow], *, system: str) -> list[str]:
    """Create or update deals, matched by imported id, then title at the account."""
    _index, accounts = linked_accounts(work, system, [r.account for r in rows])
    refs = known_refs(work, system, "deal", (r.ref for r in rows))
    account_ids = {a["id"] for a in accounts if isinstance(a, dict)}
    columns = (
        Deal.id,
        Deal.account_id,
        Deal.owner_id,
        Deal.title,
        Deal.amount,
        Deal.currency,
        Deal.stage,
        Deal.close_on,
    )
    states: dict[int, dict[str, Any]] = {}
    clause: Any = in_list(work, Deal.account_id, account_ids)
    if refs:
        clause = clause | in_list(work, Deal.id, set(refs.values()))
    for found in work.session.execute(select(*columns).where(clause)).mappings():
        states[found["id"]] = dict(found)
    by_ref = {e: states[i] for e, i in refs.items() if i in states}
    by_title: dict[tuple[int, str], dict[str, Any]] = {}
    for known in sorted(states.values(), key=lambda s: s["id"]):
        by_title.setdefault((known["account_id"], known["title"].casefold()), known)
    outcomes: list[str] = []
    new: list[dict[str, Any]] = []
    dirty: dict[int, dict[str, Any]] = {}
    changes: dict[int, list[str]] = {}
    moves: list[dict[str, Any]] = []
    new_refs: list[tuple[str, dict[str, Any]]] = []
    for row, account in zip(rows, accounts, strict=True):
        if isinstance(account, str):
            outcomes.append(account)
            continue
        state: dict[str, Any] | None = (by_ref.get(row.ref) if row.ref else None) or by_title.get(
            (account["id"], row.title.casefold())
        )
        values = {
            "amount": row.amount,
            "currency": row.currency,
            "stage": row.stage,
            "close_on": row.close_on,
        }
        if state is None:
            state = {
                "id": None,
                "account_id": account["id"],
                "owner_id": account["owner_id"],
                "title": row.title,
                **values,
                "stage": row.stage or Stage.LEAD,
            }
            new.append(state)
            by_title.setdefault((account["id"], row.title.casefold()), state)
            outcomes.append(CREATED)
        else:
            changed = [f"{k} → {v}" for k, v in values.items() if v is not None and state[k] != v]
            if not changed:
                outcomes.append(UNCHANGED)
            else:
                if row.stage and row.stage != state["stage"] and state["id"] is not None:
                    moves.append(
                        {
                            "deal_id": state["id"],
                            "from_stage": state["stage"],
                            "to_stage": row.stage,
                        }
                    )
                state.update({k: v for k, v in values.items() if v is not None})
                if state["id"] is not None:
                    dirty[state["id"]] = state
                    changes.setdefault(state["id"], []).extend(changed)
                outcomes.append(UPDATED)
        if row.ref:
            new_refs.append((row.ref, state))
    writes = Writes()
    closed = (Stage.WON, Stage.LOST)
    ids = insert_rows(
        work,
        Deal,
        [
            {
                "account_id": s["account_id"],
                "owner_id": s["owner_id"],
                "title": s["title"],
                "amount": s["amount"],
                "currency": s["currency"],
                "stage": s["stage"],
                "close_on": s["close_on"],
                "created_at": work.now,
                "closed_at": work.now if s["stage"] in closed else None,
                "version": 1,
            }
            for s in new
        ],
    )
    for state, new_id in zip(new, ids, strict=True):
        state["id"] = new_id
        moves.append({"deal_id": new_id, "from_stage": None, "to_stage": state["stage"]})
        writes.record(work, "deal", new_id, state["account_id"], CREATED, [])
    if dirty:
        update_by_id(
            work,
            Deal,
            [
                {"id": s["id"], **{f: s[f] for f in ("amount", "currency", "stage", "close_on")}}
                for s in dirty.values()
            ],
        )
        for deal_id, state in dirty.items():
            writes.record(work, "deal", deal_id, state["account_id"], UPDATED, changes[deal_id])
    insert_rows(
        work,
        DealStageChange,
        [{**m, "changed_at": work.now, "changed_by_id": work.actor.id} for m in moves],
    )
    remember_refs(work, writes, system, "deal", new_refs, by_ref)
    writes.flush(work)
    return outcomes


def log_interactions(work: Work, rows: Sequence[InteractionRow], *, system: str) -> list[str]:
    """Add past interactions; one already there (same account, time, kind and text, or
    the same imported id) is not added twice."""
    _index, accounts = linked_accounts(work, system, [r.account for r in rows])
    refs = known_refs(work, system, "interaction", (r.ref for r in rows))
    people = People(work)
    account_ids = {a["id"] for a in accounts if isinstance(a, dict)}
    times = {r.occurred_at for r in rows}
    existing = {
        (a, when, kind, text)
        for a, when, kind, text in work.session.execute(
            select(
                Interaction.account_id, Interaction.occurred_at, Interaction.kind, Interaction.text
            ).where(
                in_list(work, Interaction.account_id, account_ids),
                Interaction.occurred_at.in_(times),
            )
        )
    }
    emails = {r.contact_email for r in rows if r.contact_email}
    contacts = {
        (a, e): i
        for i, a, e in work.session.execute(
            select(Contact.id, Contact.account_id, Contact.email).where(
                in_list(work, Contact.email, emails)
            )
        )
    }
    outcomes: list[str] = []
    new: list[dict[str, Any]] = []
    new_refs: list[tuple[str, dict[str, Any]]] = []
    last_contact: dict[int, datetime] = {}
    for row, account in zip(rows, accounts, strict=True):
        if isinstance(account, str):
            outcomes.append(account)
            continue
        author = people.find(row.author)
        if row.author and author is None:
            outcomes.append(f"author “{row.author}” is not a team member")
            continue
        key = (account["id"], row.occurred_at, row.kind, row.text)
        if (row.ref and row.ref in refs) or key in existing:
            outcomes.append(UNCHANGED)
            continue
        existing.add(key)
        state = {
            "id": None,
            "account_id": account["id"],
            "contact_id": contacts.get((account["id"], row.contact_email)),
            "author_id": (author or work.actor).id,
            "kind": row.kind,
            "text": row.text,
            "source": "import",
            "occurred_at": row.occurred_at,
        }
        new.append(state)
        when = last_contact.get(account["id"])
        if when is None or row.occurred_at > when:
            last_contact[account["id"]] = row.occurred_at
        outcomes.append(CREATED)
        if row.ref:
            new_refs.append((row.ref, state))
    writes = Writes()
    ids = insert_rows(work, Interaction, [{k: v for k, v in s.items() if k != "id"} for s in new])
    for state, new_id in zip(new, ids, strict=True):
        state["id"] = new_id
        writes.record(work, "interaction", new_id, state["account_id"], CREATED, [])
    for account_id, when in last_contact.items():
        work.session.execute(
            update(Account)
            .where(
                Account.id == account_id,
                (Account.last_contact_at.is_(None)) | (Account.last_contact_at < when),
            )
            .values(last_contact_at=when)
        )
    remember_refs(work, writes, system, "interaction", new_refs, {})
    writes.flush(work)
    return outcomes
