"""`report pipeline`: a hub with a known deal history, and every figure of the funnel,
the conversion, the losses and the time in each stage checked, in EUR and USD, for what
each reader may see, in English and Spanish (issue 22)."""

from __future__ import annotations

from datetime import UTC, timedelta
from decimal import Decimal

from conftest import EPOCH, Team
from test_reports import _table

from hub.clock import FixedClock
from hub.models import Person
from hub.rates import set_rate

ANA, LUIS, MARTA, CARMEN = "Ana García", "Luis Pérez", "Marta Ruiz", "Carmen Vidal"
# Whole days back from now, in UTC, so a stay across the change of time is whole days.
NOW = EPOCH.astimezone(UTC)


def _hub_with_a_history(team: Team, clock: FixedClock) -> None:
    """Acme (Ana's), Globex (Luis's), Secret (Ana's, private); this quarter began 55 days
    ago. The deals, in the order they were opened (D1 to D14), with what happened to
    them (days ago):

    D1 Acme Renewal €10,000 lead (90), qualified (50), proposal (40), won (20);
    D2-D6 Globex Consulting, Hardware, Cloud, Backup, Network, qualified (60), lost
    (9 price, 8 budget, 7 with no reason, 6 competitor, 5 timing);
    D7 Globex Pilot $5,000 lead (30), qualified (20), open;
    D8 Acme Licences €20,000 proposal (30), negotiation (10), open;
    D9 Acme Support €4,000 qualified (30), lost (10, price);
    D10 Secret Audit €8,000 proposal (20), lost (10, timing);
    D11 Globex Maintenance €7,000 lead (15), won (3);
    D12 Globex Training $2,000 lead (10), lost (4, price);
    D13 Secret Expansion €30,000 negotiation (5), open;
    D14 Acme Upsell €1,000 lead (2), open."""
    team.run('account "Acme Corp"', by=ANA)
    team.run("account Globex", by=LUIS)
    team.run("account Secret visibility:private", by=ANA)
    history = {
        90: [(ANA, "deal acme Renewal amount:10000 stage:lead")],
        60: [
            (LUIS, f"deal globex {title} amount:{amount} stage:qualified")
            for title, amount in (
                ("Consulting", 3000),
                ("Hardware", 6000),
                ("Cloud", 2000),
                ("Backup", 1000),
                ("Network", 1500),
            )
        ],
        50: [(ANA, "stage D1 qualified")],
        40: [(ANA, "stage D1 proposal")],
        30: [
            (LUIS, "deal globex Pilot amount:$5000 stage:lead"),
            (ANA, "deal acme Licences amount:20000 stage:proposal"),
            (ANA, "deal acme Support amount:4000 stage:qualified"),
        ],
        20: [
            (ANA, "won D1"),
            (LUIS, "stage D7 qualified"),
            (ANA, "deal secret Audit amount:8000 stage:proposal"),
        ],
        15: [(LUIS, "deal globex Maintenance amount:7000 stage:lead")],
        10: [
            (LUIS, "deal globex Training amount:$2000 stage:lead"),
            (ANA, "stage D8 negotiation"),
            (ANA, "lost D9 price"),
            (ANA, "lost D10 timing"),
        ],
        9: [(LUIS, "lost D2 price")],
        8: [(LUIS, "lost D3 budget")],
        7: [(LUIS, "lost D4")],
        6: [(LUIS, "lost D5 competitor")],
        5: [
            (LUIS, "lost D6 timing"),
            (ANA, "deal secret Expansion amount:30000 stage:negotiation"),
        ],
        4: [(LUIS, "lost D12 price")],
        3: [(LUIS, "won D11")],
        2: [(ANA, "deal acme Upsell amount:1000 stage:lead")],
    }
    for days_ago, lines in history.items():
        clock.set(NOW - timedelta(days=days_ago))
        for by, line in lines:
            out = team.run(line, by=by)
            assert "can't" not in out and "don't" not in out, out
    clock.set(EPOCH)


def test_the_pipeline_report_counts_what_a_manager_sees(team: Team, clock: FixedClock) -> None:
    _hub_with_a_history(team, clock)
    out = team.run("report pipeline", by=CARMEN)
    assert out.startswith("Pipeline, Thu 01 Oct to Thu 31 Dec 2026")  # this quarter
    assert _table(out, "Open deals by stage") == [
        ["Stage", "Deals", "Amount", "Weighted"],
        ["lead", "1", "€1,000", "€100"],
        ["qualified", "1", "$5,000", "$1,250"],
        ["proposal", "0", "€0", "€0"],
        ["negotiation", "2", "€50,000", "€37,500"],
        ["All", "4", "€51,000 + $5,000", "€37,600 + $1,250"],  # no rates: per currency
    ]
    assert _table(out, "Conversion of the deals that entered each stage") == [
        ["Stage", "Entered", "Moved on", "Won"],
        ["lead", "4", "50%", "25%"],  # Pilot moved on; Maintenance won from lead
        ["qualified", "3", "33%", "33%"],  # Renewal; Support was lost (Globex's D2-D6
        ["proposal", "3", "67%", "33%"],  # entered qualified last quarter)
        ["negotiation", "2", "0%", "0%"],
    ]
    assert _table(out, "Where deals were lost") == [
        ["Lost from", "Deals", "Top reasons"],
        ["lead", "1", "price (1)"],
        ["qualified", "6", "price (2), budget (1), competitor (1)"],
        ["proposal", "1", "timing (1)"],
    ]
    assert _table(out, "Time in each stage") == [
        ["Stage", "Average"],
        ["lead", "17 d"],  # 40, 10, 12 and 6 days
        ["qualified", "42.1 d"],  # 10, 20, 51, 52, 53, 54, 55
        ["proposal", "16.7 d"],  # 20, 20, 10
        ["negotiation", "–"],  # no deal left it
        ["Sales cycle (opened to won)", "41 d"],  # 70 and 12
    ]


def test_with_rates_the_totals_are_one_figure_naming_the_rates(
    team: Team, clock: FixedClock
) -> None:
    _hub_with_a_history(team, clock)
    with team.app.database.unit_of_work() as session:
        carmen = session.query(Person).filter_by(name=CARMEN).one()
        set_rate(
            session,
            carmen,
            currency="USD",
            rate=Decimal("0.9"),
            valid_from=EPOCH.date(),
            now=NOW,
        )
    out = team.run("report pipeline", by=CARMEN)
    rows = _table(out, "Open deals by stage")
    assert rows[2] == ["qualified", "1", "$5,000", "$1,250"]  # one currency: as it is
    assert rows[-1] == [
        "All",
        "4",
        "€55,500 (at USD 0.9 from 24 Nov)",
        "€38,725 (at USD 0.9 from 24 Nov)",
    ]


def test_a_member_s_pipeline_leaves_out_the_account_they_may_not_read(
    team: Team, clock: FixedClock
) -> None:
    _hub_with_a_history(team, clock)
    out = team.run("report pipeline", by=MARTA)  # Service: Secret is Ana's, private
    assert _table(out, "Open deals by stage")[1:] == [
        ["lead", "1", "€1,000", "€100"],
        ["qualified", "1", "$5,000", "$1,250"],
        ["proposal", "0", "€0", "€0"],
        ["negotiation", "1", "€20,000", "€15,000"],
        ["All", "3", "€21,000 + $5,000", "€15,100 + $1,250"],
    ]
    assert _table(out, "Conversion of the deals that entered each stage")[1:] == [
        ["lead", "4", "50%", "25%"],
        ["qualified", "3", "33%", "33%"],
        ["proposal", "2", "100%", "50%"],
        ["negotiation", "1", "0%", "0%"],
    ]
    assert _table(out, "Where deals were lost")[1:] == [
        ["lead", "1", "price (1)"],
        ["qualified", "6", "price (2), budget (1), competitor (1)"],
    ]
    assert _table(out, "Time in each stage")[1:] == [
        ["lead", "17 d"],
        ["qualified", "42.1 d"],
        ["proposal", "20 d"],
        ["negotiation", "–"],
        ["Sales cycle (opened to won)", "41 d"],
    ]


def test_a_period_counts_only_what_happened_in_it(team: Team, clock: FixedClock) -> None:
    _hub_with_a_history(team, clock)
    out = team.run("report pipeline last quarter", by=CARMEN)
    assert out.startswith("Pipeline, Wed 01 Jul to Wed 30 Sep 2026")
    # The funnel is what is open now. Last quarter Renewal was opened in lead and D2-D6
    # in qualified; none of them moved on before the quarter ended.
    assert _table(out, "Open deals by stage")[-1][:2] == ["All", "4"]
    assert _table(out, "Conversion of the deals that entered each stage")[1:] == [
        ["lead", "1", "0%", "0%"],
        ["qualified", "5", "0%", "0%"],
        ["proposal", "0", "–", "–"],
        ["negotiation", "0", "–", "–"],
    ]
    assert "No deal was lost in this period." in out
    assert _table(out, "Time in each stage")[1:] == [
        ["lead", "–"],
        ["qualified", "–"],
        ["proposal", "–"],
        ["negotiation", "–"],
        ["Sales cycle (opened to won)", "–"],
    ]


def test_a_spanish_manager_reads_the_pipeline_in_spanish(team: Team, clock: FixedClock) -> None:
    _hub_with_a_history(team, clock)
    with team.app.database.unit_of_work() as session:
        session.query(Person).filter_by(name=CARMEN).one().locale = "es"
    out = team.run("informe embudo", by=CARMEN).replace("\xa0", " ")
    assert out.startswith("Embudo, del jue 1 oct al jue 31 dic 2026")
    assert _table(out, "Oportunidades abiertas por etapa") == [
        ["Etapa", "Oportunidades", "Importe", "Ponderado"],
        ["nueva", "1", "1.000 €", "100 €"],
        ["cualificada", "1", "5.000 US$", "1.250 US$"],
        ["propuesta", "0", "0 €", "0 €"],
        ["negociación", "2", "50.000 €", "37.500 €"],
        ["Todas", "4", "51.000 € + 5.000 US$", "37.600 € + 1.250 US$"],
    ]
    assert _table(out, "Conversión de las oportunidades que entraron en cada etapa")[1] == [
        "nueva",
        "4",
        "50 %",
        "25 %",
    ]
    assert _table(out, "Dónde se perdieron las oportunidades")[2] == [
        "cualificada",
        "6",
        "price (2), budget (1), competitor (1)",
    ]
    assert _table(out, "Tiempo en cada etapa")[-1] == [
        "Ciclo de venta (de abierta a ganada)",
        "41 d",
    ]
