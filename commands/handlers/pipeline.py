"""The pipeline: deal, stage, won, lost, digest, subscribe, unsubscribe."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from commands import format as fmt
from commands.handlers.common import need_account
from commands.notices import digest_reply, seller_table
from commands.reply import Action, Field, Reply, Tone
from commands.types import MoveDeal, OpenDeal, ShowDigest, Subscribe, Unsubscribe
from hub import ids
from hub.digest import channel_audience, compute_digest, last_weekly_slot, weekly_period
from hub.i18n import _, pgettext
from hub.pipeline import move_deal, open_deal
from hub.subscriptions import subscribe as subscribe_channel
from hub.subscriptions import subscriptions
from hub.subscriptions import unsubscribe as unsubscribe_channel
from hub.value_names import value_text
from hub.work import Work


def deal(work: Work, cmd: OpenDeal) -> Reply:
    target = need_account(work, cmd.account, verb="deal")
    opened = open_deal(
        work,
        target,
        title=cmd.title,
        amount=cmd.amount,
        currency=cmd.currency,
        stage=cmd.stage,
        close_on=cmd.close,
        source=cmd.source,
        campaign=cmd.campaign,
    )
    fields = [
        Field(_("Stage"), value_text("stage", opened.stage)),
        Field(_("Amount"), fmt.money(opened.amount, opened.currency)),
    ]
    if opened.close_on:
        fields.append(Field(_("Closes"), fmt.day(opened.close_on, work.today)))
    if opened.source:
        fields.append(Field(_("Source"), opened.source))
    if opened.campaign:
        fields.append(Field(_("Campaign"), opened.campaign))
    shown = ids.show("deal", opened.id)
    return Reply(
        title=_(
            "Deal {ref} opened on {account}: {title}",
            ref=shown,
            account=target.name,
            title=opened.title,
        ),
        fields=tuple(fields),
        actions=(
            Action(_("Next stage"), f"stage {shown} "),
            Action(pgettext("button", "Won"), f"won {shown}"),
            Action(pgettext("button", "Lost"), f"lost {shown} "),
        ),
        tone=Tone.SUCCESS,
    )


def move(work: Work, cmd: MoveDeal) -> Reply:
    moved, target, previous = move_deal(work, cmd.id, cmd.stage, reason=cmd.reason)
    shown = ids.show("deal", moved.id)
    history = " → ".join(value_text("stage", change.to_stage) for change in moved.history)
    if moved.stage == "won":
        title = _("Deal {ref} on {account} won", ref=shown, account=target.name)
    elif moved.stage == "lost":
        title = _("Deal {ref} on {account} lost", ref=shown, account=target.name)
    else:
        title = _(
            "Deal {ref} on {account} moved from {before} to {after}",
            ref=shown,
            account=target.name,
            before=value_text("stage", previous),
            after=value_text("stage", moved.stage),
        )
    text = _("Reason: {reason}", reason=moved.lost_reason) if moved.lost_reason else ""
    return Reply(
        title=title,
        text=text,
        fields=(
            Field(_("Amount"), fmt.money(moved.amount, moved.currency or work.settings.currency)),
            Field(_("Stages so far"), history),
        ),
        tone=Tone.SUCCESS,
    )


def digest(work: Work, cmd: ShowDigest) -> Reply:
    """`digest`: the last scheduled weekly digest, as the asking person may see it;
    `digest now`: the last 7 days standing now, as channels get it (public accounts
    only), posted where it is asked for.

    The last scheduled digest is computed again rather than stored: its period (the last
    full week before Monday's digest time) and the instant its figures stand at (that
    time) follow from the clock, and the period's flows (moves, won, lost, complaints
    opened and resolved) are read from the stage history and dates, so they come out as
    they were sent, for whatever the reader may read. The records themselves keep no
    history of their amounts, close dates or complaint states, so those are today's: a
    deal won since Monday shows as won. Storing a copy would mean one per reader (each
    sees their own accounts) going stale with every access change.
    """
    schedule = work.settings.schedule
    readable = channel_audience() if cmd.now else work.scope.readable()
    if cmd.now:
        since, until, as_of = work.now - timedelta(days=7), work.now, work.now
    else:
        as_of = last_weekly_slot(work.now, work.tz, schedule.digest_at)
        since, until = weekly_period(as_of.astimezone(work.tz).date(), work.tz)
    figures = compute_digest(
        work.session,
        since=since,
        until=until,
        as_of=as_of,
        tz=work.tz,
        schedule=schedule,
        readable=readable,
        currency=work.settings.currency,
    )
    work.audit_reads(figures.named_account_ids, how="digest")
    sellers = seller_table(work.session, figures, readable, work.settings.currency)
    reply = digest_reply(figures, cadence="weekly", channel=cmd.now, live=cmd.now, sellers=sellers)
    if not cmd.now:
        return reply
    channels = [s.channel for s in subscriptions(work)]
    note = (
        _(
            "Subscribed channels: {channels}. The scheduler posts digests there.",
            channels=", ".join(channels),
        )
        if channels
        else _("No channel is subscribed yet: subscribe #channel weekly")
    )
    return replace(reply, notes=(*reply.notes, note), shared=True)


def subscribe(work: Work, cmd: Subscribe) -> Reply:
    subscription, created = subscribe_channel(
        work, channel=cmd.channel, cadence=cmd.cadence, locale=cmd.locale
    )
    cadence = value_text("cadence", subscription.cadence)
    title = (
        _(
            "{channel} will now receive the {cadence} pipeline digest",
            channel=subscription.channel,
            cadence=cadence,
        )
        if created
        else _(
            "{channel} now receives the {cadence} pipeline digest",
            channel=subscription.channel,
            cadence=cadence,
        )
    )
    return Reply(title=title, tone=Tone.SUCCESS)


def unsubscribe(work: Work, cmd: Unsubscribe) -> Reply:
    unsubscribe_channel(work, channel=cmd.channel)
    return Reply(
        title=_("{channel} will no longer receive digests", channel=cmd.channel),
        tone=Tone.SUCCESS,
    )
