"""Twenty people writing to the same account at the same moment: no update is lost, the
deal's stage history chains, and of concurrent handovers exactly one wins."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import pytest
from conftest import EPOCH, Team, build_app
from sqlalchemy import text

from commands.reply import Reply, Tone
from hub.clock import StartedClock

PEOPLE = [f"Rep{n:02d}" for n in range(1, 21)]


@pytest.fixture
def crowd(team: Team) -> Team:
    """The team plus twenty reps, on a clock that ticks like a server's."""
    for name in PEOPLE:
        team.add(name)
    team.run('account "Acme Corp"', by="Ana García")
    team.app = build_app(
        team.app.settings.database_url, StartedClock(at=EPOCH), database=team.app.database
    )
    return team


def at_once(team: Team, work: list[tuple[str, list[str]]]) -> list[tuple[str, str, Reply]]:
    """Each (person, lines) runs in its own thread, all released together; returns every
    (person, line, reply)."""
    ids = {name: team.person_id(name) for name, _ in work}
    start = threading.Barrier(len(work))
    runner = team.app.runner

    def client(name: str, lines: list[str]) -> list[tuple[str, str, Reply]]:
        start.wait()
        return [(name, line, runner.run(line, person_id=ids[name])) for line in lines]

    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        futures = [pool.submit(client, name, lines) for name, lines in work]
        return [outcome for future in futures for outcome in future.result()]


def rows(team: Team, sql: str, **params: object) -> list[tuple]:
    with team.app.database.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def replies_where(
    outcomes: list[tuple[str, str, Reply]], test: Callable[[str, Reply], bool]
) -> list[tuple[str, str, Reply]]:
    return [(who, line, reply) for who, line, reply in outcomes if test(line, reply)]


def test_logs_and_stage_changes_from_twenty_people_at_once_lose_nothing(crowd: Team) -> None:
    opened = crowd.reply('deal "Acme Corp" Renewal amount:12000', by="Ana García")
    deal = int(opened.title.split()[1].removeprefix("D"))  # "Deal D1 opened on …"
    stages = ["qualified", "proposal", "negotiation", "lead"]
    work = []
    for i, name in enumerate(PEOPLE):
        lines = []
        for k in range(3):
            lines.append(f'log "Acme Corp" call {name} note {k}')
            lines.append(f"stage {deal} {stages[(i + k) % len(stages)]}")
        work.append((name, lines))
    outcomes = at_once(crowd, work)

    logs = replies_where(outcomes, lambda line, _: line.startswith("log"))
    assert len(logs) == 60
    assert {re.sub(r" N\d+ ", " ", r.title) for _, _, r in logs} == {"Logged call on Acme Corp"}
    stored = rows(
        crowd, "SELECT p.name, i.text FROM interaction i JOIN person p ON p.id = author_id"
    )
    expected = [(who, line.split(" call ", 1)[1]) for who, line, _ in logs]
    assert sorted(stored) == sorted(expected)
    latest = rows(
        crowd, "SELECT last_contact_at = (SELECT max(occurred_at) FROM interaction) FROM account"
    )
    assert latest == [(True,)]  # the latest log wins, whatever order they committed in

    moves = replies_where(outcomes, lambda line, _: line.startswith("stage"))
    moved = [r for _, _, r in moves if r.tone == Tone.SUCCESS]
    refused = [r for _, _, r in moves if r.tone != Tone.SUCCESS]
    # A move fails only when the deal already is where it was asked to go: none is
    # refused, or lost, because someone else moved it at the same moment.
    assert all(r.title.startswith(f"Deal D{deal} is already at ") for r in refused), {
        r.title for r in refused
    }
    history = rows(
        crowd,
        "SELECT from_stage, to_stage FROM deal_stage_change WHERE deal_id = :d ORDER BY id",
        d=deal,
    )
    assert len(history) == 1 + len(moved)
    assert history[0] == (None, "lead")
    for before, after in pairwise(history):
        assert after[0] == before[1]  # each change starts where the one before ended
    assert rows(crowd, "SELECT stage FROM deal WHERE id = :d", d=deal) == [(history[-1][1],)]


def test_concurrent_handovers_for_good_exactly_one_wins(crowd: Team) -> None:
    outcomes = at_once(crowd, [("Ana García", [f"handover acme corp to @{n}"]) for n in PEOPLE])

    won = [r for _, _, r in outcomes if r.tone == Tone.SUCCESS]
    assert len(won) == 1
    winner = won[0].title.removeprefix("Handed 1 account to ").removesuffix(" for good")
    assert winner in PEOPLE
    refusal = f"Acme Corp was handed over to {winner} a moment ago by Ana García; nothing changed."
    refused = [r for _, _, r in outcomes if r.tone != Tone.SUCCESS]
    assert len(refused) == 19
    assert all(r.title.startswith(refusal) for r in refused), {r.title for r in refused}
    assert all("Nothing was saved." in r.notes for r in refused)
    assert rows(crowd, "SELECT p.name FROM account a JOIN person p ON p.id = a.owner_id") == [
        (winner,)
    ]
    log = rows(
        crowd,
        "SELECT f.name, t.name FROM handover h JOIN person f ON f.id = h.from_id "
        "JOIN person t ON t.id = h.to_id",
    )
    assert log == [("Ana García", winner)]
    assert f"Owner:  {winner}" in crowd.run("whois acme corp", by="Carmen Vidal")


def test_concurrent_handovers_for_a_period_keep_one_chain(crowd: Team) -> None:
    outcomes = at_once(
        crowd, [("Ana García", [f"handover acme corp to @{n} until 2030-01-31"]) for n in PEOPLE]
    )

    won = [r for _, _, r in outcomes if r.tone == Tone.SUCCESS]
    refused = [r for _, _, r in outcomes if r.tone != Tone.SUCCESS]
    assert won and len(won) + len(refused) == 20
    # Those decided on what Ana saw before another one landed are refused, clearly.
    assert all("was handed over to" in r.title and "nothing changed" in r.title for r in refused)
    chain = rows(
        crowd,
        "SELECT f.name, t.name, h.ended_at IS NULL FROM handover h "
        "JOIN person f ON f.id = h.from_id JOIN person t ON t.id = h.to_id ORDER BY h.id",
    )
    assert len(chain) == len(won)
    assert chain[0][0] == "Ana García"
    for before, after in pairwise(chain):
        assert after[0] == before[1]  # each one took Acme from whoever had it
    assert [active for *_, active in chain] == [False] * (len(chain) - 1) + [True]
    assert rows(crowd, "SELECT p.name FROM account a JOIN person p ON p.id = a.owner_id") == [
        ("Ana García",)
    ]


def test_concurrent_handovers_of_a_whole_book_exactly_one_wins(crowd: Team) -> None:
    crowd.run("account Globex", by="Ana García")
    outcomes = at_once(
        crowd, [("Carmen Vidal", [f"handover @ana to @{n.lower()} for good"]) for n in PEOPLE]
    )

    won = [r for _, _, r in outcomes if r.tone == Tone.SUCCESS]
    assert len(won) == 1
    winner = won[0].title.removeprefix("Handed 2 accounts to ").removesuffix(" for good")
    assert winner in PEOPLE
    refusal = f"Ana García's accounts were handed over to {winner} a moment ago by Carmen Vidal"
    refused = [r for _, _, r in outcomes if r.tone != Tone.SUCCESS]
    assert len(refused) == 19
    assert all(r.title.startswith(refusal) for r in refused), {r.title for r in refused}
    owners = rows(crowd, "SELECT p.name FROM account a JOIN person p ON p.id = a.owner_id")
    assert owners == [(winner,), (winner,)]
    assert rows(crowd, "SELECT count(*) FROM handover") == [(1,)]
