"""`/crm report`: a hub with known complaints, and every figure of the complaints report
checked, for what each reader may see, in English and Spanish, and as CSV (issue 22)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from conftest import EPOCH, Team

from commands.handlers.reports import build_report
from commands.periods import read_period
from commands.types import ShowReport
from hub.clock import FixedClock
from hub.models import Person
from hub.money import Totals
from hub.reports import REPORTS, Kind
from hub.reports.period import Period
from integrations.report_csv import write_report_csv

ANA, LUIS, MARTA, CARMEN = "Ana García", "Luis Pérez", "Marta Ruiz", "Carmen Vidal"


def _hub_with_complaints(team: Team, clock: FixedClock) -> None:
    """Acme (Ana's), Globex (Luis's) and Secret (Ana's, private), and five complaints:
    C1 medium on Acme, 40 days ago, resolved the next day (before the last 30 days); C2
    high on Acme, resolved in 12 h (within its 24 h); C3 critical on Globex, resolved in
    6 h (over its 4 h); C4 medium on Secret, open and over its 3 days; C5 low on Acme,
    open."""
    team.run('account "Acme Corp"', by=ANA)
    team.run("account Globex", by=LUIS)
    team.run("account Secret visibility:private", by=ANA)
    clock.set(EPOCH - timedelta(days=40))
    team.run("complaint Acme Old invoice severity:medium", by=ANA)
    clock.set(EPOCH - timedelta(days=39))
    team.run("resolve C1", by=ANA)
    clock.set(EPOCH - timedelta(days=10))
    team.run("complaint Acme Portal down severity:high", by=ANA)
    team.run("complaint Globex Wrong delivery severity:critical", by=LUIS)
    clock.set(EPOCH - timedelta(days=10) + timedelta(hours=6))
    team.run("resolve C3", by=LUIS)
    clock.set(EPOCH - timedelta(days=10) + timedelta(hours=12))
    team.run("resolve C2", by=ANA)
    clock.set(EPOCH - timedelta(days=5))
    team.run("complaint Secret Late payment severity:medium", by=ANA)
    clock.set(EPOCH - timedelta(days=2))
    team.run("complaint Acme Typo in the manual severity:low", by=ANA)
    clock.set(EPOCH)


def _table(out: str, title: str) -> list[list[str]]:
    """The rows of the table under `title` in a console reply, split into cells."""
    lines = out.split("\n")
    start = lines.index(title) + 1
    rows = []
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        rows.append([c for c in line.strip().split("  ") if c])
    return [[cell.strip() for cell in row] for row in rows]


def test_the_complaints_report_counts_what_a_manager_sees(team: Team, clock: FixedClock) -> None:
    _hub_with_complaints(team, clock)
    out = team.run("report complaints", by=CARMEN)
    assert out.startswith("Complaints, Mon 26 Oct to Tue 24 Nov 2026")  # the last 30 days
    assert _table(out, "By severity") == [
        [
            "Severity",
            "Opened",
            "Resolved",
            "Open now",
            "Over SLA now",
            "Within SLA",
            "Time to resolve",
        ],
        ["critical", "1", "1", "0", "0", "0%", "6 h"],
        ["high", "1", "1", "0", "0", "100%", "12 h"],
        ["medium", "1", "0", "1", "1", "–", "–"],
        ["low", "1", "0", "1", "0", "–", "–"],
        ["All", "4", "2", "2", "1", "50%", "9 h"],
    ]
    assert _table(out, "By account") == [
        [
            "Account",
            "Opened",
            "Resolved",
            "Open now",
            "Over SLA now",
            "Within SLA",
            "Time to resolve",
        ],
        ["Acme Corp", "2", "1", "1", "0", "100%", "12 h"],
        ["Globex", "1", "1", "0", "0", "0%", "6 h"],
        ["Secret", "1", "0", "1", "1", "–", "–"],
    ]


def test_a_member_s_report_counts_only_the_accounts_they_may_read(
    team: Team, clock: FixedClock
) -> None:
    _hub_with_complaints(team, clock)
    out = team.run("report complaints", by=MARTA)  # Service: Secret is Ana's, private
    assert "Secret" not in out
    assert _table(out, "By severity")[-1] == ["All", "3", "2", "1", "0", "50%", "9 h"]
    assert [row[0] for row in _table(out, "By account")[1:]] == ["Acme Corp", "Globex"]


def test_filters_and_periods_narrow_the_report(team: Team, clock: FixedClock) -> None:
    _hub_with_complaints(team, clock)
    mine = team.run("report complaints owner:@luis", by=CARMEN)
    assert _table(mine, "By account")[1:] == [["Globex", "1", "1", "0", "0", "0%", "6 h"]]
    earlier = team.run("report complaints since:2026-10-01 until:2026-10-31", by=CARMEN)
    # Open now is now: two are open, one over its SLA, whatever the period.
    assert _table(earlier, "By severity")[-1] == ["All", "1", "1", "2", "1", "100%", "24 h"]
    assert "No complaints in this period." not in earlier
    empty = team.run("report complaints Q1 2026", by=CARMEN)
    assert "Complaints, Thu 01 Jan to Tue 31 Mar 2026" in empty
    assert _table(empty, "By severity")[-1][:3] == ["All", "0", "0"]


def test_a_spanish_manager_reads_the_report_in_spanish(team: Team, clock: FixedClock) -> None:
    _hub_with_complaints(team, clock)
    with team.app.database.unit_of_work() as session:
        session.query(Person).filter_by(name=CARMEN).one().locale = "es"
    out = team.run("informe quejas", by=CARMEN)
    assert out.startswith("Quejas, ")
    rows = _table(out, "Por gravedad")
    assert rows[0] == [
        "Gravedad",
        "Abiertas",
        "Resueltas",
        "Abiertas ahora",
        "Fuera de SLA ahora",
        "Dentro del SLA",
        "Tiempo de resolución",
    ]
    assert rows[2] == ["alta", "1", "1", "0", "0", "100\u00a0%", "12 h"]
    assert rows[-1] == ["Todas", "4", "2", "2", "1", "50\u00a0%", "9 h"]
    assert "Por cuenta" in out


def test_a_report_nobody_knows_or_a_period_nobody_reads_is_refused(team: Team) -> None:
    out = team.run("report weather", by=CARMEN)
    [refusal] = [line for line in out.splitlines() if "“weather”" in line]
    assert "I don't know the report “weather”; there are: " in refusal
    assert {"complaints", "forecast", "pipeline", "risk", "sellers"} <= set(
        refusal.split(": ")[-1][:-1].split(", ")
    )
    out = team.run("report complaints next fortnight", by=CARMEN)
    assert "I couldn't read “next fortnight” as a period" in out
    out = team.run("report complaints tier:Z", by=CARMEN)
    assert "tier: must be A, B or C." in out


def test_the_csv_has_every_row_with_raw_values(team: Team, clock: FixedClock) -> None:
    _hub_with_complaints(team, clock)
    with team.app.runner.workplace.open(team.person_id(CARMEN), source="cli") as work:
        command = team.app.runner.read("report complaints", work)
        assert isinstance(command, ShowReport)
        out = io.StringIO()
        rows = write_report_csv(build_report(work, command), out)
    lines = out.getvalue().splitlines()
    assert rows == 8  # five severity lines, three accounts
    assert "high,1,1,0,0,1,12" in lines
    assert "All,4,2,2,1,0.5,9" in lines
    assert "Secret,1,0,1,1,," in lines


TODAY = date(2026, 2, 11)  # only what the period words read from it matters


@pytest.mark.parametrize(
    ("words", "first", "last"),
    [
        ("this month", date(2026, 2, 1), date(2026, 2, 28)),
        ("este mes", date(2026, 2, 1), date(2026, 2, 28)),
        ("last month", date(2026, 1, 1), date(2026, 1, 31)),
        ("el mes pasado", date(2026, 1, 1), date(2026, 1, 31)),
        ("last quarter", date(2025, 10, 1), date(2025, 12, 31)),
        ("el trimestre pasado", date(2025, 10, 1), date(2025, 12, 31)),
        ("this quarter", date(2026, 1, 1), date(2026, 3, 31)),
        ("this week", date(2026, 2, 9), date(2026, 2, 15)),
        ("la semana pasada", date(2026, 2, 2), date(2026, 2, 8)),
        ("this year", date(2026, 1, 1), date(2026, 12, 31)),
        ("el año pasado", date(2025, 1, 1), date(2025, 12, 31)),
        ("last 30 days", date(2026, 1, 13), date(2026, 2, 11)),
        ("últimos 7 días", date(2026, 2, 5), date(2026, 2, 11)),
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("q4 2025", date(2025, 10, 1), date(2025, 12, 31)),
    ],
)
def test_period_words_in_english_and_spanish(words: str, first: date, last: date) -> None:
    period = read_period(words.split(), TODAY)
    assert period is not None and (period.start, period.last) == (first, last)


def test_a_year_before_keeps_the_days() -> None:
    leap = Period.current("month", date(2028, 2, 10))
    assert (leap.a_year_before().start, leap.a_year_before().last) == (
        date(2027, 2, 1),
        date(2027, 2, 28),
    )


def test_slack_and_discord_show_the_tables_in_code_blocks(team: Team, clock: FixedClock) -> None:
    from bot.discord.render import message
    from bot.slack.blocks import reply_blocks

    _hub_with_complaints(team, clock)
    reply = team.reply("report complaints", by=CARMEN)
    tables = [
        b for b in reply_blocks(reply) if b["type"] == "rich_text" and len(b["elements"]) == 2
    ]
    titles = [t["elements"][0]["elements"][0]["text"] for t in tables]
    assert titles == ["By severity", "By account"]
    severity = tables[0]["elements"][1]
    assert severity["type"] == "rich_text_preformatted"  # inert, monospaced
    assert "high           1         1" in severity["elements"][0]["text"]
    fields = {f["name"]: f["value"] for f in message(reply)["embeds"][0]["fields"]}
    assert fields["By account"].startswith("```\nAccount") and "Secret" in fields["By account"]


def test_a_table_too_long_for_a_message_counts_the_rows_left_out() -> None:
    from bot.tables import table_code
    from commands.reply import Table

    rows = tuple((f"Account {n:03}", str(n)) for n in range(200))
    code = table_code(Table("Big", ("Account", "Opened"), rows, (False, True)), 1024)
    assert len(code) <= 1024 and code.endswith("```")
    shown = code.count("\nAccount 0") + code.count("\nAccount 1")  # the header is no row
    assert f"… and {200 - shown} more" in code


def test_no_report_adds_up_different_currencies(team: Team, clock: FixedClock) -> None:
    """Every money figure of every report is kept per currency (hub.money.Totals): with
    deals in euros and dollars and no rate, no cell is a bare sum, and each shows its
    currencies apart."""
    team.run('account "Acme Corp" tier:A', by=ANA)
    team.run("account Globex tier:B", by=LUIS)
    team.run("deal acme Renewal amount:40000 stage:proposal close:next month", by=ANA)
    team.run("deal globex Pilot amount:5000 USD stage:negotiation close:next month", by=LUIS)
    team.run("deal globex Support amount:3000 USD", by=LUIS)
    team.run("won D3", by=LUIS)
    with team.app.runner.workplace.open(team.person_id(CARMEN), source="cli") as work:
        for what in REPORTS:
            command = team.app.runner.read(f"report {what} this year", work)
            assert isinstance(command, ShowReport)
            report = build_report(work, command)
            for block in report.blocks:
                for n, column in enumerate(block.columns):
                    if column.kind == Kind.MONEY:
                        values = [row[n] for row in block.rows]
                        assert all(v is None or isinstance(v, Totals) for v in values), what
    out = team.run("report pipeline", by=CARMEN)
    assert "€40,000 + $5,000" in out  # the open funnel's whole, one figure per currency
