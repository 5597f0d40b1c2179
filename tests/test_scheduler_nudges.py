"""Daily nudges: each person's own 09:00, days off, absences and their cover."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from scheduling import T0, Hub, Recorder, courier

from bot.bootstrap import App
from bot.schedule import build_courier
from bot.schedule.transport import Transports
from commands.reply import Reply
from hub.models import ChatIdentity, Handover
from hub.people import find_by_name, update_person
from hub.settings import ScheduleSettings

MADRID = ZoneInfo("Europe/Madrid")
TUESDAY = date(2026, 11, 24)


@pytest.fixture
def hub(app: App) -> Hub:
    return Hub(app)


def test_three_time_zones_each_get_their_dm_at_their_own_nine(app: App, hub: Hub) -> None:
    zones = {"Ana": "Europe/Madrid", "Tom": "America/New_York", "Aiko": "Asia/Tokyo"}
    for name, tz in zones.items():
        person = hub.person(name, tz=tz)
        hub.task(
            f"Call back {name}'s client", assignee=person, due=datetime(2026, 11, 20, tzinfo=UTC)
        )
    recorder = Recorder()
    scheduler = courier(app, recorder)
    first_seen: dict[str, datetime] = {}
    at = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # Monday noon UTC
    while at < datetime(2026, 11, 25, 0, 0, tzinfo=UTC):
        before = len(recorder.sent)
        scheduler.run_pass(at)
        for sent in recorder.sent[before:]:
            first_seen.setdefault(sent.where, at)
        at += timedelta(minutes=10)
    # Tuesday 09:00 local in each zone, and Monday's too for those whose Monday 09:00
    # was still ahead at Monday noon UTC (New York, 14:00 UTC).
    sends = [(s.where, s.reply.title) for s in recorder.sent]
    assert first_seen == {
        "dm:Tom": datetime(2026, 11, 23, 14, 0, tzinfo=UTC),
        "dm:Aiko": datetime(2026, 11, 24, 0, 0, tzinfo=UTC),
        "dm:Ana": datetime(2026, 11, 24, 8, 0, tzinfo=UTC),
    }
    assert sorted(w for w, _ in sends) == ["dm:Aiko", "dm:Ana", "dm:Tom", "dm:Tom"]
    assert "Call back Ana's client" in recorder.to("dm:Ana")[0].text
    periods = sorted((r, p) for _k, r, p, status, _a in hub.ledger() if status == "sent")
    assert len(periods) == 4 and len(set(periods)) == 4


def test_own_nudge_time_and_days_off(app: App, hub: Hub) -> None:
    early = hub.person("Early Bird", nudge_at="07:30")
    weekender = hub.person("Week Ender", days_off="mon")
    quiet = hub.person("Quiet One", nudge_at="off")
    for person in (early, weekender, quiet):
        hub.task("Something overdue", assignee=person, due=datetime(2026, 11, 1, tzinfo=UTC))
    recorder = Recorder()
    scheduler = courier(app, recorder)
    scheduler.run_pass(datetime(2026, 11, 28, 9, 30, tzinfo=MADRID))  # Saturday: default off
    assert [s.where for s in recorder.sent] == ["dm:Week Ender"]
    scheduler.run_pass(datetime(2026, 11, 30, 7, 0, tzinfo=MADRID))  # Monday, before 07:30
    scheduler.run_pass(datetime(2026, 11, 30, 7, 35, tzinfo=MADRID))
    assert [s.where for s in recorder.sent] == ["dm:Week Ender", "dm:Early Bird"]
    scheduler.run_pass(datetime(2026, 11, 30, 9, 5, tzinfo=MADRID))  # Week Ender is off Monday
    assert [s.where for s in recorder.sent] == ["dm:Week Ender", "dm:Early Bird"]


def test_away_people_get_nothing_and_their_cover_gets_their_items(app: App, hub: Hub) -> None:
    ana = hub.person("Ana García")
    luis = hub.person("Luis Pérez")
    marta = hub.person("Marta Ruiz")
    now = datetime(2026, 11, 24, 9, 5, tzinfo=MADRID)
    hub.absence(
        ana, cover=luis, starts=TUESDAY - timedelta(days=1), ends=TUESDAY + timedelta(days=3)
    )
    acme = hub.account("Acme Corp", owner=ana, tier="A", last_contact=now - timedelta(days=20))
    fresh = hub.account("Fresh Co", owner=ana, tier="A", last_contact=now - timedelta(days=2))
    mine = hub.account("Luis Ltd", owner=luis, tier="C", last_contact=now - timedelta(days=61))
    hub.task("Send Acme the quote", assignee=ana, due=now - timedelta(hours=3), account=acme)
    hub.task("Later this week", assignee=ana, due=now + timedelta(days=2), account=acme)
    hub.task("Prepare my visit", assignee=luis, due=now + timedelta(hours=5), account=mine)
    hub.agreement("Signed contract", account=acme, due=TUESDAY + timedelta(days=2), author=ana)
    hub.agreement("Not yet", account=acme, due=TUESDAY + timedelta(days=3), author=ana)
    hub.agreement("Long forgotten", account=fresh, due=TUESDAY - timedelta(days=40), author=ana)
    hub.complaint(
        "Invoices duplicated",
        account=acme,
        author=marta,
        severity="high",
        opened=now - timedelta(days=2),
        sla=now - timedelta(days=1),
    )
    hub.complaint(
        "Within SLA",
        account=acme,
        author=marta,
        severity="low",
        opened=now - timedelta(hours=1),
        sla=now + timedelta(days=6),
    )
    recorder = Recorder()
    results = courier(app, recorder).nudges(now)
    assert {r.label: r.outcome for r in results} == {
        "Luis Pérez": "sent",
        "Marta Ruiz": "empty",
    }
    assert [s.where for s in recorder.sent] == ["dm:Luis Pérez"]
    reply = recorder.sent[0].reply
    items = {
        section.title: [(i.text, i.flags, [a.command for a in i.actions]) for i in section.items]
        for section in reply.sections
    }
    covering = "covering for Ana García"
    tasks = items["Follow-ups due"]
    assert [(t[0].split(" ", 2)[-1], t[1]) for t in tasks] == [
        ("Send Acme the quote — Acme Corp", ("overdue", covering)),
        ("Prepare my visit — Luis Ltd", ()),
    ]
    assert tasks[0][2][:2] == [f"done {_id(tasks[0])}", f"snooze {_id(tasks[0])} tomorrow"]
    assert items["Agreements due"] == [
        ("Acme Corp: Signed contract — due Thu 26 Nov", (covering,), ['log "Acme Corp" '])
    ]
    assert [(c[0].split(" —")[0], c[1]) for c in items["Complaints over SLA"]] == [
        ("Acme Corp: Invoices duplicated", ("SLA breached", covering))
    ]
    assert [(s[0], s[1]) for s in items["Accounts to get in touch with"]] == [
        ("Acme Corp (tier A) — no contact for 20 days", (covering,)),
        ("Luis Ltd (tier C) — no contact for 61 days", ()),
    ]
    assert ("Covering for", "Ana García") in [(f.label, f.value) for f in reply.fields]
    # The next pass sends nothing more: the day is settled for everyone due.
    courier(app, recorder).nudges(now + timedelta(minutes=10))
    assert len(recorder.sent) == 1


def test_a_book_handed_over_for_a_period_brings_its_items_to_the_taker(app: App, hub: Hub) -> None:
    ana = hub.person("Ana García")
    luis = hub.person("Luis Pérez")
    now = datetime(2026, 11, 24, 9, 5, tzinfo=MADRID)
    acme = hub.account("Acme Corp", owner=ana, tier="A", last_contact=now - timedelta(days=20))
    globex = hub.account("Globex", owner=ana, tier="A", last_contact=now - timedelta(days=25))
    hub.agreement("Signed contract", account=acme, due=TUESDAY + timedelta(days=2), author=ana)
    hub.agreement("Pricing sheet", account=globex, due=TUESDAY, author=ana)
    until = TUESDAY + timedelta(days=3)
    hub.add(
        Handover(book_of_id=ana, from_id=ana, to_id=luis, by_id=ana, until_on=until, created_at=now)
    )
    # Globex alone went on to Marta: her own period outranks the book's.
    marta = hub.person("Marta Ruiz")
    hub.add(
        Handover(
            account_id=globex, from_id=luis, to_id=marta, by_id=luis, until_on=until, created_at=now
        )
    )

    recorder = Recorder()
    outcomes = {r.label: r.outcome for r in courier(app, recorder).nudges(now)}
    assert outcomes == {"Ana García": "empty", "Luis Pérez": "sent", "Marta Ruiz": "sent"}
    agreements = {
        sent.where: [
            i.text for s in sent.reply.sections if s.title == "Agreements due" for i in s.items
        ]
        for sent in recorder.sent
    }
    assert agreements == {
        "dm:Luis Pérez": ["Acme Corp: Signed contract — due Thu 26 Nov"],
        "dm:Marta Ruiz": ["Globex: Pricing sheet — due today"],
    }


def _id(item: tuple[str, tuple[str, ...], list[str]]) -> str:
    return item[2][0].split()[1]


def test_untouched_thresholds_come_from_the_environment(app: App, hub: Hub) -> None:
    ana = hub.person("Ana García")
    now = datetime(2026, 11, 24, 9, 5, tzinfo=MADRID)
    hub.account("Acme Corp", owner=ana, tier="A", last_contact=now - timedelta(days=20))
    schedule = ScheduleSettings.from_env({"RELEVO_STALE_DAYS_A": "30"})
    settings = replace(app.settings, schedule=schedule)
    patient = replace(app, config=replace(app.config, settings=settings))
    recorder = Recorder()
    assert [r.outcome for r in courier(patient, recorder).nudges(now)] == ["empty"]
    assert [r.outcome for r in courier(app, recorder).nudges(now + timedelta(days=1))] == ["sent"]
    with pytest.raises(SystemExit):
        ScheduleSettings.from_env({"RELEVO_NUDGE_AT": "nine"})


def test_dms_go_to_the_platform_the_person_chose_else_where_they_were_last(
    app: App, hub: Hub
) -> None:
    ana = hub.person("Ana García")
    for platform, seen in (("slack", T0), ("discord", T0 + timedelta(days=1))):
        hub.add(
            ChatIdentity(
                person_id=ana,
                platform=platform,
                workspace="W1",
                external_id=f"{platform}-ana",
                last_seen_at=seen,
            )
        )
    slack, discord = Recorder(), Recorder()
    transports = Transports(fallback=Recorder())
    transports.register("slack", slack)
    transports.register("discord", discord)
    notices = build_courier(app, transports=transports, sleep=lambda _s: None)

    notices.notify_person(ana, Reply(title="New web lead"), kind="lead", key="1")
    assert len(discord.to("dm:Ana García")) == 1 and slack.sent == []  # seen there last

    set_person(app, "Ana García", notify_via="slack")
    notices.notify_person(ana, Reply(title="Another lead"), kind="lead", key="2")
    assert [s.reply.title for s in slack.to("dm:Ana García")] == ["Another lead"]
    assert len(discord.sent) == 1


def set_person(app: App, name: str, **fields: str) -> None:
    with app.database.unit_of_work() as session:
        update_person(find_by_name(session, name), **fields)  # what `people set` does
