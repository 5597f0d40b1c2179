"""Who may see and change what: the SPEC's visibility and role rules, in one place.

The same rule exists twice on purpose: `can_read` for a row already loaded and
`readable()` as a SQL clause, so lists, counts and lookups are filtered inside the
query and never by dropping rows afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, false, literal, or_, select, true, union_all
from sqlalchemy.orm import Session

from hub.models import Absence, Account, Handover, Person, Role, Visibility


@dataclass(frozen=True, kw_only=True)
class AccessScope:
    person_id: int
    role: str
    department: str | None
    covered_ids: frozenset[int]
    handed_account_ids: frozenset[int]

    @classmethod
    def load(cls, session: Session, person: Person, today: date) -> AccessScope:
        # One round trip for both: whom the person covers today, and which accounts
        # were handed to them for a period that has not ended.
        rows = session.execute(
            union_all(
                select(literal("cover").label("kind"), Absence.person_id.label("id")).where(
                    Absence.cover_id == person.id,
                    Absence.starts_on <= today,
                    Absence.ends_on >= today,
                ),
                select(literal("handed"), Handover.account_id).where(
                    Handover.to_id == person.id,
                    Handover.ended_at.is_(None),
                    Handover.until_on >= today,
                ),
            )
        ).all()
        covered = [row.id for row in rows if row.kind == "cover"]
        handed = [row.id for row in rows if row.kind == "handed"]
        return cls(
            person_id=person.id,
            role=person.role,
            department=person.department,
            covered_ids=frozenset(covered),
            handed_account_ids=frozenset(handed),
        )

    @property
    def sees_all(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)

    def is_responsible(self, account: Account) -> bool:
        """Owner, temporary owner, or cover of the owner while they are away."""
        return (
            account.owner_id == self.person_id
            or account.owner_id in self.covered_ids
            or account.id in self.handed_account_ids
        )

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
        """Change owner, visibility or hand the account over."""
        return self.sees_all or self.is_responsible(account)

    def readable(self) -> ColumnElement[bool]:
        if self.sees_all:
            return true()
        own = [Account.owner_id == self.person_id]
        if self.covered_ids:
            own.append(Account.owner_id.in_(self.covered_ids))
        if self.handed_account_ids:
            own.append(Account.id.in_(self.handed_account_ids))
        team = (
            and_(Account.visibility == Visibility.TEAM, Account.department == self.department)
            if self.department is not None
            else false()
        )
        return or_(Account.visibility == Visibility.PUBLIC, team, *own)
