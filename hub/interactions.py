"""The customer's timeline: interactions and the agreements made in them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, update

from hub import ids
from hub.errors import Invalid, NotAllowed, NotFound
from hub.models import Account, Agreement, Contact, Interaction, InteractionKind
from hub.vocabulary import choices
from hub.work import Work

MAX_TEXT = 20_000


def log_interaction(
    work: Work,
    account: Account,
    *,
    kind: str,
    text: str,
    contact: Contact | None = None,
    occurred_at: datetime | None = None,
) -> Interaction:
    """Record a call, e-mail, meeting... that happened now (or at `occurred_at`, earlier),
    and mark the account as contacted then, unless it was contacted since."""
    text = checked_text(text, "what happened")
    when = happened_at(work, occurred_at)
    if kind not in set(InteractionKind):
        raise Invalid(f"Unknown kind “{kind}”: use {choices(InteractionKind)}.")
    interaction = Interaction(
        account_id=account.id,
        contact_id=contact.id if contact else None,
        author_id=work.actor.id,
        kind=kind,
        text=text,
        source=work.source,
        occurred_at=when,
    )
    work.session.add(interaction)
    work.session.flush()
    # "Latest wins" in SQL, not a versioned ORM update of the account: twenty people
    # logging on the same account at once are all saved, none refused as a conflicting
    # edit, and the account keeps the latest time whatever order they commit in.
    work.session.execute(
        update(Account)
        .where(
            Account.id == account.id,
            or_(Account.last_contact_at.is_(None), Account.last_contact_at < when),
        )
        .values(last_contact_at=when),
        execution_options={"synchronize_session": "evaluate"},
    )
    work.audit(
        "interaction.log",
        entity="interaction",
        entity_id=interaction.id,
        account_id=account.id,
        kind=kind,
    )
    return interaction


def record_agreement(
    work: Work,
    account: Account,
    *,
    text: str,
    due_on: date | None,
    agreed_at: datetime | None = None,
) -> Agreement:
    text = checked_text(text, "what was agreed")
    agreement = Agreement(
        account_id=account.id,
        author_id=work.actor.id,
        text=text,
        due_on=due_on,
        created_at=happened_at(work, agreed_at),
    )
    work.session.add(agreement)
    work.session.flush()
    work.audit(
        "agreement.create",
        entity="agreement",
        entity_id=agreement.id,
        account_id=account.id,
        due_on=due_on.isoformat() if due_on else None,
    )
    return agreement


AGREEMENT_CLOSED = ("kept", "broken")


def close_agreement(
    work: Work, agreement_id: int, *, state: str, reason: str | None = None
) -> tuple[Agreement, Account]:
    """Say an agreement was kept or broken (with why). Its author, whoever answers for the
    account (owner, cover, temporary owner) and managers may; to anyone who may not read
    the account it does not exist."""
    if state not in AGREEMENT_CLOSED:
        raise Invalid(f"An agreement is closed as kept or broken, not “{state}”.")
    shown = ids.show("agreement", agreement_id)
    agreement = work.session.get(Agreement, agreement_id)
    account = work.session.get(Account, agreement.account_id) if agreement else None
    if agreement is None or account is None or not work.scope.can_read(account):
        raise NotFound(f"There is no agreement {shown} that you can see.")
    if agreement.state != "open":
        raise Invalid(f"Agreement {shown} on {account.name} was already marked {agreement.state}.")
    if not (
        agreement.author_id == work.actor.id
        or work.scope.sees_all
        or work.scope.is_responsible(account)
    ):
        raise NotAllowed(
            f"Only whoever recorded agreement {shown}, the owner of {account.name}, "
            "their cover or a manager can mark it kept or broken."
        )
    reason = (reason or "").strip() or None
    agreement.state = state
    agreement.closed_at = work.now
    agreement.closed_by_id = work.actor.id
    agreement.reason = checked_text(reason, "why") if reason else None
    work.audit(
        f"agreement.{state}",
        entity="agreement",
        entity_id=agreement.id,
        account_id=account.id,
    )
    return agreement, account


def happened_at(work: Work, when: datetime | None) -> datetime:
    """When something being recorded happened: now, or a moment already past."""
    if when is None:
        return work.now
    if when > work.now:
        raise Invalid("That hasn't happened yet: when it happened can't be later than now.")
    return when


def checked_text(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise Invalid(f"Say {what}.")
    if len(text) > MAX_TEXT:
        raise Invalid(f"That text is {len(text):,} characters; the limit is {MAX_TEXT:,}.")
    return text
