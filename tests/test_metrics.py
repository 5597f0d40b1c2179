"""`GET /metrics` on the real web server: after a few signed Slack commands an operator's
scrape finds them by verb and outcome (and the refusals of the rate limit); without the
token, or with a wrong one, it gets 401; with several workers, every worker's counts are
summed whichever worker answers the scrape."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from slack_harness import TOKEN, SlackTeam, server_env
from starlette.testclient import TestClient

from benchmarks.fake_slack import FakeSlack
from benchmarks.webserver import WebServer
from bot.bootstrap import bootstrap
from bot.config import Config
from bot.web import create_web_app
from hub.db import Database
from hub.settings import Settings

METRICS_TOKEN = "metrics-scrape-token-0123456789"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(url: str, token: str | None = METRICS_TOKEN) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    request = urllib.request.Request(f"{url}/metrics", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def samples(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


def test_a_scrape_finds_the_commands_by_verb_and_outcome_and_needs_the_token(
    database_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    env = {
        **server_env(database_url, fake_slack),
        "RELEVO_METRICS_TOKEN": METRICS_TOKEN,
        "RELEVO_RATE_PERSON": "1/4",  # four at once, then one a minute
    }
    server = WebServer(env, tmp_path / "web.log").start()
    slack = SlackTeam(server.url, fake_slack, database_url)
    try:
        slack.reset()
        slack.crm("U0ANA", 'account "Acme Corp"')
        slack.crm("U0ANA", "whois Acme Corp")
        slack.crm("U0ANA", "frobnicate Acme Corp")
        slack.crm("U0ANA", "log Acme Corp call about the renewal")
        slowed = slack.crm("U0ANA", "log Acme Corp call again")  # the fifth in a minute
        assert "slow down" in str(slowed).lower() or "wait" in str(slowed).lower()

        assert scrape(server.url, token=None)[0] == 401
        assert scrape(server.url, token="not-the-token")[0] == 401
        status, text = scrape(server.url)
        assert status == 200
        found = samples(text)
        commands = "relevo_commands_total"
        assert value(found, commands, verb="account", outcome="ok") == 1
        assert value(found, commands, verb="whois", outcome="ok") == 1
        assert value(found, commands, verb="unknown", outcome="usage") == 1
        assert value(found, commands, verb="log", outcome="ok") == 1
        assert value(found, commands, verb="log", outcome="slowed") == 1
        assert value(found, "relevo_rate_limited_total", platform="slack") == 1
        assert value(found, "relevo_command_seconds_count", verb="log") == 1  # slowed: never ran
        assert value(found, "relevo_ack_seconds_count", route="/slack/events") == 5
        # The account and the call wait for an indexer that isn't running.
        assert value(found, "relevo_search_outbox_pending") >= 2
        assert value(found, "relevo_search_outbox_oldest_seconds") >= 0
        assert value(found, "relevo_hub_database_up") == 1
        assert value(found, "relevo_deliveries", status="failed") == 0
        # Labels name verbs and outcomes, never a person, what they typed or a secret.
        for secret in ("Ana", "Acme", "renewal", METRICS_TOKEN, TOKEN):
            assert secret not in text
    finally:
        server.stop()
        slack.engine.dispose()


@pytest.mark.postgres
def test_two_workers_counts_are_summed_in_every_scrape(
    postgres_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    files = tmp_path / "metrics"
    files.mkdir()
    (files / "counter_1.db").write_bytes(b"a previous run's")  # unreadable: must go
    env = {
        **server_env(postgres_url, fake_slack),
        "RELEVO_METRICS_TOKEN": METRICS_TOKEN,
        "WEB_CONCURRENCY": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(files),
    }
    server = WebServer(env, tmp_path / "web.log").start()
    slack = SlackTeam(server.url, fake_slack, postgres_url)
    try:
        slack.reset()
        assert not (files / "counter_1.db").exists()
        slack.crm("U0ANA", 'account "Acme Corp"')
        sent = 1
        with ThreadPoolExecutor(max_workers=6) as pool:
            # Until both workers have run commands (each writes its own counter file).
            while len(list(files.glob("counter_*.db"))) < 2 and sent < 200:
                list(pool.map(lambda _n: slack.crm("U0LUIS", "whois Acme Corp"), range(12)))
                sent += 12
        assert len(list(files.glob("counter_*.db"))) == 2, server.log()
        for _scrape in range(4):  # whichever worker answers, it counts for both
            status, text = scrape(server.url)
            assert status == 200
            found = samples(text)
            assert value(found, "relevo_commands_total", verb="account", outcome="ok") == 1
            whois = value(found, "relevo_commands_total", verb="whois", outcome="ok")
            assert whois == sent - 1
            assert value(found, "relevo_ack_seconds_count", route="/slack/events") == sent
    finally:
        server.stop()
        slack.engine.dispose()


def test_without_a_token_only_loopback_clients_get_metrics(tmp_path: Path) -> None:
    database = Database(url=f"sqlite:///{tmp_path / 'hub.db'}")
    database.upgrade()
    app = bootstrap(
        Config(settings=Settings(database_url=database.url)), database=database, index=None
    )
    web = create_web_app(app)
    with TestClient(web, client=("10.1.2.3", 50000)) as remote:
        assert remote.get("/metrics").status_code == 404
    for loopback in ("127.0.0.1", "::1"):
        with TestClient(web, client=(loopback, 50000)) as local:
            answer = local.get("/metrics")
            assert answer.status_code == 200
            assert "relevo_hub_database_up 1.0" in answer.text
    database.dispose()
