"""Covering for a colleague (issue 20): handover notes where the receiver looks, who
handed over, what `back` still leaves handed over, and absences that ask instead of
silently replacing each other. Console transcripts on SQLite and PostgreSQL."""

from __future__ import annotations

from conftest import EPOCH, Team
from sqlalchemy import text

from bot.render_text import render
from commands.notices import nudge_reply
from hub.nudges import Due, compute_nudges
from hub.people import find_by_name

ANA, LUIS, MARTA, CARMEN = "Ana García", "Luis Pérez", "Marta Ruiz", "Carmen Vidal"


def nudge_text(team: Team, name: str) -> str:
    app = team.app
    with app.database.unit_of_work() as session:
        person = find_by_name(session, name)
        assert person is not None
        due = Due(person.id, name, EPOCH.tzinfo, EPOCH.date(), EPOCH)  # type: ignore[arg-type]
        (nudge,) = compute_nudges(session, app.settings, EPOCH, [due])
        return render(nudge_reply(nudge))


def absences(team: Team, name: str) -> list[tuple[str, str, str | None]]:
    with team.app.database.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT a.starts_on, a.ends_on, c.name FROM absence a "
                "JOIN person p ON p.id = a.person_id LEFT JOIN person c ON c.id = a.cover_id "
                "WHERE p.name = :n ORDER BY a.starts_on"
            ),
            {"n": name},
        )
        return [(str(s)[:10], str(e)[:10], c) for s, e, c in rows]


def test_the_handover_note_and_who_gave_it_are_where_the_receiver_looks(team: Team) -> None:
    team.run('account "Acme Corp" tier:A', by=ANA)
    team.run('account "Umbrella Health" visibility:private', by=ANA)
    team.run("remind tomorrow call María about acme", by=ANA)
    out = team.run(
        "handover @ana to @luis until friday Ana de baja, Luis lleva su cartera", by=CARMEN
    )
    assert "Handed 2 accounts to Luis Pérez until Fri 27 Nov" in out

    card = team.run("whois acme", by=MARTA)
    assert "Luis Pérez until Fri 27 Nov (handed over by Carmen Vidal; Ana García owns it)" in card
    assert "Handover note: Ana de baja, Luis lleva su cartera" in card
    mine = team.run("mine", by=LUIS)
    assert (
        "Acme Corp (tier A) — handed to you by Carmen Vidal until Fri 27 Nov: "
        "Ana de baja, Luis lleva su cartera"
    ) in mine
    nudge = nudge_text(team, LUIS)
    assert (
        "Handed to you: Ana García's accounts until Fri 27 Nov, from Carmen Vidal: "
        "Ana de baja, Luis lleva su cartera"
    ) in nudge
    # Ana handing her own account over is named as herself.
    team.run("handover acme to @marta until friday", by=ANA)
    assert "(handed over by Ana García)" in team.run("whois acme", by=MARTA)


def test_back_says_what_is_still_handed_over(team: Team) -> None:
    team.run('account "Acme Corp"', by=ANA)
    team.run("account Globex", by=ANA)
    team.run("away today to friday cover @luis", by=ANA)
    team.run("handover acme to @luis until 2026-12-18", by=ANA)
    out = team.run("back", by=ANA)
    assert "Welcome back! Your follow-ups are yours again." in out
    assert "Acme Corp — Luis Pérez until Fri 18 Dec" in out
    assert "Globex" not in out


def test_a_second_absence_over_the_first_asks_replace_or_extend(team: Team) -> None:
    team.add("Tom Baker", department="Service")
    team.run("away 2026-12-14 2026-12-18 cover @marta", by="Tom Baker")
    out = team.run("away 2026-12-16 2026-12-22 cover @luis", by="Tom Baker")
    assert "You're already away Mon 14 Dec to Fri 18 Dec, Marta Ruiz covering." in out
    assert "1. Replace it → away 2026-12-16 2026-12-22 cover @luis replace" in out
    assert "2. Extend it → away 2026-12-16 2026-12-22 cover @luis extend" in out
    assert absences(team, "Tom Baker") == [("2026-12-14", "2026-12-18", MARTA)]
    out = team.run("2", by="Tom Baker")
    assert "You're away Mon 14 Dec to Tue 22 Dec (extended)" in out
    assert absences(team, "Tom Baker") == [("2026-12-14", "2026-12-22", LUIS)]
    team.run("away 2026-12-28 2026-12-30 replace", by="Tom Baker")  # no overlap: just added
    assert len(absences(team, "Tom Baker")) == 2


def test_a_planned_absence_can_be_cancelled(team: Team) -> None:
    team.run("away 2026-12-14 2026-12-18 cover @luis", by=ANA)
    team.run("away 2027-01-04 2027-01-08", by=ANA)
    out = team.run("away cancel", by=ANA)
    assert "Cancelled your absence Mon 14 Dec to Fri 18 Dec" in out
    assert "Luis Pérez no longer covers for you then." in out
    out = team.run("back", by=ANA)  # not away today: the next planned one goes
    assert "You weren't away today: I cancelled your absence Mon 04 Jan 2027" in out
    assert absences(team, ANA) == []
    assert "no planned absence to cancel" in team.run("away cancel", by=ANA)


def free(out: str) -> str:
    """Who a refusal says is free."""
    return out.split("Free on those days:")[1].splitlines()[0]


def test_covers_are_free_colleagues_and_refusals_name_who_is(team: Team) -> None:
    team.run("away today to friday cover @luis", by=ANA)
    out = team.run("away today to friday cover @ana", by=LUIS)
    assert "Ana García is away Tue 24 Nov 2026 to Fri 27 Nov 2026 and you cover for them" in out
    assert "Free on those days: @" in out and "@luis" not in free(out)
    team.run("away 2026-12-01 2026-12-04", by=MARTA)
    out = team.run("away 2026-12-02 2026-12-03 cover @marta", by=LUIS)
    assert "Marta Ruiz is away too, Tue 01 Dec 2026 to Fri 04 Dec 2026." in out
    out = team.run("away 2026-12-02 2026-12-03 cover @luis", by=LUIS)
    assert "You can't cover for yourself." in out and "@luis" not in free(out)
    out = team.run("away 2026-12-18 2026-12-14", by=LUIS)
    assert "ends before it starts: I read Fri 18 Dec 2026 to Mon 14 Dec 2026" in out
    assert absences(team, LUIS) == []


def test_a_handover_to_someone_away_asks_and_offers_their_cover(team: Team) -> None:
    team.run('account "Acme Corp"', by=ANA)
    team.run("away today to friday cover @marta", by=LUIS)
    out = team.run("handover acme to @luis until 2026-12-04", by=ANA)
    assert "Luis Pérez is away until Fri 27 Nov (Marta Ruiz covers for them)." in out
    assert '1. To Marta Ruiz → handover "Acme Corp" to @Marta Ruiz until 2026-12-04' in out
    assert (
        '2. To Luis Pérez anyway → handover "Acme Corp" to @Luis Pérez until 2026-12-04 anyway'
    ) in out
    assert team.scalar("SELECT count(*) FROM handover") == 0
    out = team.run("1", by=ANA)
    assert "Handed 1 account to Marta Ruiz until Fri 04 Dec" in out


def test_away_from_one_weekday_to_another_reads_the_second_after_the_first(
    team: Team,
) -> None:
    # On Tuesday 24 Nov, "el viernes" alone is this Friday; after "el lunes" it is the
    # Friday after that Monday.
    out = team.run("away el lunes el viernes cover @luis", by=ANA)
    assert "You're away Mon 30 Nov to Fri 04 Dec" in out
    assert absences(team, ANA) == [("2026-11-30", "2026-12-04", LUIS)]
