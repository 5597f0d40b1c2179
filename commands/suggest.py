"""Suggestions as a person types an account or a contact (Slack's pickers, Discord's
autocomplete), and the names a form's picked account stands for: whatever the platform,
only what the acting person may see, named as stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from hub.lookup import find_account
from hub.models import Account, Contact
from hub.work import Work
from search.results import Query
from search.service import Search

ACCOUNT, CONTACT = "account", "contact"


@dataclass(frozen=True)
class Suggestion:
    kind: str  # ACCOUNT or CONTACT
    id: int
    name: str  # as stored: what a command names it by
    label: str  # as shown: a contact with their account, to tell namesakes apart


def suggestions(
    work: Work, search: Search, typed: str, kinds: Sequence[str] = (ACCOUNT,), *, limit: int
) -> list[Suggestion]:
    """What `work`'s person may see that matches `typed`, best first, at most `limit`.
    Names come from the hub, not from search hits (they carry highlight marks)."""
    typed = typed.strip()
    if not typed:
        return []
    found: list[Suggestion] = []
    for kind in kinds:
        hits = search.find(work, Query(typed, type=kind, limit=limit)).hits
        if kind == CONTACT:
            ids = [hit.id for hit in hits]
            shown = _contacts(work, ids)
        else:
            ids = [hit.account_id for hit in hits if hit.account_id]
            shown = _accounts(work, ids)
        found += [shown[i] for i in ids if i in shown]
    return found[:limit]


def readable_account_name(work: Work, account_id: int | None) -> str | None:
    """The name of the account a form picked, if `work`'s person may read it. The id
    comes from the submission: a hidden account's name must not come back in the reply
    ("I don't know an account called ..."), so it is None, as for a missing id."""
    if account_id is None:
        return None
    return work.session.scalar(
        select(Account.name).where(Account.id == account_id, work.scope.readable())
    )


def visible_account(work: Work, name: str) -> Suggestion | None:
    """The one account `name` names for `work`'s person (to preselect it in a picker)."""
    found = find_account(work, name).found
    if isinstance(found, Account):
        return Suggestion(ACCOUNT, found.id, found.name, found.name)
    return None


def _contacts(work: Work, ids: list[int]) -> dict[int, Suggestion]:
    rows = work.session.execute(
        select(Contact.id, Contact.name, Account.name)
        .join(Account, Account.id == Contact.account_id)
        .where(Contact.id.in_(ids))
    )
    return {i: Suggestion(CONTACT, i, name, f"{name} ({account})") for i, name, account in rows}


def _accounts(work: Work, ids: list[int]) -> dict[int, Suggestion]:
    rows = work.session.execute(select(Account.id, Account.name).where(Account.id.in_(ids)))
    return {i: Suggestion(ACCOUNT, i, name, name) for i, name in rows}
