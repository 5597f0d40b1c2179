"""The colleague card (`whois @ana`): who a team member is, where they are, what they
answer for and what is urgent on it today, as the reader may see it.

Every list and every count goes through the reader's access rule (`AccessScope.readable`)
in SQL: an account the reader may not read is neither shown nor counted, nor is anything
attached to it (a follow-up, an agreement, a complaint, a deal, a handover and its note).

A fixed number of statements, whatever the size of the book: each list comes with its
total from a window count, and the four kinds of urgent work are one UNION ALL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from hub.access import AccessScope
from hub.coverage import running_handovers
from hub.models import (
    Absence,
    Account,
    Agreement,
    AuditEvent,
    Complaint,
    Deal,
    Handover,
    Person,
    Task,
    UTCDateTime,
    running,
)
from hub.pipeline import OPEN_STAGES
from hub.work import Work, zone_of

ACCOUNTS_SHOWN = 5
URGENT_SHOWN = 3  # of each kind
HANDOVERS_SHOWN = 6
URGENT_KINDS = ("follow-up", "agreement", "complaint", "deal")
Row = Any  # a result row: plain columns, read once and shown


@dataclass(frozen=True)
class ColleagueCard:
    person: Person
    local_now: datetime  # their time now, in their time zone
    tz_name: str
    # (kind "away" or "covers", starts_on, ends_on, name): their absences today and to
    # come with who covers, and whom they cover today.
    absences: Sequence[Row]
    accounts: Sequence[Row]  # (id, name, tier, owner_id, owner_name, urgent, total)
    account_count: int
    # (kind, id, text, due_at, due_on, account_name, account_id, total), per kind
    urgent: dict[str, list[Row]]
    urgent_counts: dict[str, int]
    # (direction "in"/"out", account_name and account_id or None for a whole book,
    #  other_name, by_name, until_on, note, total)
    handovers: Sequence[Row]
    handover_count: int
    last_active: datetime | None


def colleague_card(work: Work, person: Person) -> ColleagueCard:
    tz = zone_of(person, work.settings)
    local_now = work.now.astimezone(tz)
    their_today = local_now.date()
    theirs = AccessScope.load(work.session, person, their_today)
    readable = work.scope.readable()
    book = _book(theirs, their_today)

    accounts = work.session.execute(_accounts(book, readable, work.now, their_today)).all()
    urgent_rows = work.session.execute(
        _urgent(work, person, theirs, book, readable, local_now)
    ).all()
    urgent: dict[str, list[Row]] = {kind: [] for kind in URGENT_KINDS}
    counts = dict.fromkeys(URGENT_KINDS, 0)
    for row in urgent_rows:
        urgent[row.kind].append(row)
        counts[row.kind] = row.total
    handovers = work.session.execute(_handovers(person, readable, their_today)).all()
    absences = work.session.execute(_absences(person, their_today)).all()
    last_active = work.session.execute(
        select(func.max(AuditEvent.at)).where(
            AuditEvent.actor_id == person.id,
            AuditEvent.action != "read",
            or_(
                AuditEvent.account_id.is_(None),
                AuditEvent.account_id.in_(select(Account.id).where(readable)),
            ),
        )
    ).scalar()
    return ColleagueCard(
        person=person,
        local_now=local_now,
        tz_name=str(tz),
        absences=absences,
        accounts=accounts,
        account_count=accounts[0].total if accounts else 0,
        urgent=urgent,
        urgent_counts=counts,
        handovers=handovers,
        handover_count=handovers[0].total if handovers else 0,
        last_active=last_active,
    )


def accounts_named(card: ColleagueCard) -> set[int]:
    """The accounts the card names: what the reader's reading of it audits."""
    named = {a.id for a in card.accounts} | {h.account_id for h in card.handovers}
    named |= {row.account_id for rows in card.urgent.values() for row in rows}
    named.discard(None)
    return named


def _book(scope: AccessScope, day: date) -> ColumnElement[bool]:
    """The accounts `scope`'s person answers for on `day`: their own and those of whom
    they cover or hold the book of, less those handed to someone else for a period,
    plus those handed to them (as `mine` reads it)."""
    handed = running_handovers(day)
    handed_away = select(handed.c.account_id).where(handed.c.to_id != scope.person_id)
    return or_(
        and_(
            Account.owner_id.in_({scope.person_id, *scope.answered_for}),
            Account.id.not_in(handed_away),
        ),
        Account.id.in_(scope.handed_account_ids) if scope.handed_account_ids else false(),
    )


def _accounts(
    book: ColumnElement[bool], readable: ColumnElement[bool], now: datetime, day: date
) -> Select[Any]:
    """The book's accounts the reader may read: tier first, then those with something
    urgent (a complaint over its SLA, an agreement due), with the total."""
    owner = aliased(Person)
    breached = (
        select(Complaint.id)
        .where(
            Complaint.account_id == Account.id,
            Complaint.status == "open",
            Complaint.sla_due_at < now,
        )
        .exists()
    )
    due = (
        select(Agreement.id)
        .where(
            Agreement.account_id == Account.id,
            Agreement.state == "open",
            Agreement.due_on <= day,
        )
        .exists()
    )
    urgent = (case((breached, 1), else_=0) + case((due, 1), else_=0)).label("urgent")
    return (
        select(
            Account.id,
            Account.name,
            Account.tier,
            Account.owner_id,
            owner.name.label("owner_name"),
            urgent,
            func.count().over().label("total"),
        )
        .join(owner, owner.id == Account.owner_id)
        .where(book, readable)
        .order_by(Account.tier, urgent.desc(), Account.name_key)
        .limit(ACCOUNTS_SHOWN)
    )


def _urgent(
    work: Work,
    person: Person,
    theirs: AccessScope,
    book: ColumnElement[bool],
    readable: ColumnElement[bool],
    local_now: datetime,
) -> Select[Any]:
    """Follow-ups due by the end of their day, agreements due or overdue, complaints over
    their SLA and deals closing this week (to Sunday), on their book, in one statement."""
    day = local_now.date()
    end_of_day = datetime.combine(day + timedelta(days=1), time(), local_now.tzinfo)
    sunday = day + timedelta(days=6 - day.weekday())
    no_time, no_day = cast(null(), UTCDateTime), cast(null(), Date)
    # A follow-up about no account is seen by the person, whoever answers for them, and
    # managers; one about an account, by whoever may read the account.
    own_eyes = (
        work.actor.id == person.id or person.id in work.scope.answered_for or work.scope.sees_all
    )
    tasks = (
        select(
            literal("follow-up", String).label("kind"),
            Task.id,
            Task.text,
            Task.due_at.label("due_at"),
            no_day.label("due_on"),
            Account.name.label("account_name"),
            Task.account_id,
            func.count().over().label("total"),
        )
        .select_from(Task)
        .outerjoin(Account, Account.id == Task.account_id)
        .where(
            Task.status == "open",
            Task.assignee_id.in_({person.id, *theirs.covered_ids}),
            Task.due_at < end_of_day,
            or_(readable, Task.account_id.is_(None) if own_eyes else false()),
        )
        .order_by(Task.due_at, Task.id)
        .limit(URGENT_SHOWN)
    )
    agreements = (
        select(
            literal("agreement", String),
            Agreement.id,
            Agreement.text,
            no_time,
            Agreement.due_on,
            Account.name,
            Agreement.account_id,
            func.count().over(),
        )
        .select_from(Agreement)
        .join(Account, Account.id == Agreement.account_id)
        .where(book, readable, Agreement.state == "open", Agreement.due_on <= day)
        .order_by(Agreement.due_on, Agreement.id)
        .limit(URGENT_SHOWN)
    )
    complaints = (
        select(
            literal("complaint", String),
            Complaint.id,
            Complaint.text,
            Complaint.sla_due_at,
            no_day,
            Account.name,
            Complaint.account_id,
            func.count().over(),
        )
        .select_from(Complaint)
        .join(Account, Account.id == Complaint.account_id)
        .where(book, readable, Complaint.status == "open", Complaint.sla_due_at < work.now)
        .order_by(Complaint.sla_due_at, Complaint.id)
        .limit(URGENT_SHOWN)
    )
    deals = (
        select(
            literal("deal", String),
            Deal.id,
            Deal.title,
            no_time,
            Deal.close_on,
            Account.name,
            Deal.account_id,
            func.count().over(),
        )
        .select_from(Deal)
        .join(Account, Account.id == Deal.account_id)
        .where(
            book,
            readable,
            Deal.stage.in_(OPEN_STAGES),
            Deal.close_on >= day,
            Deal.close_on <= sunday,
        )
        .order_by(Deal.close_on, Deal.id)
        .limit(URGENT_SHOWN)
    )
    # Each part is limited on its own, so each is a subquery of the union.
    parts = [part.subquery() for part in (tasks, agreements, complaints, deals)]
    return union_all(*(select(*part.c) for part in parts)).subquery().select()


def _handovers(person: Person, readable: ColumnElement[bool], day: date) -> Select[Any]:
    """The handover periods running on `day` to them or from them: of one account the
    reader may read, or of a whole book (which names no account)."""
    to, giver, by = aliased(Person), aliased(Person), aliased(Person)
    inward = Handover.to_id == person.id
    return (
        select(
            case((inward, literal("in", String)), else_=literal("out", String)).label("direction"),
            Account.name.label("account_name"),
            Handover.account_id,
            case((inward, giver.name), else_=to.name).label("other_name"),
            by.name.label("by_name"),
            Handover.until_on,
            Handover.note,
            func.count().over().label("total"),
        )
        .select_from(Handover)
        .outerjoin(Account, Account.id == Handover.account_id)
        .join(to, to.id == Handover.to_id)
        .join(giver, giver.id == Handover.from_id)
        .join(by, by.id == Handover.by_id)
        .where(
            running(Handover, day),
            or_(
                Handover.to_id == person.id,
                Handover.from_id == person.id,
                Handover.book_of_id == person.id,
            ),
            or_(Handover.book_of_id.is_not(None), readable),
        )
        .order_by(Handover.until_on, Handover.id)
        .limit(HANDOVERS_SHOWN)
    )


def _absences(person: Person, day: date) -> Select[Any]:
    """Their absences from `day` on, with who covers, and whom they cover on `day`."""
    cover, away = aliased(Person), aliased(Person)
    theirs = (
        select(
            literal("away", String).label("kind"),
            Absence.starts_on,
            Absence.ends_on,
            cover.name.label("name"),
            literal(0, Integer).label("rank"),
        )
        .outerjoin(cover, cover.id == Absence.cover_id)
        .where(Absence.person_id == person.id, Absence.ends_on >= day)
    )
    covering = (
        select(
            literal("covers", String),
            Absence.starts_on,
            Absence.ends_on,
            away.name,
            literal(1, Integer),
        )
        .join(away, away.id == Absence.person_id)
        .where(Absence.cover_id == person.id, Absence.starts_on <= day, Absence.ends_on >= day)
    )
    both = union_all(theirs, covering).subquery()
    return select(both).order_by(both.c.rank, both.c.starts_on).limit(6)
