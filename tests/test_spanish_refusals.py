"""The hub's refusals in the asking person's language: a Spanish speaker is told in
Spanish what they can't see, what isn't theirs to change, that a date has passed, that
nobody covers their own absence, that an undo comes too late and what an update
changed; English speakers read what they always did. Console transcripts on SQLite and
PostgreSQL, at the tests' fixed clock."""

from __future__ import annotations

import json
from datetime import timedelta

from conftest import Team

from hub.clock import FixedClock
from hub.people import find_by_name, update_person

ANA, LUCIA = "Ana García", "Lucía Gómez"


def with_lucia(team: Team) -> Team:
    """The team, with Lucía (who reads Spanish) and two of Ana's accounts, one private."""
    team.add(LUCIA, department="Sales")
    with team.app.database.unit_of_work() as session:
        update_person(find_by_name(session, LUCIA), locale="es")
    team.run("account Acme tier:B", by=ANA)
    team.run('account "Umbrella Health" visibility:private', by=ANA)
    return team


def test_what_she_cannot_see_does_not_exist_in_spanish(team: Team) -> None:
    with_lucia(team)
    team.run("log umbrella call Private talk", by=ANA)
    out = team.run("edit N1 Otro texto", by=LUCIA)
    assert "No existe N1, o no puedes verlo." in out
    assert "No hay ninguna queja C9 que puedas ver." in team.run("resolve C9", by=LUCIA)
    assert "No hay ningún acuerdo A9 que puedas ver." in team.run("kept A9", by=LUCIA)
    out = team.run("remind tomorrow Llamar for @nadie", by=LUCIA)
    assert "No conozco a nadie del equipo llamado @nadie." in out
    # The same refusals, in English, for Luis.
    assert "There is no N1 that you can see." in team.run("edit N1 Other text", by="Luis Pérez")
    out = team.run("resolve C9", by="Luis Pérez")
    assert "There is no complaint C9 that you can see." in out


def test_a_change_not_hers_is_refused_in_spanish(team: Team) -> None:
    with_lucia(team)
    team.run("log acme call Spoke about the renewal", by=ANA)
    out = team.run("edit N1 Otro texto", by=LUCIA)
    assert (
        "Solo quien escribió N1, el responsable de Acme o su suplente, o un responsable "
        "de equipo puede cambiarlo."
    ) in out
    out = team.run("edit N1 Other text", by="Luis Pérez")
    assert "Only N1's author, Acme's owner or their cover, or a manager can change it." in out
    assert team.scalar("SELECT text FROM interaction") == "Spoke about the renewal"


def test_dates_already_past_and_covering_herself_in_spanish(team: Team) -> None:
    with_lucia(team)
    out = team.run("away 2026-11-01 2026-11-05", by=LUCIA)
    assert (
        "Esa ausencia ya ha pasado entera; he entendido del dom 1 nov 2026 al jue 5 nov 2026."
    ) in out
    out = team.run("away 2026-12-18 2026-12-14", by=LUCIA)
    assert "La ausencia termina antes de empezar; he entendido del vie 18 dic 2026" in out
    out = team.run("away 2026-12-02 2026-12-03 cover @lucia", by=LUCIA)
    assert "No puedes ser tu propio suplente. Libres esos días: @" in out
    assert team.scalar("SELECT count(*) FROM absence") == 0
    # English, as it always read.
    out = team.run("away 2026-11-01 2026-11-05", by=ANA)
    assert "That absence is entirely in the past: I read Sun 01 Nov 2026 to Thu 05 Nov 2026." in out
    out = team.run("away 2026-12-02 2026-12-03 cover @ana", by=ANA)
    assert "You can't cover for yourself. Free on those days: @" in out


def test_an_undo_past_its_window_is_refused_in_spanish(team: Team, clock: FixedClock) -> None:
    with_lucia(team)
    team.run("log acme call Hablamos del contrato", by=LUCIA)
    change = team.scalar("SELECT max(id) FROM change")
    clock.set(clock.now() + timedelta(minutes=16))
    out = team.run("undo", by=LUCIA)
    assert (
        "No has escrito nada en los últimos 15 minutos que pueda deshacer. "
        "Los registros más antiguos se corrigen con editar o borrar."
    ) in out
    out = team.run(f"undo U{change}", by=LUCIA)
    assert "tiene más de 15 minutos; corrígelo con editar, borrar o el comando" in out
    assert "No tienes ningún cambio U999 que deshacer." in team.run("undo U999", by=LUCIA)
    assert team.scalar("SELECT count(*) FROM interaction") == 1
    out = team.run("undo", by=ANA)
    assert "You have written nothing in the last 15 minutes that I can undo." in out


def test_what_an_update_changed_and_nothing_changed_in_spanish(team: Team) -> None:
    with_lucia(team)
    out = team.run("account acme tier:C", by=LUCIA)
    assert "nivel → C" in out and "tier → C" not in out
    out = team.run('contact acme "María López" phone:+34600111222', by=LUCIA)
    out = team.run('contact acme "María López" phone:+34600999888', by=LUCIA)
    assert "teléfono → +34600999888" in out
    team.run("log acme call Hablamos del contrato", by=LUCIA)
    out = team.run("edit N1 Hablamos del contrato", by=LUCIA)
    assert "N1 ya dice eso; no se ha cambiado nada." in out
    # The audit keeps what changed in one language, whoever changed it.
    detail = team.scalar(
        "SELECT detail FROM audit_event WHERE action = 'account.update' ORDER BY id DESC"
    )
    assert (json.loads(detail) if isinstance(detail, str) else detail) == {"changed": ["tier → C"]}
    # English, as it always read.
    out = team.run("account acme tier:A status:paused", by=ANA)
    assert "tier → A" in out and "status → paused" in out
    assert "N1 already says that; nothing changed." in team.run(
        "edit N1 Hablamos del contrato", by=ANA
    )


def test_an_ambiguous_mention_asks_in_spanish(team: Team) -> None:
    with_lucia(team)
    team.add("Marta Gil")
    out = team.run("remind tomorrow Llamar for @marta", by=LUCIA)
    assert "Dos personas se llaman marta: @Marta Gil, @Marta Ruiz." in out, out
