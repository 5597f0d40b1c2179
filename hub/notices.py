"""Notices: what a colleague did that a person should hear of, written with the write.

After every `/crm` write the runner hands the change journal's record of it to
`from_change`, which reads what the write did row by row (hub/journal.py) and leaves a
`notice` row, in the same transaction, for

- the receiver of a handover (and its giver, when someone else did it): `handover`;
- the colleague named as cover when an absence is set, changed or cancelled: `cover`;
- the assignee of a follow-up someone else created: `assigned`;
- an account's owner (their cover while they are away) when someone else changes its
  owner, tier, status or visibility, moves one of its deals, or opens a complaint on it:
  `changes`.

The clock writes one more kind of row itself: at the end of a handover period, to both
sides (`periods_ended`). Nobody hears of their own doing, and a muted kind is not written.

A notice holds ids and values, never text to show (nor what a record said, so nothing
outlives a deleted record or a forgotten contact here): `shown` builds what it says for its
reader when it is read (the DM, `mine`), under their access rules at that moment, so a
notice never names an account its reader cannot read. One whose accounts all became
unreadable says nothing at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, BigInteger, String, func, insert, literal, select, union_all, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hub.access import AccessScope
from hub.models import (
    Absence,
    Account,
    Change,
    Complaint,
    Deal,
    Handover,
    Notice,
    Person,
    Task,
)
from hub.people import NOTICE_KINDS, muted_kinds
from hub.settings import Settings
from hub.work import Work, zone_of

HANDOVER, COVER, ASSIGNED, CHANGES = NOTICE_KINDS
# The account columns whose change its owner hears of.
WATCHED = ("owner_id", "tier", "status", "visibility")
# How far back the clock looks for handover periods that ran out (a clock down for days
# still tells; a new hub does not announce last year's).
ENDED_WITHIN = timedelta(days=7)


# -- writing -------------------------------------------------------------------------------


class _Notices:
    """The notices one write leaves, one per (person, kind, subject), skipping the actor
    and muted kinds."""

    def __init__(self, work: Work) -> None:
        self.work = work
        self.rows: dict[tuple[int, str, str], dict[str, Any]] = {}

    def add(self, person_id: int | None, kind: str, subject: str, facts: dict[str, Any]) -> None:
        if person_id is None or person_id == self.work.actor.id:
            return
        self.rows.setdefault((person_id, kind, subject), facts)

    def write(self) -> int:
        """Write the notices, less the kinds their people muted: one INSERT … SELECT from
        `person` that keeps a row only where its kind is not among `person.muted`, so no
        read comes before it. Returns how many were written."""
        if not self.rows:
            return 0
        picks = [
            select(
                Person.id.label("person_id"),
                literal(kind, String()).label("kind"),
                literal(self.work.actor.id, BigInteger()).label("actor_id"),
                literal(facts, JSON()).label("facts"),
                literal(self.work.now, Notice.created_at.type).label("created_at"),
            ).where(
                Person.id == person_id,
                ("," + func.coalesce(Person.muted, "") + ",").not_like(f"%,{kind},%"),
            )
            for (person_id, kind, _subject), facts in self.rows.items()
        ]
        chosen = picks[0] if len(picks) == 1 else union_all(*picks)
        columns = ["person_id", "kind", "actor_id", "facts", "created_at"]
        result = self.work.session.execute(insert(Notice).from_select(columns, chosen))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def from_change(work: Work, change: Change) -> int:
    """The notices `change` (one `/crm` write, as the journal recorded it) leaves."""
    notices = _Notices(work)
    by_table: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for entry in change.rows:
        by_table[entry["table"]].append(entry)
    handed = _handovers(work, notices, by_table.get("handover", []), by_table.get("account", []))
    _absences(work, notices, by_table.get("absence", []))
    _tasks(work, notices, by_table.get("task", []))
    _account_changes(work, notices, by_table, handed_over=handed)
    return notices.write()


def _handovers(
    work: Work,
    notices: _Notices,
    entries: Sequence[Mapping[str, Any]],
    accounts: Sequence[Mapping[str, Any]],
) -> bool:
    """One notice per receiver (and per giver someone else spoke for) of what this write
    handed over; True when it handed anything over."""
    made = [_Made.of(e["ids"][0], e["after"]) for e in entries if e["before"] is None]
    groups: dict[tuple[int, int, int | None], list[_Made]] = defaultdict(list)
    for handover in made:
        groups[(handover.to_id, handover.from_id, handover.book_of_id)].append(handover)
    for (to_id, from_id, book_of), rows in groups.items():
        first = rows[0]
        facts = {
            "event": "start",
            "accounts": [h.account_id for h in rows if h.account_id is not None],
            "book_of": book_of,
            "count": _book_count(work, book_of, first.until_on, accounts) if book_of else None,
            "from": from_id,
            "to": to_id,
            "by": first.by_id,
            "until": first.until_on.isoformat() if first.until_on else None,
            "note": first.note,
            "handover": first.id,
        }
        notices.add(to_id, HANDOVER, f"to:{first.id}", {**facts, "side": "receiver"})
        notices.add(from_id, HANDOVER, f"from:{first.id}", {**facts, "side": "giver"})
    return bool(made)


@dataclass(frozen=True)
class _Made:
    """A handover this write added, as the journal recorded it (no need to read it)."""

    id: int
    account_id: int | None
    book_of_id: int | None
    from_id: int
    to_id: int
    by_id: int
    until_on: date | None
    note: str | None

    @classmethod
    def of(cls, number: int, row: Mapping[str, Any]) -> _Made:
        until = row.get("until_on")
        return cls(
            id=number,
            account_id=row.get("account_id"),
            book_of_id=row.get("book_of_id"),
            from_id=row["from_id"],
            to_id=row["to_id"],
            by_id=row["by_id"],
            until_on=date.fromisoformat(until) if until else None,
            note=row.get("note"),
        )


def _book_count(
    work: Work, book_of: int, until: date | None, accounts: Sequence[Mapping[str, Any]]
) -> int:
    """How many accounts a book held: its giver's now (for a period), or those whose
    owner this write moved from the giver (for good)."""
    if until is None:
        return sum(
            len(e["ids"])
            for e in accounts
            if e["before"] is not None
            and e["after"] is not None
            and e["before"].get("owner_id") == book_of
        )
    count = work.session.scalar(
        select(func.count()).select_from(Account).where(Account.owner_id == book_of)
    )
    return int(count or 0)


def _absences(work: Work, notices: _Notices, entries: Sequence[Mapping[str, Any]]) -> None:
    """Each cover named before or after this write hears of the periods they cover for
    whom: set (none before), cancelled (none after) or changed."""
    periods: dict[tuple[int, int], tuple[list[list[str]], list[list[str]]]] = {}

    def period_of(person: int, cover: int | None, row: Mapping[str, Any], side: int) -> None:
        if cover is None:
            return
        pair = periods.setdefault((person, cover), ([], []))
        pair[side].append([str(row["starts_on"]), str(row["ends_on"])])

    for entry in entries:
        before, after = entry["before"], entry["after"]
        for number in entry["ids"]:
            current = work.session.get(Absence, number)
            if before is not None and after is not None:  # updated: the columns it changed
                if current is None:
                    continue
                row = {
                    "starts_on": current.starts_on.isoformat(),
                    "ends_on": current.ends_on.isoformat(),
                    "cover_id": current.cover_id,
                }
                old = {**row, **before}
                period_of(current.person_id, old["cover_id"], old, 0)
                period_of(current.person_id, current.cover_id, row, 1)
            elif before is not None:
                period_of(before["person_id"], before["cover_id"], before, 0)
            elif after is not None:
                period_of(after["person_id"], after["cover_id"], after, 1)
    for (person, cover), (was, now) in periods.items():
        if sorted(was) == sorted(now):
            continue
        event = "set" if not was else "cancelled" if not now else "changed"
        facts = {"event": event, "absent": person, "before": sorted(was), "after": sorted(now)}
        notices.add(cover, COVER, f"absence:{person}", facts)


def _tasks(work: Work, notices: _Notices, entries: Sequence[Mapping[str, Any]]) -> None:
    for entry in entries:
        if entry["before"] is not None or entry["after"] is None:
            continue
        task = work.session.get(Task, entry["ids"][0])
        if task is None or task.assignee_id == task.created_by_id:
            continue
        facts = {
            "task": task.id,
            "accounts": [task.account_id] if task.account_id else [],
            "due": task.due_at.isoformat(),
        }
        notices.add(task.assignee_id, ASSIGNED, f"task:{task.id}", facts)


def _account_changes(
    work: Work,
    notices: _Notices,
    by_table: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    handed_over: bool,
) -> None:
    """What the owner of each account this write changed hears of it."""
    what: dict[int, list[dict[str, Any]]] = defaultdict(list)
    owners: dict[int, set[int]] = defaultdict(set)
    for entry in by_table.get("account", []):
        before, after = entry["before"], entry["after"]
        if before is None or after is None:
            continue  # a new account is its creator's; a deleted one is nobody's news
        fields = [c for c in WATCHED if c in before and c in after]
        if handed_over:
            fields = [c for c in fields if c != "owner_id"]  # the handover's notice says it
        if not fields:
            continue
        for number in entry["ids"]:
            for column in fields:
                what[number].append({"field": column, "from": before[column], "to": after[column]})
            if "owner_id" in fields:
                owners[number].add(before["owner_id"])
    for entry in by_table.get("deal", []):
        before, after = entry["before"], entry["after"]
        if before is None or after is None or "stage" not in before or "stage" not in after:
            continue
        deal = work.session.get(Deal, entry["ids"][0])
        if deal is None:
            continue
        what[deal.account_id].append(
            {"deal": deal.id, "from": before["stage"], "to": after["stage"]}
        )
    for entry in by_table.get("complaint", []):
        if entry["before"] is not None or entry["after"] is None:
            continue
        complaint = work.session.get(Complaint, entry["ids"][0])
        if complaint is None:
            continue
        what[complaint.account_id].append(
            {"complaint": complaint.id, "severity": complaint.severity}
        )
    if not what:
        return
    accounts = {
        a.id: a for a in work.session.scalars(select(Account).where(Account.id.in_(list(what))))
    }
    for account_id, changes in what.items():
        account = accounts.get(account_id)
        if account is None:
            continue
        facts = {"accounts": [account_id], "changes": changes}
        for owner in {account.owner_id, *owners[account_id]}:
            notices.add(_answering(work, owner), CHANGES, f"account:{account_id}", facts)


def _answering(work: Work, person_id: int) -> int:
    """Who hears of `person_id`'s accounts today: their cover while they are away."""
    cover = work.session.scalar(
        select(Absence.cover_id).where(
            Absence.person_id == person_id,
            Absence.starts_on <= work.today,
            Absence.ends_on >= work.today,
            Absence.cover_id.is_not(None),
        )
    )
    return cover if cover is not None else person_id


def periods_ended(session: Session, settings: Settings, at: datetime) -> int:
    """Write the end-of-period notices of handovers whose last day is over (within
    ENDED_WITHIN), to both sides, once however many clocks ask: each is keyed by its
    handover. Returns how many were written now."""
    earliest = (at - ENDED_WITHIN).date()
    latest = (at + timedelta(days=1)).date()  # a day ahead in no zone is over yet
    candidates = session.scalars(
        select(Handover).where(
            Handover.ended_at.is_(None),
            Handover.until_on.is_not(None),
            Handover.until_on >= earliest,
            Handover.until_on < latest,
        )
    ).all()
    people = {
        p.id: p
        for p in session.scalars(
            select(Person).where(
                Person.id.in_({h.to_id for h in candidates} | {h.from_id for h in candidates})
            )
        )
    }
    written = 0
    dialect = session.get_bind().dialect.name
    insert_once = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for handover in candidates:
        assert handover.until_on is not None
        facts = {
            "event": "end",
            "accounts": [handover.account_id] if handover.account_id else [],
            "book_of": handover.book_of_id,
            "from": handover.from_id,
            "to": handover.to_id,
            "by": handover.by_id,
            "until": handover.until_on.isoformat(),
            "note": handover.note,
            "handover": handover.id,
        }
        for side, person_id in (("receiver", handover.to_id), ("giver", handover.from_id)):
            person = people.get(person_id)
            if person is None or HANDOVER in muted_kinds(person.muted):
                continue
            if at.astimezone(zone_of(person, settings)).date() <= handover.until_on:
                continue  # their last day of it is not over yet
            statement = (
                insert_once(Notice)
                .values(
                    person_id=person_id,
                    kind=HANDOVER,
                    actor_id=None,
                    key=f"handover.end:{handover.id}",
                    facts={**facts, "side": side},
                    created_at=at,
                )
                .on_conflict_do_nothing(index_elements=["person_id", "key"])
                .returning(Notice.id)
            )
            if session.execute(statement).scalar() is not None:
                written += 1
    return written


# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A notice as its reader may read it: account names only of accounts they can read."""

    id: int
    kind: str
    at: datetime
    facts: Mapping[str, Any]
    accounts: tuple[str, ...]  # the names of the accounts it is about that they can read
    people: Mapping[int, str]  # the names of the people it names
    reader_tz: Any
    # The texts of the records it names, as they are now: ("task", 3) → its text,
    # ("deal", 5) → (title, lost reason), ("complaint", 2) → its text. A record deleted
    # since is missing, and so is what it said (a forgotten contact's name goes with it).
    texts: Mapping[tuple[str, int], Any]


def shown(
    session: Session, person: Person, notices: Iterable[Notice], today: date, tz: Any
) -> list[Shown]:
    """What each of `notices` says to `person` today; a notice about accounts none of
    which they may read says nothing and is left out."""
    notices = list(notices)
    scope = AccessScope.load(session, person, today)
    wanted = {a for n in notices for a in n.facts.get("accounts") or []}
    accounts = (
        {a.id: a for a in session.scalars(select(Account).where(Account.id.in_(wanted)))}
        if wanted
        else {}
    )
    named: set[int] = set()
    for notice in notices:
        facts = notice.facts
        named |= {facts[k] for k in ("from", "to", "by", "absent", "book_of") if facts.get(k)}
        for change in facts.get("changes") or []:
            if change.get("field") == "owner_id":
                named |= {change["from"], change["to"]}
        if notice.actor_id:
            named.add(notice.actor_id)
    people = (
        {p.id: p.name for p in session.scalars(select(Person).where(Person.id.in_(named)))}
        if named
        else {}
    )
    texts = _texts(session, notices)
    started = [n.facts["handover"] for n in notices if _starts_handover(n)]
    standing = (
        set(session.scalars(select(Handover.id).where(Handover.id.in_(started))))
        if started
        else set()
    )
    result = []
    for notice in notices:
        if notice.kind == ASSIGNED and ("task", notice.facts.get("task")) not in texts:
            continue  # the follow-up is gone
        if _starts_handover(notice) and notice.facts["handover"] not in standing:
            continue  # the handover was undone
        about = [accounts.get(a) for a in notice.facts.get("accounts") or []]
        readable = tuple(a.name for a in about if a is not None and scope.can_read(a))
        if about and not readable and not _says_without_accounts(notice):
            continue
        result.append(
            Shown(
                id=notice.id,
                kind=notice.kind,
                at=notice.created_at,
                facts={**notice.facts, "actor": notice.actor_id},
                accounts=readable,
                people=people,
                reader_tz=tz,
                texts=texts,
            )
        )
    return result


def _texts(session: Session, notices: Sequence[Notice]) -> dict[tuple[str, int], Any]:
    """What the records the notices name say now, read in one query per kind."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for notice in notices:
        if notice.kind == ASSIGNED:
            wanted["task"].add(notice.facts["task"])
        for change in notice.facts.get("changes") or []:
            for kind in ("deal", "complaint"):
                if kind in change:
                    wanted[kind].add(change[kind])
    texts: dict[tuple[str, int], Any] = {}
    if wanted["task"]:
        for number, text in session.execute(
            select(Task.id, Task.text).where(Task.id.in_(wanted["task"]))
        ):
            texts[("task", number)] = text
    if wanted["deal"]:
        for number, title, reason in session.execute(
            select(Deal.id, Deal.title, Deal.lost_reason).where(Deal.id.in_(wanted["deal"]))
        ):
            texts[("deal", number)] = (title, reason)
    if wanted["complaint"]:
        for number, text in session.execute(
            select(Complaint.id, Complaint.text).where(Complaint.id.in_(wanted["complaint"]))
        ):
            texts[("complaint", number)] = text
    return texts


def _starts_handover(notice: Notice) -> bool:
    return notice.kind == HANDOVER and notice.facts.get("event") == "start"


def _says_without_accounts(notice: Notice) -> bool:
    """A handover's end and a follow-up say something with no account named: whose
    accounts are theirs again, what to do. A change to an account is only about it."""
    return notice.kind == ASSIGNED or (
        notice.kind == HANDOVER and notice.facts.get("event") == "end"
    )


def unseen(work: Work) -> list[Shown]:
    """The acting person's notices not seen yet, oldest first, marked seen now."""
    rows = work.session.scalars(
        select(Notice)
        .where(Notice.person_id == work.actor.id, Notice.seen_at.is_(None))
        .order_by(Notice.id)
    ).all()
    if not rows:
        return []
    work.session.execute(
        update(Notice)
        .where(Notice.id.in_([n.id for n in rows]))
        .values(seen_at=work.now)
        .execution_options(synchronize_session=False)
    )
    return shown(work.session, work.actor, rows, work.today, work.tz)
