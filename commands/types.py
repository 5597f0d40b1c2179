"""Typed commands: what the parser makes of a `/crm` line (and Discord's options map onto)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from hub.account_rules import Segments
from hub.reports.period import Period


@dataclass(frozen=True)
class AccountRef:
    """An account as typed: `known` when it matched a name the person can see."""

    name: str
    known: bool
    # The typed line before and after the account's words (options included), so that a
    # corrected line can be suggested with nothing else changed.
    around: tuple[str, str] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Whois:
    writes: ClassVar[bool] = False
    query: str


@dataclass(frozen=True)
class Find:
    writes: ClassVar[bool] = False
    text: str
    type: str | None = None
    owner: str | None = None
    tier: str | None = None
    status: str | None = None  # a record's own (complaint, agreement), else its account's
    stage: str | None = None  # a deal's
    # The account's segment (a deal's own source for deals), in the hub's vocabulary
    industry: str | None = None
    country: str | None = None
    size: str | None = None
    source: str | None = None
    page: int = 1


@dataclass(frozen=True)
class Timeline:
    """`timeline acme [type:…] [since:<date>] [page:N]`: an account's whole history."""

    writes: ClassVar[bool] = False
    account: AccountRef
    type: str | None = None
    since: date | None = None
    page: int = 1


@dataclass(frozen=True)
class SaveAccount:
    writes: ClassVar[bool] = True
    name: str
    tier: str | None = None
    owner: str | None = None
    domain: str | None = None
    visibility: str | None = None
    status: str | None = None
    alias: str | None = None
    department: str | None = None
    channel: str | None = None
    rename: str | None = None
    # Segmentation as typed (hub/segments.py reads it), revenue as read_amount reads it
    segments: Segments = field(default_factory=Segments)
    new: bool = False  # new:yes: create it, even when its name partly matches accounts
    # The typed line before and after the name (as in AccountRef), for corrected lines.
    around: tuple[str, str] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SaveContact:
    writes: ClassVar[bool] = True
    account: AccountRef
    name: str
    role: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Log:
    writes: ClassVar[bool] = True
    account: AccountRef
    kind: str
    text: str
    with_contact: str | None = None  # the words after a final "with"
    text_without_contact: str | None = None
    occurred_at: datetime | None = None  # a date or time at the start (ayer...); else now


@dataclass(frozen=True)
class Agree:
    writes: ClassVar[bool] = True
    account: AccountRef
    text: str
    due: date | None = None
    unread_due: str | None = None  # words after "due" that were not a date
    agreed_at: datetime | None = None  # a date or time at the start (ayer...); else now


@dataclass(frozen=True)
class OpenComplaint:
    writes: ClassVar[bool] = True
    account: AccountRef
    text: str
    severity: str = "medium"
    opened_at: datetime | None = None  # a date or time at the start (ayer...); else now


@dataclass(frozen=True)
class Resolve:
    writes: ClassVar[bool] = True
    id: int
    note: str | None = None


@dataclass(frozen=True)
class CloseAgreement:
    """`kept A7` or `broken A7 why`."""

    writes: ClassVar[bool] = True
    id: int
    state: str  # "kept" or "broken"
    reason: str | None = None


@dataclass(frozen=True)
class OpenDeal:
    writes: ClassVar[bool] = True
    account: AccountRef
    title: str
    amount: Decimal | None = None
    currency: str | None = None
    stage: str = "lead"
    close: date | None = None
    source: str | None = None
    campaign: str | None = None


@dataclass(frozen=True)
class MoveDeal:
    writes: ClassVar[bool] = True
    id: int
    stage: str
    reason: str | None = None


@dataclass(frozen=True)
class Remind:
    writes: ClassVar[bool] = True
    when: datetime
    text: str
    about: AccountRef | None = None
    assignee: str | None = None
    # The words after a last `about` that name no known account: a typo of one (asked
    # about before saving) or just words ("about the renewal", kept in the text).
    maybe_about: AccountRef | None = None


@dataclass(frozen=True)
class Done:
    writes: ClassVar[bool] = True
    id: int


@dataclass(frozen=True)
class Snooze:
    writes: ClassVar[bool] = True
    id: int
    until: datetime


@dataclass(frozen=True)
class HandOver:
    writes: ClassVar[bool] = True
    to: str
    accounts: tuple[AccountRef, ...] = ()
    person: str | None = None  # handover @x: their whole book
    until: date | None = None
    note: str | None = None
    for_good: bool = False  # said so ("for good"): a whole book is handed without asking
    anyway: bool = False  # said so ("anyway"): handed to someone away without asking


@dataclass(frozen=True)
class Away:
    writes: ClassVar[bool] = True
    starts: date
    ends: date
    cover: str | None = None
    overlap: str | None = None  # "replace" or "extend" an absence it overlaps


@dataclass(frozen=True)
class CancelAbsence:
    """`away cancel`: the next planned absence is off."""

    writes: ClassVar[bool] = True


@dataclass(frozen=True)
class Back:
    writes: ClassVar[bool] = True


@dataclass(frozen=True)
class Mine:
    writes: ClassVar[bool] = False


@dataclass(frozen=True)
class ShowDigest:
    writes: ClassVar[bool] = False
    now: bool = False


@dataclass(frozen=True)
class ShowReport:
    """`report <what> [period] [owner:@x] [team:…] [tier:…] [page:N] [by:…]`."""

    writes: ClassVar[bool] = False
    what: str
    period: Period
    owner: str | None = None  # a person as typed (@handle or name)
    team: str | None = None
    tier: str | None = None
    page: int = 1  # a paged report's (risk)
    by: str | None = None  # a grouped report's rows (segments by:industry); None: its default


@dataclass(frozen=True)
class Subscribe:
    writes: ClassVar[bool] = True
    channel: str
    cadence: str = "weekly"
    locale: str | None = None  # the digest's language (`language:es`); None: as it was


@dataclass(frozen=True)
class Unsubscribe:
    writes: ClassVar[bool] = True
    channel: str


@dataclass(frozen=True)
class Undo:
    """`undo` (my last write) or `undo U17` (that one, from an Undo button)."""

    writes: ClassVar[bool] = True
    change: int | None = None


@dataclass(frozen=True)
class Edit:
    """`edit N9 new text`, with `due:`, `when:` or `severity:` for what else changes."""

    writes: ClassVar[bool] = True
    kind: str
    id: int
    text: str | None = None
    due: date | None = None
    when: datetime | None = None
    severity: str | None = None


@dataclass(frozen=True)
class Delete:
    writes: ClassVar[bool] = True
    kind: str
    id: int


@dataclass(frozen=True)
class Restore:
    writes: ClassVar[bool] = True
    kind: str
    id: int


@dataclass(frozen=True)
class Help:
    writes: ClassVar[bool] = False
    topic: str | None = None


class Usage(Exception):
    """A line that is not a valid command: why, and which command's help to show."""

    def __init__(
        self, message: str, *, topic: str | None = None, suggestion: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.topic = topic
        self.suggestion = suggestion  # the corrected line, offered as "Did you mean: …"


Command = (
    Whois
    | Find
    | Timeline
    | SaveAccount
    | SaveContact
    | Log
    | Agree
    | OpenComplaint
    | Resolve
    | CloseAgreement
    | OpenDeal
    | MoveDeal
    | Remind
    | Done
    | Snooze
    | HandOver
    | Away
    | CancelAbsence
    | Back
    | Mine
    | ShowDigest
    | ShowReport
    | Subscribe
    | Unsubscribe
    | Undo
    | Edit
    | Delete
    | Restore
    | Help
)
