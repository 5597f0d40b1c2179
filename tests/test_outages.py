"""When the hub's database cannot be reached, the person is told, and gets their text back."""

from __future__ import annotations

import re
import time
from typing import Any

import psycopg
import pytest
from conftest import EPOCH, Team
from pytest_mock import MockerFixture
from sqlalchemy import Connection, create_engine, event, text

from commands.reply import Tone
from commands.runner import CommandRunner
from hub.clock import FixedClock
from hub.db import Database
from hub.settings import Settings

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2"


def test_database_down_says_nothing_was_saved_and_keeps_the_text() -> None:
    database = Database(url=UNREACHABLE)
    runner = CommandRunner(
        database=database,
        settings=Settings(database_url=UNREACHABLE),
        clock=FixedClock(at=EPOCH),
    )
    reply = runner.run("log acme call They will sign on Friday", person_id=1)
    assert reply.tone == Tone.ERROR
    assert reply.title == "I couldn't reach the hub's database."
    assert reply.notes == (
        "Nothing was saved.",
        "You typed: log acme call They will sign on Friday",
    )
    lookup = runner.run("whois acme", person_id=1)
    assert lookup.notes == ("You typed: whois acme",)


def test_every_write_queues_its_search_update_in_the_same_transaction(team: Team) -> None:
    team.run("account Acme", by="Ana García")
    team.run("log acme call hello", by="Ana García")
    rows = team.scalar(
        "select count(*) from search_outbox where entity = 'interaction' and op = 'upsert'"
    )
    assert rows == 1
    team.run("log nowhere call hello", by="Ana García")
    assert team.scalar("select count(*) from search_outbox where entity = 'interaction'") == 1
    # Logging only touches the account's last contact: no re-index of the whole account.
    assert team.scalar("select count(*) from search_outbox where entity = 'account'") == 1
    team.run('account acme alias:"Acme Inc"', by="Ana García")
    assert team.scalar("select count(*) from search_outbox where entity = 'account'") == 2


# -- the connection dies under a command (PostgreSQL) ------------------------------------

POSTGRES_ONLY = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def terminate(connection: Connection) -> None:
    """Kill the PostgreSQL backend behind `connection`, from another session, and wait
    until it is gone: the fault a restart or an operator's pg_terminate_backend makes."""
    pid = connection.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
    admin = create_engine(connection.engine.url)
    try:
        with admin.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            for _ in range(200):
                alive = other.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
                ).scalar()
                if not alive:
                    return
                time.sleep(0.01)
    finally:
        admin.dispose()


def saved(team: Team, typed: str) -> object:
    return team.scalar("SELECT count(*) FROM interaction WHERE text = :t", t=typed)


@POSTGRES_ONLY
def test_a_write_whose_connection_is_killed_at_commit_is_saved_once(team: Team) -> None:
    team.run('account "Acme Corp"', by="Ana García")
    killed: list[bool] = []

    def kill_before_commit(connection: Connection) -> None:
        if not killed:
            killed.append(True)
            terminate(connection)

    engine = team.app.database.engine
    event.listen(engine, "commit", kill_before_commit)
    try:
        reply = team.reply('log "Acme Corp" call They will sign on Friday', by="Ana García")
    finally:
        event.remove(engine, "commit", kill_before_commit)
    assert killed
    # Tried again on a new connection (PostgreSQL may have spent an id on the first try).
    assert re.fullmatch(r"Logged call N\d+ on Acme Corp", reply.title), reply.title
    assert saved(team, "They will sign on Friday") == 1


@POSTGRES_ONLY
def test_a_commit_whose_answer_is_lost_is_reported_saved_and_not_written_twice(
    team: Team, mocker: MockerFixture
) -> None:
    team.run('account "Acme Corp"', by="Ana García")
    dialect = team.app.database.engine.dialect
    commit = dialect.do_commit
    cut: list[bool] = []

    def commit_then_lose_the_answer(pooled: Any) -> None:
        commit(pooled)  # PostgreSQL has saved it...
        if not cut:
            cut.append(True)  # ...and the network drops before the client hears so
            pooled.dbapi_connection.close()
            raise psycopg.OperationalError("server closed the connection unexpectedly")

    mocker.patch.object(dialect, "do_commit", side_effect=commit_then_lose_the_answer)
    reply = team.reply('log "Acme Corp" call Signed, at last', by="Ana García")
    assert cut
    assert re.fullmatch(r"Logged call N\d+ on Acme Corp", reply.title), reply.title
    assert "Nothing was saved." not in reply.notes
    assert saved(team, "Signed, at last") == 1


@POSTGRES_ONLY
def test_a_lookup_whose_connection_is_killed_is_answered(team: Team) -> None:
    team.run('account "Acme Corp"', by="Ana García")
    team.run("help", by="Luis Pérez")
    killed: list[bool] = []

    def kill_first_query(connection: Connection, *_args: Any) -> None:
        if not killed:
            killed.append(True)
            terminate(connection)

    engine = team.app.database.engine
    event.listen(engine, "before_cursor_execute", kill_first_query)
    try:
        card = team.run("whois acme", by="Luis Pérez")
    finally:
        event.remove(engine, "before_cursor_execute", kill_first_query)
    assert killed
    assert "Owner:  Ana García" in card
