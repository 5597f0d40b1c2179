"""An account's whole history, newest first, a page at a time: its interactions,
agreements, complaints, deal stage changes and handovers.

One statement reads a page: a UNION ALL of one SELECT per kind of entry, each already
ordered by time and cut to what the page can use (through the account's time indexes),
then ordered together with LIMIT and OFFSET. A second one counts the entries, so the
reply can say how many pages there are. The caller has already found the account under
the reader's access rules (`need_account`): every entry here belongs to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    Integer,
    Row,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select

from hub.models import (
    Account,
    Agreement,
    Complaint,
    Contact,
    Deal,
    DealStageChange,
    Handover,
    Interaction,
    Person,
    UTCDateTime,
)
from hub.work import Work

KINDS = ("interaction", "agreement", "complaint", "deal", "handover")
PAGE = 10

# The statements are built once per shape (a kind or all, since a day or not) with these
# parameters: building and compiling a six-part UNION costs more than running it.
ACCOUNT_ID = bindparam("account_id", type_=BigInteger)
OWNER_ID = bindparam("owner_id", type_=BigInteger)
CREATED_AT = bindparam("created_at", type_=UTCDateTime())
SINCE = bindparam("since", type_=UTCDateTime())
CUT = bindparam("cut", type_=Integer)  # what each part may need: offset + PAGE
OFFSET = bindparam("offset", type_=Integer)
Author = aliased(Person, name="author")
Giver = aliased(Person, name="giver")
Taker = aliased(Person, name="taker")
# The columns every kind's SELECT has, in this order.
COLUMNS = (
    "kind",  # interaction, agreement, complaint, deal (a stage change), handover
    "id",  # the record's id (a stage change's deal); a handover's own, never shown
    "seq",  # the row's own id: the order of entries at the same instant
    "at",  # when it happened
    "text",  # what was said, agreed, complained of; a deal's title; a handover's note
    "state",  # how: an interaction's kind, an agreement's or complaint's state, a stage
    "previous",  # a deal's stage before; a complaint's severity; "book" for a whole book
    "detail",  # why an agreement broke, how a complaint was resolved, why a deal was lost
    "person",  # its author; who moved the deal; who did the handover
    "other",  # the contact an interaction was with; a handover's giver
    "target",  # a handover's taker
    "day",  # an agreement's due date; a handover's last day
    "edited",  # when it was corrected with `edit`
    "ended",  # when a handover period was ended early
)


@dataclass(frozen=True)
class Page:
    entries: Sequence[Row[Any]]  # with the COLUMNS
    total: int
    page: int
    pages: int

    @property
    def more(self) -> bool:
        return self.page < self.pages


def _none(kind: Any) -> ColumnElement[Any]:
    return cast(null(), kind)


def _entry(kind: str, **given: Any) -> Select[Any]:
    """A SELECT of COLUMNS: the `given` ones, NULL (of the right type) for the rest."""
    types = {"id": BigInteger, "seq": BigInteger, "day": Date, "edited": UTCDateTime()}
    types |= {"at": UTCDateTime(), "ended": UTCDateTime()}
    columns: list[Any] = [literal(kind).label("kind")]
    for name in COLUMNS[1:]:
        value = given.get(name)
        columns.append((value if value is not None else _none(types.get(name, String))).label(name))
    return select(*columns)


def _parts(since: bool) -> dict[str, list[Select[Any]]]:
    """Each kind's SELECT of the account's entries (since SINCE, if `since`), unordered."""

    def after(column: Any) -> list[ColumnElement[bool]]:
        return [column >= SINCE] if since else []

    interactions = (
        _entry(
            "interaction",
            id=Interaction.id,
            seq=Interaction.id,
            at=Interaction.occurred_at,
            text=Interaction.text,
            state=Interaction.kind,
            person=Author.name,
            other=Contact.name,
            edited=Interaction.edited_at,
        )
        .select_from(Interaction)
        .join(Author, Author.id == Interaction.author_id)
        .outerjoin(Contact, Contact.id == Interaction.contact_id)
        .where(Interaction.account_id == ACCOUNT_ID, *after(Interaction.occurred_at))
    )
    agreements = (
        _entry(
            "agreement",
            id=Agreement.id,
            seq=Agreement.id,
            at=Agreement.created_at,
            text=Agreement.text,
            state=Agreement.state,
            detail=Agreement.reason,
            person=Author.name,
            day=Agreement.due_on,
            edited=Agreement.edited_at,
        )
        .select_from(Agreement)
        .join(Author, Author.id == Agreement.author_id)
        .where(Agreement.account_id == ACCOUNT_ID, *after(Agreement.created_at))
    )
    complaints = (
        _entry(
            "complaint",
            id=Complaint.id,
            seq=Complaint.id,
            at=Complaint.opened_at,
            text=Complaint.text,
            state=Complaint.status,
            previous=Complaint.severity,
            detail=Complaint.resolution,
            person=Author.name,
            edited=Complaint.edited_at,
        )
        .select_from(Complaint)
        .join(Author, Author.id == Complaint.author_id)
        .where(Complaint.account_id == ACCOUNT_ID, *after(Complaint.opened_at))
    )
    stages = (
        _entry(
            "deal",
            id=Deal.id,
            seq=DealStageChange.id,
            at=DealStageChange.changed_at,
            text=Deal.title,
            state=DealStageChange.to_stage,
            previous=DealStageChange.from_stage,
            detail=case((DealStageChange.to_stage == "lost", Deal.lost_reason)),
            person=Author.name,
        )
        .select_from(DealStageChange)
        .join(Deal, Deal.id == DealStageChange.deal_id)
        .join(Author, Author.id == DealStageChange.changed_by_id)
        .where(Deal.account_id == ACCOUNT_ID, *after(DealStageChange.changed_at))
    )

    def handovers(book: bool, *where: ColumnElement[bool]) -> Select[Any]:
        return (
            _entry(
                "handover",
                id=Handover.id,
                seq=Handover.id,
                at=Handover.created_at,
                text=Handover.note,
                previous=literal("book") if book else None,
                person=Author.name,
                other=Giver.name,
                target=Taker.name,
                day=Handover.until_on,
                ended=Handover.ended_at,
            )
            .select_from(Handover)
            .join(Author, Author.id == Handover.by_id)
            .join(Giver, Giver.id == Handover.from_id)
            .join(Taker, Taker.id == Handover.to_id)
            .where(*where, *after(Handover.created_at))
        )

    return {
        "interaction": [interactions],
        "agreement": [agreements],
        "complaint": [complaints],
        "deal": [stages],
        "handover": [
            handovers(False, Handover.account_id == ACCOUNT_ID),
            # The owner's whole book handed over for a period (ownership stays theirs, so
            # it is this account's while they own it); a book given for good made each of
            # its accounts someone else's, and shows on none.
            handovers(
                True,
                Handover.book_of_id == OWNER_ID,
                and_(Handover.until_on.is_not(None), Handover.created_at >= CREATED_AT),
            ),
        ],
    }


@cache
def _statements(kind: str | None, since: bool) -> tuple[Select[Any], Select[Any]]:
    """The page's statement and the count's, for entries of `kind` (None: all)."""
    parts = [
        part for name, selects in _parts(since).items() if kind in (None, name) for part in selects
    ]
    # Each part brings only what this page may need, newest first, through the account's
    # time index, not all of its rows.
    newest = [
        select(
            part.order_by(part.selected_columns.at.desc(), part.selected_columns.seq.desc())
            .limit(CUT)
            .subquery()
        )
        for part in parts
    ]
    every = union_all(*newest).subquery()
    page = (
        select(every)
        .order_by(every.c.at.desc(), every.c.kind, every.c.seq.desc())
        .limit(PAGE)
        .offset(OFFSET)
    )
    counted = union_all(*(part.with_only_columns(literal(1).label("one")) for part in parts))
    return page, select(func.count()).select_from(counted.subquery())


def timeline(
    work: Work,
    account: Account,
    *,
    kind: str | None = None,
    since: date | None = None,
    page: int = 1,
) -> Page:
    """Page `page` of `account`'s history (of one `kind`, from the day `since` on, in the
    reader's time zone), newest first."""
    offset = (page - 1) * PAGE
    params: dict[str, Any] = {
        "account_id": account.id,
        "owner_id": account.owner_id,
        "created_at": account.created_at,
        "cut": offset + PAGE,
        "offset": offset,
    }
    if since is not None:
        params["since"] = datetime.combine(since, time(), work.tz)
    statement, counting = _statements(kind, since is not None)
    connection = work.session.connection()
    entries = connection.execute(statement, params).all()
    total = connection.execute(counting, params).scalar() or 0
    pages = max((total + PAGE - 1) // PAGE, 1)
    return Page(entries=entries, total=total, page=page, pages=pages)
