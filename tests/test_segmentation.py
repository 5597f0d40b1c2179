"""Segmentation (issue 22): an account's industry, country, region, size, revenue, lead
source and campaign, a deal's source and campaign — set from chat in English and
Spanish, shown on the card, filtered by `find`, taken from a web form's utm_ fields."""

from __future__ import annotations

from decimal import Decimal

from conftest import Team
from sqlalchemy import text
from test_parser import read
from test_search import NoIndexer, engine, find, indexer  # noqa: F401  (fixtures)

from bot.console import Console
from bot.discord.crm import BY_NAME, command_group
from bot.render_text import render
from bot.schedule import build_courier
from hub.inbound import Assignment
from hub.people import find_by_name, update_person
from integrations.intake import Lead, LeadIntake
from search.indexer import Indexer


def flat(text: str) -> str:
    return " ".join(text.split())


def test_an_account_line_sets_the_segment_and_the_reply_says_what_changed(team: Team) -> None:
    team.run("account Acme domain:acme.com", by="Ana García")
    said = flat(
        team.run(
            "account acme industry:retail country:ES region:Madrid size:51-200 revenue:2M "
            'source:referral campaign:"Feria 2026"',
            by="Ana García",
        )
    )
    assert "Updated Acme" in said
    for change in (
        "industry → retail",
        "country → ES",
        "region → Madrid",
        "size → 51-200",
        "revenue → €2,000,000",  # typed without a currency: the hub's
        "lead source → referral",
        "campaign → Feria 2026",
    ):
        assert change in said
    card = flat(team.run("whois acme", by="Ana García"))
    assert (
        "Segment: retail · Madrid, Spain · 51-200 employees · €2,000,000 a year · "
        "source: referral (Feria 2026)"
    ) in card


def segment(team: Team, name: str) -> tuple[object, ...]:
    with team.app.database.engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT industry, country, region, size_band, revenue, revenue_currency, "
                "lead_source, lead_campaign FROM account WHERE name = :name"
            ),
            {"name": name},
        ).one()
    return (*row[:4], None if row[4] is None else Decimal(row[4]), *row[5:])


def test_a_new_account_takes_its_segment_and_numbers_find_their_band(team: Team) -> None:
    said = flat(
        team.run(
            "account Bodegas industry:Wine country:España size:45 revenue:€3.5M source:Trade_Show",
            by="Luis Pérez",
        )
    )
    assert "Created account Bodegas" in said
    assert segment(team, "Bodegas") == (
        "wine",
        "ES",
        None,
        "11-50",
        Decimal("3500000"),
        "EUR",
        "trade show",
        None,
    )
    card = flat(team.run("whois bodegas", by="Luis Pérez"))
    assert (
        "Segment: wine · Spain · 11-50 employees · €3,500,000 a year · source: trade show" in card
    )
    # Typed again the same way: nothing changes, nothing is said to have changed.
    again = team.run("account bodegas industry:wine country:es size:11-50", by="Luis Pérez")
    assert "already looks like that; nothing changed" in again


def test_spanish_keys_set_the_same_segment_and_the_card_reads_spanish(team: Team) -> None:
    team.run("account Acme", by="Ana García")
    said = flat(
        team.run(
            "cuenta acme sector:retail país:es región:Madrid tamaño:51-200 facturación:2M "
            'origen:Referral campaña:"Feria 2026"',
            by="Ana García",
        )
    )
    assert "Updated Acme" in said
    assert segment(team, "Acme") == (
        "retail",
        "ES",
        "Madrid",
        "51-200",
        Decimal("2000000"),
        "EUR",
        "referral",
        "Feria 2026",
    )
    team.run("cuenta acme empleados:1200 pais:Portugal", by="Ana García")
    assert segment(team, "Acme")[1:4] == ("PT", "Madrid", "1001-5000")
    with team.app.database.unit_of_work() as session:
        update_person(find_by_name(session, "Ana García"), locale="es")
    card = flat(team.run("quién acme", by="Ana García"))
    assert "Segmento: retail · Madrid, Portugal · 1001-5000 empleados" in card
    assert "origen: referral (Feria 2026)" in card


def test_a_country_or_size_that_is_none_is_refused_and_nothing_is_saved(team: Team) -> None:
    team.run("account Acme", by="Ana García")
    said = flat(team.run("account acme country:Atlantis", by="Ana García"))
    assert "I don't know the country “Atlantis”; use its two-letter code, e.g. ES or US." in said
    said = flat(team.run("account acme size:lots", by="Ana García"))
    assert "size: must be a number of employees or one of 1-10, 11-50" in said
    said = flat(team.run("account acme revenue:plenty", by="Ana García"))
    assert "I couldn't read “plenty” as an amount (try revenue:2M or revenue:250k)." in said
    assert segment(team, "Acme") == (None,) * 8


def test_a_deal_takes_its_source_and_campaign(team: Team) -> None:
    team.run("account Acme", by="Ana García")
    said = flat(
        team.run("deal acme Renewal amount:48k source:Web campaign:spring", by="Ana García")
    )
    assert "Deal D1 opened on Acme: Renewal" in said
    assert "Source: web" in said and "Campaign: spring" in said
    team.run("oportunidad acme Upsell importe:5k origen:evento campaña:otoño", by="Ana García")
    assert team.scalar("SELECT source FROM deal WHERE title = 'Upsell'") == "evento"
    assert team.scalar("SELECT campaign FROM deal WHERE title = 'Upsell'") == "otoño"


def test_find_filters_by_segment_within_what_the_reader_may_see(team: Team) -> None:
    team.run("account Acme industry:retail country:ES size:51-200 source:referral", by="Ana García")
    team.run("account Zara industry:retail country:ES size:5000+ source:web", by="Ana García")
    team.run(
        "account Hidden industry:retail country:ES size:51-200 source:referral visibility:private",
        by="Ana García",
    )
    team.run("account Bosch industry:manufacturing country:DE", by="Ana García")
    team.run("deal zara Stores amount:10k source:referral", by="Ana García")
    mine = flat(
        team.run("find industry:retail country:ES size:51-200 source:referral", by="Ana García")
    )
    assert "2 results" in mine and "Acme" in mine and "Hidden" in mine
    theirs = flat(
        team.run("find industry:retail country:es size:51-200 source:referral", by="Luis Pérez")
    )
    assert "1 result" in theirs and "Acme" in theirs and "Hidden" not in theirs
    spanish = flat(
        team.run("buscar sector:Retail país:España tamaño:120 origen:referral", by="Luis Pérez")
    )
    assert spanish == theirs
    deals = flat(team.run("find type:deal source:referral", by="Luis Pérez"))
    assert "1 result" in deals and "deal: Zara — Stores" in deals  # the deal's own source
    nothing = flat(team.run("find country:FR", by="Luis Pérez"))
    assert "Nothing found" in nothing
    bad = flat(team.run("find country:Narnia", by="Luis Pérez"))
    assert "I don't know the country “Narnia”" in bad


def test_a_web_lead_s_utm_fields_become_a_new_account_s_source_and_never_change_one(
    team: Team,
) -> None:
    intake = LeadIntake(
        database=team.app.database,
        settings=team.app.settings,
        clock=team.app.runner.clock,
        notifier=build_courier(team.app),
        assignment=Assignment.from_env({"RELEVO_INTAKE_OWNERS": "@luis"}),
    )
    fields = {"utm_source": "LinkedIn", "utm_campaign": "Feria 2026", "company": "Tienda"}
    new = intake.receive(Lead.from_fields({"email": "pepa@tienda.example", **fields}, form="web"))
    assert new.new_account
    assert segment(team, new.account)[6:] == ("linkedin", "Feria 2026")
    # The lead's text still lists what the form said.
    assert "utm_campaign: Feria 2026" in str(
        team.scalar("SELECT text FROM interaction ORDER BY id DESC LIMIT 1")
    )
    team.run("account Acme domain:acme.com source:referral campaign:partners", by="Luis Pérez")
    before = segment(team, "Acme")
    known = intake.receive(
        Lead.from_fields({"email": "x@acme.com", "source": "google", "campaign": "ads"}, form="web")
    )
    assert (known.account, known.new_account) == ("Acme", False)
    assert segment(team, "Acme") == before
    plain = intake.receive(Lead.from_fields({"email": "jo@else.example"}, form="web"))
    assert segment(team, plain.account)[6:] == (None, None)


def test_discord_s_account_deal_and_find_take_the_segment_options(team: Team) -> None:
    group = command_group()
    subs = {sub["name"]: sub for sub in group["options"]}
    wanted = {
        "account": ("industry", "country", "region", "size", "revenue", "source", "campaign"),
        "deal": ("source", "campaign"),
        "find": ("industry", "country", "size", "source"),
    }
    spanish = {
        "industry": "sector",
        "country": "país",
        "region": "región",
        "size": "tamaño",
        "revenue": "facturación",
        "source": "origen",
        "campaign": "campaña",
    }
    for sub, names in wanted.items():
        options = {o["name"]: o for o in subs[sub]["options"]}
        assert len(options) <= 25
        for name in names:
            assert options[name]["name_localizations"] == {"es-ES": spanish[name]}
            assert options[name]["description_localizations"]["es-ES"]
    team.run("account Acme", by="Ana García")
    ana = Console(app=team.app, person_name="Ana García").person_id

    def run(sub: str, args: dict[str, object]) -> str:
        built = BY_NAME[sub]
        reply = team.app.runner.execute(
            lambda dates: built.build(args, dates),
            typed=built.typed(args),
            person_id=ana,
            source="discord",
        )
        return flat(render(reply))

    said = run(
        "account",
        {
            "name": "acme",
            "industry": "Retail",
            "country": "spain",
            "size": "60",
            "revenue": "2M EUR",
        },
    )
    assert (
        "industry → retail" in said and "size → 51-200" in said and "revenue → €2,000,000" in said
    )
    assert segment(team, "Acme")[:6] == (
        "retail",
        "ES",
        None,
        "51-200",
        Decimal("2000000"),
        "EUR",
    )
    opened = run("deal", {"account": "Acme", "title": "Renewal", "source": "Web", "campaign": "x"})
    assert "Source: web" in opened
    found = run("find", {"type": "account", "country": "ES", "size": "51-200"})
    assert "1 result" in found and "Acme" in found


def test_the_spanish_keys_read_as_the_english_ones() -> None:
    assert read(
        "cuenta acme sector:retail país:ES región:Madrid tamaño:51-200 facturación:2M "
        'origen:referral campaña:"Feria 2026"',
        "acme",
    ) == read(
        "account acme industry:retail country:ES region:Madrid size:51-200 revenue:2M "
        'source:referral campaign:"Feria 2026"',
        "acme",
    )
    assert read("cuenta acme empleados:120 facturacion:2,5M EUR", "acme") == read(
        "account acme size:120 revenue:2.5M EUR", "acme"
    )
    assert read("buscar sector:retail pais:ES tamano:51-200 origen:web") == read(
        "find industry:retail country:ES size:51-200 source:web"
    )
    assert read("oportunidad acme Piloto origen:web campana:primavera", "acme") == read(
        "deal acme Piloto source:web campaign:primavera", "acme"
    )


def test_meilisearch_and_the_database_filter_the_segment_alike(
    team: Team,
    indexer: Indexer | NoIndexer,  # noqa: F811  (test_search's, over both engines)
) -> None:
    team.run("account Acme industry:retail country:ES size:51-200 source:referral", by="Ana García")
    team.run('contact acme "María López" email:maria@acme.com', by="Ana García")
    team.run("account Zara industry:retail country:ES size:5000+ source:web", by="Ana García")
    team.run("account Hidden industry:retail country:ES visibility:private", by="Ana García")
    team.run("deal zara Stores amount:10k source:referral", by="Ana García")
    indexer.drain()
    out = find(team, "find industry:retail country:ES", by="Luis Pérez")
    assert "4 results" in out and "Hidden" not in out  # Acme, María López, Zara, Stores
    out = find(team, "find type:account size:51-200 source:referral", by="Luis Pérez")
    assert "1 result" in out and "account: Acme" in out
    out = find(team, "find type:deal source:referral", by="Luis Pérez")
    assert "1 result" in out and "Stores" in out
    assert "5 results" in find(team, "find industry:retail", by="Ana García")  # Hidden too
    # The account moves to another country: its records follow in the index.
    team.run("account acme country:PT", by="Ana García")
    indexer.drain()
    out = find(team, "find country:PT", by="Luis Pérez")
    assert "2 results" in out and "María López" in out


def test_undo_puts_the_segment_back(team: Team) -> None:
    team.run("account Acme industry:retail country:ES", by="Ana García")
    team.run("account acme industry:wholesale size:12 campaign:spring", by="Ana García")
    assert segment(team, "Acme")[:4] == ("wholesale", "ES", None, "11-50")
    team.run("undo", by="Ana García")
    assert segment(team, "Acme") == ("retail", "ES", None, None, None, None, None, None)
