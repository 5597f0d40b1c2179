"""`kept A7` and `broken A7 why` close an agreement: a console transcript on SQLite and
PostgreSQL. Only open agreements fall due (card, `mine`, nudges, the digest's risks)."""

from __future__ import annotations

from datetime import timedelta

from conftest import EPOCH, Team

from hub.clock import FixedClock
from hub.nudges import Due, compute_nudges
from hub.people import find_by_name

ANA, LUIS, MARTA, CARMEN = "Ana García", "Luis Pérez", "Marta Ruiz", "Carmen Vidal"


def state(team: Team, number: int) -> object:
    return team.scalar(
        "SELECT state || '/' || coalesce(reason, '') FROM agreement WHERE id = :i", i=number
    )


def nudged_agreements(team: Team, name: str) -> list[str]:
    app = team.app
    with app.database.unit_of_work() as session:
        person = find_by_name(session, name)
        assert person is not None
        due = Due(person.id, name, EPOCH.tzinfo, EPOCH.date(), EPOCH)  # type: ignore[arg-type]
        (nudge,) = compute_nudges(session, app.settings, EPOCH, [due])
        return [a.text for a in nudge.agreements.items]


def test_kept_and_broken_close_an_agreement_and_it_no_longer_falls_due(
    team: Team, clock: FixedClock
) -> None:
    # An account with no contact since before the agreements fell due: a digest risk.
    clock.set(EPOCH - timedelta(days=10))
    team.run('account "Acme Corp" tier:A', by=ANA)
    clock.set(EPOCH)
    assert "Agreement A1" in team.run("agree acme Send revised quote due 2026-11-20", by=ANA)
    assert "Agreement A2" in team.run("agree acme Ship the pilot kit due 2026-11-23", by=ANA)
    card = team.run("whois acme", by=ANA)
    assert "A1 Send revised quote — due Fri 20 Nov [overdue]" in card
    assert "A2 Ship the pilot kit — due yesterday [overdue]" in card
    assert "Send revised quote" in team.run("mine", by=ANA)
    assert nudged_agreements(team, ANA) == ["Send revised quote", "Ship the pilot kit"]
    assert "overdue agreement" in team.run("digest", by=ANA)

    # Marta sees the public account but neither recorded the agreement nor answers for it.
    out = team.run("kept A1", by=MARTA)
    assert "Only whoever recorded agreement A1, the owner of Acme Corp" in out
    assert "Nothing was saved" in out
    assert state(team, 1) == "open/"

    out = team.run("kept A1", by=ANA)
    assert "Agreement A1 on Acme Corp kept" in out and "Send revised quote" in out
    assert state(team, 1) == "kept/"
    card = team.run("whois acme", by=ANA)
    assert "A1 Send revised quote [kept]" in card
    assert "Send revised quote" not in team.run("mine", by=ANA)
    assert nudged_agreements(team, ANA) == ["Ship the pilot kit"]

    out = team.run("broken 2 The carrier lost the parts", by=ANA)
    assert "Agreement A2 on Acme Corp broken" in out
    assert "Why:     The carrier lost the parts" in out
    card = team.run("whois acme", by=ANA)
    assert "A2 Ship the pilot kit — The carrier lost the parts [broken]" in card
    assert "[overdue]" not in card
    assert "No agreements due" in team.run("mine", by=ANA)
    assert nudged_agreements(team, ANA) == []
    assert "overdue agreement" not in team.run("digest", by=ANA)

    # A second close says it is closed already, and changes nothing.
    for line in ("kept A1", "broken #1 too late", "kept 2"):
        out = team.run(line, by=ANA)
        assert "already marked" in out and "Nothing was saved" in out, (line, out)
    assert (state(team, 1), state(team, 2)) == ("kept/", "broken/The carrier lost the parts")
    actions = team.scalar(
        "SELECT count(*) FROM audit_event WHERE action IN ('agreement.kept', 'agreement.broken')"
    )
    assert actions == 2
    queued = team.scalar("SELECT count(*) FROM search_outbox WHERE entity = 'agreement'")
    assert queued == 4  # created twice, closed twice


def test_who_may_close_an_agreement(team: Team) -> None:
    team.run('account "Acme Corp" tier:A', by=ANA)
    team.run("agree acme One due 2026-11-20", by=ANA)  # A1
    team.run("agree acme Two due 2026-11-20", by=ANA)  # A2
    team.run("agree acme Three due 2026-11-20", by=MARTA)  # A3, recorded by Marta
    team.run("agree acme Four due 2026-11-20", by=ANA)  # A4
    for line in ("kept A1", "broken A2", "kept A4"):
        assert "Nothing was saved" in team.run(line, by=LUIS), line
    # Its author, a manager, and whoever covers the owner while she is away.
    assert "Agreement A3 on Acme Corp kept" in team.run("kept A3", by=MARTA)
    assert "Agreement A1 on Acme Corp kept" in team.run("kept A1", by=CARMEN)
    team.run("away today 2026-11-30 cover @luis", by=ANA)
    assert "Agreement A2 on Acme Corp broken" in team.run("broken A2", by=LUIS)
    assert "Agreement A4 on Acme Corp kept" in team.run("kept A4", by=LUIS)


def test_a_hidden_agreement_reads_like_a_missing_one(team: Team) -> None:
    team.run('account "Zephyr Secret" tier:A visibility:private', by=ANA)
    team.run('agree "Zephyr Secret" Quiet promise due 2026-11-20', by=ANA)
    hidden = team.run("kept A1", by=MARTA)
    missing = team.run("kept A9", by=MARTA)
    assert "I don't" in hidden or "There is no agreement A1 that you can see" in hidden
    assert hidden.replace("A1", "A9") == missing
    assert "Zephyr" not in hidden and "Quiet" not in hidden
    hidden = team.run("broken 1 why", by=MARTA)
    missing = team.run("broken 9 why", by=MARTA)
    assert hidden.replace("A1", "A9").replace("broken 1", "broken 9") == missing
    assert state(team, 1) == "open/"


def test_kept_and_broken_read_agreement_ids_only(team: Team) -> None:
    out = team.run("kept D1", by=ANA)
    assert "D1 is a deal; kept takes an agreement (A…)" in out
    assert "Give the id shown in replies, e.g. A12, 12 or #12" in team.run("broken", by=ANA)
    assert "kept takes only the agreement's id" in team.run("kept A1 early", by=ANA)
    assert "kept <id>" in team.run("help kept", by=ANA)
