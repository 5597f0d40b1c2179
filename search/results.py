"""What a search returns, whichever engine answered."""

from __future__ import annotations

from dataclasses import dataclass, field

from hub import ids
from hub.models import Account


@dataclass(frozen=True)
class Query:
    text: str
    type: str | None = None
    owner_id: int | None = None
    tier: str | None = None
    # A record's own status where it has one (OWN_STATUS), its account's otherwise.
    status: str | None = None
    stage: str | None = None  # a deal's: only deals match
    # The account's segment (hub/segments.py vocabulary); `source` is a deal's own source
    # for deals, the account's lead source for everything else.
    industry: str | None = None
    country: str | None = None
    size: str | None = None
    source: str | None = None
    page: int = 1
    limit: int = 10

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


# The kinds of record whose `status:` is their own (an account's, a complaint's open or
# resolved, an agreement's open, kept or broken). Contacts, interactions and deals have
# none: for them `status:` is their account's, as it always was.
OWN_STATUS = ("account", "complaint", "agreement")


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    title: str
    snippet: str
    account_id: int
    account_name: str

    @property
    def ref(self) -> str:
        # An account or a contact is named, not numbered: no command takes its id.
        return ids.show(self.kind, self.id) if self.kind in ids.LETTERS else ""


@dataclass
class Results:
    hits: list[Hit]
    total: int
    accounts_shown: list[Account] = field(default_factory=list)
    notes: tuple[str, ...] = ()
