"""Digest figures against hand-computed expectations, channel naming rules, the chart."""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from conftest import Team
from scheduling import Hub, Recorder, courier
from sqlalchemy import true

from bot.bootstrap import App
from bot.schedule.chart import funnel_png
from hub.clock import FixedClock
from hub.digest import DigestFigures, Move, compute_digest
from hub.models import Account, Visibility
from hub.money import Totals

MADRID = ZoneInfo("Europe/Madrid")
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=MADRID)  # 08:00 UTC; the week is 16-23 Nov


def at(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


@pytest.fixture
def dataset(app: App) -> Hub:
    """Three accounts, seven deals, three complaints; every figure below is worked by hand."""
    hub = Hub(app)
    ana = hub.person("Ana García")
    luis = hub.person("Luis Pérez")
    acme = hub.account("Acme Corp", owner=ana, tier="A", last_contact=at(11, 20))
    globex = hub.account(
        "Globex", owner=luis, tier="B", visibility="private", last_contact=at(10, 1)
    )
    initech = hub.account("Initech", owner=ana, tier="C", last_contact=at(11, 1))
    # Open: negotiation 40,000 (advanced this week), lead 10,000 (new this week),
    # proposal 20,000 on the private account (slipped back from negotiation this week).
    hub.deal(
        "Renewal",
        account=acme,
        owner=ana,
        amount=40_000,
        close=date(2026, 11, 30),
        path=[
            ("lead", at(10, 1)),
            ("qualified", at(10, 15)),
            ("proposal", at(11, 10)),
            ("negotiation", at(11, 18)),
        ],
    )
    hub.deal(
        "Pilot", account=acme, owner=ana, amount=10_000, close=date(2026, 12, 10),
        path=[("lead", at(11, 20))],
    )  # fmt: skip
    hub.deal(
        "Upsell",
        account=globex,
        owner=luis,
        amount=20_000,
        close=date(2026, 11, 28),
        path=[
            ("lead", at(9, 1)),
            ("proposal", at(10, 1)),
            ("negotiation", at(11, 2)),
            ("proposal", at(11, 19)),
        ],
    )
    # Closed: won this week after 27 days; lost this week (private, "price");
    # won in the quarter after 10 days; lost before the quarter.
    hub.deal(
        "Licences", account=initech, owner=ana, amount=5_000,
        path=[("lead", at(10, 24)), ("won", at(11, 20))],
    )  # fmt: skip
    hub.deal(
        "Support", account=globex, owner=luis, amount=8_000, reason="price",
        path=[("lead", at(9, 23)), ("lost", at(11, 17))],
    )  # fmt: skip
    hub.deal(
        "Old", account=acme, owner=ana, amount=12_000,
        path=[("lead", at(8, 25)), ("won", at(9, 4))],
    )  # fmt: skip
    hub.deal(
        "Ancient", account=initech, owner=ana, amount=3_000, reason="timing",
        path=[("lead", at(5, 1)), ("lost", at(6, 1))],
    )  # fmt: skip
    hub.complaint(
        "Invoices duplicated", account=acme, author=luis, severity="high",
        opened=at(11, 18), sla=at(11, 19),
    )  # fmt: skip
    hub.complaint(
        "Slow portal", account=globex, author=ana, severity="low",
        opened=at(11, 10), sla=at(11, 17), resolved=at(11, 17),
    )  # fmt: skip
    hub.complaint(
        "Wrong licences", account=initech, author=luis, severity="medium",
        opened=at(11, 1), sla=at(11, 4),
    )  # fmt: skip
    hub.agreement("Send the licence keys", account=initech, due=date(2026, 11, 20), author=ana)
    return hub


def eur(amount: int) -> Totals:
    """A total in the hub's currency (the dataset's deals were saved without one)."""
    return Totals("EUR", [("EUR", Decimal(amount))])


def figures(app: App, *, readable: object) -> DigestFigures:
    with app.database.unit_of_work() as session:
        return compute_digest(
            session,
            since=MONDAY - timedelta(days=7),
            until=MONDAY,
            tz=MADRID,
            schedule=app.settings.schedule,
            readable=readable,  # type: ignore[arg-type]
            currency=app.settings.currency,
        )


def test_digest_figures_match_the_hand_computed_ones(app: App, dataset: Hub) -> None:
    d = figures(app, readable=true())
    assert [(s.stage, s.count, s.value, s.weighted) for s in d.stages] == [
        ("lead", 1, eur(10_000), eur(1_000)),
        ("qualified", 0, eur(0), eur(0)),
        ("proposal", 1, eur(20_000), eur(10_000)),
        ("negotiation", 1, eur(40_000), eur(30_000)),
    ]
    # Entered: Pilot (lead), Upsell back to proposal, Renewal to negotiation.
    # Left: Licences and Support from lead, Renewal from proposal, Upsell from negotiation.
    assert [(s.entered, s.left) for s in d.stages] == [(1, 2), (0, 0), (1, 1), (1, 1)]
    assert d.moves == {
        "new": Move(1, eur(10_000)),
        "advanced": Move(1, eur(40_000)),
        "slipped": Move(1, eur(20_000)),
        "won": Move(1, eur(5_000)),
        "lost": Move(1, eur(8_000)),
        "reopened": Move(0, eur(0)),
    }
    # November closes: Renewal 40,000 x 0.75 + Upsell 20,000 x 0.5; December: Pilot x 0.1.
    assert d.forecast_this_month == eur(40_000)
    assert d.forecast_next_month == eur(1_000)
    # Quarter (since 25 Aug 08:00 UTC): won Licences and Old, lost Support; Ancient is older.
    assert (d.quarter_won, d.quarter_lost) == (2, 1)
    assert d.win_rate == pytest.approx(2 / 3)
    assert d.cycle_days == pytest.approx((27 + 10) / 2)
    assert (d.complaints_new, d.complaints_resolved) == (1, 1)
    assert (d.complaints_open, d.complaints_breached) == (2, 2)
    # At risk as `report risk` counts it. Initech: a complaint over its SLA and the
    # agreement due 20 Nov; Acme: a complaint over its SLA; Globex (tier B): no contact
    # since 1 Oct. Most reasons first, then tier.
    assert d.risk.by_reason == {
        "complaints": 2,
        "no contact": 1,
        "slipping deals": 0,
        "overdue agreements": 1,
    }
    assert d.risk.total == 3
    assert [(r.name, r.counts) for r in d.risk.lines] == [
        ("Initech", (1, 0, 0, 1)),
        ("Acme Corp", (1, 0, 0, 0)),
        ("Globex", (0, 1, 0, 0)),
    ]
    assert [(a.kind, a.account, a.text) for a in d.attention] == [
        ("complaint", "Acme Corp", "Invoices duplicated"),
        ("complaint", "Initech", "Wrong licences"),
    ]
    assert d.lost_reasons == [("price", 1)]


def test_public_figures_leave_the_private_account_out_of_every_figure(
    app: App, dataset: Hub
) -> None:
    d = figures(app, readable=Account.visibility == Visibility.PUBLIC)
    # Upsell (proposal, 20,000) and the lost Support are Globex's, which is private.
    assert [(s.stage, s.count, s.value) for s in d.stages] == [
        ("lead", 1, eur(10_000)),
        ("qualified", 0, eur(0)),
        ("proposal", 0, eur(0)),
        ("negotiation", 1, eur(40_000)),
    ]
    assert [(s.entered, s.left) for s in d.stages] == [(1, 1), (0, 0), (0, 1), (1, 0)]
    assert d.moves["slipped"] == Move(0, eur(0)) and d.moves["lost"] == Move(0, eur(0))
    assert d.forecast_this_month == eur(30_000)
    assert (d.quarter_won, d.quarter_lost) == (2, 0)
    assert (d.complaints_new, d.complaints_resolved) == (1, 0)
    assert d.risk.by_reason == {
        "complaints": 2,
        "no contact": 0,
        "slipping deals": 0,
        "overdue agreements": 1,
    }
    assert [r.name for r in d.risk.lines] == ["Initech", "Acme Corp"]
    assert d.lost_reasons == []


def test_a_channel_digest_covers_only_public_accounts_and_carries_the_chart(
    app: App, dataset: Hub
) -> None:
    dataset.subscribe("#sales", cadence="weekly", tz="Europe/Madrid", by=1)
    recorder = Recorder()
    results = courier(app, recorder).digests(datetime(2026, 11, 23, 9, 2, tzinfo=MADRID))
    assert [(r.kind, r.recipient, r.period, r.outcome) for r in results] == [
        ("digest.weekly", "console:#sales", "2026-W48", "sent")
    ]
    [post] = recorder.to("#sales")
    assert "Globex" not in post.text and "Upsell" not in post.text and "price" not in post.text
    # Anyone in the channel reads it: the private account's deals are not in the totals
    # either (its Upsell would be the channel total minus the public deals).
    assert "Open pipeline:                2 deals · €50,000" in post.text
    assert post.reply.title == "Weekly pipeline digest — week of Mon 16 Nov to Sun 22 Nov 2026"
    assert post.reply.text == "Scheduled digest of Mon 23 Nov 09:00"
    assert "Forecast for November 2026:   €30,000" in post.text
    assert "Forecast for December 2026:   €1,000" in post.text
    assert "Win rate (90 days):           100%" in post.text
    assert "Average cycle (won, 90 days): 18.5 days" in post.text
    assert "Accounts at risk:             2:" in post.text
    assert (
        "negotiation: 1 deal · €40,000 · weighted €30,000 · this week: +1 in, −0 out" in post.text
    )
    assert "Public accounts only" in post.text
    [chart] = post.attachments
    assert chart.filename == "pipeline-funnel.png"
    assert chart.content.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", chart.content[16:24])
    assert (width, height) == (800, 420)
    assert 5_000 < len(chart.content) < 500_000


def test_a_monday_daily_digest_covers_the_weekend_since_friday(app: App, dataset: Hub) -> None:
    dataset.subscribe("#ops", cadence="daily", tz="Europe/Madrid", by=1)
    recorder = Recorder()
    scheduler = courier(app, recorder)
    scheduler.digests(datetime(2026, 11, 22, 9, 2, tzinfo=MADRID))  # Sunday: a day off
    assert recorder.sent == []
    scheduler.digests(datetime(2026, 11, 23, 9, 2, tzinfo=MADRID))
    [post] = recorder.to("#ops")
    assert post.reply.title == "Daily pipeline digest — Fri 20 Nov to Sun 22 Nov 2026"
    assert "Moved this period:            1 new (€10,000), 1 won (€5,000)" in post.text


def test_the_chart_of_an_empty_hub_is_still_a_picture(app: App) -> None:
    png = funnel_png(figures(app, readable=true()))
    assert png.startswith(b"\x89PNG") and len(png) > 2_000


def test_a_persons_digest_counts_and_names_only_what_they_may_read(
    team: Team, clock: FixedClock
) -> None:
    team.run("account Acme tier:A", by="Ana García")
    team.run("deal Acme Renewal amount:40000 stage:proposal", by="Ana García")
    team.run("account Secret tier:A visibility:private", by="Luis Pérez")
    team.run("deal Secret Merger amount:900000 stage:negotiation", by="Luis Pérez")
    team.run("complaint Secret Leak severity:critical", by="Luis Pérez")
    clock.set(clock.now() + timedelta(days=13))  # the last digest went out after its SLA
    mine = team.run("digest", by="Ana García")
    assert "Open pipeline:                1 deal · €40,000" in mine
    assert "Secret" not in mine and "Merger" not in mine
    boss = team.run("digest", by="Carmen Vidal")
    assert "Open pipeline:                2 deals · €940,000" in boss
    assert "Secret (tier A) — 1 complaint over SLA" in boss
