"""One pass of the scheduler: whoever is due gets their nudge, each due channel its digest,
lead notices held by their owner's quiet hours go out once those are over, and so do the
notices colleagues' writes left (a handover received, a cover named...: hub/notices.py).

A pass is a pure function of "now" and the hub: a nudge is due from the person's local
nudge time until the catch-up grace runs out, a weekly digest from Monday's digest time
in the channel's time zone (a daily one from each working day's), and the delivery ledger
settles each (kind, recipient, period) once. So the clock only has to run passes every
few minutes: time zones, DST, restarts and catch-up after downtime all follow, and a
message is never sent twice however many passes or clocks run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import String, cast, literal, nulls_last, select
from sqlalchemy.orm import Session

from bot.schedule.chart import funnel_png
from bot.schedule.dispatch import DeliveryDispatcher, Envelope, Outcome
from bot.schedule.transport import Attachment, ChannelTarget, DmTarget
from commands.notices import digest_reply, notice_reply, nudge_reply, seller_table
from commands.reply import Reply
from hub import i18n
from hub import notices as hub_notices
from hub.db import Database
from hub.digest import channel_audience, compute_digest, daily_period, weekly_period
from hub.i18n import _
from hub.models import (
    Account,
    Cadence,
    ChatIdentity,
    Contact,
    Delivery,
    Interaction,
    Notice,
    Person,
    Subscription,
)
from hub.nudges import NUDGE, compute_nudges, due_people
from hub.settings import Settings, in_quiet_hours
from hub.work import zone_of
from integrations.intake import LEAD_NOTICE, lead_notice

log = logging.getLogger(__name__)
HELD_AT_MOST = timedelta(hours=24)  # longer than any quiet hours
NOTICE = "notice"  # the ledger's kind for a colleague's notice; its period is the notice id


@dataclass(frozen=True)
class Result:
    kind: str
    recipient: str
    period: str
    outcome: Outcome
    label: str  # who or where, for people


@dataclass(frozen=True)
class DigestSlot:
    subscription_id: int
    platform: str
    channel: str
    cadence: str
    tz: ZoneInfo
    slot: datetime  # when it is due (or, forced, now if sooner): its figures stand then
    period: str
    since: datetime  # what it covers: the last full week, or the days since the last one
    until: datetime
    locale: str | None = None  # the channel's language (None: the hub's)

    @property
    def kind(self) -> str:
        return f"digest.{self.cadence}"

    @property
    def recipient(self) -> str:
        return f"{self.platform}:{self.channel}"


class Courier:
    """Runs the scheduler's passes (nudges, digests, held notices) and tells a person
    about something at once, each through the delivery dispatcher's ledger."""

    def __init__(
        self, *, database: Database, settings: Settings, dispatcher: DeliveryDispatcher
    ) -> None:
        self.database = database
        self.settings = settings
        self.dispatcher = dispatcher

    def run_pass(self, at: datetime) -> list[Result]:
        return [*self.nudges(at), *self.digests(at), *self.held_notices(at), *self.notices(at)]

    def nudges(self, at: datetime, *, dry_run: bool = False) -> list[Result]:
        with self.database.unit_of_work() as session:
            due = due_people(session, self.settings, at)
            nudges = compute_nudges(session, self.settings, at, due)
            targets = dm_targets(
                session, [d.person_id for d in due], self.dispatcher.transports.platforms
            )
            locales = self._locales(session, [d.person_id for d in due])
        results = []
        for nudge in nudges:
            d = nudge.due
            with i18n.reading_in(locales.get(d.person_id)):  # the recipient's language
                reply = None if nudge.empty else nudge_reply(nudge)
            envelope = Envelope(
                kind=NUDGE,
                recipient=d.recipient,
                period=d.period,
                target=targets[d.person_id],
                reply=reply,
            )
            outcome = self.dispatcher.deliver(envelope, dry_run=dry_run)
            results.append(Result(NUDGE, d.recipient, d.period, outcome, d.name))
        return results

    def notify_person(
        self,
        person_id: int,
        reply: Reply | None,
        *,
        kind: str,
        key: str,
        at: datetime | None = None,
    ) -> Result:
        """One notice for one person (a new lead), sent once whatever calls it again; in
        their quiet hours at `at` (default now) it waits for `held_notices`. None: it
        has nothing to say to them any more, settled without a message."""
        recipient = f"person:{person_id}"
        with self.database.unit_of_work() as session:
            target = dm_targets(session, [person_id], self.dispatcher.transports.platforms)[
                person_id
            ]
            person = session.get(Person, person_id)
            quiet = person is not None and self._quiet(person, at or self.dispatcher.now())
        if quiet:
            return Result(kind, recipient, key, Outcome.HELD, target.name)
        envelope = Envelope(kind=kind, recipient=recipient, period=key, target=target, reply=reply)
        return Result(kind, recipient, key, self.dispatcher.deliver(envelope), target.name)

    def held_notices(self, at: datetime) -> list[Result]:
        """Web-lead notices that waited out their owner's quiet hours (or whose sender
        died before claiming them), sent once those hours are over."""
        since = at - HELD_AT_MOST
        owner = literal("person:") + cast(Interaction.author_id, String)
        with self.database.unit_of_work() as session:
            waiting = session.execute(
                select(Interaction.id, Interaction.author_id, Interaction.text, Account.name)
                .add_columns(Contact.name, Contact.email)
                .join(Account, Account.id == Interaction.account_id)
                .outerjoin(Contact, Contact.id == Interaction.contact_id)
                .where(
                    Interaction.source == "web",
                    Interaction.occurred_at >= since,
                    Interaction.occurred_at <= at - timedelta(minutes=1),
                    ~select(Delivery.id)
                    .where(
                        Delivery.kind == LEAD_NOTICE,
                        Delivery.recipient == owner,
                        Delivery.period == cast(Interaction.id, String),
                    )
                    .exists(),
                )
                .order_by(Interaction.id)
            ).all()
            locales = self._locales(session, [row.author_id for row in waiting])
        results = []
        for lead_id, owner_id, text, account, name, email in waiting:
            with i18n.reading_in(locales.get(owner_id)):  # the owner's language
                notice = replace(
                    lead_notice(account, name or "?", email, text), locale=i18n.current()
                )
            result = self.notify_person(owner_id, notice, kind=LEAD_NOTICE, key=str(lead_id), at=at)
            if result.outcome != Outcome.HELD:
                results.append(result)
        return results

    def notices(self, at: datetime) -> list[Result]:
        """Colleagues' notices (hub/notices.py) as DMs: each once, when its reader's quiet
        hours allow, unless they read it in `mine` first; and the end-of-period notices of
        handovers that ran out, written first."""
        since = at - HELD_AT_MOST
        reader = literal("person:") + cast(Notice.person_id, String)
        with self.database.unit_of_work() as session:
            hub_notices.periods_ended(session, self.settings, at)
        with self.database.unit_of_work() as session:
            waiting = session.scalars(
                select(Notice)
                .where(
                    Notice.seen_at.is_(None),
                    Notice.created_at >= since,
                    Notice.created_at <= at,
                    ~select(Delivery.id)
                    .where(
                        Delivery.kind == NOTICE,
                        Delivery.recipient == reader,
                        Delivery.period == cast(Notice.id, String),
                    )
                    .exists(),
                )
                .order_by(Notice.id)
            ).all()
            replies: dict[int, Reply | None] = {}
            by_person: dict[int, list[Notice]] = {}
            for notice in waiting:
                by_person.setdefault(notice.person_id, []).append(notice)
            for person_id, theirs in by_person.items():
                person = session.get(Person, person_id)
                if person is None:
                    continue
                tz = zone_of(person, self.settings)
                readable = hub_notices.shown(session, person, theirs, at.astimezone(tz).date(), tz)
                with i18n.reading_in(person.locale or self.settings.locale):
                    said = {s.id: notice_reply(s, at) for s in readable}
                replies |= {n.id: said.get(n.id) for n in theirs}
            order = [(n.id, n.person_id) for n in waiting if n.id in replies]
        results = []
        for notice_id, person_id in order:
            result = self.notify_person(
                person_id, replies[notice_id], kind=NOTICE, key=str(notice_id), at=at
            )
            if result.outcome != Outcome.HELD:
                results.append(result)
        return results

    def _locales(self, session: Session, person_ids: list[int]) -> dict[int, str]:
        """The language each person reads (theirs, else the hub's)."""
        chosen = dict(
            session.execute(
                select(Person.id, Person.locale).where(Person.id.in_(set(person_ids)))
            ).all()
        )
        return {pid: chosen.get(pid) or self.settings.locale for pid in person_ids}

    def _quiet(self, person: Person, at: datetime) -> bool:
        local = at.astimezone(zone_of(person, self.settings))
        return in_quiet_hours(person.quiet_hours, local.time())

    def digests(
        self,
        at: datetime,
        *,
        dry_run: bool = False,
        channel: str | None = None,
        force: bool = False,
    ) -> list[Result]:
        """Post every due digest; with `force`, `channel`'s digest for the current period
        whatever the time (still once per period)."""
        with self.database.unit_of_work() as session:
            query = select(Subscription).order_by(Subscription.id)
            if channel is not None:
                query = query.where(Subscription.channel == channel)
            slots = [
                slot
                for sub in session.scalars(query)
                if (slot := self.digest_slot(sub, at, force=force)) is not None
            ]
        results = []
        for slot in slots:
            if self.dispatcher.delivered(slot.kind, slot.recipient, slot.period):
                outcome = Outcome.SKIPPED
            else:
                outcome = self.dispatcher.deliver(self._digest(slot, at), dry_run=dry_run)
            results.append(Result(slot.kind, slot.recipient, slot.period, outcome, slot.channel))
        return results

    def digest_slot(self, sub: Subscription, at: datetime, *, force: bool) -> DigestSlot | None:
        """The digest `sub` is due for at `at`, if any."""
        schedule = self.settings.schedule
        tz = _zone(sub.tz or self.settings.timezone, self.settings.timezone)
        today = at.astimezone(tz).date()
        if sub.cadence == Cadence.WEEKLY:
            day = today - timedelta(days=today.weekday())  # Monday
            iso = day.isocalendar()
            period = f"{iso.year}-W{iso.week:02d}"
            since, until = weekly_period(day, tz)
        else:
            day = _last_working_day(today, schedule.days_off)
            previous = _last_working_day(day - timedelta(days=1), schedule.days_off)
            period = day.isoformat()
            since, until = daily_period(previous, day, tz)
        slot = datetime.combine(day, schedule.digest_at, tz)
        if force:
            slot = min(slot, at)
        elif not (slot <= at < slot + timedelta(minutes=schedule.grace_minutes)):
            return None
        return DigestSlot(
            sub.id,
            sub.platform,
            sub.channel,
            sub.cadence,
            tz,
            slot,
            period,
            since,
            until,
            sub.locale,
        )

    def _digest(self, slot: DigestSlot, at: datetime) -> Envelope:
        """The digest and its chart in the channel's language (else the hub's)."""
        with i18n.reading_in(slot.locale or self.settings.locale):
            return self._digest_envelope(slot)

    def _digest_envelope(self, slot: DigestSlot) -> Envelope:
        with self.database.unit_of_work() as session:
            figures = compute_digest(
                session,
                since=slot.since,
                until=slot.until,
                as_of=slot.slot,
                tz=slot.tz,
                schedule=self.settings.schedule,
                readable=channel_audience(),
                currency=self.settings.currency,
            )
            sellers = seller_table(session, figures, channel_audience(), self.settings.currency)
        period_word = "week" if slot.cadence == Cadence.WEEKLY else "day"
        return Envelope(
            kind=slot.kind,
            recipient=slot.recipient,
            period=slot.period,
            target=ChannelTarget(slot.platform, slot.channel),
            reply=digest_reply(figures, cadence=slot.cadence, sellers=sellers),
            attachments=(
                Attachment(
                    "pipeline-funnel.png",
                    funnel_png(figures, period=period_word),
                    title=_("Pipeline funnel"),
                ),
            ),
        )


def dm_targets(
    session: Session, person_ids: list[int], platforms: frozenset[str]
) -> dict[int, DmTarget]:
    """Where each person gets DMs: the identity they used last on the platform they chose,
    else on any platform we can send on; else their last-used identity (the console prints
    it); else the console."""
    people = session.execute(
        select(Person.id, Person.name, Person.notify_via).where(Person.id.in_(person_ids))
    ).all()
    names = {pid: name for pid, name, _via in people}
    chosen_via = {pid: via for pid, _name, via in people if via in platforms}
    targets = {pid: DmTarget(person_id=pid, name=names.get(pid, "?")) for pid in person_ids}
    identities = session.scalars(
        select(ChatIdentity)
        .where(ChatIdentity.person_id.in_(person_ids))
        .order_by(
            ChatIdentity.person_id,
            nulls_last(ChatIdentity.last_seen_at.desc()),
            ChatIdentity.id.desc(),
        )
    ).all()
    chosen: dict[int, ChatIdentity] = {}
    for identity in identities:  # each person's newest first
        current = chosen.get(identity.person_id)
        wanted = chosen_via.get(identity.person_id)
        if current is None or (
            (current.platform not in platforms and identity.platform in platforms)
            or (wanted and current.platform != wanted and identity.platform == wanted)
        ):
            chosen[identity.person_id] = identity
    for pid, identity in chosen.items():
        targets[pid] = DmTarget(
            person_id=pid,
            name=names.get(pid, "?"),
            platform=identity.platform,
            workspace=identity.workspace,
            external_id=identity.external_id,
        )
    return targets


def _zone(name: str, default: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def _last_working_day(today: date, days_off: frozenset[int]) -> date:
    """Today, or the last day before it that is not a day off (daily digests skip them)."""
    day = today
    for _day in range(7):
        if day.weekday() not in days_off:
            return day
        day -= timedelta(days=1)
    return today
