"""When the hub's database cannot be reached, the person is told, and gets their text back."""

from __future__ import annotations

from datetime import datetime

from conftest import MADRID, Team

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
        clock=FixedClock(at=datetime(2026, 11, 24, 10, 0, tzinfo=MADRID)),
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
