"""The customer's timeline: interactions and the agreements made in them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, update

from hub import ids
from hub.errors import Invalid, NotAllowed, NotFound
from hub.i18n import N_, _, number_text
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
    text = checked_text(text, N_("Say what happened."))
    when = happened_at(work, occurred_at)
    if kind not in set(InteractionKind):
        raise Invalid(
            _("Unknown kind “{kind}”: use {choices}.", kind=kind, choices=choices(InteractionKind))
        )
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
    text = checked_text(text, N_("Say what was agreed."))
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
        raise Invalid(_("An agreement is closed as kept or broken, not “{state}”.", state=state))
    shown = ids.show("agreement", agreement_id)
    agreement = work.session.get(Agreement, agreement_id)
    account = work.session.get(Account, agreement.account_id) if agreement else None
    if agreement is None or account is None or not work.scope.can_read(account):
        raise NotFound(_("There is no agreement {id} that you can see.", id=shown))
    if agreement.state != "open":
        raise Invalid(
            _(
                "Agreement {id} on {name} was already marked {state}.",
                id=shown,
                name=account.name,
                state=agreement.state,
            )
        )
    if not (
        agreement.author_id == work.actor.id
        or work.scope.sees_all
        or work.scope.is_responsible(account)
    ):
        raise NotAllowed(
            _(
                "Only whoever recorded agreement {id}, the owner of {name}, "
                "their cover or a manager can mark it kept or broken.",
                id=shown,
                name=account.name,
            )
        )
    reason = (reason or "").strip() or None
    agreement.state = state
    agreement.closed_at = work.now
    agreement.closed_by_id = work.actor.id
    agreement.reason = checked_text(reason, N_("Say why.")) if reason else None
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
        raise Invalid(_("That hasn't happened yet: when it happened can't be later than now."))
    return when


def checked_text(text: str, missing: str) -> str:
    """`text` stripped; refused when empty (with `missing`, a text marked with `N_`:
    "Say what happened.") or longer than MAX_TEXT."""
    text = text.strip()
    if not text:
        raise Invalid(_(missing))
    if len(text) > MAX_TEXT:
        raise Invalid(
            _(
                "That text is {size} characters; the limit is {limit}.",
                size=number_text(len(text)),
                limit=number_text(MAX_TEXT),
            )
        )
    return text
