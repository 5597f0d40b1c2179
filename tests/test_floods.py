"""Floods: a runaway script is told to slow down without starving anyone, and forged
requests are turned away before any work while health checks keep answering."""

from __future__ import annotations

import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_harness import TEAM, SlackTeam, server_env, shown

from benchmarks.fake_slack import FakeSlack
from benchmarks.webserver import WebServer
from bot.config import Config
from bot.ratelimit import Limit, RateLimiter, slowed
from hub.i18n import reading_in


@pytest.fixture
def flooded(postgres_url: str, tmp_path) -> SlackTeam:
    fake = FakeSlack(TEAM).start()
    env = {**server_env(postgres_url, fake), "RELEVO_RATE_PERSON": "6/3"}
    server = WebServer(env, tmp_path / "web.log").start()
    team = SlackTeam(server.url, fake, postgres_url)
    team.reset()
    team.server = server  # type: ignore[attr-defined]
    yield team
    server.stop()
    fake.stop()
    team.engine.dispose()


def test_a_runaway_script_is_told_to_slow_down_and_others_are_still_served(
    flooded: SlackTeam,
) -> None:
    flooded.crm("U0ANA", 'account "Acme Corp"')
    replies = [flooded.crm("U0ANA", f'log "Acme Corp" note script line {n}') for n in range(8)]
    slowed = [r for r in replies if "slow down" in shown(r)]
    assert 5 <= len(slowed) <= 6  # a burst of 3 (one spent on the account), then refused
    assert all("Nothing was saved" in shown(r) and "You typed: log" in shown(r) for r in slowed)
    saved = flooded.scalar("SELECT count(*) FROM interaction")
    assert saved == len(replies) - len(slowed)  # what was refused was not saved
    # Someone else in the same workspace is not affected by Ana's script.
    assert "Acme Corp" in shown(flooded.crm("U0LUIS", "whois acme corp"))


def test_forged_requests_are_rejected_cheaply_and_health_checks_keep_answering(
    flooded: SlackTeam,
) -> None:
    server = flooded.server  # type: ignore[attr-defined]
    body = flooded.sender.command_body("U0ANA", 'account "Forged"', response_url="http://x/")
    statuses: list[int] = []
    health: list[float] = []
    done = threading.Event()

    def forge(_n: int) -> None:
        statuses.append(
            flooded.sender.post(body, "application/x-www-form-urlencoded", secret="forged").status
        )

    def poll_health() -> None:
        while not done.is_set():
            started = time.perf_counter()
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as answer:
                assert answer.status == 200
            health.append(time.perf_counter() - started)
            time.sleep(0.02)

    poller = threading.Thread(target=poll_health)
    poller.start()
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(forge, range(400)))
    done.set()
    poller.join()
    assert statuses == [401] * 400
    assert len(health) >= 3  # the health check kept answering during the flood
    assert flooded.fake.recorded("users.info") == []
    assert flooded.scalar("SELECT count(*) FROM account") == 0
    assert flooded.scalar("SELECT count(*) FROM person") == 0


def test_limits_refill_with_time_and_a_busy_workspace_does_not_slow_another() -> None:
    now = [0.0]
    limiter = RateLimiter(
        person=Limit.parse("person", "60/2"),
        workspace=Limit.parse("workspace", "120/3"),
        monotonic=lambda: now[0],
    )
    assert [limiter.wait_needed("slack", "T1", "ana") for _ in range(3)] == [0, 0, 1.0]
    assert limiter.wait_needed("slack", "T1", "luis") == 0  # the workspace's third
    assert limiter.wait_needed("slack", "T1", "marta") == 0.5  # the workspace is spent
    assert limiter.wait_needed("slack", "T2", "marta") == 0  # another workspace is not
    now[0] = 1.0  # a second later Ana has a command again
    assert limiter.wait_needed("slack", "T1", "ana") == 0


def test_a_malformed_limit_stops_the_service_with_a_clear_message() -> None:
    with pytest.raises(SystemExit, match="RELEVO_RATE_PERSON must look like 60/20"):
        Config.from_env({"RELEVO_RATE_PERSON": "fast"})


def test_the_slow_down_answer_is_in_the_readers_language() -> None:
    with reading_in("es"):
        reply = slowed(2.4, 'log "Acme Corp" call')
    assert reply.title.startswith("Envías comandos más deprisa")
    assert "dentro de 2 s. No se ha guardado nada." in reply.title
    assert reply.notes == ('Has escrito: log "Acme Corp" call',)
