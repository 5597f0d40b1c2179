"""Which accounts a report counts: those its reader may read, narrowed by the filters."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func

from hub.models import Account, Visibility
from hub.work import Work


@dataclass(frozen=True)
class ReportScope:
    readable: ColumnElement[bool]
    owner_id: int | None = None
    team: str | None = None
    tier: str | None = None

    @classmethod
    def of(
        cls,
        work: Work,
        *,
        channel: bool = False,
        owner_id: int | None = None,
        team: str | None = None,
        tier: str | None = None,
    ) -> ReportScope:
        """The reader's accounts (a channel's: public ones only), narrowed by filters."""
        readable = Account.visibility == Visibility.PUBLIC if channel else work.scope.readable()
        return cls(readable=readable, owner_id=owner_id, team=team, tier=tier)

    def accounts(self) -> ColumnElement[bool]:
        """The condition on `Account` (joined by the caller) that selects the accounts."""
        conditions = [self.readable]
        if self.owner_id is not None:
            conditions.append(Account.owner_id == self.owner_id)
        if self.team is not None:
            conditions.append(func.lower(Account.department) == self.team.lower())
        if self.tier is not None:
            conditions.append(Account.tier == self.tier)
        return and_(*conditions)
