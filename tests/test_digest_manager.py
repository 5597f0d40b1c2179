"""The weekly digest as the manager's page (issue 22), on SQLite and PostgreSQL with the
fixed clock: the period named with its dates and year, the forecast naming its month,
the deals closing this month, won and lost in the week with their reasons, the risks
with "and N more"; `digest` is the last scheduled one and `digest now` the live one, and
each says which. A channel counts public accounts only, a person what they may read."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from conftest import EPOCH, MADRID, Team
from scheduling import Recorder, courier

from bot.bootstrap import App
from hub.clock import FixedClock

ANA, LUIS, CARMEN = "Ana García", "Luis Pérez", "Carmen Vidal"
TODAY = EPOCH.date()  # a Tuesday: the hub is set up then
MONDAY = EPOCH + timedelta(days=6)  # the next Monday, 10:00: its digest went out at 09:00
SLOT = datetime.combine(MONDAY.date(), time(9, 0), MADRID)


def day(offset: int) -> str:
    """A close date `offset` days from the set-up day, as people type it."""
    return (TODAY + timedelta(days=offset)).isoformat()


@pytest.fixture
def hub(team: Team, clock: FixedClock) -> Team:
    """Two public accounts and Luis's private one; deals in euros and dollars, won and
    lost in the week with reasons, closing this month and late; ten accounts at risk
    (seven with a complaint over its SLA, three with a deal past its close date)."""
    team.run('account "Acme Corp" tier:A', by=ANA)
    team.run("account Globex tier:B", by=ANA)
    team.run("account Secret tier:A visibility:private", by=LUIS)
    team.run(f"deal acme Renewal amount:40000 stage:negotiation close:{day(6)}", by=ANA)  # D1
    team.run(f"deal acme Pilot amount:5000 USD stage:proposal close:{day(3)}", by=ANA)  # D2
    team.run(f"deal globex Expansion amount:20000 stage:lead close:{day(10)}", by=ANA)  # D3
    last_year = date(TODAY.year - 1, 12, 15).isoformat()
    team.run(f"deal globex Legacy amount:2000 stage:qualified close:{last_year}", by=ANA)  # D4
    team.run("deal globex Licences amount:8000", by=ANA)  # D5
    team.run("deal acme Support amount:3000 USD", by=ANA)  # D6
    team.run(f"deal secret Merger amount:900000 stage:negotiation close:{day(4)}", by=LUIS)  # D7
    team.run("deal secret Audit amount:1000", by=LUIS)  # D8
    team.run("won D5", by=ANA)
    team.run("lost D6 price too high", by=ANA)
    team.run("lost D8 timing", by=LUIS)
    for n in range(1, 8):
        team.run(f"account Risk{n} tier:C", by=ANA)
        team.run(f"complaint risk{n} Outage {n} severity:high", by=ANA)
    clock.set(MONDAY)
    return team


WEEK = "Weekly pipeline digest — week of Mon 23 Nov to Sun 29 Nov 2026"
SLIPPING = "1 deal past its close date"
OVER_SLA = "1 complaint over SLA"
# The same accounts, reasons and order as `report risk`: tier A first, then B, then C.
RISKS = [
    f"  • Acme Corp (tier A) — {SLIPPING}",
    f"  • Secret (tier A) — {SLIPPING}",
    f"  • Globex (tier B) — {SLIPPING}",
    *(f"  • Risk{n} (tier C) — {OVER_SLA}" for n in (1, 2)),
    "  … and 5 more",
]
RISKS_WITHOUT_SECRET = [
    f"  • Acme Corp (tier A) — {SLIPPING}",
    f"  • Globex (tier B) — {SLIPPING}",
    *(f"  • Risk{n} (tier C) — {OVER_SLA}" for n in (1, 2, 3)),
    "  … and 4 more",
]


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.strip().startswith("→")]


def block(text: str, title: str) -> list[str]:
    """The lines of one section, its title excluded, up to the blank line."""
    shown = lines(text)
    start = shown.index(title) + 1
    end = shown.index("", start) if "" in shown[start:] else len(shown)
    return shown[start:end]


def test_the_managers_digest_counts_everything_they_may_read(hub: Team) -> None:
    out = hub.run("digest", by=CARMEN)
    assert lines(out)[:12] == [
        WEEK,
        "Scheduled digest of Mon 30 Nov 09:00",
        "  Open pipeline:                5 deals · €962,000 + $5,000",
        "  Moved this week:              8 new (€971,000 + $8,000), 1 won (€8,000), "
        "2 lost (€1,000 + $3,000)",
        "  Won:                          1 · €8,000",
        "  Lost:                         2 (price too high ×1; timing ×1)",
        "  Forecast for November 2026:   €705,000 + $2,500",
        "  Forecast for December 2026:   €2,000",
        "  Win rate (90 days):           33%",
        "  Average cycle (won, 90 days): 0.0 days",
        "  Complaints:                   7 new, 0 resolved, 7 open (7 over SLA)",
        "  Accounts at risk:             10: 7 with complaints over SLA, 3 slipping deals",
    ]
    assert block(out, "Open pipeline by stage") == [
        "  • lead: 1 deal · €20,000 · weighted €2,000 · this week: +4 in, −3 out",
        "  • qualified: 1 deal · €2,000 · weighted €500 · this week: +1 in, −0 out",
        "  • proposal: 1 deal · $5,000 · weighted $2,500 · this week: +1 in, −0 out",
        "  • negotiation: 2 deals · €940,000 · weighted €705,000 · this week: +2 in, −0 out",
    ]
    assert block(out, "Closing in November 2026") == [
        "  • D2 Acme Corp: Pilot — proposal · $5,000 · closes Fri 27 Nov",
        "  • D7 Secret: Merger — negotiation · €900,000 · closes Sat 28 Nov",
        "  • D1 Acme Corp: Renewal — negotiation · €40,000 · closes today",
    ]
    assert block(out, "Won this week") == ["  • D5 Globex: Licences — €8,000"]
    assert block(out, "Lost this week") == [
        "  • D6 Acme Corp: Support — $3,000 — price too high",
        "  • D8 Secret: Audit — €1,000 — timing",
    ]
    assert block(out, "Needs a manager") == [
        *(f"  • C{n} Risk{n}: Outage {n} — high, SLA was 4 days ago" for n in (1, 2, 3)),
        "  • D7 Secret: Merger — negotiation, was to close 28 Nov",
        "  • D2 Acme Corp: Pilot — proposal, was to close 27 Nov",
        "  • D4 Globex: Legacy — qualified, was to close 15 Dec 2025",  # another year: named
    ]
    assert block(out, "Accounts at risk") == RISKS
    assert "Public accounts only" not in out


def test_a_members_digest_leaves_the_private_account_out_of_every_figure(hub: Team) -> None:
    out = hub.run("digest", by=ANA)
    assert lines(out)[:12] == [
        WEEK,
        "Scheduled digest of Mon 30 Nov 09:00",
        "  Open pipeline:                4 deals · €62,000 + $5,000",
        "  Moved this week:              6 new (€70,000 + $8,000), 1 won (€8,000), 1 lost ($3,000)",
        "  Won:                          1 · €8,000",
        "  Lost:                         1 (price too high ×1)",
        "  Forecast for November 2026:   €30,000 + $2,500",
        "  Forecast for December 2026:   €2,000",
        "  Win rate (90 days):           50%",
        "  Average cycle (won, 90 days): 0.0 days",
        "  Complaints:                   7 new, 0 resolved, 7 open (7 over SLA)",
        "  Accounts at risk:             9: 7 with complaints over SLA, 2 slipping deals",
    ]
    assert block(out, "Closing in November 2026") == [
        "  • D2 Acme Corp: Pilot — proposal · $5,000 · closes Fri 27 Nov",
        "  • D1 Acme Corp: Renewal — negotiation · €40,000 · closes today",
    ]
    assert block(out, "Lost this week") == ["  • D6 Acme Corp: Support — $3,000 — price too high"]
    assert block(out, "Accounts at risk") == RISKS_WITHOUT_SECRET
    assert "Secret" not in out and "Merger" not in out and "timing" not in out


@pytest.mark.parametrize(("reader", "total"), [(CARMEN, 10), (ANA, 9)])
def test_the_digest_and_report_risk_count_the_same_accounts_at_risk(
    hub: Team, reader: str, total: int
) -> None:
    """One rule of being at risk: the manager who reads "Accounts at risk: 10" in the
    digest finds the same ten, in the same order, in `report risk`."""
    digest = block(hub.run("digest", by=reader), "Accounts at risk")
    report = lines(hub.run("report risk", by=reader))
    assert report[report.index("By reason") + 6].split()[-1] == str(total)
    named = [line.removeprefix("  • ").split(" (tier ")[0] for line in digest[:-1]]
    listed = report[report.index("Accounts at risk") + 2 :][: len(named)]
    assert [line.split("  ")[1] for line in listed] == named
    assert digest[-1] == f"  … and {total - len(named)} more"


def test_digest_is_the_last_scheduled_one_and_digest_now_the_live_one(
    hub: Team, clock: FixedClock
) -> None:
    hub.run("won D1", by=ANA)  # Monday 10:00: after the week the scheduled digest covers
    scheduled = hub.run("digest", by=CARMEN)
    assert lines(scheduled)[:2] == [WEEK, "Scheduled digest of Mon 30 Nov 09:00"]
    assert "  Won:                          1 · €8,000" in scheduled  # as it was sent
    assert block(scheduled, "Won this week") == ["  • D5 Globex: Licences — €8,000"]
    live = hub.run("digest now", by=CARMEN)
    assert lines(live)[:2] == [
        "Pipeline digest — last 7 days, Mon 23 Nov to Mon 30 Nov 2026",
        "Live, as of Mon 30 Nov 10:00",
    ]
    assert "  Won:                          2 · €48,000" in live
    assert "  Open pipeline:                3 deals · €22,000 + $5,000" in live  # public only
    assert block(live, "Won this week") == [
        "  • D1 Acme Corp: Renewal — €40,000",
        "  • D5 Globex: Licences — €8,000",
    ]
    assert "Secret" not in live and "Public accounts only" in live
    # Later the same week, `digest` is still Monday's.
    clock.set(MONDAY + timedelta(days=3))
    assert lines(hub.run("digest", by=CARMEN))[:2] == [WEEK, "Scheduled digest of Mon 30 Nov 09:00"]


def test_a_channel_digest_forced_on_thursday_is_mondays_with_its_month(app: App, hub: Team) -> None:
    hub.run("subscribe #sales weekly", by=CARMEN)
    recorder = Recorder()
    scheduler = courier(app, recorder)
    scheduler.digests(SLOT + timedelta(minutes=2))
    scheduler.digests(SLOT + timedelta(days=3), channel="#sales", force=True)  # once a week
    [post] = recorder.to("#sales")
    assert post.reply.title == WEEK
    assert post.reply.text == "Scheduled digest of Mon 30 Nov 09:00"
    text = post.text
    assert "Open pipeline:                4 deals · €62,000 + $5,000" in text
    assert "Forecast for November 2026:   €30,000 + $2,500" in text
    assert "Lost:                         1 (price too high ×1)" in text
    assert "Secret" not in text and "timing" not in text and "Public accounts only" in text
    assert [s.title for s in post.reply.sections] == [
        "Open pipeline by stage",
        "Closing in November 2026",
        "Won this week",
        "Lost this week",
        "Needs a manager",
        "Accounts at risk",
    ]
    assert post.reply.sections[-1].more == 4  # nine public accounts at risk, five named
    assert post.attachments[0].filename == "pipeline-funnel.png"


def test_a_spanish_channel_digest(app: App, hub: Team) -> None:
    hub.run("suscribir #ventas semanal idioma:es", by=CARMEN)
    recorder = Recorder()
    courier(app, recorder).digests(SLOT + timedelta(minutes=2))
    [post] = recorder.to("#ventas")
    assert post.reply.title == (
        "Resumen semanal del embudo — semana del lun 23 nov al dom 29 nov 2026"
    )
    assert post.reply.text == "Resumen programado del lun 30 nov 09:00"
    text = post.text
    for said in (
        "Previsión de noviembre de 2026:",
        "Previsión de diciembre de 2026:",
        "Cierres previstos en noviembre de 2026",
        "D2 Acme Corp: Pilot — propuesta · 5.000\u00a0US$ · cierra vie 27 nov",
        "Ganadas esta semana",
        "D5 Globex: Licences — 8.000\u00a0€",
        "Perdidas esta semana",
        "D6 Acme Corp: Support — 3.000\u00a0US$ — price too high",
        "debía cerrarse el 15 dic 2025",
        "… y 4 más",
    ):
        assert said in text, said


def test_the_digest_has_the_per_seller_table_of_what_its_reader_may_read(hub: Team) -> None:
    """`report sellers` over the digest's week: the manager's counts Luis's private
    account; Ana's digest leaves it out of Luis's row and of the whole."""
    manager = block(hub.run("digest", by=CARMEN), "By seller")
    member = block(hub.run("digest", by=ANA), "By seller")
    assert manager[0].split()[:4] == ["Seller", "Open", "pipeline", "Weighted"]
    luis = next(line for line in manager if line.strip().startswith("Luis Pérez"))
    assert "€900,000" in luis
    assert not any("€900,000" in line for line in member)
    assert manager[-1].strip().startswith("All") and member[-1].strip().startswith("All")
