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
from datetime import datetime, time, timedelta
from typing import Any
from typing import cast as cast_as

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

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
    Visibility,
    running,
)
from hub.pipeline import OPEN_STAGES
from hub.work import Work, zone_of

ACCOUNTS_SHOWN = 5
URGENT_SHOWN = 3  # of each kind
HANDOVERS_SHOWN = 6
URGENT_KINDS = ("follow-up", "agreement", "complaint", "deal")
Row = Any  # a result row: plain columns, read once and shown
# People joined under several names in one statement, as Core aliases: the card is plain
# rows executed on the connection, without the ORM's adapting of aliased entities.
PEOPLE = Person.__table__


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
    day = local_now.date()
    theirs = AccessScope.load(work.session, person, day)
    reader = work.scope
    params = {
        "person_id": person.id,
        "now": work.now,
        "day": day,
        "end_of_day": datetime.combine(day + timedelta(days=1), time(), tz),
        "sunday": day + timedelta(days=6 - day.weekday()),
        "assignees": sorted({person.id, *theirs.covered_ids}),
        "book_owners": sorted({person.id, *theirs.answered_for}),
        "book_accounts": sorted(theirs.handed_account_ids),
        "reader_all": reader.sees_all,
        "reader_department": reader.department,
        "reader_owners": sorted({reader.person_id, *reader.answered_for}),
        "reader_accounts": sorted(reader.handed_account_ids),
        # A follow-up about no account is seen by the person, whoever answers for them
        # and managers; one about an account, by whoever may read the account.
        "own_eyes": (
            reader.person_id == person.id or person.id in reader.answered_for or reader.sees_all
        ),
    }
    connection = work.session.connection()
    accounts = connection.execute(ACCOUNTS, params).all()
    urgent: dict[str, list[Row]] = {kind: [] for kind in URGENT_KINDS}
    counts = dict.fromkeys(URGENT_KINDS, 0)
    for row in connection.execute(URGENT, params):
        urgent[row.kind].append(row)
        counts[row.kind] = row.total
    handovers = connection.execute(HANDOVERS, params).all()
    absences = connection.execute(ABSENCES, params).all()
    last_active = connection.execute(LAST_ACTIVE, params).scalar()
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


# The statements are built once (a card is read often, and building them costs more than
# running them); what varies is in their parameters. The person's and the reader's scopes
# (hub/access.py) come as lists: whom each answers for, and the accounts handed to them.
_PERSON = bindparam("person_id", type_=BigInteger)
_NOW = bindparam("now", type_=UTCDateTime)
_DAY = bindparam("day", type_=Date)


def _ids(name: str) -> Any:
    return bindparam(name, type_=BigInteger, expanding=True)


# `AccessScope.readable()` with the reader's scope as parameters.
READABLE = or_(
    bindparam("reader_all", type_=Boolean),
    Account.visibility == Visibility.PUBLIC,
    and_(
        Account.visibility == Visibility.TEAM,
        Account.department == bindparam("reader_department", type_=String),
    ),
    Account.owner_id.in_(_ids("reader_owners")),
    Account.id.in_(_ids("reader_accounts")),
)
# The accounts the person answers for on the day: their own and those of whom they cover
# or hold the book of, less those handed to someone else for a period, plus those handed
# to them (as `mine` reads it).
_HANDED = running_handovers(cast_as(Any, _DAY))
BOOK = or_(
    and_(
        Account.owner_id.in_(_ids("book_owners")),
        Account.id.not_in(select(_HANDED.c.account_id).where(_HANDED.c.to_id != _PERSON)),
    ),
    Account.id.in_(_ids("book_accounts")),
)


def _accounts(book: ColumnElement[bool], readable: ColumnElement[bool]) -> Select[Any]:
    """The book's accounts the reader may read: tier first, then those with something
    urgent (a complaint over its SLA, an agreement due), with the total."""
    owner = PEOPLE.alias()
    breached = (
        select(Complaint.id)
        .where(
            Complaint.account_id == Account.id,
            Complaint.status == "open",
            Complaint.sla_due_at < _NOW,
        )
        .exists()
    )
    due = (
        select(Agreement.id)
        .where(
            Agreement.account_id == Account.id,
            Agreement.state == "open",
            Agreement.due_on <= _DAY,
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
            owner.c.name.label("owner_name"),
            urgent,
            func.count().over().label("total"),
        )
        .join(owner, owner.c.id == Account.owner_id)
        .where(book, readable)
        .order_by(Account.tier, urgent.desc(), Account.name_key)
        .limit(ACCOUNTS_SHOWN)
    )


def _urgent(book: ColumnElement[bool], readable: ColumnElement[bool]) -> Select[Any]:
    """Follow-ups due by the end of their day, agreements due or overdue, complaints over
    their SLA and deals closing this week (to Sunday), on their book, in one statement."""
    no_time, no_day = cast(null(), UTCDateTime), cast(null(), Date)
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
            Task.assignee_id.in_(_ids("assignees")),
            Task.due_at < bindparam("end_of_day", type_=UTCDateTime),
            or_(readable, and_(Task.account_id.is_(None), bindparam("own_eyes", type_=Boolean))),
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
        .where(book, readable, Agreement.state == "open", Agreement.due_on <= _DAY)
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
        .where(book, readable, Complaint.status == "open", Complaint.sla_due_at < _NOW)
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
            Deal.close_on >= _DAY,
            Deal.close_on <= bindparam("sunday", type_=Date),
        )
        .order_by(Deal.close_on, Deal.id)
        .limit(URGENT_SHOWN)
    )
    # Each part is limited on its own, so each is a subquery of the union.
    parts = [part.subquery() for part in (tasks, agreements, complaints, deals)]
    return union_all(*(select(*part.c) for part in parts)).subquery().select()


def _handovers(readable: ColumnElement[bool]) -> Select[Any]:
    """The handover periods running on `day` to them or from them: of one account the
    reader may read, or of a whole book (which names no account)."""
    to, giver, by = PEOPLE.alias(), PEOPLE.alias(), PEOPLE.alias()
    inward = Handover.to_id == _PERSON
    return (
        select(
            case((inward, literal("in", String)), else_=literal("out", String)).label("direction"),
            Account.name.label("account_name"),
            Handover.account_id,
            case((inward, giver.c.name), else_=to.c.name).label("other_name"),
            by.c.name.label("by_name"),
            Handover.until_on,
            Handover.note,
            func.count().over().label("total"),
        )
        .select_from(Handover)
        .outerjoin(Account, Account.id == Handover.account_id)
        .join(to, to.c.id == Handover.to_id)
        .join(giver, giver.c.id == Handover.from_id)
        .join(by, by.c.id == Handover.by_id)
        .where(
            running(Handover, _DAY),
            or_(
                Handover.to_id == _PERSON,
                Handover.from_id == _PERSON,
                Handover.book_of_id == _PERSON,
            ),
            or_(Handover.book_of_id.is_not(None), readable),
        )
        .order_by(Handover.until_on, Handover.id)
        .limit(HANDOVERS_SHOWN)
    )


def _absences() -> Select[Any]:
    """Their absences from `day` on, with who covers, and whom they cover on `day`."""
    cover, away = PEOPLE.alias(), PEOPLE.alias()
    theirs = (
        select(
            literal("away", String).label("kind"),
            Absence.starts_on,
            Absence.ends_on,
            cover.c.name.label("name"),
            literal(0, Integer).label("rank"),
        )
        .outerjoin(cover, cover.c.id == Absence.cover_id)
        .where(Absence.person_id == _PERSON, Absence.ends_on >= _DAY)
    )
    covering = (
        select(
            literal("covers", String),
            Absence.starts_on,
            Absence.ends_on,
            away.c.name,
            literal(1, Integer),
        )
        .join(away, away.c.id == Absence.person_id)
        .where(Absence.cover_id == _PERSON, Absence.starts_on <= _DAY, Absence.ends_on >= _DAY)
    )
    both = union_all(theirs, covering).subquery()
    return select(both).order_by(both.c.rank, both.c.starts_on).limit(6)


ACCOUNTS = _accounts(BOOK, READABLE)
URGENT = _urgent(BOOK, READABLE)
HANDOVERS = _handovers(READABLE)
ABSENCES = _absences()
# Their latest write, on what the reader may read (or on no account).
LAST_ACTIVE = select(func.max(AuditEvent.at)).where(
    AuditEvent.actor_id == _PERSON,
    AuditEvent.action != "read",
    or_(
        AuditEvent.account_id.is_(None),
        select(Account.id).where(Account.id == AuditEvent.account_id, READABLE).exists(),
    ),
)
