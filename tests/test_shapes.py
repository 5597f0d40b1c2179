"""Option values with spaces are read by their shape, and quotes around a title or a
text are delimiters (issue 19): on their own and in the console on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import EPOCH, MADRID, Team
from test_parser import Names

from commands.dates import DateReader
from commands.help import TOPICS
from commands.parser import parse
from commands.types import Agree, Log, OpenComplaint, OpenDeal, SaveContact, Usage

NOW = EPOCH  # a Tuesday
FRIDAY = NOW.astimezone(MADRID).date() + timedelta(days=3)


def read(line: str, *names: str):  # type: ignore[no-untyped-def]
    return parse(line, names=Names(*names), dates=DateReader(now=NOW, tz=MADRID))


@pytest.mark.parametrize(
    ("typed", "name", "phone"),
    [
        (
            'contact acme "José Ángel Muñoz" role:champion phone:+34 611 222 333',
            "José Ángel Muñoz",
            "+34 611 222 333",
        ),
        ("contact acme phone:611 22 33 44 Ana Ruiz", "Ana Ruiz", "611 22 33 44"),
        ("contact acme Ana Ruiz phone:(91) 555-12-34", "Ana Ruiz", "(91) 555-12-34"),
        ("contact acme Ana phone: +34 611 222 333", "Ana", "+34 611 222 333"),
        ('contact acme Ana phone:"+34 611 222 333"', "Ana", "+34 611 222 333"),
        # Words after the number that are not digit groups stay in the name.
        ("contact acme phone:+34 611 222 333 Ana 2", "Ana 2", "+34 611 222 333"),
        # No more digits than a phone number can have (15): the rest is not lost.
        ("contact acme phone:+34 611 222 333 444 555 Ana", "555 Ana", "+34 611 222 333 444"),
    ],
)
def test_a_phone_goes_on_over_its_digit_groups(typed: str, name: str, phone: str) -> None:
    cmd = read(typed, "Acme")
    assert isinstance(cmd, SaveContact)
    assert (cmd.name, cmd.phone) == (name, phone)


@pytest.mark.parametrize(
    ("typed", "title", "amount", "currency"),
    [
        ("deal globex Pilot amount:5000 USD", "Pilot", "5000", "USD"),
        ("deal globex Pilot amount:5000 usd", "Pilot", "5000", "USD"),
        ("deal globex Pilot amount:USD 5,000", "Pilot", "5000", "USD"),
        ("deal globex Pilot amount:5.000 €", "Pilot", "5000", "EUR"),
        ("deal globex Pilot amount:€5k", "Pilot", "5000", "EUR"),
        ("deal globex Pilot amount:€ 5k", "Pilot", "5000", "EUR"),
        ("deal globex amount:48k EUR Renewal 2027", "Renewal 2027", "48000", "EUR"),
        ("deal globex Pilot amount: 5000 EUR", "Pilot", "5000", "EUR"),
        # A word that is not a currency stays in the title.
        ("deal globex amount:5000 new pilot", "new pilot", "5000", None),
        ("deal globex amount:5000 USD 2027 plan", "2027 plan", "5000", "USD"),
    ],
)
def test_an_amount_and_its_currency_are_one_value(
    typed: str, title: str, amount: str, currency: str | None
) -> None:
    cmd = read(typed, "Globex")
    assert isinstance(cmd, OpenDeal)
    assert (cmd.title, cmd.amount, cmd.currency) == (title, Decimal(amount), currency)


@pytest.mark.parametrize(
    ("typed", "title", "close"),
    [
        ("deal globex Pilot close:next friday", "Pilot", FRIDAY),
        ("deal globex close:next friday Pilot phase two", "Pilot phase two", FRIDAY),
        ("deal globex Pilot close:31 jan 2027", "Pilot", date(2027, 1, 31)),
        ("deal globex Pilot close:2027-01-31 for the board", "Pilot for the board", None),
    ],
)
def test_a_close_date_is_read_as_far_as_it_is_a_date(
    typed: str, title: str, close: date | None
) -> None:
    cmd = read(typed, "Globex")
    assert isinstance(cmd, OpenDeal)
    assert cmd.title == title
    assert cmd.close == (close or date(2027, 1, 31))


def test_quotes_around_a_title_or_a_text_are_delimiters() -> None:
    deal = read('deal globex "Pilot US"', "Globex")
    assert isinstance(deal, OpenDeal) and deal.title == "Pilot US"
    curly = read("deal globex “Pilot US” amount:5000 USD", "Globex")
    assert isinstance(curly, OpenDeal) and (curly.title, curly.currency) == ("Pilot US", "USD")
    log = read('log acme call "They will sign"', "Acme")
    assert isinstance(log, Log) and log.text == "They will sign"
    agree = read('agree acme "Send the contract"', "Acme")
    assert isinstance(agree, Agree) and agree.text == "Send the contract"
    complaint = read('complaint acme "Invoice twice"', "Acme")
    assert isinstance(complaint, OpenComplaint) and complaint.text == "Invoice twice"
    # Quotes inside a text are content.
    inside = read('deal globex Pilot "US" phase', "Globex")
    assert isinstance(inside, OpenDeal) and inside.title == 'Pilot "US" phase'


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("deal globex Pilot amount:lots", "couldn't read “lots” as an amount"),
        ("deal globex Pilot amount:USD", "couldn't read “USD” as an amount"),
        ("deal globex Pilot close:whenever", "couldn't read “whenever” as a date"),
    ],
)
def test_values_that_are_not_their_shape_keep_friendly_errors(typed: str, message: str) -> None:
    with pytest.raises(Usage, match=message):
        read(typed, "Globex")


def test_contact_phone_in_the_console(team: Team) -> None:
    team.run('account "Acme Corp" tier:A', by="Ana García")
    team.run(
        'contact "Acme Corp" "José Ángel Muñoz" role:champion phone:+34 611 222 333',
        by="Ana García",
    )
    assert team.scalar("select name from contact") == "José Ángel Muñoz"
    assert team.scalar("select phone from contact") == "+34 611 222 333"


def test_deal_title_amount_and_close_in_the_console(team: Team) -> None:
    team.run("account Globex tier:B", by="Ana García")
    team.run('deal globex "Pilot US"', by="Ana García")
    assert team.scalar("select title from deal order by id") == "Pilot US"
    team.run("deal globex Renewal amount:5000 USD close:next friday", by="Ana García")
    assert team.scalar("select title from deal where title <> 'Pilot US'") == "Renewal"
    assert team.scalar("select currency from deal where title = 'Renewal'") == "USD"
    amount = team.scalar("select amount from deal where title = 'Renewal'")
    assert Decimal(str(amount)) == Decimal("5000")
    close = team.scalar("select close_on from deal where title = 'Renewal'")
    assert str(close) == FRIDAY.isoformat()
    team.run("deal globex Expansion amount:5.000 €", by="Ana García")
    assert team.scalar("select currency from deal where title = 'Expansion'") == "EUR"


@pytest.mark.parametrize("verb", ["contact", "deal"])
def test_the_help_examples_read_as_they_say(verb: str) -> None:
    for example in TOPICS[verb].examples:
        cmd = read(example, "Acme", "Acme Corp", "Globex")
        assert '"' not in str(getattr(cmd, "name", getattr(cmd, "title", "")))
