"""The hub's data model (SQLAlchemy 2.0 typed declarative).

Times are stored as naive UTC and come back as aware UTC (`UTCDateTime`), so SQLite and
PostgreSQL behave the same. Calendar dates (due dates, absences) are plain `date`s in the
time zone of the person who typed them.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments INTEGER PRIMARY KEY; BigInteger elsewhere.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, naive UTC in the column."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


class Role(enum.StrEnum):
    MEMBER = "member"
    MANAGER = "manager"
    ADMIN = "admin"


class Visibility(enum.StrEnum):
    PUBLIC = "public"
    TEAM = "team"
    PRIVATE = "private"


class Tier(enum.StrEnum):
    A = "A"
    B = "B"
    C = "C"


class AccountStatus(enum.StrEnum):
    PROSPECT = "prospect"
    ACTIVE = "active"
    PAUSED = "paused"
    CHURNED = "churned"


class InteractionKind(enum.StrEnum):
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    CHAT = "chat"
    WEB = "web"
    VISIT = "visit"
    NOTE = "note"


class Severity(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Stage(enum.StrEnum):
    LEAD = "lead"
    QUALIFIED = "qualified"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"


class Cadence(enum.StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


class Person(Base):
    """A team member, however many chat identities they have."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120), unique=True)
    handle: Mapped[str] = mapped_column(String(60), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER)
    department: Mapped[str | None] = mapped_column(String(60))
    tz: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(default=True)
    # The daily nudge: local "HH:MM" (empty: the team default) or "off"; weekdays off as
    # "sat,sun" (empty: the team default).
    nudge_at: Mapped[str | None] = mapped_column(String(5))
    days_off: Mapped[str | None] = mapped_column(String(32))
    # Where DMs go when they use several platforms: "slack" or "discord"; empty: the
    # platform they used last.
    notify_via: Mapped[str | None] = mapped_column(String(16))
    # Local "HH:MM-HH:MM" (may span midnight) during which notices wait; empty: none.
    quiet_hours: Mapped[str | None] = mapped_column(String(11))
    # The kinds of notice they do not want, comma-separated (hub/notices.py MUTABLE).
    muted: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]

    identities: Mapped[list[ChatIdentity]] = relationship(back_populates="person")


class ChatIdentity(Base):
    """One chat account (Slack user in a workspace, Discord user in a guild) of a Person."""

    __tablename__ = "chat_identity"
    __table_args__ = (UniqueConstraint("platform", "workspace", "external_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(64))
    last_seen_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship(back_populates="identities")


class Account(Base):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    domain: Mapped[str | None] = mapped_column(String(253), index=True)
    tier: Mapped[str] = mapped_column(String(1), default=Tier.B)
    status: Mapped[str] = mapped_column(String(16), default=AccountStatus.ACTIVE)
    visibility: Mapped[str] = mapped_column(String(16), default=Visibility.PUBLIC)
    department: Mapped[str | None] = mapped_column(String(60))
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    channel: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    last_contact_at: Mapped[datetime | None]
    # Segmentation (hub/segments.py): the industry and lead source lower-case, the
    # country as ISO 3166-1 alpha-2, the size as one of SIZE_BANDS; all optional.
    industry: Mapped[str | None] = mapped_column(String(80), index=True)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    region: Mapped[str | None] = mapped_column(String(80))
    size_band: Mapped[str | None] = mapped_column(String(12))
    revenue: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    revenue_currency: Mapped[str | None] = mapped_column(String(3))
    lead_source: Mapped[str | None] = mapped_column(String(60), index=True)
    lead_campaign: Mapped[str | None] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(default=1)

    owner: Mapped[Person] = relationship(foreign_keys=[owner_id], lazy="joined")
    aliases: Mapped[list[AccountAlias]] = relationship(
        back_populates="account", cascade="all, delete-orphan", order_by="AccountAlias.id"
    )

    __mapper_args__ = {"version_id_col": version}


class AccountName(Base):
    """Each account's folded name, apart from the account row, for the database search.

    The name's trigram index (PostgreSQL) lives on this table rather than on `account`,
    so that changing an account's owner, which PostgreSQL writes as a new row version in
    every index of `account`, leaves it alone: merging a GIN index's pending entries
    took up to 100 ms inside a handover of a book. Triggers on `account` keep the rows
    current (migration 0009); nothing in the hub writes them.
    """

    __tablename__ = "account_name"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    name_key: Mapped[str] = mapped_column(String(200))


class AccountAlias(Base):
    __tablename__ = "account_alias"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(200))
    alias_key: Mapped[str] = mapped_column(String(200), unique=True)

    account: Mapped[Account] = relationship(back_populates="aliases")


class Contact(Base):
    __tablename__ = "contact"
    __table_args__ = (UniqueConstraint("account_id", "name_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    role: Mapped[str | None] = mapped_column(String(120))
    title: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    account: Mapped[Account] = relationship()


class Interaction(Base):
    __tablename__ = "interaction"
    __table_args__ = (
        Index("ix_interaction_account_when", "account_id", "occurred_at"),
        # The clock's look for web leads whose notice waited out quiet hours.
        Index(
            "ix_interaction_web_leads",
            "occurred_at",
            postgresql_where=text("source = 'web'"),
            sqlite_where=text("source = 'web'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(16), default=InteractionKind.NOTE)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="console")
    occurred_at: Mapped[datetime]
    edited_at: Mapped[datetime | None]  # set by `edit`: the card says "edited"

    contact: Mapped[Contact | None] = relationship()
    author: Mapped[Person] = relationship()


class Agreement(Base):
    """What was promised to the customer, by whom, until when."""

    __tablename__ = "agreement"
    __table_args__ = (
        Index("ix_agreement_account_when", "account_id", "created_at"),
        # What falls due on one's accounts (`mine`), without reading the rest.
        Index("ix_agreement_account_due", "account_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_at: Mapped[datetime]
    # open until someone says it was kept or broken (`kept A7`, `broken A7 why`); only an
    # open agreement falls due.
    state: Mapped[str] = mapped_column(String(16), default="open")
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    edited_at: Mapped[datetime | None]

    author: Mapped[Person] = relationship(foreign_keys=[author_id])


class Complaint(Base):
    __tablename__ = "complaint"
    # By account and status, then SLA deadline: the open ones of one's accounts that are
    # over their SLA (`mine`, nudges) without reading the rest.
    __table_args__ = (Index("ix_complaint_account_status", "account_id", "status", "sla_due_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    text: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16), default=Severity.MEDIUM)
    status: Mapped[str] = mapped_column(String(16), default="open")
    opened_at: Mapped[datetime]
    sla_due_at: Mapped[datetime] = mapped_column(index=True)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    resolution: Mapped[str | None] = mapped_column(Text)
    edited_at: Mapped[datetime | None]


class Deal(Base):
    __tablename__ = "deal"
    __table_args__ = (Index("ix_deal_account_stage", "account_id", "stage"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    stage: Mapped[str] = mapped_column(String(16), default=Stage.LEAD, index=True)
    close_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    lost_reason: Mapped[str | None] = mapped_column(Text)
    # Where the deal came from (hub/segments.py): the source lower-case, as an account's.
    source: Mapped[str | None] = mapped_column(String(60), index=True)
    campaign: Mapped[str | None] = mapped_column(String(120), index=True)
    version: Mapped[int] = mapped_column(default=1)

    history: Mapped[list[DealStageChange]] = relationship(order_by="DealStageChange.id")

    __mapper_args__ = {"version_id_col": version}


class ExchangeRate(Base):
    """1 unit of `currency` is `rate` in the hub's currency (RELEVO_CURRENCY), from the
    day `valid_from` until the currency's next rate; set by `relevo rates set`."""

    __tablename__ = "exchange_rate"
    __table_args__ = (
        UniqueConstraint("currency", "valid_from"),
        CheckConstraint("rate > 0", name="positive"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    valid_from: Mapped[date] = mapped_column(Date)
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 8))
    set_by: Mapped[str] = mapped_column(String(200))  # who set it, by name
    set_at: Mapped[datetime]


class DealStageChange(Base):
    __tablename__ = "deal_stage_change"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(16))
    to_stage: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime] = mapped_column(index=True)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))


class Task(Base):
    """A follow-up: delivered in its assignee's daily DM (or their cover's while away)."""

    __tablename__ = "task"
    __table_args__ = (Index("ix_task_assignee_open", "assignee_id", "status", "due_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime]
    assignee_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    snoozes: Mapped[int] = mapped_column(default=0)
    edited_at: Mapped[datetime | None]

    assignee: Mapped[Person] = relationship(foreign_keys=[assignee_id])
    account: Mapped[Account | None] = relationship()


class Absence(Base):
    """A period away; while it lasts the cover sees and receives the person's work."""

    __tablename__ = "absence"
    __table_args__ = (Index("ix_absence_person_dates", "person_id", "starts_on", "ends_on"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    cover_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    cover: Mapped[Person | None] = relationship(foreign_keys=[cover_id])


# A period handed over that has not been ended early (it may have run out by now).
RUNNING = "ended_at IS NULL AND until_on IS NOT NULL"


def running(handover: type[Handover], day: date | ColumnElement[date]) -> ColumnElement[bool]:
    """Whether `handover` (the model or an alias of it) is a period that runs on `day`
    (a date, or a parameter of a statement built once)."""
    return and_(handover.ended_at.is_(None), handover.until_on >= day)


class Handover(Base):
    """A change of owner: for good (`until_on` empty) or for a period.

    Of one account, or of a whole book (`book_of_id`): every account its giver owns. A
    book is one row however many accounts it holds, so handing over 200 accounts costs
    what handing over one does, and a book given for a period also covers the accounts
    its giver gains meanwhile.
    """

    __tablename__ = "handover"
    __table_args__ = (
        CheckConstraint("(account_id IS NULL) <> (book_of_id IS NULL)", name="one_target"),
        Index("ix_handover_account_created", "account_id", "created_at"),
        # The periods that may still be running. A handover for good never ends, so an
        # index that kept those too would grow with every account handed over and back.
        Index(
            "ix_handover_running",
            "account_id",
            "until_on",
            postgresql_where=text(RUNNING),
            sqlite_where=text(RUNNING),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    book_of_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    to_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    until_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]

    to: Mapped[Person] = relationship(foreign_keys=[to_id])
    by: Mapped[Person] = relationship(foreign_keys=[by_id])


class Subscription(Base):
    __tablename__ = "subscription"
    __table_args__ = (UniqueConstraint("platform", "channel"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(120))
    cadence: Mapped[str] = mapped_column(String(16))
    tz: Mapped[str | None] = mapped_column(String(64))
    # The language its digest is written in ("es"); None: the hub's (RELEVO_LOCALE).
    locale: Mapped[str | None] = mapped_column(String(8))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime]


class Delivery(Base):
    """What was sent to whom for which period; the unique key makes sending idempotent."""

    __tablename__ = "delivery"
    __table_args__ = (UniqueConstraint("kind", "recipient", "period"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(160))
    period: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)


class RequestReceipt(Base):
    """A chat platform's request that wrote to the hub, so a redelivery writes nothing more.

    Inserted in the same transaction as the write: a retry of the same request (Slack's
    X-Slack-Retry-Num, a double click) collides on the key and is rolled back whole.
    """

    __tablename__ = "request_receipt"
    __table_args__ = (UniqueConstraint("platform", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(128))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(index=True)


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_account_at", "account_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(BigInteger)
    account_id: Mapped[int | None] = mapped_column(BigInteger)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Change(Base):
    """One `/crm` write as it changed the hub, row by row (hub/journal.py): what `undo`
    reverts, and where a deleted record waits for `restore` (`record` names it, "N9")."""

    __tablename__ = "change"
    __table_args__ = (Index("ix_change_person_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(16))  # "write" or "delete"
    record: Mapped[str | None] = mapped_column(String(24), index=True)
    summary: Mapped[str] = mapped_column(Text)
    rows: Mapped[list[Any]] = mapped_column(JSON)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))


class Notice(Base):
    """Something a colleague did that a person should hear of (hub/notices.py): written
    in the same transaction as the write, sent once as a DM by the clock (the delivery
    ledger's kind `notice`, period = this id) and shown at the top of `mine` until seen.
    `facts` holds ids and values only; what it says is built when it is shown, for what
    its reader may read then."""

    __tablename__ = "notice"
    __table_args__ = (
        UniqueConstraint("person_id", "key"),
        Index("ix_notice_person_seen", "person_id", "seen_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # handover, cover, assigned, changes
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    # What a notice the clock writes is about ("handover.end:12"), so two clocks write it once.
    key: Mapped[str | None] = mapped_column(String(64))
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(index=True)
    seen_at: Mapped[datetime | None]


class SearchOutbox(Base):
    """Search index changes, written in the same transaction as the hub change."""

    __tablename__ = "search_outbox"
    __table_args__ = (Index("ix_search_outbox_pending", "processed_at", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(BigInteger)
    op: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)


class ClockLease(Base):
    """Which clock process leads, until when (SQLite; PostgreSQL uses an advisory lock)."""

    __tablename__ = "clock_lease"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[datetime]


class ExternalRef(Base):
    """The id a record had in the CRM it was imported from (HubSpot, Salesforce, ...).

    Exports of other CRMs link records by their own ids (a Salesforce contact names its
    account by `AccountId`), so an import remembers them to resolve later files.

    An id is not unique: it names a record among those the importer may read
    (`hub.bulk.lookups.known_refs`), so two people who cannot see each other's accounts may each
    hold a record under one id, and neither learns of the other's.
    """

    __tablename__ = "external_ref"
    __table_args__ = (Index("ix_external_ref_lookup", "external_id", "kind", "system"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    system: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int] = mapped_column(BigInteger)


class InboundEmail(Base):
    """An e-mail received by the intake; `message_id` makes the same message count once.

    Logged messages point at their interaction; a sender no contact has is left in triage
    (`interaction_id` empty) until someone adds the contact.
    """

    __tablename__ = "inbound_email"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    sender: Mapped[str] = mapped_column(String(254), index=True)
    sender_name: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(16))
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interaction.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default="triage", index=True)


class RoundRobin(Base):
    """Where a round-robin assignment pool stands, so leads rotate across processes."""

    __tablename__ = "round_robin"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    pool: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int] = mapped_column(default=0)


class WebhookSubscription(Base):
    __tablename__ = "webhook_subscription"
    __table_args__ = (UniqueConstraint("event", "url"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(128))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime]


class EventOutbox(Base):
    """Business events (an interaction logged, a deal moved...) written in the same
    transaction as the change; the webhook worker fans them out to subscribers."""

    __tablename__ = "event_outbox"
    __table_args__ = (Index("ix_event_outbox_pending", "processed_at", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event: Mapped[str] = mapped_column(String(40))
    account_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]


class WebhookDelivery(Base):
    """One event to one subscriber: the delivery log, with its retries."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("event_id", "subscription_id"),
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event_outbox.id", ondelete="CASCADE"))
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscription.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]


class RateBucket(Base):
    """A token bucket of the shared rate limits (hub.rate_buckets), on PostgreSQL only:
    `tokens` as they stood at `updated_at`; refilled by the elapsed time when next read.
    A missing row is a full bucket."""

    __tablename__ = "rate_bucket"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    tokens: Mapped[float]
    updated_at: Mapped[datetime]
