"""Channels that receive pipeline digests."""

from __future__ import annotations

from sqlalchemy import select

from hub import i18n
from hub.errors import Invalid, NotFound
from hub.i18n import _
from hub.models import Cadence, Subscription
from hub.work import Work


def subscribe(
    work: Work, *, channel: str, cadence: str, locale: str | None = None
) -> tuple[Subscription, bool]:
    """Subscribe `channel`; returns it and whether it is new (else its cadence changed).
    `locale` ("es", "en") is the language of its digest; None keeps the one it had (a new
    subscription's digest is then in the hub's language)."""
    if cadence not in set(Cadence):
        raise Invalid(_("Say how often: subscribe #sales weekly (or daily)."))
    language = i18n.language(locale) if locale is not None else None
    if locale is not None and language is None:
        raise Invalid(
            _(
                "I don't write digests in “{language}”: say language:en or language:es.",
                language=locale,
            )
        )
    existing = work.session.scalar(
        select(Subscription).where(
            Subscription.platform == work.source, Subscription.channel == channel
        )
    )
    if existing is not None:
        existing.cadence = cadence
        if language is not None:
            existing.locale = language
        subscription, created = existing, False
    else:
        subscription = Subscription(
            platform=work.source,
            channel=channel,
            cadence=cadence,
            tz=work.actor.tz or work.settings.timezone,
            locale=language,
            created_by_id=work.actor.id,
            created_at=work.now,
        )
        work.session.add(subscription)
        created = True
    work.session.flush()
    work.audit(
        "subscription.set",
        entity="subscription",
        entity_id=subscription.id,
        channel=channel,
        cadence=cadence,
    )
    return subscription, created


def unsubscribe(work: Work, *, channel: str) -> None:
    existing = work.session.scalar(
        select(Subscription).where(
            Subscription.platform == work.source, Subscription.channel == channel
        )
    )
    if existing is None:
        raise NotFound(_("{channel} is not subscribed to digests.", channel=channel))
    work.audit("subscription.delete", entity="subscription", entity_id=existing.id, channel=channel)
    work.session.delete(existing)


def subscriptions(work: Work) -> list[Subscription]:
    return list(
        work.session.scalars(
            select(Subscription)
            .where(Subscription.platform == work.source)
            .order_by(Subscription.channel)
        )
    )
