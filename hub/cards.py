"""Read models: the whois card and "my day" (the digest is in `hub.digest`).

Each is built with a fixed number of queries, whatever the size of the account or hub:
lists are limited in SQL and totals come from aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import joinedload

from hub.coverage import Responsibility, active_handovers, responsibility, running_handovers
from hub.models import (
    Absence,
    Account,
    Agreement,
    Complaint,
    Contact,
    Deal,
    Interaction,
    Task,
)
from hub.pipeline import OPEN_STAGES
from hub.work import Work

CONTACTS_SHOWN = 8
LIST_SHOWN = 5


@dataclass
class WhoisCard:
    account: Account
    responsibility: Responsibility
    contacts: list[Contact]
    contact_count: int
    agreements: list[Agreement]
    complaints: list[Complaint]
    complaint_count: int
    deals: list[Deal]
    deal_count: int
    pipeline_value: Decimal
    interactions: list[Interaction]
    next_task: Task | None


def whois_card(work: Work, account: Account) -> WhoisCard:
    session = work.session
    aid = account.id
    # Each list comes with its total in the same statement (a window count over the
    # matching rows, computed before the LIMIT): one round trip per list, not two.
    contact_rows = session.execute(
        select(Contact, func.count().over())
        .where(Contact.account_id == aid)
        .order_by(Contact.name_key)
        .limit(CONTACTS_SHOWN)
    ).all()
    contacts = [row[0] for row in contact_rows]
    contact_count = contact_rows[0][1] if contact_rows else 0
    agreements = session.scalars(
        select(Agreement)
        .where(Agreement.account_id == aid)
        .order_by(Agreement.created_at.desc(), Agreement.id.desc())
        .limit(3)
    ).all()
    complaint_rows = session.execute(
        select(Complaint, func.count().over())
        .where(Complaint.account_id == aid, Complaint.status == "open")
        .order_by(Complaint.sla_due_at)
        .limit(LIST_SHOWN)
    ).all()
    complaints = [row[0] for row in complaint_rows]
    complaint_count = complaint_rows[0][1] if complaint_rows else 0
    deal_rows = session.execute(
        select(Deal, func.count().over(), func.sum(Deal.amount).over())
        .where(Deal.account_id == aid, Deal.stage.in_(OPEN_STAGES))
        .order_by(Deal.close_on, Deal.id)
        .limit(LIST_SHOWN)
    ).all()
    deals = [row[0] for row in deal_rows]
    deal_count, pipeline_value = (deal_rows[0][1], deal_rows[0][2]) if deal_rows else (0, 0)
    interactions = session.scalars(
        select(Interaction)
        .options(joinedload(Interaction.contact), joinedload(Interaction.author))
        .where(Interaction.account_id == aid)
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(3)
    ).all()
    next_task = session.scalar(
        select(Task)
        .options(joinedload(Task.assignee))
        .where(Task.account_id == aid, Task.status == "open")
        .order_by(Task.due_at)
        .limit(1)
    )
    return WhoisCard(
        account=account,
        responsibility=responsibility(work, account, work.today),
        contacts=list(contacts),
        contact_count=contact_count,
        agreements=list(agreements),
        complaints=list(complaints),
        complaint_count=complaint_count,
        deals=list(deals),
        deal_count=deal_count,
        pipeline_value=Decimal(pipeline_value or 0),
        interactions=list(interactions),
        next_task=next_task,
    )


@dataclass
class MyDay:
    tasks_due: list[Task]
    tasks_upcoming: list[Task]
    agreements_due: list[tuple[Agreement, Account]]
    accounts: list[tuple[Account, str]]  # with why: "owner", "covering for X", "until ..."
    account_count: int
    complaints_over_sla: list[tuple[Complaint, Account]]
    covering: list[Absence] = field(default_factory=list)


def my_day(work: Work) -> MyDay:
    session, scope = work.session, work.scope
    me = work.actor.id
    people = {me, *scope.covered_ids}
    end_of_today = datetime.combine(work.today + timedelta(days=1), time(), work.tz)
    running = running_handovers(work.today)
    handed_away = select(running.c.account_id).where(running.c.to_id != me)
    responsible = or_(
        and_(
            Account.owner_id.in_(people | scope.handed_owner_ids),
            Account.id.not_in(handed_away),
        ),
        Account.id.in_(scope.handed_account_ids) if scope.handed_account_ids else false(),
    )
    open_tasks = (
        select(Task)
        .options(joinedload(Task.assignee), joinedload(Task.account))
        .where(Task.status == "open", Task.assignee_id.in_(people))
    )
    tasks_due = session.scalars(
        open_tasks.where(Task.due_at < end_of_today).order_by(Task.due_at).limit(20)
    ).all()
    upcoming = session.scalars(
        open_tasks.where(
            Task.due_at >= end_of_today, Task.due_at < end_of_today + timedelta(days=7)
        )
        .order_by(Task.due_at)
        .limit(LIST_SHOWN)
    ).all()
    agreements = session.execute(
        select(Agreement, Account)
        .join(Account, Account.id == Agreement.account_id)
        .where(responsible, Agreement.due_on <= work.today + timedelta(days=7))
        .where(Agreement.due_on >= work.today - timedelta(days=90))
        .order_by(Agreement.due_on)
        .limit(10)
    ).all()
    accounts = (
        session.scalars(
            select(Account).where(responsible).order_by(Account.tier, Account.name_key).limit(15)
        )
        .unique()
        .all()
    )
    account_count = (
        session.scalar(select(func.count()).select_from(Account).where(responsible)) or 0
    )
    complaints = session.execute(
        select(Complaint, Account)
        .join(Account, Account.id == Complaint.account_id)
        .where(responsible, Complaint.status == "open", Complaint.sla_due_at < work.now)
        .order_by(Complaint.sla_due_at)
        .limit(10)
    ).all()
    covering = session.scalars(
        select(Absence)
        .options(joinedload(Absence.person))
        .where(
            Absence.cover_id == me, Absence.starts_on <= work.today, Absence.ends_on >= work.today
        )
    ).all()
    covered_names = {a.person_id: a.person.name for a in covering}
    handovers = active_handovers(work, [a.id for a in accounts], work.today)
    described = []
    for account in accounts:
        if account.id in handovers and account.owner_id != me:
            why = f"handed to you until {handovers[account.id].until_on:%a %d %b}"
        elif account.owner_id in covered_names:
            why = f"covering for {covered_names[account.owner_id]}"
        else:
            why = "owner"
        described.append((account, why))
    return MyDay(
        tasks_due=list(tasks_due),
        tasks_upcoming=list(upcoming),
        agreements_due=[(a, acc) for a, acc in agreements],
        accounts=described,
        account_count=account_count,
        complaints_over_sla=[(c, acc) for c, acc in complaints],
        covering=list(covering),
    )
