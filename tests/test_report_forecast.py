"""`report forecast`: a hub with known open deals and known wins this year and last, and
every figure of the forecast checked, in EUR and USD, for what each reader may see, in
English and Spanish (issue 22)."""

from __future__ import annotations

import io
from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from conftest import EPOCH, Team
from test_reports import _table

from commands.handlers.reports import build_report
from commands.types import ShowReport
from hub.clock import FixedClock
from hub.models import Person
from hub.rates import set_rate
from hub.reports import forecast
from integrations.report_csv import write_report_csv

ANA, LUIS, MARTA, CARMEN = "Ana García", "Luis Pérez", "Marta Ruiz", "Carmen Vidal"
NOW = EPOCH.astimezone(UTC)  # Tuesday 24 November 2026
TABLE = "Deals closing against a year before"
DEALS = "Open deals closing in Q4 2026"


def _closes(days: int) -> str:
    return (EPOCH + timedelta(days=days)).date().isoformat()


def _hub_with_a_forecast(team: Team, clock: FixedClock) -> None:
    """Acme (Ana's), Globex (Luis's), Secret (Ana's, private).

    Won (D1-D5): Globex Older €9,000 on 20 Sep 2025 (before last year's fourth quarter),
    Secret Old audit €5,000 on 20 Oct 2025, Acme Old €12,000 on 10 Nov 2025, Globex
    Licences $3,000 on 10 Oct 2026, Acme Support €6,000 on 14 Nov 2026.
    Open (D6-D11): Acme Renewal €40,000 negotiation closing 27 Nov, Globex Pilot $10,000
    proposal closing 30 Nov, Acme Upsell €8,000 lead closing 15 Dec, Secret Audit €20,000
    qualified closing 26 Nov, Acme Later €1,000 lead closing 15 Jan 2027, Globex Someday
    €2,000 lead with no close date. D12 Globex Gone €9,000 was to close 25 Nov and is
    lost."""
    team.run('account "Acme Corp"', by=ANA)
    team.run("account Globex", by=LUIS)
    team.run("account Secret visibility:private", by=ANA)
    for days_ago, by, line in (
        (430, LUIS, "deal globex Older amount:9000 stage:won"),
        (400, ANA, "deal secret Old audit amount:5000 stage:won"),
        (379, ANA, "deal acme Old amount:12000 stage:won"),
        (45, LUIS, "deal globex Licences amount:$3000 stage:won"),
        (10, ANA, "deal acme Support amount:6000 stage:won"),
    ):
        clock.set(NOW - timedelta(days=days_ago))
        team.run(line, by=by)
    clock.set(EPOCH)
    for by, line in (
        (ANA, f"deal acme Renewal amount:40000 stage:negotiation close:{_closes(3)}"),
        (LUIS, f"deal globex Pilot amount:$10000 stage:proposal close:{_closes(6)}"),
        (ANA, f"deal acme Upsell amount:8000 stage:lead close:{_closes(21)}"),
        (ANA, f"deal secret Audit amount:20000 stage:qualified close:{_closes(2)}"),
        (ANA, f"deal acme Later amount:1000 stage:lead close:{_closes(52)}"),
        (LUIS, "deal globex Someday amount:2000 stage:lead"),
        (LUIS, f"deal globex Gone amount:9000 stage:proposal close:{_closes(1)}"),
        (LUIS, "lost D12 no budget"),
    ):
        out = team.run(line, by=by)
        assert "can't" not in out and "don't" not in out, out


def test_the_forecast_shows_this_month_and_this_quarter(team: Team, clock: FixedClock) -> None:
    _hub_with_a_forecast(team, clock)
    out = team.run("report forecast", by=CARMEN)
    assert out.startswith("Forecast, Sun 01 Nov to Mon 30 Nov 2026")
    assert _table(out, TABLE) == [
        ["Period", "Open deals", "Weighted", "Best case", "Won", "Won a year before"],
        # Renewal 75 %, Audit 25 %, Pilot 50 %; Old in November 2025.
        ["November 2026", "3", "€35,000 + $5,000", "€60,000 + $10,000", "€6,000", "€12,000"],
        # And Upsell 10 %; Licences in October; Old audit in October 2025.
        ["Q4 2026", "4", "€35,800 + $5,000", "€68,000 + $10,000", "€6,000 + $3,000", "€17,000"],
    ]
    assert _table(out, DEALS) == [
        ["Deal", "Account", "Title", "Stage", "Amount", "Closes"],
        ["D9", "Secret", "Audit", "qualified", "€20,000", "Thu 26 Nov"],
        ["D6", "Acme Corp", "Renewal", "negotiation", "€40,000", "Fri 27 Nov"],
        ["D7", "Globex", "Pilot", "proposal", "$10,000", "Mon 30 Nov"],
        ["D8", "Acme Corp", "Upsell", "lead", "€8,000", "Tue 15 Dec"],
    ]


def test_with_rates_each_total_is_one_figure_naming_the_rates(
    team: Team, clock: FixedClock
) -> None:
    _hub_with_a_forecast(team, clock)
    with team.app.database.unit_of_work() as session:
        carmen = session.query(Person).filter_by(name=CARMEN).one()
        set_rate(
            session, carmen, currency="USD", rate=Decimal("0.9"), valid_from=EPOCH.date(), now=NOW
        )
    out = team.run("report forecast", by=CARMEN)
    at = "(at USD 0.9 from 24 Nov)"
    assert _table(out, TABLE)[1:] == [
        ["November 2026", "3", f"€39,500 {at}", f"€69,000 {at}", "€6,000", "€12,000"],
        ["Q4 2026", "4", f"€40,300 {at}", f"€77,000 {at}", f"€8,700 {at}", "€17,000"],
    ]
    assert _table(out, DEALS)[3] == ["D7", "Globex", "Pilot", "proposal", "$10,000", "Mon 30 Nov"]


def test_a_member_s_forecast_leaves_out_the_account_they_may_not_read(
    team: Team, clock: FixedClock
) -> None:
    _hub_with_a_forecast(team, clock)
    out = team.run("report forecast", by=MARTA)  # Service: Secret is Ana's, private
    assert "Secret" not in out
    assert _table(out, TABLE)[1:] == [
        ["November 2026", "2", "€30,000 + $5,000", "€40,000 + $10,000", "€6,000", "€12,000"],
        ["Q4 2026", "3", "€30,800 + $5,000", "€48,000 + $10,000", "€6,000 + $3,000", "€12,000"],
    ]
    assert [row[0] for row in _table(out, DEALS)[1:]] == ["D6", "D7", "D8"]


def test_a_typed_period_is_one_row(team: Team, clock: FixedClock) -> None:
    _hub_with_a_forecast(team, clock)
    out = team.run("report forecast Q4", by=CARMEN)
    assert out.startswith("Forecast, Thu 01 Oct to Thu 31 Dec 2026")
    assert _table(out, TABLE)[1:] == [
        ["Q4 2026", "4", "€35,800 + $5,000", "€68,000 + $10,000", "€6,000 + $3,000", "€17,000"],
    ]
    year = team.run("report forecast next_year_is_not_a_period", by=CARMEN)
    assert "couldn't read" in year
    last_year = team.run("report forecast 2025", by=CARMEN)
    assert _table(last_year, TABLE)[1:] == [["2025", "0", "€0", "€0", "€26,000", "€0"]]
    assert "No open deal is due to close in this period." in last_year


def test_the_deals_listed_are_capped_with_how_many_more(
    team: Team, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hub_with_a_forecast(team, clock)
    monkeypatch.setattr(forecast, "SHOWN_DEALS", 2)
    out = team.run("report forecast", by=CARMEN)
    assert [row[0] for row in _table(out, DEALS)[1:]] == ["D9", "D6", "… and 2 more"]


def test_a_spanish_manager_reads_the_forecast_in_spanish(team: Team, clock: FixedClock) -> None:
    _hub_with_a_forecast(team, clock)
    with team.app.database.unit_of_work() as session:
        session.query(Person).filter_by(name=CARMEN).one().locale = "es"
    out = team.run("informe prevision", by=CARMEN).replace("\xa0", " ")
    assert out.startswith("Previsión, ")
    rows = _table(out, "Cierres previstos frente al año anterior")
    assert rows == [
        ["Periodo", "Abiertas", "Ponderado", "Mejor caso", "Ganado", "Ganado un año antes"],
        [
            "noviembre de 2026",
            "3",
            "35.000 € + 5.000 US$",
            "60.000 € + 10.000 US$",
            "6.000 €",
            "12.000 €",
        ],
        [
            "T4 2026",
            "4",
            "35.800 € + 5.000 US$",
            "68.000 € + 10.000 US$",
            "6.000 € + 3.000 US$",
            "17.000 €",
        ],
    ]
    deals = _table(out, "Oportunidades abiertas que cierran en T4 2026")
    assert deals[0] == ["Oportunidad", "Cuenta", "Título", "Etapa", "Importe", "Cierre"]
    assert deals[2] == ["D6", "Acme Corp", "Renewal", "negociación", "40.000 €", "vie 27 nov"]


def test_the_csv_gives_raw_values(team: Team, clock: FixedClock) -> None:
    _hub_with_a_forecast(team, clock)
    with team.app.runner.workplace.open(team.person_id(CARMEN), source="cli") as work:
        command = team.app.runner.read("report forecast", work)
        assert isinstance(command, ShowReport)
        out = io.StringIO()
        rows = write_report_csv(build_report(work, command), out)
    lines = out.getvalue().splitlines()
    assert rows == 6  # two periods, four deals
    assert f"D9,Secret,Audit,qualified,20000.00 EUR,{_closes(2)}" in lines
