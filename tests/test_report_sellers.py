"""`report sellers`: a hub with known deals in two currencies, follow-ups, complaints and
contacts, and every figure of the per-seller table checked for what each reader may see,
with and without an exchange rate, in English and Spanish (issue 22)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from conftest import EPOCH, Team
from test_reports import _table

from hub.clock import FixedClock
from hub.models import Person
from hub.rates import set_rate

ANA, LUIS, MARTA, CARMEN = "Ana García", "Luis Pérez", "Marta Ruiz", "Carmen Vidal"


def _hub_with_sellers(team: Team, clock: FixedClock) -> None:
    """Ana owns Acme Corp and Secret (private); Luis owns Globex and Initech.

    Deals: Acme Renewal €10,000 proposal, Upsell $2,000 negotiation, Old €3,000 won 5
    days ago; Globex Pilot €20,000 lead, Lost one €1,000 lost 3 days ago, Last month €500
    won 35 days ago (October); Secret Hidden €8,000 qualified, Side €1,000 won yesterday;
    Initech Licence $3,000 lead. Follow-ups past due: Ana's about Acme and Secret, Luis's
    about Initech; Luis's about Globex falls due tomorrow. Complaints over SLA: Globex
    critical (2 days old), Secret medium (5 days old); Acme's low one is an hour old.
    Last contact: Acme 2 days ago, Globex 40, Initech 10, Secret never."""
    clock.set(EPOCH - timedelta(days=60))
    team.run('account "Acme Corp"', by=ANA)
    team.run("account Secret visibility:private", by=ANA)
    team.run("account Globex", by=LUIS)
    team.run("account Initech", by=LUIS)
    team.run("deal acme Renewal amount:10000 stage:proposal", by=ANA)  # D1
    team.run("deal acme Upsell amount:$2000 stage:negotiation", by=ANA)  # D2
    team.run("deal acme Old amount:3000 stage:proposal", by=ANA)  # D3
    team.run("deal globex Pilot amount:20000", by=LUIS)  # D4
    team.run('deal globex "Lost one" amount:1000', by=LUIS)  # D5
    team.run('deal globex "Last month" amount:500', by=LUIS)  # D6
    team.run("deal secret Hidden amount:8000 stage:qualified", by=ANA)  # D7
    team.run("deal secret Side amount:1000", by=ANA)  # D8
    team.run("deal initech Licence amount:$3000", by=LUIS)  # D9
    clock.set(EPOCH - timedelta(days=40))
    team.run("log globex call Quarterly check", by=LUIS)
    clock.set(EPOCH - timedelta(days=35))
    team.run("won D6", by=LUIS)
    clock.set(EPOCH - timedelta(days=10))
    team.run("log initech call Intro", by=LUIS)
    clock.set(EPOCH - timedelta(days=5))
    team.run("won D3", by=ANA)
    team.run("complaint Secret Late payment severity:medium", by=ANA)
    clock.set(EPOCH - timedelta(days=3))
    team.run("lost D5 went with a competitor", by=LUIS)
    team.run('remind tomorrow 9am call about "Acme Corp"', by=ANA)
    team.run("remind tomorrow 9am chase the invoice about Secret", by=ANA)
    team.run("remind tomorrow 9am send the quote about Initech", by=LUIS)
    clock.set(EPOCH - timedelta(days=2))
    team.run("log acme call Checked in", by=ANA)
    team.run("complaint Globex Wrong delivery severity:critical", by=LUIS)
    clock.set(EPOCH - timedelta(days=1))
    team.run("won D8", by=ANA)
    clock.set(EPOCH - timedelta(hours=1))
    team.run("complaint Acme Typo in the manual severity:low", by=ANA)
    clock.set(EPOCH)
    team.run("remind tomorrow 9am visit about Globex", by=LUIS)


HEADER = [
    "Seller",
    "Open pipeline",
    "Weighted",
    "Won",
    "Won value",
    "Lost",
    "Win rate",
    "Overdue follow-ups",
    "Complaints over SLA",
    "Untouched 30 d",
]


def test_the_sellers_report_counts_every_seller_s_figures(team: Team, clock: FixedClock) -> None:
    _hub_with_sellers(team, clock)
    out = team.run("report sellers", by=CARMEN)
    assert out.startswith("Sellers, Sun 01 Nov to Mon 30 Nov 2026")  # this month
    # No rate for USD: one subtotal per currency, and sellers by name.
    assert _table(out, "By seller") == [
        HEADER,
        [
            "Ana García",
            "€18,000 + $2,000",
            "€7,000 + $1,500",
            "2",
            "€4,000",
            "0",
            "100%",
            "2",
            "1",
            "1",
        ],
        ["Luis Pérez", "€20,000 + $3,000", "€2,000 + $300", "0", "€0", "1", "0%", "1", "1", "1"],
        ["All", "€38,000 + $5,000", "€9,000 + $1,800", "2", "€4,000", "1", "67%", "3", "2", "2"],
    ]


def test_with_a_rate_sellers_are_sorted_by_their_open_pipeline(
    team: Team, clock: FixedClock
) -> None:
    _hub_with_sellers(team, clock)
    _rate(team, "USD", "0.90")
    out = team.run("report sellers", by=CARMEN)
    rows = _table(out, "By seller")
    # Luis's €20,000 + $3,000 is €22,700 at 0.90; Ana's €18,000 + $2,000 is €19,800.
    assert rows[1] == [
        "Luis Pérez",
        "€22,700 (at USD 0.9 from 24 Nov)",
        "€2,270 (at USD 0.9 from 24 Nov)",
        "0",
        "€0",
        "1",
        "0%",
        "1",
        "1",
        "1",
    ]
    assert rows[2][:3] == [
        "Ana García",
        "€19,800 (at USD 0.9 from 24 Nov)",
        "€8,350 (at USD 0.9 from 24 Nov)",
    ]
    assert rows[3][:3] == [
        "All",
        "€42,500 (at USD 0.9 from 24 Nov)",
        "€10,620 (at USD 0.9 from 24 Nov)",
    ]


def test_a_member_s_table_leaves_out_the_account_they_may_not_read(
    team: Team, clock: FixedClock
) -> None:
    _hub_with_sellers(team, clock)
    out = team.run("report sellers", by=MARTA)  # Service: Secret is Ana's, private
    assert _table(out, "By seller") == [
        HEADER,
        [
            "Ana García",
            "€10,000 + $2,000",
            "€5,000 + $1,500",
            "1",
            "€3,000",
            "0",
            "100%",
            "1",
            "0",
            "0",
        ],
        ["Luis Pérez", "€20,000 + $3,000", "€2,000 + $300", "0", "€0", "1", "0%", "1", "1", "1"],
        ["All", "€30,000 + $5,000", "€7,000 + $1,800", "1", "€3,000", "1", "50%", "2", "1", "1"],
    ]


def test_filters_and_periods_narrow_the_table(team: Team, clock: FixedClock) -> None:
    _hub_with_sellers(team, clock)
    luis = team.run("report sellers owner:@luis", by=CARMEN)
    assert [row[0] for row in _table(luis, "By seller")[1:]] == ["Luis Pérez", "All"]
    # Last month: only Luis's October win; the open pipeline and what is due are now's.
    october = team.run("report sellers last month", by=CARMEN)
    assert october.startswith("Sellers, Thu 01 Oct to Sat 31 Oct 2026")
    assert _table(october, "By seller")[1:] == [
        ["Ana García", "€18,000 + $2,000", "€7,000 + $1,500", "0", "€0", "0", "–", "2", "1", "1"],
        [
            "Luis Pérez",
            "€20,000 + $3,000",
            "€2,000 + $300",
            "1",
            "€500",
            "0",
            "100%",
            "1",
            "1",
            "1",
        ],
        ["All", "€38,000 + $5,000", "€9,000 + $1,800", "1", "€500", "0", "100%", "3", "2", "2"],
    ]
    nobody = team.run("report sellers tier:A", by=CARMEN)
    assert "No accounts to count." in nobody


def test_a_spanish_manager_reads_the_sellers_in_spanish(team: Team, clock: FixedClock) -> None:
    _hub_with_sellers(team, clock)
    with team.app.database.unit_of_work() as session:
        session.query(Person).filter_by(name=CARMEN).one().locale = "es"
    out = team.run("informe vendedores", by=CARMEN).replace("\u00a0", " ")
    assert out.startswith("Vendedores, ")
    rows = _table(out, "Por vendedor")
    assert rows[0] == [
        "Vendedor",
        "Embudo abierto",
        "Ponderado",
        "Ganadas",
        "Valor ganado",
        "Perdidas",
        "Tasa de éxito",
        "Seguimientos vencidos",
        "Quejas fuera de SLA",
        "Sin contacto 30 d",
    ]
    assert rows[1] == [
        "Ana García",
        "18.000 € + 2.000 US$",
        "7.000 € + 1.500 US$",
        "2",
        "4.000 €",
        "0",
        "100 %",
        "2",
        "1",
        "1",
    ]
    assert rows[-1][0] == "Todos"
    assert (
        _table(team.run("informe comerciales", by=CARMEN).replace("\u00a0", " "), "Por vendedor")
        == rows
    )


def _rate(team: Team, currency: str, rate: str) -> None:
    with team.app.database.unit_of_work() as session:
        carmen = session.query(Person).filter_by(name=CARMEN).one()
        set_rate(
            session,
            carmen,
            currency=currency,
            rate=Decimal(rate),
            valid_from=EPOCH.date(),
            now=EPOCH,
        )
