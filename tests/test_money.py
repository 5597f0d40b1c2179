"""Money done right (issue 22): every amount has a currency, totals never add different
currencies, and managers' dated rates turn them into one figure that names its rates.

A mixed-currency hub, on SQLite and PostgreSQL: Renewal €48,000 typed without a currency
(the hub's, EUR), Licences $5,000, Support €2,000 saved before deals had a currency (NULL,
read as the hub's) and a won Training £1,000.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from conftest import EPOCH, Team
from scheduling import Recorder, courier

from bot import cli
from hub import i18n
from hub.money import Rate, Rates, Totals, totals_text
from hub.people import find_by_name, update_person
from hub.settings import Settings

TODAY = EPOCH.date()  # a Tuesday
MONDAY = EPOCH + timedelta(days=(7 - EPOCH.weekday()) % 7 or 7)  # the next weekly digest
DIGEST_AT = datetime.combine(MONDAY.date(), datetime.min.time(), EPOCH.tzinfo) + timedelta(
    hours=9, minutes=2
)
LATER = (TODAY + timedelta(days=7)).isoformat()
ANA, CARMEN = "Ana García", "Carmen Vidal"


def mixed_hub(team: Team) -> None:
    closes = MONDAY.date().isoformat()  # still this month: EPOCH is in late November
    team.run('account "Acme Corp" tier:A', by=ANA)
    team.run(f"deal acme Renewal amount:48000 stage:negotiation close:{closes}", by=ANA)
    team.run(f"deal acme Licences amount:$5000 stage:proposal close:{closes}", by=ANA)
    team.run("deal acme Support amount:2000", by=ANA)
    team.run("deal acme Training amount:£1000 stage:won", by=ANA)
    with team.app.database.engine.begin() as connection:  # a deal saved before currencies
        connection.exec_driver_sql("UPDATE deal SET currency = NULL WHERE title = 'Support'")


def spaced(text: str) -> str:
    """Babel writes Spanish money with no-break spaces ('50.000\xa0€')."""
    return text.replace("\xa0", " ")


def rates(*args: str, by: str = CARMEN) -> int:
    return cli.main(["rates", *args, "--as", by])


@pytest.fixture
def cli_env(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    """`relevo` in this process, on the team's hub, at the tests' clock."""
    monkeypatch.setenv("RELEVO_DATABASE_URL", team.app.settings.database_url)
    monkeypatch.setenv("RELEVO_TIMEZONE", "Europe/Madrid")
    monkeypatch.setenv("RELEVO_CLOCK_START", EPOCH.isoformat())
    monkeypatch.delenv("RELEVO_CURRENCY", raising=False)


def test_a_deal_typed_without_a_currency_is_saved_in_the_hub_s(team: Team) -> None:
    mixed_hub(team)
    assert team.scalar("SELECT currency FROM deal WHERE title = 'Renewal'") == "EUR"
    assert team.scalar("SELECT currency FROM deal WHERE title = 'Licences'") == "USD"
    assert team.scalar("SELECT currency FROM deal WHERE title = 'Training'") == "GBP"


def test_without_rates_the_card_and_the_digests_show_one_subtotal_per_currency(
    team: Team, app: object
) -> None:
    mixed_hub(team)
    card = team.run("whois acme", by=ANA)
    assert "Open deals (€50,000 + $5,000)" in card
    assert "Support — lead · €2,000" in card  # saved without a currency: the hub's
    assert "Licences — proposal · $5,000" in card

    digest = team.run("digest now", by=CARMEN)
    for said in (
        "3 deals · €50,000 + $5,000",
        "3 new (€50,000 + $5,000), 1 won (£1,000)",
        "1 · £1,000",  # won
        "Forecast for November 2026:   €36,000 + $2,500",
        "negotiation: 1 deal · €48,000 · weighted €36,000",
        "proposal: 1 deal · $5,000 · weighted $2,500",
        "lead: 1 deal · €2,000 · weighted €200",
    ):
        assert said in digest, said
    for mixed_sum in ("55,000", "56,000", "53,000", "38,500"):
        assert mixed_sum not in card + digest

    team.run("subscribe #sales weekly", by=CARMEN)
    recorder = Recorder()
    courier(team.app, recorder).digests(DIGEST_AT)
    [post] = recorder.to("#sales")
    assert "3 deals · €50,000 + $5,000" in post.text
    assert "Forecast for November 2026:   €36,000 + $2,500" in post.text
    assert "55,000" not in post.text


def test_with_rates_totals_are_one_figure_naming_the_rates_of_their_day(
    team: Team, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    mixed_hub(team)
    assert rates("set", "USD", "0.90") == 0  # from today
    assert rates("set", "usd", "0.92", "--from", MONDAY.date().isoformat()) == 0
    assert "1 USD = 0.92 EUR" in capsys.readouterr().out

    # Today: the rate from Monday is not used yet.
    card = team.run("whois acme", by=ANA)
    assert "Open deals (€54,500 (at USD 0.9 from 24 Nov))" in card
    digest = team.run("digest now", by=CARMEN)
    assert "3 deals · €54,500 (at USD 0.9 from 24 Nov)" in digest
    assert "Forecast for November 2026:   €38,250 (at USD 0.9 from 24 Nov)" in digest
    assert "1 · £1,000" in digest  # one currency: as it is, no rate needed
    assert "proposal: 1 deal · $5,000" in digest

    # On Monday, Monday's rate.
    team.run("subscribe #sales weekly", by=CARMEN)
    recorder = Recorder()
    courier(team.app, recorder).digests(DIGEST_AT)
    [post] = recorder.to("#sales")
    assert "3 deals · €54,600 (at USD 0.92 from 30 Nov)" in post.text

    # A total in a currency without a rate falls back to subtotals.
    team.run("deal acme Coaching amount:£3000", by=ANA)
    assert "Open deals (€54,500 + £3,000)" not in team.run("whois acme", by=ANA)
    assert "Open deals (€50,000 + £3,000 + $5,000)" in team.run("whois acme", by=ANA)


def test_rates_are_set_listed_and_deleted_from_the_command_line(
    team: Team, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["rates", "list"]) == 0
    assert "No exchange rates yet" in capsys.readouterr().out
    assert rates("set", "USD", "0.92", "--from", LATER) == 0
    assert rates("set", "GBP", "1,15") == 0
    assert rates("set", "USD", "0.93", "--from", LATER) == 0
    out = capsys.readouterr().out
    assert f"From {LATER}, 1 USD = 0.93 EUR." in out
    assert "It was 0.92 EUR from that day until now." in out
    assert cli.main(["rates", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"GBP 1.15 EUR from {TODAY.isoformat()} (set by Carmen Vidal)",
        f"USD 0.93 EUR from {LATER} (set by Carmen Vidal)",
    ]
    assert rates("delete", "USD", "--from", LATER) == 0
    assert f"Deleted the USD rate from {LATER} (0.93 EUR)." in capsys.readouterr().out
    assert rates("delete", "USD", "--from", LATER) == 2
    assert f"There is no USD rate from {LATER}." in capsys.readouterr().err
    assert team.scalar("SELECT count(*) FROM audit_event WHERE action LIKE 'rate.%'") == 4


def test_only_managers_and_admins_change_rates_and_nonsense_is_refused(
    team: Team, cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rates("set", "USD", "0.92", by=ANA) == 2
    assert "Only a manager or an admin can change exchange rates" in capsys.readouterr().err
    assert rates("set", "EUR", "1", by=CARMEN) == 2
    assert "EUR is the hub's currency" in capsys.readouterr().err
    assert rates("set", "XYZ", "1", by=CARMEN) == 2
    assert "not a currency code" in capsys.readouterr().err
    for nonsense in ("0", "-1", "abc", "0.123456789"):
        assert rates("set", "USD", nonsense, by=CARMEN) == 2
        assert "is not a rate like 0.92" in capsys.readouterr().err
    assert team.scalar("SELECT count(*) FROM exchange_rate") == 0
    assert rates("set", "USD", "0.92", by=ANA) == 2
    assert rates("delete", "USD", "--from", TODAY.isoformat(), by=ANA) == 2


def test_spanish_readers_get_babel_s_spanish_money(team: Team, cli_env: None) -> None:
    mixed_hub(team)
    with team.app.database.unit_of_work() as session:
        update_person(find_by_name(session, "Luis Pérez"), locale="es")
        update_person(find_by_name(session, CARMEN), locale="es")
    card = spaced(team.run("whois acme", by="Luis Pérez"))
    assert "Oportunidades abiertas (50.000 € + 5.000 US$)" in card
    digest = spaced(team.run("resumen", by=CARMEN))
    assert "3 oportunidades · 50.000 € + 5.000 US$" in digest
    assert rates("set", "USD", "0.92") == 0
    card = spaced(team.run("whois acme", by="Luis Pérez"))
    assert "Oportunidades abiertas (54.600 € (a USD 0,92 desde el 24 nov))" in card


def test_totals_keep_one_sum_per_currency_the_hub_s_first() -> None:
    totals = Totals("EUR", [("USD", Decimal(5)), (None, Decimal(48)), ("GBP", None)])
    totals.add(Decimal(2), "EUR")
    totals.add(Decimal(1), "CHF")
    assert totals.by_currency == [("EUR", Decimal(50)), ("CHF", Decimal(1)), ("USD", Decimal(5))]
    assert Totals("EUR").by_currency == [] and totals_text(Totals("EUR"), Rates(TODAY, {})) == "€0"
    some = Rates(TODAY, {"USD": Rate("USD", Decimal("0.5"), TODAY - timedelta(days=400))})
    assert totals.in_hub_currency(some) is None  # no CHF rate
    usd = Totals("EUR", [("EUR", Decimal(50)), ("USD", Decimal(5))])
    converted = usd.in_hub_currency(some)
    assert converted is not None and converted.amount == Decimal("52.50")
    with i18n.reading_in("en"):
        since = TODAY - timedelta(days=400)  # last year's: the year is said
        expected = f"€52.50 (at USD 0.5 from {since:%d %b %Y})"
        assert totals_text(usd, some) == expected


def test_the_hub_currency_is_an_iso_code() -> None:
    assert Settings.from_env({}).currency == "EUR"
    assert Settings.from_env({"RELEVO_CURRENCY": "usd"}).currency == "USD"
    for wrong in ("euro", "XX", "ZZZ"):
        with pytest.raises(SystemExit, match="RELEVO_CURRENCY"):
            Settings.from_env({"RELEVO_CURRENCY": wrong})
