"""Deals in bulk: matched by imported id, then title at the account; a new stage is
recorded as a stage change, as `move_deal` does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hub.bulk.accounts import AccountLink, linked_accounts
from hub.bulk.lookups import in_list, known_refs
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
from hub.models import Deal, DealStageChange, Stage
from hub.work import Work


@dataclass(kw_only=True)
class DealRow:
    account: AccountLink
    title: str
    amount: Decimal | None = None
    currency: str | None = None
    stage: str | None = None
    close_on: Any = None
    source: str | None = None  # as hub.segments reads them
    campaign: str | None = None
    ref: str | None = None


UPDATABLE = ("amount", "currency", "stage", "close_on", "source", "campaign")


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
        Deal.source,
        Deal.campaign,
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
            "source": row.source,
            "campaign": row.campaign,
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
            changed = changed_fields(state, values)
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
                apply_update(state, values, changed, dirty, changes)
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
                "currency": s["currency"] or work.settings.currency,
                "stage": s["stage"],
                "close_on": s["close_on"],
                "source": s["source"],
                "campaign": s["campaign"],
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
            [{"id": s["id"], **{f: s[f] for f in UPDATABLE}} for s in dirty.values()],
        )
        for deal_id, state in dirty.items():
            writes.record(work, "deal", deal_id, state["account_id"], UPDATED, changes[deal_id])
    insert_rows(
        work,
        DealStageChange,
        [{**m, "changed_at": work.now, "changed_by_id": work.actor.id} for m in moves],
    )
    writes.remember(system, "deal", new_refs, by_ref)
    writes.flush(work)
    return outcomes
