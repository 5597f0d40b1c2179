"""Deals through the sales funnel, with every stage change kept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hub import ids
from hub.errors import Invalid, NotFound
from hub.i18n import N_, _
from hub.interactions import checked_text
from hub.models import Account, Deal, DealStageChange, Stage
from hub.segments import free_text, source_name
from hub.vocabulary import check_choice
from hub.work import Work

OPEN_STAGES = (Stage.LEAD, Stage.QUALIFIED, Stage.PROPOSAL, Stage.NEGOTIATION)
PROBABILITY: dict[str, Decimal] = {
    Stage.LEAD: Decimal("0.10"),
    Stage.QUALIFIED: Decimal("0.25"),
    Stage.PROPOSAL: Decimal("0.50"),
    Stage.NEGOTIATION: Decimal("0.75"),
    Stage.WON: Decimal("1"),
    Stage.LOST: Decimal("0"),
}


def open_deal(
    work: Work,
    account: Account,
    *,
    title: str,
    amount: Decimal | None,
    currency: str | None,
    stage: str,
    close_on: date | None,
    source: str | None = None,
    campaign: str | None = None,
) -> Deal:
    title = checked_text(title, N_("Say what the deal is."))
    _check_stage(stage)
    if amount is not None and amount < 0:
        raise Invalid(_("A deal's amount can't be negative."))
    deal = Deal(
        account_id=account.id,
        owner_id=account.owner_id,
        title=title[:300],
        amount=amount,
        currency=currency or work.settings.currency,  # typed without one: the hub's
        stage=stage,
        close_on=close_on,
        source=source_name(source),
        campaign=free_text("campaign", campaign),
        created_at=work.now,
        closed_at=work.now if stage in (Stage.WON, Stage.LOST) else None,
    )
    work.session.add(deal)
    work.session.flush()
    work.session.add(
        DealStageChange(
            deal_id=deal.id,
            from_stage=None,
            to_stage=stage,
            changed_at=work.now,
            changed_by_id=work.actor.id,
        )
    )
    work.audit("deal.create", entity="deal", entity_id=deal.id, account_id=account.id, stage=stage)
    return deal


def readable_deal(work: Work, deal_id: int, *, lock: bool = False) -> tuple[Deal, Account]:
    """The deal and its account, if the person may see them; with `lock`, the deal's row
    is locked until the transaction ends, so concurrent changes to it take turns."""
    deal = work.session.get(Deal, deal_id, with_for_update={"key_share": True} if lock else None)
    account = work.session.get(Account, deal.account_id) if deal else None
    if deal is None or account is None or not work.scope.can_read(account):
        raise NotFound(_("There is no deal {id} that you can see.", id=ids.show("deal", deal_id)))
    return deal, account


def move_deal(
    work: Work, deal_id: int, stage: str, *, reason: str | None = None
) -> tuple[Deal, Account, str]:
    """Move a deal to `stage`; returns the deal, its account and the stage it left."""
    _check_stage(stage)
    # Locked before reading its stage: of two moves at once, the second waits and then
    # starts from the stage the first left, so the history chains without gaps.
    deal, account = readable_deal(work, deal_id, lock=True)
    previous = deal.stage
    if previous == stage:
        raise Invalid(
            _("Deal {id} is already at {stage}.", id=ids.show("deal", deal_id), stage=stage)
        )
    if previous in (Stage.WON, Stage.LOST) and stage in (Stage.WON, Stage.LOST):
        raise Invalid(
            _(
                "Deal {id} is already closed as {stage}; reopen it with a stage first.",
                id=ids.show("deal", deal_id),
                stage=previous,
            )
        )
    deal.stage = stage
    if stage in (Stage.WON, Stage.LOST):
        deal.closed_at = work.now
        deal.lost_reason = (reason or "").strip() or None if stage == Stage.LOST else None
    else:
        deal.closed_at = None
        deal.lost_reason = None
    work.session.add(
        DealStageChange(
            deal_id=deal.id,
            from_stage=previous,
            to_stage=stage,
            changed_at=work.now,
            changed_by_id=work.actor.id,
        )
    )
    work.audit(
        "deal.stage",
        entity="deal",
        entity_id=deal.id,
        account_id=account.id,
        from_stage=previous,
        to_stage=stage,
    )
    return deal, account, previous


def _check_stage(stage: str) -> None:
    check_choice(N_("Stage"), stage, Stage)
