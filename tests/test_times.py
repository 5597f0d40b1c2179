"""Times of day, durations and dates that say when something happened (issue 19), read
the way people type them, on their own and in the console on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from conftest import EPOCH, MADRID, Team
from test_parser import Names

from commands.dates import DateReader, read_duration
from commands.parser import parse
from commands.types import Agree, Log, OpenComplaint, Remind, Snooze, Usage

NOW = EPOCH  # a Tuesday, 10:00 in Madrid
TODAY = NOW.date()


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """`days` after today (before, if negative), at hour:minute in Madrid."""
    return datetime.combine(TODAY + timedelta(days=days), time(hour, minute), MADRID)


def read(line: str, *names: str):  # type: ignore[no-untyped-def]
    return parse(line, names=Names(*names), dates=DateReader(now=NOW, tz=MADRID))


NEXT_TUESDAY = 7  # "martes" said on a Tuesday is the next one


@pytest.mark.parametrize(
    ("typed", "when", "text"),
    [
        ("remind martes 10.30 llamar a Jorge", at(NEXT_TUESDAY, 10, 30), "llamar a Jorge"),
        ("remind martes 10,30 llamar a Jorge", at(NEXT_TUESDAY, 10, 30), "llamar a Jorge"),
        ("remind mañana 15h30 llamar", at(1, 15, 30), "llamar"),
        ("remind mañana 15:30h llamar", at(1, 15, 30), "llamar"),
        ("remind 15h30 llamar", at(0, 15, 30), "llamar"),
        ("remind 10,30 llamar", at(0, 10, 30), "llamar"),
        ("remind mañana a las 10 y media llamar", at(1, 10, 30), "llamar"),
        ("remind a las 10 y media llamar", at(0, 10, 30), "llamar"),
        ("remind mañana a las 10 y cuarto llamar", at(1, 10, 15), "llamar"),
        ("remind mañana a las 11 menos cuarto llamar", at(1, 10, 45), "llamar"),
        ("remind mañana a las 5 de la tarde llamar", at(1, 17, 0), "llamar"),
        ("remind esta tarde llamar a Jorge", at(0, 16, 0), "llamar a Jorge"),
        ("remind mañana por la tarde llamar", at(1, 16, 0), "llamar"),
        ("remind a mediodía llamar", at(0, 12, 0), "llamar"),
        ("remind mañana a mediodía llamar", at(1, 12, 0), "llamar"),
        ("remind this afternoon call Ana", at(0, 16, 0), "call Ana"),
        ("remind tomorrow at 10.30 call Ana", at(1, 10, 30), "call Ana"),
        ("remind en 1h llamar", NOW + timedelta(hours=1), "llamar"),
        ("remind in 30m call Ana", NOW + timedelta(minutes=30), "call Ana"),
    ],
)
def test_times_of_day_are_read_not_dropped(typed: str, when: datetime, text: str) -> None:
    cmd = read(typed)
    assert isinstance(cmd, Remind)
    assert (cmd.when, cmd.text) == (when, text)


def test_a_dotted_day_and_month_is_still_a_date() -> None:
    reader = DateReader(now=NOW, tz=MADRID, locale="es")
    assert reader.day("1.12.2026") == TODAY.replace(month=12, day=1)


@pytest.mark.parametrize(
    ("typed", "length"),
    [
        ("1h", timedelta(hours=1)),
        ("30m", timedelta(minutes=30)),
        ("1h30", timedelta(minutes=90)),
        ("90 min", timedelta(minutes=90)),
        ("2 horas", timedelta(hours=2)),
        ("media hora", timedelta(minutes=30)),
        ("2 days", timedelta(days=2)),
        ("2 días", timedelta(days=2)),
        ("1 week", timedelta(weeks=1)),
        ("una semana", timedelta(weeks=1)),
        ("in 2 hours", timedelta(hours=2)),
    ],
)
def test_durations(typed: str, length: timedelta) -> None:
    assert read_duration(typed) == length


@pytest.mark.parametrize("typed", ["mañana", "friday", "15:00", "call", "", "0h", "12"])
def test_what_is_not_a_duration(typed: str) -> None:
    assert read_duration(typed) is None


@pytest.mark.parametrize(
    ("typed", "until"),
    [
        ("snooze 22 1h", NOW + timedelta(hours=1)),
        ("snooze 22 30m", NOW + timedelta(minutes=30)),
        ("snooze 22 2 horas", NOW + timedelta(hours=2)),
        ("snooze 22 2 días", at(2, 9)),
        ("snooze 22 2 days", at(2, 9)),
        ("snooze 22 una semana", at(7, 9)),
        ("snooze 22 1 week", at(7, 9)),
        ("snooze 22 mañana a las 10 y media", at(1, 10, 30)),
        ("snooze 22 a las 15h", at(0, 15)),
        ("snooze 22 el lunes", at(6, 9)),
    ],
)
def test_snooze_takes_a_duration_from_now_or_a_moment(typed: str, until: datetime) -> None:
    cmd = read(typed)
    assert isinstance(cmd, Snooze) and cmd.until == until


@pytest.mark.parametrize(
    ("typed", "when", "kind", "text"),
    [
        ("log acme call ayer Confirmed the renewal", at(-1, 12), "call", "Confirmed the renewal"),
        ("log acme ayer call Confirmed", at(-1, 12), "call", "Confirmed"),
        ("log acme llamada ayer por la tarde Confirmó", at(-1, 16), "call", "Confirmó"),
        ("log acme call yesterday 16:00 Confirmed", at(-1, 16), "call", "Confirmed"),
        ("log acme meeting el lunes a las 17h Demo", at(-1, 17), "meeting", "Demo"),
        ("log acme call el viernes Pricing", at(-4, 12), "call", "Pricing"),
        ("log acme email hace 2 días sent the quote", at(-2, 12), "email", "sent the quote"),
        ("log acme call a las 9 y media Quick check", at(0, 9, 30), "call", "Quick check"),
        ("log acme call hoy Quick check", NOW, "call", "Quick check"),
    ],
)
def test_a_date_at_the_start_of_a_log_says_when_it_happened(
    typed: str, when: datetime, kind: str, text: str
) -> None:
    cmd = read(typed, "acme")
    assert isinstance(cmd, Log)
    assert (cmd.occurred_at, cmd.kind, cmd.text) == (when, kind, text)


@pytest.mark.parametrize(
    "typed",
    [
        # Still to come: not when it happened, so the words are the text.
        "log acme call mañana firmamos",
        "log acme call tomorrow we sign",
        "log acme call a las 16:00 they want a demo",
        # Words that only look like dates, and dates with nothing after them.
        "log acme call May we send the deck",
        "log acme call March numbers look good",
        "log acme call el cliente quiere descuento",
        "log acme call ayer",
        'log acme call "ayer" was a holiday',
    ],
)
def test_words_that_are_not_a_past_date_stay_in_the_text(typed: str) -> None:
    cmd = read(typed, "acme")
    assert isinstance(cmd, Log)
    assert cmd.occurred_at is None
    assert cmd.text == typed.removeprefix("log acme call ")


def test_agree_and_complaint_are_dated_back_too() -> None:
    agreed = read("agree acme ayer Send the quote due el viernes", "acme")
    assert isinstance(agreed, Agree)
    assert (agreed.agreed_at, agreed.text, agreed.due) == (
        at(-1, 12),
        "Send the quote",
        TODAY + timedelta(days=3),
    )
    complaint = read("complaint acme yesterday 16:00 Invoices twice severity:high", "acme")
    assert isinstance(complaint, OpenComplaint)
    assert (complaint.opened_at, complaint.text, complaint.severity) == (
        at(-1, 16),
        "Invoices twice",
        "high",
    )
    undated = read("complaint acme mañana nos cortan el servicio", "acme")
    assert isinstance(undated, OpenComplaint) and undated.opened_at is None


def test_snooze_that_reads_nothing_shows_usage() -> None:
    with pytest.raises(Usage) as raised:
        read("snooze 22 cuando pueda")
    assert "cuando pueda" in raised.value.message


# Through the console, on both databases.


def setup_acme(team: Team) -> None:
    team.run('account "Acme Corp" tier:A', by="Ana García")


def test_remind_keeps_the_time_of_day(team: Team) -> None:
    setup_acme(team)
    out = team.run("remind mañana 10.30 llamar a Jorge about Acme Corp", by="Ana García")
    assert "tomorrow 10:30" in out, out
    out = team.run("remind mañana 15h30 enviar contrato", by="Ana García")
    assert "tomorrow 15:30" in out, out
    out = team.run("remind mañana 10,30 revisar oferta", by="Ana García")
    assert "tomorrow 10:30" in out, out
    out = team.run("remind mañana a las 10 y media llamar", by="Ana García")
    assert "tomorrow 10:30" in out, out
    mine = team.run("mine", by="Ana García")
    assert "media" not in mine and "10,30" not in mine and "15h30" not in mine, mine
    assert "llamar a Jorge" in mine and "enviar contrato" in mine and "revisar oferta" in mine


def test_snooze_for_an_hour(team: Team) -> None:
    setup_acme(team)
    team.run("remind mañana llamar a Jorge about Acme Corp", by="Ana García")
    out = team.run("snooze 1 1h", by="Ana García")
    assert "Follow-up F1 moved to today 11:00" in out, out
    out = team.run("snooze 1 2 días", by="Ana García")
    assert f"Follow-up F1 moved to {TODAY + timedelta(days=2):%a %d %b} 09:00" in out, out
    out = team.run("snooze 1 whenever", by="Ana García")
    assert "Until when? I couldn't read “whenever” as a date." in out, out
    assert "snooze 1 whenever" in out, out


def test_log_ayer_is_dated_yesterday(team: Team) -> None:
    setup_acme(team)
    out = team.run("log acme call ayer Confirmed the renewal", by="Ana García")
    assert "Logged call N1 on Acme Corp" in out and "yesterday 12:00" in out, out
    when = team.scalar("select occurred_at from interaction")
    assert str(when).startswith(str(TODAY - timedelta(days=1))), when
    assert team.scalar("select text from interaction") == "Confirmed the renewal"
    out = team.run("agree acme el lunes Send the quote", by="Ana García")
    assert "Agreed" in out and "yesterday" in out, out
    out = team.run("complaint acme yesterday 16:00 Invoices twice severity:high", by="Ana García")
    assert "Opened" in out and "yesterday 16:00" in out, out
    assert "Resolve by" in out and "today 16:00" in out, out
    # Still to come: kept in the text and logged as now.
    out = team.run("log acme call mañana firmamos", by="Ana García")
    assert "mañana firmamos" in out and "When" not in out, out
