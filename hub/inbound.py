"""Traffic from outside, written into the hub: a web lead or an inbound e-mail.

Both arrive without a team member behind them. A lead is written in the name of the
person it is assigned to (the account's owner, or the one a rule or the round-robin
picks), with source "web"; an e-mail from a known contact in the name of the account's
owner, with source "email". A sender no contact has waits in triage. Where each lands is
`hub.routing`'s; reading a web form or an e-mail is `integrations.intake`'s.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub import ids
from hub.account_rules import Segments
from hub.accounts import save_account, save_contact
from hub.errors import HubError
from hub.interactions import MAX_TEXT, log_interaction
from hub.models import Account, Contact, InboundEmail, Person, RoundRobin, Visibility
from hub.people import resolve_mention
from hub.routing import account_for_domain, company_domain, contact_for_address, unused_account_name
from hub.segments import LIMITS, source_name
from hub.text import fold
from hub.vocabulary import MAX_NAME, fitting
from hub.work import Work, Workplace

CUT = "\n… (cut here: the whole e-mail is kept with the message)"


class LeadFacts(Protocol):
    """What the hub needs of a lead, however it was read (`integrations.intake.Lead`)."""

    @property
    def email(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def company(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def title(self) -> str | None: ...
    @property
    def source(self) -> str | None: ...
    @property
    def campaign(self) -> str | None: ...
    def fields(self) -> dict[str, str]: ...
    def text(self) -> str: ...


class MessageFacts(Protocol):
    """What the hub needs of an inbound e-mail (`integrations.intake.InboundMessage`)."""

    @property
    def sender(self) -> str: ...
    @property
    def sender_name(self) -> str | None: ...
    @property
    def subject(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def message_id(self) -> str: ...


@dataclass(frozen=True)
class Rule:
    """`field=pattern:@person`: a lead whose field matches (shell-style) goes to person."""

    field: str
    pattern: str
    person: str

    def matches(self, lead: Mapping[str, str]) -> bool:
        value = lead.get(self.field, "")
        return bool(value) and fnmatch.fnmatch(value.lower(), self.pattern.lower())


@dataclass(frozen=True)
class Assignment:
    """Who gets new leads: the first matching rule, else the next person of the pool."""

    rules: tuple[Rule, ...] = ()
    pool: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Assignment:
        rules = []
        for item in (env.get("RELEVO_INTAKE_RULES") or "").split(";"):
            condition, _, person = item.strip().rpartition(":")
            name, eq, pattern = condition.partition("=")
            if not (eq and person.strip() and name.strip()):
                continue
            rules.append(Rule(name.strip().lower(), pattern.strip(), person.strip()))
        pool = tuple(
            p.strip() for p in (env.get("RELEVO_INTAKE_OWNERS") or "").split(",") if p.strip()
        )
        return cls(rules=tuple(rules), pool=pool)

    def pick(self, session: Session, lead: Mapping[str, str]) -> Person | None:
        for rule in self.rules:
            if rule.matches(lead):
                return resolve_mention(session, rule.person)
        if not self.pool:
            return None
        turn = session.scalar(
            select(RoundRobin).where(RoundRobin.pool == "leads").with_for_update()
        )
        if turn is None:
            turn = RoundRobin(pool="leads", position=0)
            session.add(turn)
        person = resolve_mention(session, self.pool[turn.position % len(self.pool)])
        turn.position = (turn.position + 1) % len(self.pool)
        return person


@dataclass(frozen=True)
class LeadOutcome:
    interaction_id: int
    account_id: int
    account: str
    contact: str
    owner_id: int
    owner: str
    owner_locale: str | None  # the language their notice is written in (None: the hub's)
    new_account: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "interaction_id": self.interaction_id,
            "account": self.account,
            "contact": self.contact,
            "owner": self.owner,
            "new_account": self.new_account,
        }


def file_lead(
    workplace: Workplace, session: Session, lead: LeadFacts, assignment: Assignment
) -> LeadOutcome:
    """Match or create the account and contact of a web lead and log it on the timeline,
    in the name of the one it is assigned to. The lead is routed by its address alone
    (hub.routing); an account or contact that already exists is written to only by the
    new interaction on its timeline."""
    now = workplace.clock.now()
    domain = company_domain(lead.email)
    contact = contact_for_address(session, lead.email)
    account = (
        session.get(Account, contact.account_id)
        if contact is not None
        else account_for_domain(session, domain)
        if domain
        else None
    )
    owner = (
        session.get(Person, account.owner_id)
        if account is not None
        else assignment.pick(session, lead.fields())
    )
    if owner is None:
        raise HubError(
            "No one to assign leads to: set RELEVO_INTAKE_OWNERS or RELEVO_INTAKE_RULES."
        )
    work = workplace.within(session, owner, source="web", now=now)
    new_account = account is None
    if account is None:
        name = unused_account_name(
            session, lead.company or domain or lead.name, domain or lead.email
        )
        # Private to the one it is assigned to (and managers) until they share it: a
        # lead that lands on a colleague's account instead shows nobody anything new.
        account = save_account(  # type: ignore[assignment]
            work,
            name=name,
            owner=owner,
            domain=domain,
            status="prospect",
            visibility=Visibility.PRIVATE,
            segments=_tracking(lead),
        ).record
    assert isinstance(account, Account)
    if contact is None:
        contact = _new_contact(work, account, lead)
    interaction = log_interaction(work, account, kind="web", text=lead.text(), contact=contact)
    return LeadOutcome(
        interaction_id=interaction.id,
        account_id=account.id,
        account=account.name,
        contact=contact.name if contact is not None else lead.name,
        owner_id=owner.id,
        owner=owner.name,
        owner_locale=owner.locale,
        new_account=new_account,
    )


def _tracking(lead: LeadFacts) -> Segments:
    """The lead's source and campaign as a new account's: cut to fit, never a reason to
    drop the lead. An account that exists keeps its own (a form changes no account)."""
    source, campaign = lead.source, lead.campaign
    return Segments(
        source=source_name(" ".join(source.split()).lower()[: LIMITS["source"]])
        if source
        else None,
        campaign=" ".join(campaign.split())[: LIMITS["campaign"]] if campaign else None,
    )


def _new_contact(work: Work, account: Account, lead: LeadFacts) -> Contact | None:
    """The lead as a new contact of `account`; none when the account already has someone
    of that name (their record is theirs: a form cannot change their address or phone)."""
    name = fitting(lead.name, MAX_NAME)
    if work.session.scalar(
        select(Contact.id).where(Contact.account_id == account.id, Contact.name_key == fold(name))
    ):
        return None
    saved = save_contact(
        work,
        account,
        name=name,
        email=lead.email,
        phone=lead.phone,
        title=lead.title[:120] if lead.title else None,
    )
    assert isinstance(saved.record, Contact)
    return saved.record


@dataclass(frozen=True)
class EmailOutcome:
    status: str  # logged / triage / duplicate
    interaction_id: int | None = None
    account: str | None = None

    def describe(self) -> str:
        if self.status == "logged":
            shown = ids.show("interaction", self.interaction_id or 0)
            return f"logged on {self.account} as interaction {shown}"
        if self.status == "triage":
            return "unknown sender: left in triage"
        return "already received (same Message-ID)"

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "interaction_id": self.interaction_id,
            "account": self.account,
        }


def file_email(
    workplace: Workplace, session: Session, message: MessageFacts, channel: str
) -> EmailOutcome:
    """Log an inbound e-mail on its sender's account, or leave it in triage; once per id."""
    seen = session.scalar(select(InboundEmail).where(InboundEmail.message_id == message.message_id))
    if seen is not None:
        return EmailOutcome("duplicate", seen.interaction_id)
    now = workplace.clock.now()
    record = InboundEmail(
        message_id=message.message_id,
        sender=message.sender,
        sender_name=message.sender_name,
        subject=message.subject,
        text=message.text,
        received_at=now,
        channel=channel,
        status="triage",
    )
    session.add(record)
    contact = contact_for_address(session, message.sender)
    if contact is None:
        session.flush()
        return EmailOutcome("triage")
    account = session.get(Account, contact.account_id)
    assert account is not None
    owner = session.get(Person, account.owner_id)
    assert owner is not None
    work = workplace.within(session, owner, source=channel, now=now)
    text = f"{message.subject}\n{message.text}".strip()
    if len(text) > MAX_TEXT:
        # The whole message stays in inbound_email; the timeline says it was cut.
        text = text[: MAX_TEXT - len(CUT)] + CUT
    interaction = log_interaction(work, account, kind="email", text=text, contact=contact)
    record.interaction_id = interaction.id
    record.status = "logged"
    session.flush()
    return EmailOutcome("logged", interaction.id, account.name)
