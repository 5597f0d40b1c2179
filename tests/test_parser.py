"""The /crm language on its own: quotes, options, names, dates, amounts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

import pytest
from conftest import EPOCH, MADRID

from commands.dates import DateReader
from commands.parser import parse
from commands.types import (
    Agree,
    Away,
    Done,
    HandOver,
    Log,
    MoveDeal,
    OpenDeal,
    Remind,
    Resolve,
    SaveAccount,
    SaveContact,
    Snooze,
    Usage,
)
from hub.text import fold

NOW = EPOCH  # a Tuesday


class Names:
    """Known account names, and (`people`) active people's full names."""

    def __init__(self, *names: str, people: Sequence[str] = ()) -> None:
        self.keys = {fold(n) for n in names}
        self.people = {fold(n) for n in people}
        self.people_asked: list[list[str]] = []

    def longest_prefix(self, words: Sequence[str]) -> int:
        hits = [n for n in range(1, len(words) + 1) if fold(" ".join(words[:n])) in self.keys]
        return max(hits, default=0)

    def longest_person_prefix(self, words: Sequence[str]) -> int:
        self.people_asked.append(list(words))
        hits = [n for n in range(1, len(words) + 1) if fold(" ".join(words[:n])) in self.people]
        return max(hits, default=0)


def read(line: str, *names: str):  # type: ignore[no-untyped-def]
    return parse(line, names=Names(*names), dates=DateReader(now=NOW, tz=MADRID))


def test_longest_known_account_name_wins() -> None:
    cmd = read("log acme corp call They signed", "Acme", "Acme Corp")
    assert isinstance(cmd, Log)
    assert (cmd.account.name, cmd.account.known, cmd.kind, cmd.text) == (
        "acme corp",
        True,
        "call",
        "They signed",
    )


def test_typographic_and_straight_quotes_are_equal() -> None:
    straight = read('contact "Acme Corp" "María López" role:"decision maker"', "Acme Corp")
    curly = read("contact “Acme Corp” ‘María López’ role:“decision maker”", "Acme Corp")
    assert straight == curly
    assert isinstance(straight, SaveContact) and straight.role == "decision maker"


def test_free_text_is_kept_exactly_and_unknown_keys_stay_in_it() -> None:
    cmd = read('log acme meeting at 10:30 note: they said  "maybe"  https://x.io/a', "acme")
    assert isinstance(cmd, Log)
    assert cmd.text == 'at 10:30 note: they said  "maybe"  https://x.io/a'


def test_unclosed_quote_is_kept_as_text() -> None:
    cmd = read("log acme call \"they don't agree", "acme")
    assert isinstance(cmd, Log) and cmd.text == "\"they don't agree"


def test_with_contact_split() -> None:
    cmd = read("log acme call Pricing talk with María López", "acme")
    assert isinstance(cmd, Log)
    assert cmd.with_contact == "María López" and cmd.text_without_contact == "Pricing talk"


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("agree acme Send quote due next friday", date(2026, 11, 27)),
        ("agree acme Send quote due 2026-12-01", date(2026, 12, 1)),
        ("agree acme Enviar oferta due el lunes", date(2026, 11, 30)),
        ("agree acme Enviar oferta para mañana", date(2026, 11, 25)),
    ],
)
def test_agreement_due_dates_in_english_and_spanish(typed: str, due: date) -> None:
    cmd = read(typed, "acme")
    assert isinstance(cmd, Agree) and cmd.due == due


def test_unreadable_due_date_is_flagged_not_dropped() -> None:
    cmd = read("agree acme Send quote due next fridy", "acme")
    assert isinstance(cmd, Agree)
    assert cmd.due is None and cmd.unread_due == "next fridy"
    assert cmd.text == "Send quote due next fridy"


@pytest.mark.parametrize(
    ("typed", "when"),
    [
        ("remind tomorrow 9am call María", datetime(2026, 11, 25, 9, 0, tzinfo=MADRID)),
        ("remind mañana a las 16:30 llamar", datetime(2026, 11, 25, 16, 30, tzinfo=MADRID)),
        ("remind pasado mañana llamar", datetime(2026, 11, 26, 9, 0, tzinfo=MADRID)),
        ("remind in 3 hours check stock", datetime(2026, 11, 24, 13, 0, tzinfo=MADRID)),
        ('remind "next monday 10:00" call', datetime(2026, 11, 30, 10, 0, tzinfo=MADRID)),
    ],
)
def test_reminder_times(typed: str, when: datetime) -> None:
    cmd = read(typed)
    assert isinstance(cmd, Remind) and cmd.when == when


def test_numeric_dates_are_read_the_way_the_person_writes_them() -> None:
    spanish = DateReader(now=NOW, tz=MADRID, locale="es")
    english = DateReader(now=NOW, tz=MADRID, locale="en")
    assert spanish.day("01/12/2026") == date(2026, 12, 1)
    assert english.day("01/12/2026") == date(2026, 1, 12)
    assert spanish.day("2026-12-01") == english.day("2026-12-01") == date(2026, 12, 1)
    # No month 30: written month first after all, whoever wrote it.
    assert spanish.day("11/30") == english.day("11/30") == date(2026, 11, 30)
    assert spanish.day("12/31/2026") == english.day("31/12/2026") == date(2026, 12, 31)
    assert spanish.day("mañana") == english.day("tomorrow") == date(2026, 11, 25)


@pytest.mark.parametrize(
    ("typed", "text", "about", "assignee"),
    [
        (
            "remind friday send contract about Acme Corp for @luis",
            "send contract",
            "Acme Corp",
            "@luis",
        ),
        (
            "remind friday about acme corp send contract for @luis",
            "send contract",
            "acme corp",
            "@luis",
        ),
        ("remind friday about Acme Corp for @luis", "about Acme Corp", "Acme Corp", "@luis"),
        ("remind friday talk about pricing", "talk about pricing", None, None),
        # Only a known account is taken: otherwise every word stays in the text.
        ("remind friday about pricing, call Ana", "about pricing, call Ana", None, None),
    ],
)
def test_remind_about_account_for_person(
    typed: str, text: str, about: str | None, assignee: str | None
) -> None:
    cmd = read(typed, "Acme Corp")
    assert isinstance(cmd, Remind)
    assert (cmd.text, cmd.about and cmd.about.name, cmd.assignee) == (text, about, assignee)


def test_a_person_named_in_full_with_quotes_after_the_at() -> None:
    cmd = read('remind friday call them for @"Marta  Ruiz"')
    assert isinstance(cmd, Remind) and (cmd.text, cmd.assignee) == ("call them", "@Marta Ruiz")
    handover = read("handover globex to @“Carmen Vidal” until friday", "Globex")
    assert isinstance(handover, HandOver)
    assert (handover.to, handover.note) == ("@Carmen Vidal", None)
    account = read('account acme owner:@"Marta Ruiz" tier:A')
    assert isinstance(account, SaveAccount)
    assert (account.name, account.owner, account.tier) == ("acme", "@Marta Ruiz", "A")


@pytest.mark.parametrize(
    ("amount", "value", "currency"),
    [
        ("48k", Decimal("48000.00"), None),
        ("€48.000", Decimal("48000.00"), "EUR"),
        ("$1,250.50", Decimal("1250.50"), "USD"),
        ('"12.500,50 EUR"', Decimal("12500.50"), "EUR"),
        ("1.2m", Decimal("1200000.00"), None),
    ],
)
def test_amounts(amount: str, value: Decimal, currency: str | None) -> None:
    cmd = read(f"deal acme Renewal amount:{amount}", "acme")
    assert isinstance(cmd, OpenDeal) and (cmd.amount, cmd.currency) == (value, currency)


def test_handover_forms() -> None:
    cmd = read(
        "handover Acme Corp, Globex to @luis until friday back from leave", "Acme Corp", "Globex"
    )
    assert isinstance(cmd, HandOver)
    assert [a.name for a in cmd.accounts] == ["Acme Corp", "Globex"]
    assert (cmd.to, cmd.until, cmd.note) == ("@luis", date(2026, 11, 27), "back from leave")
    book = read("handover @ana to @luis")
    assert isinstance(book, HandOver) and book.person == "@ana" and not book.accounts


@pytest.mark.parametrize(
    ("typed", "starts", "ends"),
    [
        ("away 2026-12-01 2026-12-12 cover @luis", date(2026, 12, 1), date(2026, 12, 12)),
        ("away tomorrow to friday cover @luis", date(2026, 11, 25), date(2026, 11, 27)),
        ("away mañana hasta el viernes", date(2026, 11, 25), date(2026, 11, 27)),
        ("away until friday", date(2026, 11, 24), date(2026, 11, 27)),
    ],
)
def test_away_periods(typed: str, starts: date, ends: date) -> None:
    cmd = read(typed)
    assert isinstance(cmd, Away) and (cmd.starts, cmd.ends) == (starts, ends)


@pytest.mark.parametrize(
    "typed",
    [
        "frobnicate",
        "log",
        "deal acme",
        "stage 4 sideways",
        "done",
        "resolve abc",
        "away whenever",
        "subscribe",
        "digest later",
        "mine extra words",
        "help nonsense",
        "account tier:A",
        "tier:Z account acme",
        "complaint acme x severity:apocalyptic",
    ],
)
def test_malformed_lines_raise_usage(typed: str) -> None:
    with pytest.raises(Usage):
        read(typed, "acme")


@pytest.mark.parametrize(
    ("typed", "kind", "number"),
    [
        ("resolve C3 credit note sent", Resolve, 3),
        ("resolve 3", Resolve, 3),
        ("resolve #3", Resolve, 3),
        ("won D12", MoveDeal, 12),
        ("won d12", MoveDeal, 12),
        ("won 12", MoveDeal, 12),
        ("stage D7 negotiation", MoveDeal, 7),
        ("lost D7 went with a competitor", MoveDeal, 7),
        ("done F5", Done, 5),
        ("done #F5", Done, 5),
        ("snooze F5 tomorrow", Snooze, 5),
    ],
)
def test_ids_are_read_with_their_kind_or_as_a_bare_number(
    typed: str, kind: type, number: int
) -> None:
    cmd = read(typed)
    assert isinstance(cmd, kind) and cmd.id == number


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("resolve D3", "D3 is a deal; resolve takes a complaint (C…)."),
        ("won C3", "C3 is a complaint; won takes a deal (D…)."),
        ("stage F2 qualified", "F2 is a follow-up; stage takes a deal (D…)."),
        ("done A7", "A7 is an agreement; done takes a follow-up (F…)."),
        ("snooze N9 tomorrow", "N9 is an interaction; snooze takes a follow-up (F…)."),
        ("won X12", "“X12” is not an id; ids look like D12, 12 or #12."),
    ],
)
def test_an_id_of_another_kind_is_refused_naming_both_kinds(typed: str, message: str) -> None:
    with pytest.raises(Usage) as refused:
        read(typed)
    assert refused.value.message == message


@pytest.mark.parametrize(
    ("typed", "corrected"),
    [
        ("whoise acme", "whois acme"),
        ("lgo acme call x", "log acme call x"),
        ("reminder friday x", "remind friday x"),
        (
            '/crm Complain "Acme Corp"  portal down severity:high',
            'complaint "Acme Corp"  portal down severity:high',
        ),
        ("help whoise", "help whois"),
    ],
)
def test_an_unknown_verb_offers_the_corrected_line(typed: str, corrected: str) -> None:
    with pytest.raises(Usage) as unknown:
        read(typed, "acme")
    assert unknown.value.suggestion == corrected


@pytest.mark.parametrize("typed", ["frobnicate acme", "hello", "x 12", "lot 3"])
def test_an_unknown_verb_with_nothing_close_suggests_nothing(typed: str) -> None:
    with pytest.raises(Usage) as unknown:
        read(typed, "acme")
    assert unknown.value.suggestion is None
