"""Read models: the whois card and "my day" (the digest is in `hub.digest`).

Each is built with a fixed number of queries, whatever the size of the account or hub:
lists are limited in SQL and totals come from aggregates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Executable,
    Row,
    String,
    and_,
    bindparam,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.orm import aliased, joinedload

from hub.coverage import Responsibility, active_handovers, responsibility, running_handovers
from hub.i18n import _, day_text
from hub.models import (
    Absence,
    Account,
    AccountAlias,
    Agreement,
    Complaint,
    Contact,
    Deal,
    Interaction,
    Person,
    Task,
)
from hub.money import Totals, currency_sums, parse_currency_sums
from hub.pipeline import OPEN_STAGES
from hub.work import Work

CONTACTS_SHOWN = 8
LIST_SHOWN = 5


@dataclass
class WhoisCard:
    """The account and its sections. Sections are plain rows, not mapped objects: a card
    is read and shown once, and loading entities costs more than the queries do."""

    account: Account
    responsibility: Responsibility
    aliases: list[str]
    contacts: Sequence[Row[Any]]
    contact_count: int
    agreements: Sequence[Row[Any]]
    complaints: Sequence[Row[Any]]
    complaint_count: int
    deals: Sequence[Row[Any]]
    deal_count: int
    pipeline_value: Totals
    interactions: Sequence[Row[Any]]
    next_task: Row[Any] | None


# The card's statements are built once; each list comes with its total in the same
# statement (a window count over the matching rows, computed before the LIMIT).
ACCOUNT_ID = bindparam("account_id", type_=BigInteger)
HUB_CURRENCY = bindparam("hub_currency", type_=String, literal_execute=True)
Author = aliased(Person)
ALIASES = (
    select(AccountAlias.alias)
    .where(AccountAlias.account_id == ACCOUNT_ID)
    .order_by(AccountAlias.id)
)
CONTACTS = (
    select(
        Contact.name,
        Contact.role,
        Contact.title,
        Contact.email,
        Contact.phone,
        func.count().over().label("total"),
    )
    .where(Contact.account_id == ACCOUNT_ID)
    .order_by(Contact.name_key)
    .limit(CONTACTS_SHOWN)
)
AGREEMENTS = (
    select(
        Agreement.id,
        Agreement.text,
        Agreement.due_on,
        Agreement.state,
        Agreement.reason,
        Agreement.edited_at,
    )
    .where(Agreement.account_id == ACCOUNT_ID)
    .order_by(Agreement.created_at.desc(), Agreement.id.desc())
    .limit(3)
)
COMPLAINTS = (
    select(
        Complaint.id,
        Complaint.text,
        Complaint.severity,
        Complaint.status,
        Complaint.opened_at,
        Complaint.sla_due_at,
        Complaint.edited_at,
        func.count().over().label("total"),
    )
    .where(Complaint.account_id == ACCOUNT_ID, Complaint.status == "open")
    .order_by(Complaint.sla_due_at)
    .limit(LIST_SHOWN)
)
# The open deals' sums, one per currency, come with the first deals as one more column.
Summed = aliased(Deal)
DEALS = (
    select(
        Deal.id,
        Deal.title,
        Deal.stage,
        Deal.amount,
        Deal.currency,
        Deal.close_on,
        func.count().over().label("total"),
        currency_sums(
            Summed.amount,
            Summed.currency,
            HUB_CURRENCY,
            Summed.account_id == ACCOUNT_ID,
            Summed.stage.in_(OPEN_STAGES),
        ).label("value"),
    )
    .where(Deal.account_id == ACCOUNT_ID, Deal.stage.in_(OPEN_STAGES))
    .order_by(Deal.close_on, Deal.id)
    .limit(LIST_SHOWN)
)
INTERACTIONS = (
    select(
        Interaction.id,
        Interaction.occurred_at,
        Interaction.kind,
        Interaction.text,
        Interaction.edited_at,
        Contact.name.label("contact_name"),
        Author.name.label("author_name"),
    )
    .join(Author, Author.id == Interaction.author_id)
    .outerjoin(Contact, Contact.id == Interaction.contact_id)
    .where(Interaction.account_id == ACCOUNT_ID)
    .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
    .limit(3)
)
NEXT_TASK = (
    select(Task.id, Task.text, Task.due_at, Task.edited_at, Person.name.label("assignee_name"))
    .join(Person, Person.id == Task.assignee_id)
    .where(Task.account_id == ACCOUNT_ID, Task.status == "open")
    .order_by(Task.due_at)
    .limit(1)
)


def whois_card(work: Work, account: Account) -> WhoisCard:
    connection = work.session.connection()
    hub_currency = work.settings.currency
    params = {"account_id": account.id, "hub_currency": hub_currency}

    def rows(statement: Executable) -> Sequence[Row[Any]]:
        return connection.execute(statement, params).all()

    contacts, complaints, deals = rows(CONTACTS), rows(COMPLAINTS), rows(DEALS)
    tasks = rows(NEXT_TASK)
    return WhoisCard(
        account=account,
        responsibility=responsibility(work, account, work.today),
        aliases=[alias for (alias,) in rows(ALIASES)],
        contacts=contacts,
        contact_count=contacts[0].total if contacts else 0,
        agreements=rows(AGREEMENTS),
        complaints=complaints,
        complaint_count=complaints[0].total if complaints else 0,
        deals=deals,
        deal_count=deals[0].total if deals else 0,
        pipeline_value=parse_currency_sums(deals[0].value if deals else None, hub_currency),
        interactions=rows(INTERACTIONS),
        next_task=tasks[0] if tasks else None,
    )


@dataclass
class MyDay:
    tasks_due: list[Task]
    tasks_upcoming: list[Task]
    agreements_due: list[tuple[Agreement, str]]  # with the account's name
    # (id, name, tier, owner) with why, in the reader's language: "covering for X",
    # "handed to you by X until ..."; "owner" (untranslated, never shown) for their own
    accounts: list[tuple[Row[int, str, str, int], str]]
    account_count: int
    complaints_over_sla: list[tuple[Complaint, str]]
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
    # Accounts are read as the columns shown, not as entities: an entity brings its
    # owner along (a join per row) that nobody here looks at.
    agreements = session.execute(
        select(Agreement, Account.name)
        .join(Account, Account.id == Agreement.account_id)
        .where(responsible, Agreement.state == "open")
        .where(Agreement.due_on <= work.today + timedelta(days=7))
        .where(Agreement.due_on >= work.today - timedelta(days=90))
        .order_by(Agreement.due_on)
        .limit(10)
    ).all()
    accounts = session.execute(
        select(Account.id, Account.name, Account.tier, Account.owner_id)
        .where(responsible)
        .order_by(Account.tier, Account.name_key)
        .limit(15)
    ).all()
    account_count = (
        session.scalar(select(func.count()).select_from(Account).where(responsible)) or 0
    )
    complaints = session.execute(
        select(Complaint, Account.name)
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
            given = handovers[account.id]
            # An active handover is one for a period: it has its last day.
            until = day_text(given.until_on) if given.until_on is not None else ""
            why = (
                _(
                    "handed to you by {name} until {day}: {note}",
                    name=given.by.name,
                    day=until,
                    note=given.note,
                )
                if given.note
                else _(
                    "handed to you by {name} until {day}",
                    name=given.by.name,
                    day=until,
                )
            )
        elif account.owner_id in covered_names:
            why = _("covering for {name}", name=covered_names[account.owner_id])
        else:
            why = "owner"  # not shown: the reader owns it
        described.append((account, why))
    return MyDay(
        tasks_due=list(tasks_due),
        tasks_upcoming=list(upcoming),
        agreements_due=[(a, name) for a, name in agreements],
        accounts=described,
        account_count=account_count,
        complaints_over_sla=[(c, name) for c, name in complaints],
        covering=list(covering),
    )
