"""The pipeline: deal, stage, won, lost, digest, subscribe, unsubscribe."""

from __future__ import annotations

from dataclasses import replace

from commands import format as fmt
from commands.handlers.common import need_account
from commands.notices import digest_reply
from commands.reply import Action, Field, Reply, Tone
from commands.types import MoveDeal, OpenDeal, ShowDigest, Subscribe, Unsubscribe
from hub import ids
from hub.digest import channel_audience, compute_digest
from hub.pipeline import move_deal, open_deal
from hub.subscriptions import subscribe as subscribe_channel
from hub.subscriptions import subscriptions
from hub.subscriptions import unsubscribe as unsubscribe_channel
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
    )
    fields = [
        Field("Stage", opened.stage),
        Field("Amount", fmt.money(opened.amount, opened.currency)),
    ]
    if opened.close_on:
        fields.append(Field("Closes", fmt.day(opened.close_on, work.today)))
    return Reply(
        title=f"Deal {ids.show('deal', opened.id)} opened on {target.name}: {opened.title}",
        fields=tuple(fields),
        actions=(
            Action("Next stage", f"stage {ids.show('deal', opened.id)} "),
            Action("Won", f"won {ids.show('deal', opened.id)}"),
            Action("Lost", f"lost {ids.show('deal', opened.id)} "),
        ),
        tone=Tone.SUCCESS,
    )


def move(work: Work, cmd: MoveDeal) -> Reply:
    moved, target, previous = move_deal(work, cmd.id, cmd.stage, reason=cmd.reason)
    shown = ids.show("deal", moved.id)
    history = " → ".join(change.to_stage for change in moved.history)
    title = {
        "won": f"Deal {shown} on {target.name} won",
        "lost": f"Deal {shown} on {target.name} lost",
    }.get(moved.stage, f"Deal {shown} on {target.name} moved from {previous} to {moved.stage}")
    text = f"Reason: {moved.lost_reason}" if moved.lost_reason else ""
    return Reply(
        title=title,
        text=text,
        fields=(
            Field("Amount", fmt.money(moved.amount, moved.currency)),
            Field("Stages so far", history),
        ),
        tone=Tone.SUCCESS,
    )


def digest(work: Work, cmd: ShowDigest) -> Reply:
    """The weekly digest as the asking person may see it, figures and names alike; with
    `now`, the digest channels get (public accounts only), posted where it is asked for."""
    figures = compute_digest(
        work.session,
        until=work.now,
        days=7,
        tz=work.tz,
        schedule=work.settings.schedule,
        readable=channel_audience() if cmd.now else work.scope.readable(),
    )
    work.audit_reads(figures.named_account_ids, how="digest")
    reply = digest_reply(figures, cadence="weekly", channel=cmd.now)
    if not cmd.now:
        return reply
    channels = [s.channel for s in subscriptions(work)]
    note = (
        f"Subscribed channels: {', '.join(channels)}. The scheduler posts digests there."
        if channels
        else "No channel is subscribed yet: subscribe #channel weekly"
    )
    return replace(reply, notes=(*reply.notes, note), shared=True)


def subscribe(work: Work, cmd: Subscribe) -> Reply:
    subscription, created = subscribe_channel(work, channel=cmd.channel, cadence=cmd.cadence)
    verb = "will now receive" if created else "now receives"
    return Reply(
        title=f"{subscription.channel} {verb} the {subscription.cadence} pipeline digest",
        tone=Tone.SUCCESS,
    )


def unsubscribe(work: Work, cmd: Unsubscribe) -> Reply:
    unsubscribe_channel(work, channel=cmd.channel)
    return Reply(title=f"{cmd.channel} will no longer receive digests", tone=Tone.SUCCESS)
