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
    status: str | None = None
    limit: int = 10


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
