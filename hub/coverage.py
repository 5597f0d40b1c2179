"""Absence, cover and handover: who is responsible for an account on a given day.

Nothing here needs a job to "undo" a period: a temporary handover or an absence is
active while its dates include the day asked about, so ownership returns by itself the
day after `until`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import (
    BigInteger,
    Date,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.sql.selectable import Subquery

from hub import journal
from hub.bulk.lookups import in_list
from hub.errors import Conflict, Invalid, NotAllowed
from hub.i18n import _, day_text
from hub.models import Absence, Account, Handover, Person, running
from hub.outbox import reindex_accounts
from hub.work import Work

# A handover this recent is named when another one of the same account is refused.
RECENT = timedelta(minutes=5)
# How many of a book's account names the reply to its handover shows.
BOOK_NAMES_SHOWN = 10
# Of the periods running for an account, the one that has the word comes first: the
# account's own before its owner's book's, then the newest.
LATER_WORD_FIRST = (Handover.account_id.is_(None), Handover.id.desc())


@dataclass(frozen=True)
class Responsibility:
    """Who answers for an account today, and why."""

    owner_name: str
    acting_name: str  # the temporary owner, or the owner
    handed_until: date | None  # the last day of a handover period running today
    away_until: date | None  # the last day of the acting person's absence, if away today
    cover_name: str | None  # who covers that absence
    handed_by_name: str | None = None  # who handed it over for the period (owner or not)
    handover_note: str | None = None  # what they said with it


def absences_on(work: Work, person_ids: Iterable[int], day: date) -> dict[int, Absence]:
    ids = set(person_ids)
    if not ids:
        return {}
    rows = work.session.scalars(
        select(Absence).where(
            Absence.person_id.in_(ids), Absence.starts_on <= day, Absence.ends_on >= day
        )
    )
    return {a.person_id: a for a in rows}


def active_handovers(work: Work, account_ids: Iterable[int], day: date) -> dict[int, Handover]:
    """The handover running on `day` for each of these accounts that has one: the
    account's own, else its owner's book's. (Handing a book over ends the periods of its
    accounts running then, so an account's own period is always the later one.)"""
    ids = set(account_ids)
    if not ids:
        return {}
    rows = work.session.execute(
        select(Handover, Account.id)
        .join(
            Account,
            or_(Handover.account_id == Account.id, Handover.book_of_id == Account.owner_id),
        )
        .where(Account.id.in_(ids), running(Handover, day))
        .order_by(*LATER_WORD_FIRST)
    ).all()
    found: dict[int, Handover] = {}
    for handover, account_id in rows:
        found.setdefault(account_id, handover)
    return found


def running_handovers(day: date) -> Subquery:
    """(account_id, to_id) for every account handed over for a period running on `day`:
    by a handover of its own, or by its owner's book when it has none of its own."""
    own = aliased(Handover)
    return union_all(
        select(Handover.account_id, Handover.to_id).where(
            Handover.account_id.is_not(None), running(Handover, day)
        ),
        select(Account.id.label("account_id"), Handover.to_id)
        .join(Account, Account.owner_id == Handover.book_of_id)
        .where(
            running(Handover, day),
            ~select(own.id).where(own.account_id == Account.id, running(own, day)).exists(),
        ),
    ).subquery()


# The period handed over running on a day for an account: its own, else its owner's
# book's (handing a book over ends its accounts' periods, so an account's own is later).
_ACCOUNT, _OWNER = (
    bindparam("account_id", type_=BigInteger),
    bindparam("owner_id", type_=BigInteger),
)
_DAY = bindparam("day", type_=Date)
_PERIOD = (
    select(Handover.to_id, Handover.until_on, Handover.by_id, Handover.note)
    .where(
        running(Handover, _DAY),
        or_(Handover.account_id == _ACCOUNT, Handover.book_of_id == _OWNER),
    )
    .order_by(*LATER_WORD_FIRST)
    .limit(1)
    .subquery()
)
_Owner, _Acting, _Cover, _By = (aliased(Person) for _unused in range(4))
# One statement for the whole answer: the period (who gave it, with what note), who acts,
# and whether they are away.
_RESPONSIBILITY = (
    select(_Acting.name, _PERIOD.c.until_on, Absence.ends_on, _Cover.name, _By.name, _PERIOD.c.note)
    .select_from(_Owner)
    .outerjoin(_PERIOD, true())
    .join(_Acting, _Acting.id == func.coalesce(_PERIOD.c.to_id, _Owner.id))
    .outerjoin(_By, _By.id == _PERIOD.c.by_id)
    .outerjoin(
        Absence,
        and_(Absence.person_id == _Acting.id, Absence.starts_on <= _DAY, Absence.ends_on >= _DAY),
    )
    .outerjoin(_Cover, _Cover.id == Absence.cover_id)
    .where(_Owner.id == _OWNER)
    .limit(1)
)


def responsibility(work: Work, account: Account, day: date) -> Responsibility:
    acting, handed_until, away_until, cover, handed_by, note = (
        work.session.connection()
        .execute(
            _RESPONSIBILITY, {"account_id": account.id, "owner_id": account.owner_id, "day": day}
        )
        .one()
    )
    return Responsibility(
        owner_name=account.owner.name,
        acting_name=acting,
        handed_until=handed_until,
        away_until=away_until,
        cover_name=cover,
        handed_by_name=handed_by,
        handover_note=note,
    )


def recipient(work: Work, person: Person, day: date) -> tuple[Person, Absence | None]:
    """Who receives `person`'s work on `day`: their cover while they are away."""
    absence = absences_on(work, [person.id], day).get(person.id)
    if absence is not None and absence.cover is not None:
        return absence.cover, absence
    return person, absence


def shown_day(day: date) -> str:
    """A date in an error message, as it was read: "Mon 14 Dec 2026"."""
    return day_text(day, year=True)


def _span(starts_on: date, ends_on: date) -> str:
    return _("{first} to {last}", first=shown_day(starts_on), last=shown_day(ends_on))


def overlapping_absences(
    work: Work, person: Person, starts_on: date, ends_on: date
) -> Sequence[Absence]:
    """`person`'s absences that share a day with starts_on..ends_on."""
    return work.session.scalars(
        select(Absence)
        .options(joinedload(Absence.cover))
        .where(
            Absence.person_id == person.id,
            Absence.starts_on <= ends_on,
            Absence.ends_on >= starts_on,
        )
        .order_by(Absence.starts_on)
    ).all()


def free_colleagues(
    work: Work, starts_on: date, ends_on: date, *, besides: Iterable[int], limit: int = 3
) -> list[Person]:
    """Active colleagues away on none of those days, the actor's department first."""
    away = select(Absence.person_id).where(
        Absence.starts_on <= ends_on, Absence.ends_on >= starts_on
    )
    same_team = Person.department == work.actor.department
    return list(
        work.session.scalars(
            select(Person)
            .where(
                Person.active.is_(True),
                Person.id.not_in(list(besides)),
                Person.id.not_in(away),
            )
            .order_by(case((same_team, 0), else_=1), Person.name_key)
            .limit(limit)
        )
    )


def _suggest(work: Work, starts_on: date, ends_on: date, besides: Iterable[int]) -> str:
    free = free_colleagues(work, starts_on, ends_on, besides=besides)
    if not free:
        return _("Nobody else is free on all those days; name no cover, or shorten the absence.")
    return _("Free on those days: {people}.", people=", ".join(f"@{p.handle}" for p in free))


def _check_cover(work: Work, cover: Person, starts_on: date, ends_on: date) -> None:
    """A cover is someone else, who is not away on those days (covering for the actor
    or not): each refusal names who is free."""
    me = work.actor
    if cover.id == me.id:
        raise Invalid(
            _(
                "You can't cover for yourself. {suggestion}",
                suggestion=_suggest(work, starts_on, ends_on, [me.id]),
            )
        )
    for theirs in overlapping_absences(work, cover, starts_on, ends_on):
        span = _span(theirs.starts_on, theirs.ends_on)
        suggestion = _suggest(work, starts_on, ends_on, [me.id, cover.id])
        if theirs.cover_id == me.id:
            raise Invalid(
                _(
                    "{name} is away {span} and you cover for them: you can't cover each other. "
                    "{suggestion}",
                    name=cover.name,
                    span=span,
                    suggestion=suggestion,
                )
            )
        raise Invalid(
            _(
                "{name} is away too, {span}. {suggestion}",
                name=cover.name,
                span=span,
                suggestion=suggestion,
            )
        )


class Overlapping(Invalid):
    """The absence shares days with ones already set (`earlier`): replace or extend?"""

    def __init__(self, earlier: Sequence[Absence]) -> None:
        super().__init__(_("That absence overlaps one you already have: say replace or extend."))
        self.earlier = earlier


def go_away(
    work: Work,
    *,
    starts_on: date,
    ends_on: date,
    cover: Person | None,
    overlap: str | None = None,
) -> Absence:
    """Record the actor's absence. One it overlaps is replaced (`overlap="replace"`) or
    merged into it (`"extend"`: from the earliest day to the latest, the new cover, else
    the old one); without either it is refused (the command asks which first)."""
    span = _span(starts_on, ends_on)
    if ends_on < starts_on:
        raise Invalid(_("The absence ends before it starts: I read {span}.", span=span))
    if ends_on < work.today:
        raise Invalid(_("That absence is entirely in the past: I read {span}.", span=span))
    if (ends_on - starts_on).days > 366:
        raise Invalid(_("Absences are limited to a year: I read {span}.", span=span))
    earlier = overlapping_absences(work, work.actor, starts_on, ends_on)
    if earlier and overlap is None:
        raise Overlapping(earlier)
    if earlier and overlap == "extend":
        starts_on = min(starts_on, *(a.starts_on for a in earlier))
        ends_on = max(ends_on, *(a.ends_on for a in earlier))
        if cover is None:
            cover = next((a.cover for a in earlier if a.cover is not None), None)
    if cover is not None:
        _check_cover(work, cover, starts_on, ends_on)
    for absence in earlier:
        work.session.delete(absence)
    work.session.flush()
    absence = Absence(
        person_id=work.actor.id,
        cover_id=cover.id if cover else None,
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=work.now,
    )
    work.session.add(absence)
    work.session.flush()
    work.audit(
        "absence.create",
        entity="absence",
        entity_id=absence.id,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
        cover_id=absence.cover_id,
    )
    return absence


def cancel_next_absence(work: Work) -> Absence | None:
    """Cancel the actor's next planned absence (one that has not started); None if none."""
    planned = work.session.scalars(
        select(Absence)
        .options(joinedload(Absence.cover))
        .where(Absence.person_id == work.actor.id, Absence.starts_on > work.today)
        .order_by(Absence.starts_on)
        .limit(1)
    ).first()
    if planned is None:
        return None
    work.session.delete(planned)
    work.audit("absence.cancel", entity="absence", entity_id=planned.id)
    return planned


def handed_away(work: Work, person: Person) -> list[tuple[str, str, date]]:
    """What of `person`'s is handed over for a period running today: (what, to whom,
    until), their whole book or accounts one by one."""
    rows = work.session.execute(
        select(Account.name, Person.name, Handover.until_on, Handover.book_of_id)
        .select_from(Handover)
        .join(Person, Person.id == Handover.to_id)
        .outerjoin(Account, Account.id == Handover.account_id)
        .where(
            running(Handover, work.today),
            or_(Handover.book_of_id == person.id, Account.owner_id == person.id),
        )
        .order_by(Handover.until_on, Account.name_key)
    ).all()
    return [
        (name if book_of is None else "all your accounts", to, until_on)
        for name, to, until_on, book_of in rows
        if until_on is not None
    ]


def come_back(work: Work) -> Absence | None:
    """End the actor's current absence today; returns it, or None if they were not away."""
    absence = absences_on(work, [work.actor.id], work.today).get(work.actor.id)
    if absence is None:
        return None
    if absence.starts_on >= work.today:
        work.session.delete(absence)
    else:
        absence.ends_on = work.today - timedelta(days=1)
    work.audit("absence.end", entity="absence", entity_id=absence.id)
    return absence


def hand_over(
    work: Work,
    accounts: Sequence[Account],
    *,
    to: Person,
    until_on: date | None,
    note: str | None,
) -> list[Handover]:
    """Give `accounts` to `to`, for good or until `until_on` (inclusive)."""
    _check_period(work, until_on)
    _claim(work, accounts)
    refused = [a for a in accounts if not work.scope.can_manage(a)]
    if refused:
        raise NotAllowed(_not_theirs_to_hand_over(work, refused))
    current = active_handovers(work, [a.id for a in accounts], work.today)
    rows: list[dict[str, object]] = []
    ended, moved = [], []
    for account in accounts:
        previous = current.get(account.id)
        giver = previous.to_id if previous else account.owner_id
        if giver == to.id and until_on is None and account.owner_id == to.id:
            continue
        if previous is not None and previous.account_id is not None:
            ended.append(previous.id)  # a book's period goes on for its other accounts
        if until_on is None and account.owner_id != to.id:
            moved.append(account.id)
        rows.append(
            {
                "account_id": account.id,
                "from_id": giver,
                "to_id": to.id,
                "by_id": work.actor.id,
                "until_on": until_on,
                "note": (note or "").strip() or None,
                "created_at": work.now,
            }
        )
    if not rows:
        return []
    # A whole book (hundreds of accounts) is a handful of statements, not one per account:
    # set-based UPDATEs and one multi-row INSERT.
    if ended:
        work.session.execute(
            update(Handover).where(Handover.id.in_(ended)).values(ended_at=work.now),
            execution_options={"synchronize_session": "evaluate"},
        )
    # Every account handed over gets a new version, for a period too (when no column of
    # it changes), so that a concurrent handover of it notices and is refused. Each row
    # is written once: the accounts that change owner in one UPDATE, the rest in another.
    changing_owner = set(moved)
    kept = [row["account_id"] for row in rows if row["account_id"] not in changing_owner]
    if kept:
        work.session.execute(
            update(Account).where(Account.id.in_(kept)).values(version=Account.version + 1),
            execution_options={"synchronize_session": "evaluate"},
        )
    if moved:
        work.session.execute(
            update(Account)
            .where(Account.id.in_(moved))
            .values(owner_id=to.id, updated_at=work.now, version=Account.version + 1),
            execution_options={"synchronize_session": "evaluate"},
        )
        reindex_accounts(work.session, Account.id.in_(moved), work.now)
    # Added as objects (one multi-row INSERT all the same), so that the unit of work, the
    # change journal's `undo` included, sees them like any other new row.
    handovers = [Handover(**row) for row in rows]
    work.session.add_all(handovers)
    work.session.flush()
    for handover in handovers:
        work.audit(
            "account.handover",
            entity="handover",
            entity_id=handover.id,
            account_id=handover.account_id,
            to_id=to.id,
            until_on=until_on.isoformat() if until_on else None,
        )
    return handovers


def _claim(work: Work, accounts: Sequence[Account]) -> None:
    """Lock `accounts` for this handover, or refuse it if someone changed them meanwhile.

    With their rows locked (PostgreSQL; SQLite has one writer at a time anyway),
    concurrent handovers of an account take turns. The version each account had when
    this command read it must still be there: if another handover (or edit) got in
    first, this one was decided on what the person saw before and is refused whole.
    """
    seen = {a.id: a.version for a in accounts}
    # Versions only: a whole book is locked without loading its accounts again.
    locked = {
        account_id: version
        for account_id, version in work.session.execute(
            select(Account.id, Account.version)
            .where(Account.id.in_(seen))
            .order_by(Account.id)
            .with_for_update(key_share=True)
        )
    }
    for account in accounts:
        if locked.get(account.id) != seen[account.id]:
            recent = _recent_handover(work, account)
            if recent is not None:
                raise Conflict(_handed(work, recent, account=account.name))
            raise Conflict(
                _(
                    "Someone changed {name} a moment ago; nothing changed. "
                    "Look at it again and hand it over if that still makes sense.",
                    name=account.name,
                )
            )


def _not_theirs_to_hand_over(work: Work, refused: Sequence[Account]) -> str:
    """Why the actor may not hand `refused` over. A temporary owner is told what they
    hold it for; someone else, that it changed hands a moment ago, if it did (they may
    have been looking at it as it was)."""
    first = refused[0]
    message = _(
        "Only the owner, their cover or a manager can hand over {names}.",
        names=", ".join(a.name for a in refused),
    )
    if work.scope.is_responsible(first):
        return _(
            "{refusal} {name} is yours for a period: to work it, not to hand it on.",
            refusal=message,
            name=first.name,
        )
    recent = _recent_handover(work, first)
    if recent is not None:
        return f"{_handed(work, recent, account=first.name)} {message}"
    return message


def _recent_handover(work: Work, account: Account) -> Handover | None:
    """The account's latest handover, if it happened within the last few minutes."""
    return work.session.scalars(
        select(Handover)
        .where(Handover.account_id == account.id, Handover.created_at > work.now - RECENT)
        .order_by(Handover.id.desc())
        .limit(1)
    ).first()


def _handed(
    work: Work, handover: Handover, *, account: str | None = None, book_of: str | None = None
) -> str:
    """Why nothing changed: an `account` ("Acme Corp was") or someone's whole book
    ("Ana's accounts were") went to someone else a moment ago."""
    by = work.session.get(Person, handover.by_id)
    fields = {"to": handover.to.name}
    if book_of is not None:
        if by is None:
            return _(
                "{giver}'s accounts were handed over to {to} a moment ago by someone; "
                "nothing changed.",
                giver=book_of,
                **fields,
            )
        return _(
            "{giver}'s accounts were handed over to {to} a moment ago by {by}; nothing changed.",
            giver=book_of,
            by=by.name,
            **fields,
        )
    if by is None:
        return _(
            "{name} was handed over to {to} a moment ago by someone; nothing changed.",
            name=account,
            **fields,
        )
    return _(
        "{name} was handed over to {to} a moment ago by {by}; nothing changed.",
        name=account,
        by=by.name,
        **fields,
    )


@dataclass(frozen=True)
class BookHandover:
    """What handing over a whole book did: how many accounts, and the first few by name."""

    count: int
    names: list[str]


def book_size(work: Work, giver: Person) -> int:
    """How many accounts `giver` owns, asked before their whole book is handed for good
    (refused, as the handover would be, to whoever may not hand it)."""
    _check_may_hand_book(work, giver)
    count = work.session.scalar(
        select(func.count()).select_from(Account).where(Account.owner_id == giver.id)
    )
    return count or 0


def _check_may_hand_book(work: Work, giver: Person) -> None:
    if (
        giver.id != work.actor.id
        and not work.scope.sees_all
        and giver.id not in work.scope.covered_ids
    ):
        raise NotAllowed(
            _(
                "Only {name}, their cover or a manager can hand over all of their accounts.",
                name=giver.name,
            )
        )


def hand_over_book(
    work: Work, giver: Person, *, to: Person, until_on: date | None, note: str | None
) -> BookHandover:
    """Give every account `giver` owns to `to`, for good or until `until_on` (inclusive).

    A period is one row that covers the book as it is on each day, accounts gained
    meanwhile included. For good, ownership moves with one UPDATE. Either way the cost
    does not grow with the size of the book beyond that UPDATE.
    """
    _check_may_hand_book(work, giver)
    _check_period(work, until_on)
    _claim_book(work, giver)
    # What ran until now ends: an earlier period of the book, and the periods of its
    # accounts (the new handover is the later word on each of them).
    book = select(Account.id).where(Account.owner_id == giver.id)
    # The journal (for undo) is told what these UPDATEs change, from what they return,
    # rather than reading the rows of a whole book before them.
    ended = work.session.scalars(
        update(Handover)
        .where(
            running(Handover, work.today),
            or_(Handover.book_of_id == giver.id, Handover.account_id.in_(book)),
        )
        .values(ended_at=work.now)
        .returning(Handover.id),
        execution_options={"synchronize_session": False, **journal.TOLD},
    ).all()
    journal.updated(
        work.session, Handover, ended, before={"ended_at": None}, after={"ended_at": work.now}
    )
    moved: list[int] = []
    if until_on is None:
        # For good, the UPDATE itself says which accounts moved: no other pass over them.
        rows = work.session.execute(
            update(Account)
            .where(Account.owner_id == giver.id)
            .values(owner_id=to.id, updated_at=work.now, version=Account.version + 1)
            .returning(Account.id, Account.name, Account.name_key),
            execution_options={"synchronize_session": False, **journal.TOLD},
        ).all()
        moved = [id_ for id_, _name, _key in rows]
        journal.updated(
            work.session, Account, moved, before={"owner_id": giver.id}, after={"owner_id": to.id}
        )
        count = len(rows)
        names = [
            name for _id, name, _key in sorted(rows, key=lambda row: row[2])[:BOOK_NAMES_SHOWN]
        ]
    else:
        shown = work.session.execute(
            select(Account.name, func.count().over())
            .where(Account.owner_id == giver.id)
            .order_by(Account.name_key)
            .limit(BOOK_NAMES_SHOWN)
        ).all()
        count = shown[0][1] if shown else 0
        names = [name for name, _count in shown]
    if not count:
        recent = _latest_book_handover(work, giver)
        if recent is not None and recent.created_at > work.now - RECENT:
            raise Conflict(_handed(work, recent, book_of=giver.name))
        raise Invalid(_("{name} owns no accounts.", name=giver.name))
    if moved:
        reindex_accounts(work.session, in_list(work, Account.id, moved), work.now)
    handover = Handover(
        book_of_id=giver.id,
        from_id=giver.id,
        to_id=to.id,
        by_id=work.actor.id,
        until_on=until_on,
        note=(note or "").strip() or None,
        created_at=work.now,
    )
    work.session.add(handover)
    work.session.flush()
    work.audit(
        "account.handover",
        entity="handover",
        entity_id=handover.id,
        book_of_id=giver.id,
        to_id=to.id,
        until_on=until_on.isoformat() if until_on else None,
        accounts=count,
        account_ids=moved or None,
    )
    return BookHandover(count=count, names=names)


def _claim_book(work: Work, giver: Person) -> None:
    """Take turns with any other handover of `giver`'s book, and refuse this one if
    another got in first: the book's latest handover must be the one there was before
    waiting for the lock (PostgreSQL; SQLite has one writer at a time anyway)."""
    seen = _latest_book_handover(work, giver)
    work.session.execute(
        select(Person.id).where(Person.id == giver.id).with_for_update(key_share=True)
    )
    latest = _latest_book_handover(work, giver)
    if latest is not None and latest is not seen:
        raise Conflict(_handed(work, latest, book_of=giver.name))


def _latest_book_handover(work: Work, giver: Person) -> Handover | None:
    return work.session.scalars(
        select(Handover)
        .where(Handover.book_of_id == giver.id)
        .order_by(Handover.id.desc())
        .limit(1)
        .execution_options(populate_existing=True)
    ).first()


def _check_period(work: Work, until_on: date | None) -> None:
    if until_on is not None and until_on < work.today:
        raise Invalid(_("That handover would end in the past; pick a later date."))
