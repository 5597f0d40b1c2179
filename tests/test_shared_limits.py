"""Rate limits kept in PostgreSQL hold across every web process and a restart: a person
gets their limit once, however many processes serve them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import EPOCH
from slack_harness import TEAM, SlackTeam, server_env, shown
from sqlalchemy import text

from benchmarks.fake_slack import FakeSlack
from benchmarks.webserver import WebServer
from bot.ratelimit import Limit, SharedRateLimiter
from hub.db import Database

PERSON = Limit.parse("person", "60/2")  # a token a second, two at once
WORKSPACE = Limit.parse("workspace", "120/3")


class Moment:
    """The instant the limiters count by, moved by hand."""

    def __init__(self) -> None:
        self.at = EPOCH

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def database(postgres_url: str) -> Iterator[Database]:
    database = Database(url=postgres_url)
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM rate_bucket"))
    yield database
    database.dispose()


def shared(database: Database, moment: Moment, **limits: Limit) -> SharedRateLimiter:
    return SharedRateLimiter(
        database,
        person=limits.get("person", PERSON),
        workspace=limits.get("workspace", WORKSPACE),
        now=moment,
    )


def test_bursts_refill_and_a_refused_command_spends_nothing(database: Database) -> None:
    moment = Moment()
    limiter = shared(database, moment)
    assert [limiter.wait_needed("slack", "T1", "ana") for _ in range(3)] == [0, 0, 1.0]
    # Ana's refusal took nothing from the workspace: its third token is Luis's.
    assert limiter.wait_needed("slack", "T1", "luis") == 0
    assert limiter.wait_needed("slack", "T1", "marta") == 0.5  # the workspace is spent
    # ... and Marta's refusal took nothing from her own bucket.
    assert limiter.wait_needed("slack", "T2", "marta") == 0  # another workspace is not
    assert limiter.wait_needed("discord", "T1", "ana") == 0  # nor another platform
    moment.at += timedelta(seconds=1)  # a second later Ana has a command again
    assert limiter.wait_needed("slack", "T1", "ana") == 0
    assert limiter.wait_needed("slack", "T1", "ana") == 1.0
    # A process started afterwards (or this one restarted) knows what was spent.
    assert shared(database, moment).wait_needed("slack", "T1", "ana") == 1.0
    moment.at += timedelta(minutes=5)  # a long pause refills to the burst, not beyond
    assert [limiter.wait_needed("slack", "T1", "ana") for _ in range(3)] == [0, 0, 1.0]


def test_many_processes_at_once_grant_the_burst_exactly_once(database: Database) -> None:
    moment = Moment()
    burst = Limit.parse("person", "1/5")
    roomy = Limit.parse("workspace", "1200/200")
    # Two limiters on their own connection pools stand for two web processes.
    others = [Database(url=database.url) for _ in range(2)]
    limiters = [shared(other, moment, person=burst, workspace=roomy) for other in others]
    waits: list[float] = []
    lock = threading.Lock()

    def send(limiter: SharedRateLimiter) -> None:
        for _ in range(5):
            wait = limiter.wait_needed("slack", "T1", "ana")
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=send, args=(limiters[n % 2],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for other in others:
        other.dispose()
    assert len(waits) == 40
    assert waits.count(0) == 5  # the burst, once, across both "processes"
    assert all(wait == 60 for wait in waits if wait)  # a token a minute, none left


def test_idle_buckets_are_pruned_without_granting_anything(database: Database) -> None:
    moment = Moment()
    clock = [0.0]
    limiter = SharedRateLimiter(
        database, person=PERSON, workspace=WORKSPACE, now=moment, monotonic=lambda: clock[0]
    )
    limiter.wait_needed("slack", "T1", "ana")  # the first command prunes (nothing yet)
    limiter.wait_needed("slack", "T1", "ana")
    assert limiter.wait_needed("slack", "T1", "ana") == 1.0  # kept: not idle
    moment.at += timedelta(hours=2)
    clock[0] += SharedRateLimiter.PRUNE_EVERY
    assert limiter.wait_needed("slack", "T2", "luis") == 0
    with database.engine.connect() as connection:
        keys = connection.execute(text("SELECT key FROM rate_bucket ORDER BY key")).scalars()
        assert list(keys) == ["person:slack:T2:luis", "workspace:slack:T2"]
    # Ana's pruned bucket was full anyway: she has her burst, no more.
    assert [limiter.wait_needed("slack", "T1", "ana") for _ in range(3)] == [0, 0, 1.0]


def test_with_the_database_out_of_reach_the_process_counts_by_itself() -> None:
    clock = [0.0]
    unreachable = Database(url="postgresql+psycopg://relevo@127.0.0.1:9/relevo?connect_timeout=1")
    limiter = SharedRateLimiter(
        unreachable, person=PERSON, workspace=WORKSPACE, monotonic=lambda: clock[0]
    )
    assert [limiter.wait_needed("slack", "T1", "ana") for _ in range(3)] == [0, 0, 1.0]
    unreachable.dispose()


class Deployment:
    """`relevo serve web` processes on one PostgreSQL and one fake Slack, each reached by
    its own Slack sender; a person may send a burst of 3, then a command a minute."""

    def __init__(self, postgres_url: str, tmp_path: Path) -> None:
        self.postgres_url = postgres_url
        self.tmp_path = tmp_path
        self.fake = FakeSlack(TEAM).start()
        self.env = {**server_env(postgres_url, self.fake), "RELEVO_RATE_PERSON": "1/3"}
        self.servers: list[WebServer] = []
        self.teams: list[SlackTeam] = []

    def start(self) -> SlackTeam:
        """Start one more process; the Slack sender that reaches it."""
        log = self.tmp_path / f"web{len(self.servers)}.log"
        self.servers.append(WebServer(self.env, log).start())
        self.teams.append(SlackTeam(self.servers[-1].url, self.fake, self.postgres_url))
        return self.teams[-1]

    def stop(self) -> None:
        for server in self.servers:
            server.stop()
        for team in self.teams:
            team.engine.dispose()


@pytest.fixture
def deployment(postgres_url: str, tmp_path: Path) -> Iterator[Deployment]:
    deployment = Deployment(postgres_url, tmp_path)
    yield deployment
    deployment.stop()
    deployment.fake.stop()


def test_a_persons_limit_holds_across_two_web_processes_and_a_restart(
    deployment: Deployment,
) -> None:
    teams = [deployment.start(), deployment.start()]
    teams[0].reset()
    lines = ['account "Acme Corp"', *(f'log "Acme Corp" note line {n}' for n in range(5))]
    # One after the other, to each process in turn.
    replies = [shown(teams[n % 2].crm("U0ANA", line)) for n, line in enumerate(lines)]
    slowed = [n for n, reply in enumerate(replies) if "slow down" in reply]
    assert slowed == [3, 4, 5]  # 3 in all, not 3 on each
    assert all("Nothing was saved" in replies[n] for n in slowed)
    assert teams[0].scalar("SELECT count(*) FROM interaction") == 2
    # The workspace is not spent: Luis is served by either process.
    assert "Acme Corp" in shown(teams[1].crm("U0LUIS", "whois acme corp"))

    # Both processes stop and a new one starts: Ana's spent limit is not forgotten.
    deployment.stop()
    restarted = deployment.start()
    assert "slow down" in shown(restarted.crm("U0ANA", 'log "Acme Corp" note after the restart'))
    assert "Acme Corp" in shown(restarted.crm("U0LUIS", "whois acme corp"))
