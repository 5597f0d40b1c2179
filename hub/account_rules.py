"""The rules of an account write, for a `/crm account` line and an import row alike.

`hub.accounts.save_account` writes one account through the ORM and `hub.bulk.accounts`
writes thousands with a few statements; both take the values to set from
`account_values` and ask `managed_refusal` whether the person may set them, so a column
one of them may change and the other may not cannot exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from hub.access import MANAGED
from hub.i18n import N_, _
from hub.models import Account, AccountStatus, Tier, Visibility
from hub.segments import (
    country_code,
    free_text,
    industry_name,
    revenue_amount,
    size_band,
    source_name,
)
from hub.vocabulary import check_choice, normalise_domain
from hub.work import Work

# An account's segmentation (hub/segments.py): anyone who may write to it may set them.
SEGMENT_COLUMNS = (
    "industry",
    "country",
    "region",
    "size_band",
    "revenue",
    "revenue_currency",
    "lead_source",
    "lead_campaign",
)
# What a create-or-update may set on an account besides its name; MANAGED (owner,
# visibility, team, channel) among them is for those who manage the account.
SETTABLE = (
    "owner_id",
    "tier",
    "status",
    "visibility",
    "department",
    "domain",
    "channel",
    *SEGMENT_COLUMNS,
)
# What a new account has when nothing is said (its owner: whoever creates it).
NEW_ACCOUNT = {"tier": Tier.B, "status": AccountStatus.ACTIVE, "visibility": Visibility.PUBLIC}

assert set(MANAGED) <= set(SETTABLE)


def account_values(
    *,
    owner_id: int | None = None,
    tier: str | None = None,
    status: str | None = None,
    visibility: str | None = None,
    department: str | None = None,
    domain: str | None = None,
    channel: str | None = None,
    segments: Segments | None = None,
) -> dict[str, object]:
    """The columns a write wants to set (None leaves a column as it is), in the hub's
    vocabulary: the tier upper-case, the domain normalised. A value that is not one of
    its choices is refused (`Invalid`)."""
    tier = tier.upper() if tier else tier
    check_choice(N_("tier"), tier, Tier)
    check_choice(N_("visibility"), visibility, Visibility)
    check_choice(N_("status"), status, AccountStatus)
    return {
        "owner_id": owner_id,
        "tier": tier,
        "status": status,
        "visibility": visibility,
        "department": department,
        "domain": normalise_domain(domain),
        "channel": channel,
        **segment_values(segments or Segments()),
    }


@dataclass(frozen=True, kw_only=True)
class Segments:
    """An account's segmentation as typed or imported (None: leave it as it is)."""

    industry: str | None = None
    country: str | None = None
    region: str | None = None
    size: str | None = None
    revenue: Decimal | None = None
    revenue_currency: str | None = None
    source: str | None = None
    campaign: str | None = None


def segment_values(segments: Segments) -> dict[str, object]:
    """The columns `segments` sets, in the hub's vocabulary (`Invalid` for a value that
    cannot be one: an unknown country, a size that is no number)."""
    return {
        "industry": industry_name(segments.industry),
        "country": country_code(segments.country),
        "region": free_text("region", segments.region),
        "size_band": size_band(segments.size),
        "revenue": revenue_amount(segments.revenue),
        "revenue_currency": segments.revenue_currency.upper()
        if segments.revenue is not None and segments.revenue_currency
        else None,
        "lead_source": source_name(segments.source),
        "lead_campaign": free_text("campaign", segments.campaign),
    }


def managed_refusal(work: Work, account: Account, wanted: Mapping[str, object]) -> str | None:
    """Why the actor may not give `account` the values `wanted` (column → value, None
    leaving a column as it is); None when they may. The rule of hub.access.MANAGED, for
    a command and an import row alike."""
    if work.scope.may_set(account, wanted):
        return None
    return _(
        "Only the owner of {name}, their cover or a manager can change its owner, "
        "visibility, team or channel",
        name=account.name,
    )


def name_taken(name: str) -> str:
    """Why no new account can be called `name`: it is the name or an alias of an account
    the person cannot read. Names are unique in the hub, so this one answer differs from a
    missing name's; it says no more than that the name is taken."""
    return _(
        "{refusal} If it is a customer you work with, ask its owner or a "
        "manager to share it with you.",
        refusal=taken_message(name),
    )


def taken_message(name: str) -> str:
    """Names and aliases are unique across the hub, hidden accounts' included, so a taken
    one is refused; the refusal is the same whoever has it and whether as a name or an
    alias, so it tells nothing more about an account the person cannot see."""
    return _(
        "“{name}” is taken: another account has it as its name or an alias.", name=name.strip()
    )
