"""What the scheduler sends, as platform-neutral replies: the daily nudge, the digest and
the notices (a handover received, a cover named, a follow-up assigned, a change).

Every item carries the `/crm` lines it stands for (done, snooze, log, resolve, ...), so
each platform turns them into buttons or prefilled commands the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from commands import format as fmt
from commands.handlers.reports import block_table
from commands.reply import Action, Field, Item, Reply, Section, Table, Tone
from hub import i18n, ids
from hub.digest import Attention, DealLine, DigestFigures, StageLine
from hub.i18n import _, ngettext, pgettext, short_day_text
from hub.money import Totals, totals_text
from hub.notices import ASSIGNED, COVER, HANDOVER, Shown
from hub.nudges import HandedToYou, Nudge
from hub.reports.period import Period
from hub.reports.risk import reasons_text
from hub.reports.scope import ReportScope
from hub.reports.sellers import seller_block
from hub.value_names import value_text


def _covering(who: str | None) -> tuple[str, ...]:
    return (_("covering for {name}", name=who),) if who else ()


def _log(account: str) -> Action:
    return Action(pgettext("button", "Log"), f"log {fmt.quoted(account)} ")


def nudge_reply(nudge: Nudge) -> Reply:
    """The daily DM; callers don't send it when `nudge.empty`."""
    due, now = nudge.due, nudge.now
    tz, today = due.tz, due.day
    overdue = _("overdue")
    tasks = tuple(
        Item(
            _(
                "{when} {text} — {account}",
                when=fmt.moment(t.due_at, tz, now),
                text=t.text,
                account=t.account,
            )
            if t.account
            else f"{fmt.moment(t.due_at, tz, now)} {t.text}",
            ref=ids.show("follow-up", t.id),
            flags=(overdue,) * (t.due_at < now) + _covering(t.covering_for),
            actions=(
                Action(
                    pgettext("button", "Done"),
                    f"done {ids.show('follow-up', t.id)}",
                    style="primary",
                ),
                Action(
                    pgettext("button", "Snooze"), f"snooze {ids.show('follow-up', t.id)} tomorrow"
                ),
                *((_log(t.account),) if t.account else ()),
            ),
        )
        for t in nudge.tasks.items
    )
    agreements = tuple(
        Item(
            _(
                "{account}: {text} — due {day}",
                account=a.account,
                text=a.text,
                day=fmt.day(a.due_on, today),
            ),
            ref=ids.show("agreement", a.id),
            flags=(overdue,) * (a.due_on < today) + _covering(a.covering_for),
            actions=(_log(a.account),),
        )
        for a in nudge.agreements.items
    )
    complaints = tuple(
        Item(
            _(
                "{account}: {text} — {severity}, SLA passed {age} ago",
                account=c.account,
                text=c.text,
                severity=value_text("severity", c.severity),
                age=fmt.age(c.sla_due_at, now),
            ),
            ref=ids.show("complaint", c.id),
            flags=(_("SLA breached"), *_covering(c.covering_for)),
            actions=(
                Action(pgettext("button", "Resolve"), f"resolve {ids.show('complaint', c.id)} "),
                _log(c.account),
            ),
        )
        for c in nudge.complaints.items
    )
    stale = tuple(
        Item(
            _(
                "{name} (tier {tier}) — no contact for {age}",
                name=s.name,
                tier=s.tier,
                age=fmt.age(s.last_contact_at, now),
            )
            if s.last_contact_at
            else _("{name} (tier {tier}) — never contacted", name=s.name, tier=s.tier),
            flags=_covering(s.covering_for),
            actions=(
                _log(s.name),
                Action(pgettext("button", "Whois"), f"whois {fmt.quoted(s.name)}"),
            ),
        )
        for s in nudge.stale.items
    )
    fields = tuple(Field(_("Covering for"), name) for name in nudge.covering) + tuple(
        Field(_("Handed to you"), _handed(h, today)) for h in nudge.handed
    )
    return Reply(
        title=_("Good morning, {name}: your day", name=due.name.split()[0]),
        fields=fields,
        sections=tuple(
            section
            for section in (
                Section(_("Follow-ups due"), tasks, more=nudge.tasks.more),
                Section(_("Agreements due"), agreements, more=nudge.agreements.more),
                Section(_("Complaints over SLA"), complaints, more=nudge.complaints.more),
                Section(_("Accounts to get in touch with"), stale, more=nudge.stale.more),
            )
            if section.items
        ),
        actions=(Action(pgettext("button", "My day"), "mine"),),
        locale=i18n.current(),
    )


def _handed(handover: HandedToYou, today: date) -> str:
    until = fmt.day(handover.until_on, today)
    said = (
        _(
            "{account} until {day}, from {by}",
            account=handover.account,
            day=until,
            by=handover.by,
        )
        if handover.account
        else _(
            "{name}'s accounts until {day}, from {by}",
            name=handover.book_of,
            day=until,
            by=handover.by,
        )
    )
    return f"{said}: {handover.note}" if handover.note else said


def seller_table(
    session: Session, figures: DigestFigures, readable: ColumnElement[bool], currency: str
) -> Table:
    """The digest's per-seller table: `report sellers` over the digest's period, of the
    accounts `readable` selects (a channel's: public ones), at the digest's rates."""
    period = Period(
        "range",
        figures.since.astimezone(figures.tz).date(),
        figures.until.astimezone(figures.tz).date(),
    )
    block = seller_block(
        session,
        ReportScope(readable=readable),
        period,
        now=figures.as_of,
        tz=figures.tz,
        currency=currency,
    )
    return block_table(block, figures.today, figures.rates)


def digest_reply(
    figures: DigestFigures,
    *,
    cadence: str,
    channel: bool = True,
    live: bool = False,
    sellers: Table | None = None,
) -> Reply:
    """The pipeline digest, the manager's page; `channel` says it was limited to public
    accounts, `live` that it stands now (`digest now`) rather than at its scheduled time.
    `sellers` is the per-seller table, shown after the pipeline when given."""
    d = figures

    def money(totals: Totals) -> str:
        return totals_text(totals, d.rates)

    weekly = cadence == "weekly"
    stages = tuple(Item(_stage_line(line, money, weekly=weekly)) for line in d.stages)
    moves = ", ".join(
        _move(kind, m.count, money(m.value)) for kind, m in d.moves.items() if m.count
    )
    lost = d.moves["lost"]
    reasons = "; ".join(f"{reason} ×{n}" for reason, n in d.lost_reasons)
    win_rate = (
        _("{percent}%", percent=_whole_percent(d.win_rate))
        if d.win_rate is not None
        else _("no deals closed")
    )
    cycle = (
        _("{days} days", days=_one_decimal(d.cycle_days))
        if d.cycle_days is not None
        else _("no deals won")
    )
    at_risk = tuple(
        Item(
            _(
                "{name} (tier {tier}) — {reasons}",
                name=r.name,
                tier=r.tier,
                reasons=reasons_text(r),
            ),
            actions=(Action(pgettext("button", "Whois"), f"whois {fmt.quoted(r.name)}"),),
        )
        for r in d.risk.lines
    )
    attention = tuple(
        Item(
            _(
                "{account}: {text} — {detail}",
                account=a.account,
                text=a.text,
                detail=_attention_detail(a, d.as_of, d.today),
            ),
            ref=ids.show(a.kind, a.id),
            actions=(
                (Action(pgettext("button", "Resolve"), f"resolve {ids.show(a.kind, a.id)} "),)
                if a.kind == "complaint"
                else (
                    Action(pgettext("button", "Stage"), f"stage {ids.show(a.kind, a.id)} "),
                    Action(pgettext("button", "Lost"), f"lost {ids.show(a.kind, a.id)} "),
                )
            ),
        )
        for a in d.attention
    )
    risk_counts = ", ".join(_risk_count(reason, n) for reason, n in d.risk.by_reason.items() if n)
    notes = (
        (
            _(
                "Public accounts only: team and private ones are in the digest each person "
                "asks for (digest)."
            ),
        )
        if channel
        else ()
    )
    month, next_month = i18n.month_text(d.month), i18n.month_text(d.next_month)
    won_title, lost_title = (
        (_("Won this week"), _("Lost this week"))
        if weekly
        else (_("Won this period"), _("Lost this period"))
    )
    return Reply(
        title=_digest_title(d, weekly=weekly, live=live),
        text=_digest_when(d, live=live),
        fields=(
            Field(
                _("Open pipeline"),
                ngettext(
                    "{n} deal · {value}",
                    "{n} deals · {value}",
                    d.open_count,
                    value=money(d.open_value),
                ),
            ),
            Field(
                _("Moved this week") if weekly else _("Moved this period"),
                moves or _("nothing moved"),
            ),
            Field(
                pgettext("digest", "Won"),
                f"{d.moves['won'].count} · {money(d.moves['won'].value)}",
            ),
            Field(
                pgettext("digest", "Lost"), f"{lost.count}" + (f" ({reasons})" if reasons else "")
            ),
            Field(_("Forecast for {month}", month=month), money(d.forecast_this_month)),
            Field(_("Forecast for {month}", month=next_month), money(d.forecast_next_month)),
            Field(_("Win rate (90 days)"), win_rate),
            Field(_("Average cycle (won, 90 days)"), cycle),
            Field(
                _("Complaints"),
                _(
                    "{new} new, {resolved} resolved, {open} open ({breached} over SLA)",
                    new=d.complaints_new,
                    resolved=d.complaints_resolved,
                    open=d.complaints_open,
                    breached=d.complaints_breached,
                ),
            ),
            Field(
                _("Accounts at risk"),
                f"{d.risk.total}" + (f": {risk_counts}" if risk_counts else ""),
            ),
        ),
        sections=(
            Section(_("Open pipeline by stage"), stages),
            Section(
                _("Closing in {month}", month=month),
                tuple(_closing_item(deal, d.today) for deal in d.closing),
                empty=_("No open deal is due to close this month."),
                more=d.closing_total - len(d.closing),
            ),
            Section(
                won_title,
                tuple(_closed_item(deal) for deal in d.won),
                empty=_("None."),
                more=max(d.moves["won"].count - len(d.won), 0),
            ),
            Section(
                lost_title,
                tuple(_closed_item(deal) for deal in d.lost),
                empty=_("None."),
                more=max(lost.count - len(d.lost), 0),
            ),
            Section(_("Needs a manager"), attention, empty=_("Nothing urgent.")),
            Section(
                _("Accounts at risk"),
                at_risk,
                empty=_("None right now."),
                more=d.risk.total - len(d.risk.lines),
            ),
        ),
        # The per-seller table (hub/reports/sellers.py `seller_block`, as a report table).
        tables=(sellers,) if sellers is not None else (),
        notes=notes,
        locale=i18n.current(),
    )


def _digest_title(d: DigestFigures, *, weekly: bool, live: bool) -> str:
    """The digest and its period, dates and year: 'Weekly pipeline digest — week of Mon 16
    Nov to Sun 22 Nov 2026'. A period ending at midnight ends the day before."""
    first_day = d.since.astimezone(d.tz).date()
    end = d.until.astimezone(d.tz)
    last_day = end.date() - timedelta(days=1) if end.time() == time() else end.date()
    start = i18n.day_text(first_day, year=first_day.year != last_day.year)
    last = i18n.day_text(last_day, year=True)
    if live:
        return _("Pipeline digest — last 7 days, {start} to {end}", start=start, end=last)
    if weekly:
        return _("Weekly pipeline digest — week of {start} to {end}", start=start, end=last)
    if first_day == last_day:
        return _("Daily pipeline digest — {day}", day=last)
    return _("Daily pipeline digest — {start} to {end}", start=start, end=last)


def _digest_when(d: DigestFigures, *, live: bool) -> str:
    """Which digest this is: figures standing now, or as they stood when it was due."""
    local = d.as_of.astimezone(d.tz)
    when = f"{i18n.day_text(local.date())} {local:%H:%M}"
    if live:
        return _("Live, as of {when}", when=when)
    return _("Scheduled digest of {when}", when=when)


def _closing_item(deal: DealLine, today: date) -> Item:
    """A deal due to close this month: account, title, stage, amount and day."""
    return Item(
        _(
            "{account}: {title} — {stage} · {amount} · closes {day}",
            account=deal.account,
            title=deal.title,
            stage=value_text("stage", deal.stage),
            amount=fmt.money(deal.amount, deal.currency),
            day=fmt.day(deal.close_on, today) if deal.close_on else "",
        ),
        ref=ids.show("deal", deal.id),
    )


def _closed_item(deal: DealLine) -> Item:
    """A deal won or lost in the period: account, title, amount and, if lost, why."""
    amount = fmt.money(deal.amount, deal.currency)
    text = (
        _(
            "{account}: {title} — {amount} — {reason}",
            account=deal.account,
            title=deal.title,
            amount=amount,
            reason=deal.reason,
        )
        if deal.reason and deal.stage == "lost"
        else _(
            "{account}: {title} — {amount}", account=deal.account, title=deal.title, amount=amount
        )
    )
    return Item(text, ref=ids.show("deal", deal.id))


def _stage_line(line: StageLine, money: Callable[[Totals], str], *, weekly: bool) -> str:
    """One open stage of the digest: its deals, their value and what entered and left it."""
    fields = {
        "stage": value_text("stage", line.stage),
        "value": money(line.value),
        "weighted": money(line.weighted),
        "entered": line.entered,
        "left": line.left,
    }
    if weekly:
        return ngettext(
            "{stage}: {n} deal · {value} · weighted {weighted} · this week: +{entered} in, "
            "−{left} out",
            "{stage}: {n} deals · {value} · weighted {weighted} · this week: +{entered} in, "
            "−{left} out",
            line.count,
            **fields,
        )
    return ngettext(
        "{stage}: {n} deal · {value} · weighted {weighted} · this period: +{entered} in, "
        "−{left} out",
        "{stage}: {n} deals · {value} · weighted {weighted} · this period: +{entered} in, "
        "−{left} out",
        line.count,
        **fields,
    )


def _move(kind: str, count: int, amount: str) -> str:
    """How many deals moved one way this period, and their value: '2 won (€45,000)'."""
    if kind == "new":
        return ngettext("{n} new ({amount})", "{n} new ({amount})", count, amount=amount)
    if kind == "advanced":
        return ngettext("{n} advanced ({amount})", "{n} advanced ({amount})", count, amount=amount)
    if kind == "slipped":
        return ngettext("{n} slipped ({amount})", "{n} slipped ({amount})", count, amount=amount)
    if kind == "won":
        return ngettext("{n} won ({amount})", "{n} won ({amount})", count, amount=amount)
    if kind == "lost":
        return ngettext("{n} lost ({amount})", "{n} lost ({amount})", count, amount=amount)
    if kind == "reopened":
        return ngettext("{n} reopened ({amount})", "{n} reopened ({amount})", count, amount=amount)
    return f"{count} {kind} ({amount})"


def _risk_count(reason: str, count: int) -> str:
    """How many accounts are at risk for one of `hub.reports.risk.REASONS`: '2 no contact'."""
    texts = {
        "complaints": ngettext(
            "{n} with complaints over SLA", "{n} with complaints over SLA", count
        ),
        "no contact": ngettext("{n} no contact", "{n} no contact", count),
        "slipping deals": ngettext("{n} slipping deal", "{n} slipping deals", count),
        "overdue agreements": ngettext("{n} overdue agreement", "{n} overdue agreements", count),
    }
    return texts[reason]


def _attention_detail(item: Attention, now: datetime, today: date) -> str:
    """Why a manager should look: a complaint's severity and how long ago its SLA ran out,
    or a deal's stage and the date it was to close."""
    if item.kind == "complaint" and item.sla_due_at is not None:
        severity = value_text("severity", item.severity or "")
        hours = int((now - item.sla_due_at).total_seconds() // 3600)
        if hours < 48:
            return _("{severity}, SLA was {n} h ago", severity=severity, n=hours)
        return _("{severity}, SLA was {n} days ago", severity=severity, n=hours // 24)
    if item.close_on is not None:
        return _(
            "{stage}, was to close {day}",
            stage=value_text("stage", item.stage or ""),
            day=short_day_text(item.close_on, year=item.close_on.year != today.year),
        )
    return value_text("stage", item.stage or "")


def _whole_percent(rate: float) -> str:
    """A rate as a whole percentage, without its sign: 0.5 → '50'."""
    return f"{rate * 100:.0f}"


def _one_decimal(value: float) -> str:
    """'18.5' in English, '18,5' in Spanish."""
    text = f"{value:.1f}"
    return text.replace(".", ",") if i18n.current() == "es" else text


# -- notices: what a colleague did that a person should hear of (hub/notices.py) ----------


def notice_line(notice: Shown, now: datetime) -> Item:
    """One notice as a line of `mine`'s "New for you"."""
    title, text, actions = _notice(notice, now)
    return Item(f"{title}: {text}" if text else title, actions=actions)


def notice_reply(notice: Shown, now: datetime) -> Reply:
    """One notice as a DM."""
    title, text, actions = _notice(notice, now)
    return Reply(title=title, text=text, actions=actions, tone=Tone.INFO, locale=i18n.current())


def _notice(notice: Shown, now: datetime) -> tuple[str, str, tuple[Action, ...]]:
    facts = notice.facts
    today = now.astimezone(notice.reader_tz).date()

    def who(key: str) -> str:
        person = facts.get(key)
        return notice.people.get(person, _("someone")) if person else _("someone")

    def when(value: str | None) -> str:
        return fmt.day(date.fromisoformat(value), today) if value else ""

    accounts = ", ".join(notice.accounts)
    if notice.kind == HANDOVER:
        return _handover(notice, who, when, accounts)
    if notice.kind == COVER:
        return _cover(facts, who, when), "", ()
    if notice.kind == ASSIGNED:
        task = ids.show("follow-up", facts["task"])
        due = fmt.moment(datetime.fromisoformat(facts["due"]), notice.reader_tz, now)
        title = (
            _(
                "{actor} gave you follow-up {task}, {due} — {accounts}",
                actor=who("actor"),
                task=task,
                due=due,
                accounts=accounts,
            )
            if accounts
            else _(
                "{actor} gave you follow-up {task}, {due}", actor=who("actor"), task=task, due=due
            )
        )
        return (
            title,
            notice.texts.get(("task", facts["task"])) or "",
            (
                Action(pgettext("button", "Done"), f"done {task}", style="primary"),
                Action(pgettext("button", "Snooze"), f"snooze {task} tomorrow"),
            ),
        )
    said = [_change(c, notice) for c in facts.get("changes") or []]
    changes = "; ".join(c for c in said if c)
    return _("{actor} changed {accounts}", actor=who("actor"), accounts=accounts), changes, ()


def _handover(
    notice: Shown, who: Callable[[str], str], when: Callable[[str | None], str], accounts: str
) -> tuple[str, str, tuple[Action, ...]]:
    facts = notice.facts
    until = facts.get("until")
    book = facts.get("book_of")
    note = facts.get("note") or ""
    receiving = facts.get("side") == "receiver"
    if facts.get("event") == "end":
        return _handover_ended(notice, who, when(until), accounts, book=bool(book)), "", ()
    by = facts.get("by")
    done_by = "" if by == facts.get("from") else _(" (done by {name})", name=who("by"))
    day = when(until)
    if book:
        fields = {"name": who("book_of"), "count": facts.get("count") or 0, "day": day}
        if receiving:
            said = (
                _("You now hold {name}'s accounts ({count}) until {day}", **fields)
                if until
                else _("You now hold {name}'s accounts ({count}) for good", **fields)
            )
        else:
            said = (
                _("{name}'s accounts ({count}) handed to {to} until {day}", to=who("to"), **fields)
                if until
                else _(
                    "{name}'s accounts ({count}) handed to {to} for good", to=who("to"), **fields
                )
            )
        return said + done_by, note, ()
    what = accounts or _("accounts")
    if receiving:
        said = (
            _(
                "You now hold {accounts} from {giver} until {day}",
                accounts=what,
                giver=who("from"),
                day=day,
            )
            if until
            else _(
                "You now hold {accounts} from {giver} for good", accounts=what, giver=who("from")
            )
        )
    else:
        said = (
            _("{accounts} handed to {to} until {day}", accounts=what, to=who("to"), day=day)
            if until
            else _("{accounts} handed to {to} for good", accounts=what, to=who("to"))
        )
    return said + done_by, note, ()


def _handover_ended(
    notice: Shown, who: Callable[[str], str], day: str, accounts: str, *, book: bool
) -> str:
    """A handover period that is over, as each side hears of it."""
    if notice.facts.get("side") == "receiver":
        if book:
            return _(
                "The handover of {name}'s accounts to you ended {day}",
                name=who("book_of"),
                day=day,
            )
        if not accounts:
            return _("The handover from {giver} to you ended {day}", giver=who("from"), day=day)
        return _(
            "{accounts}: the handover from {giver} ended {day}; back with {giver}",
            accounts=accounts,
            giver=who("from"),
            day=day,
        )
    if book or not accounts:
        return _("Your accounts: back with you; {to} held them until {day}", to=who("to"), day=day)
    if len(notice.accounts) == 1:
        return _(
            "{accounts}: back with you; {to} held it until {day}",
            accounts=accounts,
            to=who("to"),
            day=day,
        )
    return _(
        "{accounts}: back with you; {to} held them until {day}",
        accounts=accounts,
        to=who("to"),
        day=day,
    )


def _cover(
    facts: Mapping[str, Any], who: Callable[[str], str], when: Callable[[str | None], str]
) -> str:
    def periods(pairs: list[list[str]]) -> str:
        return ", ".join(f"{when(a)} – {when(b)}" for a, b in pairs)

    absent = who("absent")
    if facts.get("event") == "set":
        return _(
            "{absent} is away {periods}; you cover", absent=absent, periods=periods(facts["after"])
        )
    if facts.get("event") == "cancelled":
        return _(
            "{absent}'s absence {periods} is off; you no longer cover it",
            absent=absent,
            periods=periods(facts["before"]),
        )
    return _(
        "{absent}'s absence you cover changed: {before} → {after}",
        absent=absent,
        before=periods(facts["before"]),
        after=periods(facts["after"]),
    )


def _change(change: Mapping[str, Any], notice: Shown) -> str:
    """One change as the notice says it; "" for a record deleted since."""
    people = notice.people
    if "deal" in change:
        if ("deal", change["deal"]) not in notice.texts:
            return ""
        title, reason = notice.texts[("deal", change["deal"])]
        why = f" ({reason})" if reason and change["to"] == "lost" else ""
        deal = ids.show("deal", change["deal"])
        before, after = value_text("stage", change["from"]), value_text("stage", change["to"])
        return f"{deal} {title}: {before} → {after}{why}"
    if "complaint" in change:
        text = notice.texts.get(("complaint", change["complaint"]))
        if text is None:
            return ""
        shown = ids.show("complaint", change["complaint"])
        return _(
            "complaint {id} opened ({severity}): {text}",
            id=shown,
            severity=value_text("severity", change["severity"]),
            text=text,
        )
    field, old, new = change["field"], change["from"], change["to"]
    if field == "owner_id":
        someone = _("someone")
        return _("owner {old} → {new}", old=people.get(old, someone), new=people.get(new, someone))
    if field == "tier":
        return _("tier {old} → {new}", old=old, new=new)
    if field == "status":
        return _("status {old} → {new}", old=_account_word(old), new=_account_word(new))
    if field == "visibility":
        return _("visibility {old} → {new}", old=_account_word(old), new=_account_word(new))
    return f"{field} {old} → {new}"


def _account_word(value: Any) -> str:
    """An account's status or visibility as its reader calls it ('public', 'pública');
    the Spanish names are the ones `status:` and `visibility:` read."""
    names = {
        "prospect": pgettext("account", "prospect"),
        "active": pgettext("account", "active"),
        "paused": pgettext("account", "paused"),
        "churned": pgettext("account", "churned"),
        "public": pgettext("account", "public"),
        "team": pgettext("account", "team"),
        "private": pgettext("account", "private"),
    }
    return names.get(str(value), str(value))
