"""A new web lead's notice is written in its owner's language, at once or after their
quiet hours (issue 21)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from conftest import Team
from scheduling import Recorder

from bot.schedule import build_courier
from bot.schedule.transport import Transports
from hub.clock import FixedClock
from hub.inbound import Assignment
from hub.people import find_by_name, update_person
from integrations.intake import Lead, LeadIntake

MADRID = ZoneInfo("Europe/Madrid")


def _intake(team: Team, clock: FixedClock, recorder: Recorder) -> LeadIntake:
    return LeadIntake(
        database=team.app.database,
        settings=team.app.settings,
        clock=clock,
        notifier=build_courier(team.app, transports=Transports(fallback=recorder)),
        assignment=Assignment.from_env({"RELEVO_INTAKE_OWNERS": "@luis"}),
    )


def test_a_spanish_owner_is_told_of_a_new_lead_in_spanish(team: Team, clock: FixedClock) -> None:
    with team.app.database.unit_of_work() as session:
        update_person(find_by_name(session, "Luis Pérez"), locale="es")
    recorder = Recorder()
    intake = _intake(team, clock, recorder)
    clock.set(datetime(2026, 11, 25, 10, 0, tzinfo=MADRID))
    intake.receive(Lead.from_fields({"email": "jo@else.example", "name": "Jo"}, form="web"))
    [notice] = recorder.to("dm:Luis Pérez")
    assert notice.reply.title == "Nuevo contacto web para else.example: Jo"
    assert "Correo" in notice.text and "jo@else.example" in notice.text


def test_an_english_owner_still_reads_english(team: Team, clock: FixedClock) -> None:
    recorder = Recorder()
    intake = _intake(team, clock, recorder)
    clock.set(datetime(2026, 11, 25, 10, 0, tzinfo=MADRID))
    intake.receive(Lead.from_fields({"email": "jo@else.example", "name": "Jo"}, form="web"))
    [notice] = recorder.to("dm:Luis Pérez")
    assert notice.reply.title == "New web lead for else.example: Jo"
