"""`report segments`: a hub with known accounts in segments, deals in two currencies won
inside and outside the last 12 months, complaints and a churned account, and every
figure of each grouping checked for what each reader may see, with and without an
exchange rate, in English and Spanish (issue 22)."""

from __future__ import annotations

from datetime import timedelta

from conftest import EPOCH, Team
from test_report_sellers import _rate
from test_reports import _table

from bot.discord.crm import BY_NAME, command_group
from bot.render_text import render
from bot.schedule import build_courier
from commands.periods import read_period
from hub.clock import FixedClock
from hub.inbound import Assignment
from hub.models import Person
from hub.people import find_by_name
from integrations.intake import Lead, LeadIntake

ANA, LUIS, MARTA, CARMEN = "Ana García", "Luis Pérez", "Marta Ruiz", "Carmen Vidal"


def hub_with_segments(team: Team, clock: FixedClock) -> None:
    """Five accounts, days before EPOCH (the last 12 months start 364 days before it):

    Acme Corp (Ana, 400 days ago): retail, ES, Madrid, 120 employees, tier A, referral,
    "Feria 2026". Globex (Luis, 100): software, US, 30 employees, tier B, organic search.
    Initech (Luis, 50): software, ES, tier C, referral, "Spring promo"; churned. Secret
    (Ana, 30, private): retail, ES, tier A, referral, "Feria 2026". Umbrella (Ana, 20):
    tier B, nothing else.

    Deals: D1 Acme Renewal €10,000 (400) won 10 days ago; D2 Acme Old €5,000 (400) won
    380 days ago; D3 Globex Pilot $40,000 (90, campaign "Spring promo") won 5 days ago;
    D4 Acme Upsell $2,000 (60, proposal, source partner, campaign Webinar); D5 Initech
    Licence €1,000 (45) lost 20 days ago; D6 Globex Expansion €6,000 (40, negotiation);
    D7 Secret Hidden €8,000 (25) won 3 days ago; D8 Umbrella Trial €500 (15, lead).
    Web-form leads: Acme 400 days ago, Globex 100, Secret 30, Umbrella 20; Globex's
    call logged as `web` 10 days ago is none. Complaints:
    Acme 390 days ago and 10, Globex 30, Secret 2."""
    clock.set(EPOCH - timedelta(days=400))
    team.run(
        'account "Acme Corp" domain:acme.example industry:retail country:ES region:Madrid '
        'size:120 tier:A source:referral campaign:"Feria 2026"',
        by=ANA,
    )
    team.run("deal acme Renewal amount:10000 stage:proposal", by=ANA)  # D1
    team.run("deal acme Old amount:5000", by=ANA)  # D2
    web_lead(team, "ceo@acme.example")
    clock.set(EPOCH - timedelta(days=390))
    team.run("complaint acme Slow answers severity:low", by=ANA)
    clock.set(EPOCH - timedelta(days=380))
    team.run("won D2", by=ANA)
    clock.set(EPOCH - timedelta(days=100))
    team.run(
        "account Globex domain:globex.example industry:software country:US size:30 tier:B "
        "source:organic_search",
        by=LUIS,
    )
    web_lead(team, "ceo@globex.example")
    clock.set(EPOCH - timedelta(days=90))
    team.run('deal globex Pilot amount:$40000 campaign:"Spring promo"', by=LUIS)  # D3
    clock.set(EPOCH - timedelta(days=60))
    team.run(
        "deal acme Upsell amount:$2000 stage:proposal source:partner campaign:Webinar", by=ANA
    )  # D4
    clock.set(EPOCH - timedelta(days=50))
    team.run(
        "account Initech industry:software country:ES tier:C source:referral "
        'campaign:"Spring promo"',
        by=LUIS,
    )
    clock.set(EPOCH - timedelta(days=45))
    team.run("deal initech Licence amount:1000", by=LUIS)  # D5
    clock.set(EPOCH - timedelta(days=40))
    team.run("deal globex Expansion amount:6000 stage:negotiation", by=LUIS)  # D6
    clock.set(EPOCH - timedelta(days=30))
    team.run(
        "account Secret domain:secret.example visibility:private industry:retail country:ES "
        'tier:A source:referral campaign:"Feria 2026"',
        by=ANA,
    )
    web_lead(team, "ceo@secret.example")
    team.run("complaint globex Wrong invoice severity:medium", by=LUIS)
    clock.set(EPOCH - timedelta(days=25))
    team.run("deal secret Hidden amount:8000", by=ANA)  # D7
    clock.set(EPOCH - timedelta(days=20))
    team.run("account Umbrella domain:umbrella.example tier:B", by=ANA)
    web_lead(team, "ceo@umbrella.example")
    team.run("lost D5 too expensive", by=LUIS)
    team.run("account initech status:churned", by=LUIS)
    clock.set(EPOCH - timedelta(days=15))
    team.run("deal umbrella Trial amount:500", by=ANA)  # D8
    clock.set(EPOCH - timedelta(days=10))
    team.run("won D1", by=ANA)
    team.run("log globex web Asked about the pilot on our site", by=LUIS)
    team.run("complaint acme Portal down severity:high", by=ANA)
    clock.set(EPOCH - timedelta(days=5))
    team.run("won D3", by=LUIS)
    clock.set(EPOCH - timedelta(days=3))
    team.run("won D7", by=ANA)
    clock.set(EPOCH - timedelta(days=2))
    team.run("complaint secret Late payment severity:medium", by=ANA)
    clock.set(EPOCH)


def web_lead(team: Team, email: str) -> None:
    """A lead from the web form, filed on the account of its address's domain."""
    intake = LeadIntake(
        database=team.app.database,
        settings=team.app.settings,
        clock=team.app.runner.clock,
        notifier=build_courier(team.app),
        assignment=Assignment.from_env({"RELEVO_INTAKE_OWNERS": "@luis"}),
    )
    assert not intake.receive(Lead.from_fields({"email": email}, form="contact")).new_account


def header(first: str) -> list[str]:
    return [
        first,
        "Accounts",
        "Customers",
        "Customer value",
        "Open pipeline",
        "Complaints",
        "Churned",
    ]


def test_segments_by_industry_count_every_figure(team: Team, clock: FixedClock) -> None:
    hub_with_segments(team, clock)
    out = team.run("report segments", by=CARMEN)
    assert out.startswith("Segments, Tue 25 Nov 2025 to Tue 24 Nov 2026")  # last 12 months
    # No rate for USD: one subtotal per currency, segments by their accounts, then name.
    assert _table(out, "By industry") == [
        header("Industry"),
        ["retail", "2", "2", "€18,000", "$2,000", "2", "0"],
        ["software", "2", "1", "$40,000", "€6,000", "1", "1"],
        ["not set", "1", "0", "€0", "€500", "0", "0"],
        ["All", "5", "3", "€18,000 + $40,000", "€6,500 + $2,000", "3", "1"],
    ]


def test_with_a_rate_segments_are_sorted_by_customer_value(team: Team, clock: FixedClock) -> None:
    hub_with_segments(team, clock)
    _rate(team, "USD", "0.90")
    out = team.run("report segments by:industry", by=CARMEN)
    # software's $40,000 is €36,000 at 0.90: more than retail's €18,000.
    assert _table(out, "By industry")[1:] == [
        ["software", "2", "1", "$40,000", "€6,000", "1", "1"],
        ["retail", "2", "2", "€18,000", "$2,000", "2", "0"],
        ["not set", "1", "0", "€0", "€500", "0", "0"],
        [
            "All",
            "5",
            "3",
            "€54,000 (at USD 0.9 from 24 Nov)",
            "€8,300 (at USD 0.9 from 24 Nov)",
            "3",
            "1",
        ],
    ]


def test_every_grouping_and_a_period(team: Team, clock: FixedClock) -> None:
    hub_with_segments(team, clock)
    country = team.run("report segments by:country", by=CARMEN)
    assert _table(country, "By country") == [
        header("Country"),
        ["Spain", "3", "2", "€18,000", "$2,000", "2", "1"],
        ["United States", "1", "1", "$40,000", "€6,000", "1", "0"],
        ["not set", "1", "0", "€0", "€500", "0", "0"],
        ["All", "5", "3", "€18,000 + $40,000", "€6,500 + $2,000", "3", "1"],
    ]
    tier = team.run("report segments by:tier", by=CARMEN)
    assert _table(tier, "By tier")[1:] == [
        ["A", "2", "2", "€18,000", "$2,000", "2", "0"],
        ["B", "2", "1", "$40,000", "€6,500", "1", "0"],
        ["C", "1", "0", "€0", "€0", "0", "1"],
        ["All", "5", "3", "€18,000 + $40,000", "€6,500 + $2,000", "3", "1"],
    ]
    size = team.run("report segments by:size", by=CARMEN)
    assert _table(size, "By size (employees)")[1:] == [
        ["11-50", "1", "1", "$40,000", "€6,000", "1", "0"],
        ["51-200", "1", "1", "€10,000", "$2,000", "1", "0"],
        ["not set", "3", "1", "€8,000", "€500", "1", "1"],
        ["All", "5", "3", "€18,000 + $40,000", "€6,500 + $2,000", "3", "1"],
    ]
    region = team.run("report segments by:region", by=CARMEN)
    assert _table(region, "By region")[1:] == [
        ["Madrid", "1", "1", "€10,000", "$2,000", "1", "0"],
        ["not set", "4", "2", "€8,000 + $40,000", "€6,500", "2", "1"],
        ["All", "5", "3", "€18,000 + $40,000", "€6,500 + $2,000", "3", "1"],
    ]
    # A year before: Acme's €5,000 won 380 days ago and its complaint 390 days ago;
    # customers and churned are as of now, open pipeline too.
    before = team.run(
        f"report segments since:{(EPOCH - timedelta(days=400)).date().isoformat()} "
        f"until:{(EPOCH - timedelta(days=365)).date().isoformat()}",
        by=CARMEN,
    )
    assert _table(before, "By industry")[1:] == [
        ["retail", "2", "2", "€5,000", "$2,000", "1", "0"],
        ["software", "2", "1", "€0", "€6,000", "0", "1"],
        ["not set", "1", "0", "€0", "€500", "0", "0"],
        ["All", "5", "3", "€5,000", "€6,500 + $2,000", "1", "1"],
    ]
    assert "No accounts to count." in team.run("report segments owner:@marta", by=CARMEN)
    assert "by: must be one of industry/tier/country/region/size" in team.run(
        "report segments by:colour", by=CARMEN
    )
    assert "by: is for: segments" in team.run("report sellers by:tier", by=CARMEN)


def test_a_member_s_segments_leave_out_the_account_they_may_not_read(
    team: Team, clock: FixedClock
) -> None:
    hub_with_segments(team, clock)
    out = team.run("report segments", by=MARTA)  # Secret is Ana's, private
    assert _table(out, "By industry") == [
        header("Industry"),
        ["software", "2", "1", "$40,000", "€6,000", "1", "1"],
        ["retail", "1", "1", "€10,000", "$2,000", "1", "0"],
        ["not set", "1", "0", "€0", "€500", "0", "0"],
        ["All", "4", "2", "€10,000 + $40,000", "€6,500 + $2,000", "2", "1"],
    ]


def test_a_spanish_manager_reads_the_segments_in_spanish(team: Team, clock: FixedClock) -> None:
    hub_with_segments(team, clock)
    with team.app.database.unit_of_work() as session:
        session.query(Person).filter_by(name=CARMEN).one().locale = "es"
    out = team.run("informe segmentos por:país", by=CARMEN).replace("\u00a0", " ")
    assert out.startswith("Segmentos, ")
    assert _table(out, "Por país") == [
        ["País", "Cuentas", "Clientes", "Valor de clientes", "Embudo abierto", "Quejas", "Bajas"],
        ["España", "3", "2", "18.000 €", "2.000 US$", "2", "1"],
        ["Estados Unidos", "1", "1", "40.000 US$", "6.000 €", "1", "0"],
        ["sin indicar", "1", "0", "0 €", "500 €", "0", "0"],
        ["Todas", "5", "3", "18.000 € + 40.000 US$", "6.500 € + 2.000 US$", "3", "1"],
    ]
    assert _table(
        team.run("informe segmentos últimos 12 meses por:sector", by=CARMEN), "Por sector"
    )


def test_the_last_12_months_are_the_months_up_to_today() -> None:
    today = EPOCH.date()
    for words in ("last 12 months", "últimos 12 meses", "12 months"):
        period = read_period(words.split(), today)
        assert period is not None
        assert (period.start, period.last) == (today.replace(year=2025, day=25), today)
    leap = read_period(["last", "12", "months"], today.replace(year=2028, month=2, day=29))
    assert leap is not None and leap.start.isoformat() == "2027-03-01"


def test_discord_s_report_takes_by_with_its_choices_in_spanish(
    team: Team, clock: FixedClock
) -> None:
    hub_with_segments(team, clock)
    report = next(sub for sub in command_group()["options"] if sub["name"] == "report")
    by = next(option for option in report["options"] if option["name"] == "by")
    assert by["name_localizations"] == {"es-ES": "por"}
    assert {c["value"]: c["name_localizations"]["es-ES"] for c in by["choices"]} == {
        "industry": "sector",
        "tier": "nivel",
        "country": "país",
        "region": "región",
        "size": "tamaño",
    }
    with team.app.database.unit_of_work() as session:
        carmen = find_by_name(session, CARMEN)
        assert carmen is not None
        carmen_id = carmen.id
    built = BY_NAME["report"]

    def run(args: dict[str, object]) -> str:
        reply = team.app.runner.execute(
            lambda dates: built.build(args, dates),
            typed=built.typed(args),
            person_id=carmen_id,
            source="discord",
        )
        return render(reply)

    out = run({"what": "segments", "by": "country"})
    assert _table(out, "By country")[1] == ["Spain", "3", "2", "€18,000", "$2,000", "2", "1"]
    assert built.typed({"what": "segments", "by": "country"}) == "report segments by:country"
    assert "by: is for: segments" in run({"what": "sellers", "by": "tier"})
