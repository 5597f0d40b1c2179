"""The whois card costs the same number of SQL statements for a small or a huge account."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from conftest import Team
from sqlalchemy import event


@contextmanager
def counted(team: Team) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = team.app.database.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def grow(team: Team, name: str, n: int) -> None:
    team.run(f'account "{name}" tier:A', by="Ana García")
    for i in range(n):
        team.run(f'contact "{name}" "Person {i}" role:user', by="Ana García")
        team.run(f'log "{name}" call Call number {i} with Person {i}', by="Ana García")
        team.run(f'agree "{name}" Promise {i} due 2026-12-{i % 28 + 1:02d}', by="Ana García")
        team.run(f'complaint "{name}" Problem {i} severity:low', by="Luis Pérez")
        team.run(f'deal "{name}" Deal {i} amount:{1000 + i}', by="Ana García")
        team.run(f'remind "in {i + 1} days" Follow up {i} about "{name}"', by="Ana García")


def test_whois_statement_count_does_not_grow_with_the_account(team: Team) -> None:
    grow(team, "Tiny", 1)
    grow(team, "Huge", 25)
    team.run("away tomorrow to friday cover @luis", by="Ana García")
    team.run("help", by="Marta Ruiz")
    with counted(team) as tiny:
        tiny_card = team.run("whois tiny", by="Marta Ruiz")
    with counted(team) as huge:
        huge_card = team.run("whois huge", by="Marta Ruiz")
    assert "… and 17 more" in huge_card  # contacts beyond the 8 shown
    assert "Promise 24" in huge_card and "Call number 24" in huge_card
    assert "Person 0" in tiny_card
    assert len(huge) == len(tiny)
    assert len(huge) <= 25


def test_a_colleague_card_costs_the_same_for_a_small_or_a_large_book(team: Team) -> None:
    grow(team, "Tiny", 1)
    for n in range(12):
        team.run(f'account "Book {n}" new:yes', by="Ana García")  # look-alike names
        grow(team, f"Book {n}", 2)
        team.run(f'handover "Book {n}" to @luis for good', by="Ana García")
    team.run("handover tiny to @marta until friday Marta lleva Tiny", by="Ana García")
    team.run("away tomorrow to friday cover @carmen", by="Luis Pérez")
    team.run("help", by="Marta Ruiz")
    with counted(team) as small:
        small_card = team.run("whois @ana", by="Marta Ruiz")
    with counted(team) as large:
        large_card = team.run("whois @luis", by="Marta Ruiz")
    assert "out: Tiny to Marta Ruiz" in small_card
    assert "Accounts (12)" in large_card and "… and 7 more" in large_card
    assert len(large) == len(small)
    assert len(large) <= 12
