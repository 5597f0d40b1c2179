"""`report sources`: the hub of test_report_segments (lead sources and campaigns on
accounts and deals, web-form leads, deals in two currencies opened inside and outside
the last 12 months) and every figure of both tables checked for what each reader may
see, with and without an exchange rate, in English and Spanish (issue 22)."""

from __future__ import annotations

from conftest import Team
from test_report_segments import hub_with_segments
from test_report_sellers import _rate
from test_reports import _table

from hub.clock import FixedClock
from hub.models import Person

ANA, LUIS, MARTA, CARMEN = "Ana García", "Luis Pérez", "Marta Ruiz", "Carmen Vidal"

COLUMNS = [
    "Leads",
    "Web leads",
    "Deals opened",
    "Won",
    "Won value",
    "Conversion",
    "Average won deal",
]


def test_sources_and_campaigns_count_every_figure(team: Team, clock: FixedClock) -> None:
    hub_with_segments(team, clock)
    out = team.run("report sources", by=CARMEN)
    assert out.startswith("Sources, Tue 25 Nov 2025 to Tue 24 Nov 2026")  # last 12 months
    # Leads: Globex, Initech, Secret and Umbrella were created in the period, Acme before;
    # deals opened: D3-D8 (D1 and D2 before). No rate for USD: by deals opened, then leads.
    assert _table(out, "By lead source") == [
        ["Source", *COLUMNS],
        ["referral", "2", "1", "2", "1", "€8,000", "50%", "€8,000"],
        ["organic search", "1", "1", "2", "1", "$40,000", "50%", "$40,000"],
        ["partner", "0", "0", "1", "0", "€0", "0%", "–"],  # D4's own source
        ["not set", "1", "1", "1", "0", "€0", "0%", "–"],
        ["All", "4", "3", "6", "2", "€8,000 + $40,000", "33%", "€4,000 + $20,000"],
    ]
    # D3 has its own campaign (Globex has none), D5 takes Initech's, D6 and D8 have none.
    assert _table(out, "By campaign") == [
        ["Campaign", *COLUMNS],
        ["Spring promo", "1", "0", "2", "1", "$40,000", "50%", "$40,000"],
        ["Feria 2026", "1", "1", "1", "1", "€8,000", "100%", "€8,000"],
        ["Webinar", "0", "0", "1", "0", "€0", "0%", "–"],
        ["not set", "2", "2", "2", "0", "€0", "0%", "–"],
        ["All", "4", "3", "6", "2", "€8,000 + $40,000", "33%", "€4,000 + $20,000"],
    ]


def test_with_a_rate_sources_are_sorted_by_won_value(team: Team, clock: FixedClock) -> None:
    hub_with_segments(team, clock)
    _rate(team, "USD", "0.90")
    out = team.run("report sources", by=CARMEN)
    at = "(at USD 0.9 from 24 Nov)"
    # organic search's $40,000 is €36,000; the average of €8,000 and $40,000 is €22,000.
    assert _table(out, "By lead source")[1:] == [
        ["organic search", "1", "1", "2", "1", "$40,000", "50%", "$40,000"],
        ["referral", "2", "1", "2", "1", "€8,000", "50%", "€8,000"],
        ["partner", "0", "0", "1", "0", "€0", "0%", "–"],
        ["not set", "1", "1", "1", "0", "€0", "0%", "–"],
        ["All", "4", "3", "6", "2", f"€44,000 {at}", "33%", f"€22,000 {at}"],
    ]
    assert [row[0] for row in _table(out, "By campaign")[1:]] == [
        "Spring promo",
        "Feria 2026",
        "Webinar",
        "not set",
        "All",
    ]


def test_a_member_s_sources_leave_out_the_account_they_may_not_read(
    team: Team, clock: FixedClock
) -> None:
    hub_with_segments(team, clock)
    out = team.run("report sources", by=MARTA)  # Secret is Ana's, private
    assert _table(out, "By lead source")[1:] == [
        ["organic search", "1", "1", "2", "1", "$40,000", "50%", "$40,000"],
        ["referral", "1", "0", "1", "0", "€0", "0%", "–"],
        ["partner", "0", "0", "1", "0", "€0", "0%", "–"],
        ["not set", "1", "1", "1", "0", "€0", "0%", "–"],
        ["All", "3", "2", "5", "1", "$40,000", "20%", "$40,000"],
    ]
    assert _table(out, "By campaign")[1:] == [
        ["Spring promo", "1", "0", "2", "1", "$40,000", "50%", "$40,000"],
        ["Webinar", "0", "0", "1", "0", "€0", "0%", "–"],
        ["not set", "2", "2", "2", "0", "€0", "0%", "–"],
        ["All", "3", "2", "5", "1", "$40,000", "20%", "$40,000"],
    ]


def test_a_period_with_nothing_in_it_says_so(team: Team, clock: FixedClock) -> None:
    hub_with_segments(team, clock)
    out = team.run("report sources 2024", by=CARMEN)
    assert out.count("No leads or deals in this period.") == 2


def test_a_spanish_manager_reads_the_sources_in_spanish(team: Team, clock: FixedClock) -> None:
    hub_with_segments(team, clock)
    with team.app.database.unit_of_work() as session:
        session.query(Person).filter_by(name=CARMEN).one().locale = "es"
    out = team.run("informe orígenes", by=CARMEN).replace("\u00a0", " ")
    assert out.startswith("Orígenes, del mar 25 nov 2025 al mar 24 nov 2026")
    spanish = [
        "Leads",
        "Leads web",
        "Oportunidades creadas",
        "Ganadas",
        "Valor ganado",
        "Conversión",
        "Oportunidad ganada media",
    ]
    assert _table(out, "Por origen") == [
        ["Origen", *spanish],
        ["referral", "2", "1", "2", "1", "8.000 €", "50 %", "8.000 €"],
        ["organic search", "1", "1", "2", "1", "40.000 US$", "50 %", "40.000 US$"],
        ["partner", "0", "0", "1", "0", "0 €", "0 %", "–"],
        ["sin indicar", "1", "1", "1", "0", "0 €", "0 %", "–"],
        ["Todas", "4", "3", "6", "2", "8.000 € + 40.000 US$", "33 %", "4.000 € + 20.000 US$"],
    ]
    assert _table(out, "Por campaña")[0] == ["Campaña", *spanish]
    assert _table(team.run("informe fuentes últimos 12 meses", by=CARMEN), "Por campaña")
