"""Forgiving lookup of accounts and contacts by what a person types.

Case- and accent-insensitive; exact names, aliases and domains first, then word prefixes,
then substrings; when nothing matches, the closest names. Only accounts the acting person
may read take part, so a lookup never reveals that a hidden account exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select, union, union_all

from hub.models import Account, AccountAlias, AccountName, Contact
from hub.text import fold, similarity
from hub.work import Work

MAX_PREFIX_WORDS = 8
PICK_LIST_SIZE = 8
NAME_SAMPLE = 20_000


@dataclass(frozen=True)
class Lookup:
    """The outcome of a lookup: one record, several to pick from, or nothing (with hints)."""

    query: str
    accounts: list[Account] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    @property
    def found(self) -> Account | Contact | None:
        if len(self.accounts) + len(self.contacts) == 1:
            return (self.accounts or self.contacts)[0]
        return None

    @property
    def ambiguous(self) -> bool:
        return len(self.accounts) + len(self.contacts) > 1


def longest_account_prefix(work: Work, words: Sequence[str]) -> int:
    """How many of `words` form the longest visible account name or alias they start with."""
    candidates = {
        fold(" ".join(words[:n])): n for n in range(1, min(len(words), MAX_PREFIX_WORDS) + 1)
    }
    candidates.pop("", None)
    if not candidates:
        return 0
    keys = list(candidates)
    readable = work.scope.readable()
    known = work.session.scalars(
        union_all(
            select(Account.name_key).where(Account.name_key.in_(keys), readable),
            select(AccountAlias.alias_key)
            .join(Account, Account.id == AccountAlias.account_id)
            .where(AccountAlias.alias_key.in_(keys), readable),
        )
    ).all()
    return max((candidates[k] for k in known), default=0)


def find_account(work: Work, query: str) -> Lookup:
    """Accounts only: for commands that write to an account."""
    key, lowered = fold(query), query.strip().lower()
    if not key:
        return Lookup(query)
    for matcher in (_exact_accounts, _prefix_accounts, _contains_accounts):
        accounts = matcher(work, key, lowered)
        if accounts:
            return Lookup(query, accounts=accounts)
    return Lookup(query, suggestions=closest_account_names(work, query))


def find_account_or_contact(work: Work, query: str, *, exact_only: bool = False) -> Lookup:
    """Accounts and contacts: for whois. An exact account name always wins. Finding
    nothing, it suggests nothing: whois asks the search engine for look-alikes instead.

    `exact_only` stops after exact names, aliases, domains and e-mails: for when a search
    engine answers the rest (prefixes, typos) better than substring scans.
    """
    key, lowered = fold(query), query.strip().lower()
    if not key:
        return Lookup(query)
    exact = _exact_accounts(work, key, lowered)
    if exact:
        return Lookup(query, accounts=exact)
    contacts = _contacts(work, Contact.name_key == key, Contact.email == lowered)
    if contacts or exact_only:
        return Lookup(query, contacts=contacts)
    for account_matcher, contact_clauses in (
        (
            _prefix_accounts,
            (
                Contact.name_key.startswith(key, autoescape=True),
                Contact.name_key.contains(f" {key}", autoescape=True),
            ),
        ),
        (_contains_accounts, (Contact.name_key.contains(key, autoescape=True),)),
    ):
        accounts = account_matcher(work, key, lowered)
        contacts = _contacts(work, *contact_clauses)
        if accounts or contacts:
            room = max(PICK_LIST_SIZE - len(accounts), 0)
            return Lookup(query, accounts=accounts, contacts=contacts[:room])
    return Lookup(query)


def closest_account_names(work: Work, query: str, *, limit: int = 3) -> list[str]:
    """Names of visible accounts (or their aliases' accounts) closest to `query`."""
    key = fold(query)
    if not key:
        return []
    best: dict[str, float] = {}
    for name_key, name in _visible_name_keys(work):
        score = similarity(key, name_key)
        if score >= 0.72 and score > best.get(name, 0.0):
            best[name] = score
    return sorted(best, key=lambda n: (-best[n], n))[:limit]


def _visible_name_keys(work: Work) -> list[tuple[str, str]]:
    """(key, account name) of the names and aliases `work`'s person may see, up to
    NAME_SAMPLE of each: what look-alikes of a typed name are looked for among."""
    names = work.session.execute(
        select(Account.name_key, Account.name).where(work.scope.readable()).limit(NAME_SAMPLE)
    ).all()
    aliases = work.session.execute(
        select(AccountAlias.alias_key, Account.name)
        .join(Account, Account.id == AccountAlias.account_id)
        .where(work.scope.readable())
        .limit(NAME_SAMPLE)
    ).all()
    return [(key, name) for key, name in (*names, *aliases)]


def _exact_accounts(work: Work, key: str, lowered: str) -> list[Account]:
    # A union of three index lookups: an OR of them under ORDER BY ... LIMIT lets
    # PostgreSQL walk the whole name index instead (45 ms at 100k accounts).
    ids = union(
        select(Account.id).where(Account.name_key == key),
        select(Account.id).where(Account.domain == lowered),
        select(AccountAlias.account_id).where(AccountAlias.alias_key == key),
    ).subquery()
    stmt = select(Account).where(Account.id.in_(select(ids.c.id)), work.scope.readable())
    found = work.session.scalars(stmt.limit(PICK_LIST_SIZE + 1)).unique()
    return sorted(found, key=lambda a: a.name_key)


def _prefix_accounts(work: Work, key: str, _lowered: str) -> list[Account]:
    alias_owner = select(AccountAlias.account_id).where(
        AccountAlias.alias_key.startswith(key, autoescape=True)
    )
    named = select(AccountName.account_id).where(
        or_(
            AccountName.name_key.startswith(key, autoescape=True),
            AccountName.name_key.contains(f" {key}", autoescape=True),
        )
    )
    return _accounts(
        work,
        or_(
            Account.id.in_(named),
            Account.domain.startswith(key, autoescape=True),
            Account.id.in_(alias_owner),
        ),
    )


def _contains_accounts(work: Work, key: str, _lowered: str) -> list[Account]:
    named = select(AccountName.account_id).where(
        AccountName.name_key.contains(key, autoescape=True)
    )
    return _accounts(work, Account.id.in_(named))


CANDIDATES = 500


def _candidates(column: Any, clause: ColumnElement[bool]) -> Select[tuple[int]]:
    """Ids matching `clause`, found through the trigram indexes.

    Candidates first, ordered afterwards: "WHERE a OR b ORDER BY name LIMIT n" makes
    PostgreSQL walk the whole name index. The CTE is materialized because under a bare
    LIMIT the planner bets on a sequential scan finding enough rows early, which costs a
    full scan of 300k contacts when the text matches nothing.
    """
    matching = select(column.label("id")).where(clause).cte("matching").prefix_with("MATERIALIZED")
    return select(matching.c.id).limit(CANDIDATES)


def _accounts(work: Work, clause: ColumnElement[bool]) -> list[Account]:
    ids = work.session.scalars(_candidates(Account.id, clause)).all()
    if not ids:
        return []
    stmt = (
        select(Account)
        .where(Account.id.in_(ids), work.scope.readable())
        .order_by(Account.name_key)
        .limit(PICK_LIST_SIZE + 1)
    )
    return list(work.session.scalars(stmt).unique())


def _contacts(work: Work, *clauses: ColumnElement[bool]) -> list[Contact]:
    ids = work.session.scalars(_candidates(Contact.id, or_(*clauses))).all()
    if not ids:
        return []
    stmt = (
        select(Contact)
        .join(Account, Account.id == Contact.account_id)
        .where(Contact.id.in_(ids), work.scope.readable())
        .order_by(Contact.name_key)
        .limit(PICK_LIST_SIZE + 1)
    )
    return list(work.session.scalars(stmt))
