"""The timeline in bulk: past interactions, agreements and complaints for imports.

An interaction already there (same account, time, kind and text, or the same imported
id) is not added twice. An agreement is matched by imported id, else by its text at the
account; a complaint the same way. Matched ones take the file's due date, or severity,
status and resolution.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import select, update

from hub.bulk.accounts import AccountLink, linked_accounts
from hub.bulk.lookups import People, in_list, known_refs
from hub.bulk.statements import CREATED, UNCHANGED, UPDATED, Writes, insert_rows, update_by_id
from hub.complaints import SLA
from hub.models import Account, Agreement, Complaint, Contact, Interaction, Person, Severity
from hub.work import Work


@dataclass(kw_only=True)
class InteractionRow:
    account: AccountLink
    kind: str
    text: str
    occurred_at: datetime
    contact_email: str | None = None
    author: str | None = None
    ref: str | None = None


@dataclass(kw_only=True)
class AgreementRow:
    account: AccountLink
    text: str
    due_on: date | None = None
    created_at: datetime | None = None
    author: str | None = None
    ref: str | None = None


@dataclass(kw_only=True)
class ComplaintRow:
    account: AccountLink
    text: str
    severity: str | None = None
    status: str | None = None  # open / resolved
    opened_at: datetime | None = None
    resolved_at: datetime | None = None
    resolution: str | None = None
    author: str | None = None
    ref: str | None = None


def _existing(
    work: Work, model: Any, columns: Sequence[Any], account_ids: set[int], refs: dict[str, int]
) -> tuple[dict[str, dict[str, Any]], dict[tuple[int, str], dict[str, Any]]]:
    clause = in_list(work, model.account_id, account_ids)
    if refs:
        clause = clause | in_list(work, model.id, refs.values())
    states = {
        row["id"]: dict(row)
        for row in work.session.execute(select(model.id, *columns).where(clause)).mappings()
    }
    by_text: dict[tuple[int, str], dict[str, Any]] = {}
    for state in sorted(states.values(), key=lambda s: s["id"]):
        by_text.setdefault((state["account_id"], state["text"]), state)
    return {e: states[i] for e, i in refs.items() if i in states}, by_text


def save_agreements(work: Work, rows: Sequence[AgreementRow], *, system: str) -> list[str]:
    _index, accounts = linked_accounts(work, system, [r.account for r in rows])
    refs = known_refs(work, system, "agreement", (r.ref for r in rows))
    account_ids = {a["id"] for a in accounts if isinstance(a, dict)}
    columns = (Agreement.account_id, Agreement.text, Agreement.due_on)
    by_ref, by_text = _existing(work, Agreement, columns, account_ids, refs)
    people = People(work)
    outcomes: list[str] = []
    new: list[dict[str, Any]] = []
    dirty: dict[int, dict[str, Any]] = {}
    new_refs: list[tuple[str, dict[str, Any]]] = []
    writes = Writes()
    for row, account, author in _authored(rows, accounts, people, outcomes):
        state = (by_ref.get(row.ref) if row.ref else None) or by_text.get((account["id"], row.text))
        if state is None:
            state = {
                "id": None,
                "account_id": account["id"],
                "author_id": (author or work.actor).id,
                "text": row.text,
                "due_on": row.due_on,
                "created_at": row.created_at or work.now,
            }
            new.append(state)
            by_text[(account["id"], row.text)] = state
            outcomes.append(CREATED)
        elif row.due_on is not None and row.due_on != state["due_on"]:
            state["due_on"] = row.due_on
            if state["id"] is not None:
                dirty[state["id"]] = state
            outcomes.append(UPDATED)
        else:
            outcomes.append(UNCHANGED)
        if row.ref:
            new_refs.append((row.ref, state))
    ids = insert_rows(work, Agreement, [{k: v for k, v in s.items() if k != "id"} for s in new])
    for state, new_id in zip(new, ids, strict=True):
        state["id"] = new_id
        writes.record(work, "agreement", new_id, state["account_id"], CREATED, [])
    if dirty:
        update_by_id(work, Agreement, [{"id": i, "due_on": s["due_on"]} for i, s in dirty.items()])
        for agreement_id, state in dirty.items():
            writes.record(work, "agreement", agreement_id, state["account_id"], UPDATED, ["due_on"])
    writes.remember(system, "agreement", new_refs, by_ref)
    writes.flush(work)
    return outcomes


def save_complaints(work: Work, rows: Sequence[ComplaintRow], *, system: str) -> list[str]:
    _index, accounts = linked_accounts(work, system, [r.account for r in rows])
    refs = known_refs(work, system, "complaint", (r.ref for r in rows))
    account_ids = {a["id"] for a in accounts if isinstance(a, dict)}
    columns = (
        Complaint.account_id,
        Complaint.text,
        Complaint.severity,
        Complaint.status,
        Complaint.resolution,
        Complaint.resolved_at,
    )
    by_ref, by_text = _existing(work, Complaint, columns, account_ids, refs)
    people = People(work)
    outcomes: list[str] = []
    new: list[dict[str, Any]] = []
    dirty: dict[int, dict[str, Any]] = {}
    new_refs: list[tuple[str, dict[str, Any]]] = []
    writes = Writes()
    for row, account, author in _authored(rows, accounts, people, outcomes):
        state = (by_ref.get(row.ref) if row.ref else None) or by_text.get((account["id"], row.text))
        resolved = row.status == "resolved"
        if state is None:
            severity = row.severity or Severity.MEDIUM
            opened = row.opened_at or work.now
            state = {
                "id": None,
                "account_id": account["id"],
                "author_id": (author or work.actor).id,
                "text": row.text,
                "severity": severity,
                "status": "resolved" if resolved else "open",
                "opened_at": opened,
                "sla_due_at": opened + SLA[Severity(severity)],
                "resolved_at": (row.resolved_at or work.now) if resolved else None,
                "resolved_by_id": (author or work.actor).id if resolved else None,
                "resolution": row.resolution if resolved else None,
            }
            new.append(state)
            by_text[(account["id"], row.text)] = state
            outcomes.append(CREATED)
        else:
            values = {"severity": row.severity, "status": row.status, "resolution": row.resolution}
            changed = [k for k, v in values.items() if v is not None and state[k] != v]
            if not changed:
                outcomes.append(UNCHANGED)
            else:
                state.update({k: values[k] for k in changed})
                if "status" in changed:
                    state["resolved_at"] = (row.resolved_at or work.now) if resolved else None
                if state["id"] is not None:
                    dirty[state["id"]] = state
                outcomes.append(UPDATED)
        if row.ref:
            new_refs.append((row.ref, state))
    ids = insert_rows(work, Complaint, [{k: v for k, v in s.items() if k != "id"} for s in new])
    for state, new_id in zip(new, ids, strict=True):
        state["id"] = new_id
        writes.record(work, "complaint", new_id, state["account_id"], CREATED, [])
    if dirty:
        update_by_id(
            work,
            Complaint,
            [
                {
                    "id": i,
                    "severity": s["severity"],
                    "status": s["status"],
                    "resolution": s["resolution"],
                    "resolved_at": s["resolved_at"],
                }
                for i, s in dirty.items()
            ],
        )
        for complaint_id, state in dirty.items():
            writes.record(work, "complaint", complaint_id, state["account_id"], UPDATED, ["status"])
    writes.remember(system, "complaint", new_refs, by_ref)
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
    for row, account, author in _authored(rows, accounts, people, outcomes):
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
    writes.remember(system, "interaction", new_refs, {})
    writes.flush(work)
    return outcomes


class _Authored(Protocol):
    author: str | None


R = TypeVar("R", bound=_Authored)


def _authored(
    rows: Sequence[R], accounts: list[dict[str, Any] | str], people: People, outcomes: list[str]
) -> Iterator[tuple[R, dict[str, Any], Person | None]]:
    """Each row with its account and author, where both can be used; for any other row,
    why not goes to `outcomes`, in its place."""
    for row, account in zip(rows, accounts, strict=True):
        if isinstance(account, str):
            outcomes.append(account)
            continue
        author = people.find(row.author)
        if row.author and author is None:
            outcomes.append(f"author “{row.author}” is not a team member")
            continue
        yield row, account, author
