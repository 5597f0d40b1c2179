"""Who may see and change what: the SPEC's visibility and role rules, in one place.

The same rule exists twice on purpose: `can_read` for a row already loaded and
`readable()` as a SQL clause, so lists, counts and lookups are filtered inside the
query and never by dropping rows afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CompoundSelect,
    Date,
    and_,
    bindparam,
    false,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from hub.models import Absence, Account, Handover, Person, Role, Visibility, running

# One round trip for all, built once (every command runs it): whom the person covers
# today, and which accounts and whose books were handed to them for a period running.
_PERSON, _TODAY = bindparam("person_id", type_=BigInteger), bindparam("today", type_=Date)
_HANDED_TO_THEM = and_(Handover.to_id == _PERSON, running(Handover, _TODAY))
_SCOPE: CompoundSelect[str, int] = union_all(
    select(literal("cover").label("kind"), Absence.person_id.label("id")).where(
        Absence.cover_id == _PERSON, Absence.starts_on <= _TODAY, Absence.ends_on >= _TODAY
    ),
    select(literal("handed"), Handover.account_id).where(
        _HANDED_TO_THEM, Handover.account_id.is_not(None)
    ),
    select(literal("book"), Handover.book_of_id).where(
        _HANDED_TO_THEM, Handover.book_of_id.is_not(None)
    ),
)

# The columns that say who answers for an account and who may read it; the channel is
# where every write on it is posted, so moving it shares the account like its visibility.
# Changing them, like handing the account over, is for those who manage the account.
MANAGED = ("owner_id", "visibility", "department", "channel")


@dataclass(frozen=True, kw_only=True)
class AccessScope:
    person_id: int
    role: str
    department: str | None
    covered_ids: frozenset[int]
    handed_account_ids: frozenset[int]
    handed_owner_ids: frozenset[int]  # whose whole book was handed to them for a period

    @classmethod
    def load(cls, session: Session, person: Person, today: date) -> AccessScope:
        ids: dict[str, set[int]] = {"cover": set(), "handed": set(), "book": set()}
        kind: str
        row_id: int
        for kind, row_id in session.connection().execute(
            _SCOPE, {"person_id": person.id, "today": today}
        ):
            ids[kind].add(row_id)
        return cls(
            person_id=person.id,
            role=person.role,
            department=person.department,
            covered_ids=frozenset(ids["cover"]),
            handed_account_ids=frozenset(ids["handed"]),
            handed_owner_ids=frozenset(ids["book"]),
        )

    @property
    def sees_all(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)

    def is_responsible(self, account: Account) -> bool:
        """Owner, temporary owner (of the account or its owner's book), or cover of the
        owner while they are away."""
        return (
            account.owner_id == self.person_id
            or account.owner_id in self.answered_for
            or account.id in self.handed_account_ids
        )

    @property
    def answered_for(self) -> frozenset[int]:
        """The people whose accounts this person answers for today besides their own:
        covered while away, or whose book was handed to them."""
        return self.covered_ids | self.handed_owner_ids

    def can_read(self, account: Account) -> bool:
        if self.sees_all or account.visibility == Visibility.PUBLIC:
            return True
        if (
            account.visibility == Visibility.TEAM
            and self.department is not None
            and account.department == self.department
        ):
            return True
        return self.is_responsible(account)

    def can_manage(self, account: Account) -> bool:
        """Change what MANAGED holds, or hand the account over: its owner, their cover
        while they are away, managers and admins. A temporary owner works the account but
        may not pass it on, open it up or keep it."""
        return (
            self.sees_all
            or account.owner_id == self.person_id
            or account.owner_id in self.covered_ids
        )

    def may_set(self, account: Account, wanted: Mapping[str, object]) -> bool:
        """May this person give `account` the values `wanted` (column → value, None
        leaving a column as it is)? Only a change to a MANAGED column needs can_manage."""
        touched = any(
            wanted.get(column) is not None and wanted[column] != getattr(account, column)
            for column in MANAGED
        )
        return not touched or self.can_manage(account)

    def readable(self) -> ColumnElement[bool]:
        if self.sees_all:
            return true()
        own = [Account.owner_id == self.person_id]
        if self.answered_for:
            own.append(Account.owner_id.in_(self.answered_for))
        if self.handed_account_ids:
            own.append(Account.id.in_(self.handed_account_ids))
        team = (
            and_(Account.visibility == Visibility.TEAM, Account.department == self.department)
            if self.department is not None
            else false()
        )
        return or_(Account.visibility == Visibility.PUBLIC, team, *own)
