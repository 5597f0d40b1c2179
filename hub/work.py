"""The unit of work a command runs in: one transaction, one acting person, one "now".

`Workplace.open` is how anything outside the hub gets one (a `/crm` line, a form's
lookup, an import batch, a web lead); `Workplace.within` gives one inside a transaction
that is already open, for code that learns who acts only once it has read the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.access import AccessScope
from hub.clock import Clock
from hub.db import Database
from hub.errors import HubError
from hub.i18n import _
from hub.models import Account, AuditEvent, Person, Visibility
from hub.settings import Settings


@dataclass(kw_only=True)
class Work:
    session: Session
    actor: Person
    now: datetime
    settings: Settings
    source: str = "console"
    _audited_reads: set[int] = field(default_factory=set)

    @cached_property
    def tz(self) -> ZoneInfo:
        return zone_of(self.actor, self.settings)

    @property
    def locale(self) -> str:
        """How the acting person writes dates: their own locale, else the hub's."""
        return self.actor.locale or self.settings.locale

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    @cached_property
    def scope(self) -> AccessScope:
        return AccessScope.load(self.session, self.actor, self.today)

    def audit(
        self,
        action: str,
        *,
        entity: str,
        entity_id: int | None,
        account_id: int | None = None,
        **detail: Any,
    ) -> None:
        """Write an audit row in the same transaction as the change it describes."""
        self.session.add(
            AuditEvent(
                at=self.now,
                actor_id=self.actor.id,
                action=action,
                entity=entity,
                entity_id=entity_id,
                account_id=account_id,
                detail=detail,
            )
        )

    def audit_read(self, account: Account, *, how: str) -> None:
        """Reads of non-public accounts are audited (once per account per command)."""
        if account.visibility == Visibility.PUBLIC or account.id in self._audited_reads:
            return
        self._audited_reads.add(account.id)
        self.audit("read", entity="account", entity_id=account.id, account_id=account.id, how=how)

    def audit_reads(self, account_ids: Iterable[int], *, how: str) -> None:
        """`audit_read` for accounts a reply names by id only (a digest's, a report's)."""
        wanted = set(account_ids) - self._audited_reads
        if not wanted:
            return
        hidden_from_some = select(Account).where(
            Account.id.in_(wanted), Account.visibility != Visibility.PUBLIC
        )
        for account in self.session.scalars(hidden_from_some.order_by(Account.id)):
            self.audit_read(account, how=how)


def zone_of(person: Person, settings: Settings) -> ZoneInfo:
    try:
        return ZoneInfo(person.tz or settings.timezone)
    except (KeyError, ValueError):
        return ZoneInfo(settings.timezone)


class UnknownPerson(HubError):
    def __init__(self) -> None:
        super().__init__(_("I don't know you yet; ask an admin to add you."))


@dataclass(frozen=True)
class Workplace:
    """Where units of work are opened: the hub's database, its settings and its clock."""

    database: Database
    settings: Settings
    clock: Clock

    @contextmanager
    def open(self, person_id: int, *, source: str) -> Iterator[Work]:
        """One transaction acting as person `person_id`: committed when the block ends,
        rolled back if it raises."""
        with self.database.unit_of_work() as session:
            actor = session.get(Person, person_id)
            if actor is None:
                raise UnknownPerson()
            yield self.within(session, actor, source=source)

    def within(
        self, session: Session, actor: Person, *, source: str, now: datetime | None = None
    ) -> Work:
        """A unit of work in a transaction the caller already holds (at `now`, when the
        caller has already stamped records with it)."""
        return Work(
            session=session,
            actor=actor,
            now=now or self.clock.now(),
            settings=self.settings,
            source=source,
        )
