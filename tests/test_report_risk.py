"""`report risk`: a hub with accounts at risk for each reason, every one listed with why,
the totals per reason, for what each reader may see, paged 20 at a time with a More
button, in English and Spanish (issue 22)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta

from conftest import EPOCH, Team
from test_reports import _table

from commands.handlers.reports import build_report
from commands.types import ShowReport
from hub.clock import FixedClock
from hub.models import Person
from integrations.report_csv import write_report_csv

ANA, LUIS, MARTA, CARMEN = "Ana García", "Luis Pérez", "Marta Ruiz", "Carmen Vidal"


def _hub_at_risk(team: Team, clock: FixedClock) -> None:
    """Five accounts made 60 days ago. Acme Corp (Ana, tier A) last contacted 20 days ago,
    past tier A's 14; Globex (Luis, B) with two critical complaints 2 days old (over their
    4 h); Secret (Ana, private, C) with a medium complaint 5 days old (over its 3 days);
    Initech (Luis, C) with a proposal that was to close 10 days ago and an agreement due 5
    days ago; Calm (Ana, B) contacted yesterday, with nothing open: not at risk."""
    day = EPOCH.date()
    clock.set(EPOCH - timedelta(days=60))
    team.run('account "Acme Corp" tier:A', by=ANA)
    team.run("account Globex tier:B", by=LUIS)
    team.run("account Secret tier:C visibility:private", by=ANA)
    team.run("account Initech tier:C", by=LUIS)
    team.run("account Calm tier:B", by=ANA)
    team.run(
        f"deal initech Rollout amount:5000 stage:proposal close:{day - timedelta(days=10)}",
        by=LUIS,
    )
    team.run(f"deal acme Renewal amount:9000 close:{day + timedelta(days=20)}", by=ANA)
    team.run(f"agree initech Send the pilot kit due {day - timedelta(days=5)}", by=LUIS)
    clock.set(EPOCH - timedelta(days=20))
    team.run('log "Acme Corp" call Checked in', by=ANA)
    clock.set(EPOCH - timedelta(days=5))
    team.run("complaint Secret Late payment severity:medium", by=ANA)
    team.run("log initech call Pilot planning", by=LUIS)
    team.run("log secret call Payment terms", by=ANA)
    clock.set(EPOCH - timedelta(days=2))
    team.run("complaint Globex Wrong delivery severity:critical", by=LUIS)
    team.run("complaint Globex Missing parts severity:critical", by=LUIS)
    clock.set(EPOCH - timedelta(days=1))
    team.run("log globex call Apologies", by=LUIS)
    team.run("log calm call All good", by=ANA)
    clock.set(EPOCH)


HEADER = ["Account", "Owner", "Tier", "Why", "Last contact"]


def test_the_risk_report_lists_every_account_at_risk_with_why(
    team: Team, clock: FixedClock
) -> None:
    _hub_at_risk(team, clock)
    out = team.run("report risk", by=CARMEN)
    assert out.startswith("Risk, Sun 01 Nov to Mon 30 Nov 2026")
    assert "At risk as of now, whatever the period." in out
    assert _table(out, "Accounts at risk") == [
        HEADER,
        [
            "Initech",
            "Luis Pérez",
            "C",
            "1 deal past its close date, 1 agreement overdue",
            "Thu 19 Nov",
        ],
        ["Acme Corp", "Ana García", "A", "no contact in 14 days", "Wed 04 Nov"],
        ["Globex", "Luis Pérez", "B", "2 complaints over SLA", "yesterday"],
        ["Secret", "Ana García", "C", "1 complaint over SLA", "Thu 19 Nov"],
    ]
    assert _table(out, "By reason")[:-1] == [  # the last line is the note
        ["Reason", "Accounts"],
        ["Complaints over SLA", "2"],
        ["No contact for longer than the tier allows", "1"],
        ["Deals past their close date", "1"],
        ["Overdue agreements", "1"],
        ["All accounts at risk", "4"],
    ]


def test_a_member_s_risk_list_leaves_out_the_account_they_may_not_read(
    team: Team, clock: FixedClock
) -> None:
    _hub_at_risk(team, clock)
    out = team.run("report risk", by=MARTA)  # Service: Secret is Ana's, private
    assert "Secret" not in out
    assert [row[0] for row in _table(out, "Accounts at risk")[1:]] == [
        "Initech",
        "Acme Corp",
        "Globex",
    ]
    assert [row[1] for row in _table(out, "By reason")[1:-1]] == ["1", "1", "1", "1", "3"]
    mine = team.run("report risk owner:@ana", by=CARMEN)
    assert [row[0] for row in _table(mine, "Accounts at risk")[1:]] == ["Acme Corp", "Secret"]


def test_a_long_risk_list_comes_in_pages_of_20_with_a_more_button(
    team: Team, clock: FixedClock
) -> None:
    _hub_at_risk(team, clock)
    clock.set(EPOCH - timedelta(days=90))
    for n in range(1, 26):  # 25 tier B accounts never contacted: 30 days without contact
        team.run(f'account "Quiet {n:02}" tier:B', by=LUIS)
    clock.set(EPOCH)
    reply = team.reply("report risk", by=CARMEN)
    [listed, reasons] = reply.tables
    assert listed.title == "Accounts at risk · page 1 of 2"
    assert len(listed.rows) == 20 and listed.more == 9
    assert [row[0] for row in listed.rows[:5]] == [
        "Initech",
        "Acme Corp",
        "Globex",
        "Quiet 01",
        "Quiet 02",
    ]
    assert listed.rows[3][3] == "no contact in 30 days" and listed.rows[3][4] == "–"
    assert reasons.rows[1] == ("No contact for longer than the tier allows", "26")
    assert reasons.rows[-1] == ("All accounts at risk", "29")
    [more] = reply.actions
    assert (more.label, more.command) == ("More", "report risk page:2")

    second = team.reply(more.command, by=CARMEN)
    assert second.tables[0].title == "Accounts at risk · page 2 of 2"
    assert [row[0] for row in second.tables[0].rows] == [
        *(f"Quiet {n:02}" for n in range(18, 26)),
        "Secret",
    ]
    assert second.tables[0].more == 0 and second.actions == ()
    assert second.tables[1].rows == reasons.rows

    past = team.run("report risk page:3", by=CARMEN)
    assert "Page 3 is past the last (2)." in past
    # The filters and a typed period go with the More button.
    narrowed = team.reply("report risk last month owner:@luis", by=CARMEN)
    assert narrowed.actions[0].command == (
        "report risk since:2026-10-01 until:2026-10-31 owner:@luis page:2"
    )
    assert team.reply(narrowed.actions[0].command, by=CARMEN).tables[0].rows[-1][0] == "Quiet 25"
    out = team.run("report sellers page:2", by=CARMEN)
    assert "The sellers report fits one page; page: is for: risk." in out

    # The CSV has every account at risk, not a page.
    with team.app.runner.workplace.open(team.person_id(CARMEN), source="cli") as work:
        command = team.app.runner.read("report risk", work)
        assert isinstance(command, ShowReport)
        rows = write_report_csv(build_report(work, replace(command, page=0)), io.StringIO())
    assert rows == 29 + len(reasons.rows)


def test_a_spanish_manager_reads_the_risk_in_spanish(team: Team, clock: FixedClock) -> None:
    _hub_at_risk(team, clock)
    with team.app.database.unit_of_work() as session:
        session.query(Person).filter_by(name=CARMEN).one().locale = "es"
    out = team.run("informe riesgo", by=CARMEN)
    assert out.startswith("Riesgo, ")
    assert _table(out, "Cuentas en riesgo") == [
        ["Cuenta", "Responsable", "Nivel", "Motivo", "Último contacto"],
        [
            "Initech",
            "Luis Pérez",
            "C",
            "1 oportunidad pasada su fecha de cierre, 1 acuerdo vencido",
            "jue 19 nov",
        ],
        ["Acme Corp", "Ana García", "A", "sin contacto en 14 días", "mié 4 nov"],
        ["Globex", "Luis Pérez", "B", "2 quejas fuera de SLA", "ayer"],
        ["Secret", "Ana García", "C", "1 queja fuera de SLA", "jue 19 nov"],
    ]
    assert _table(out, "Por motivo")[-2] == ["Todas las cuentas en riesgo", "4"]
