"""A handover received is one DM on the receiver's platform (issue 20): through the fake
Slack Web API and the fake Discord API, when the platform delivers the command three
times, when two clock processes pass at once, and not during the receiver's quiet hours.
The web server and the clocks are subprocesses on PostgreSQL, as deployed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta

import pytest
from conftest import EPOCH
from discord_harness import USERS as DISCORD_USERS
from discord_harness import DiscordGuild, command_data
from discord_harness import server_env as discord_env
from discord_harness import shown as discord_shown
from nacl.signing import SigningKey
from processes import relevo
from slack_harness import SlackTeam, limit_problems, live_parts, shown
from slack_harness import server_env as slack_env

from benchmarks.fake_discord import FakeDiscord
from benchmarks.fake_slack import FakeSlack
from benchmarks.webserver import WebServer

KEY = SigningKey.generate()
SOON = EPOCH + timedelta(minutes=5)
HANDOVER = "handover acme to @luis until friday she knows the renewal"


def two_clocks(env: dict[str, str], at: str) -> None:
    """Two clock processes passing at the same instant, as two `relevo run notices`."""
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "notices", "--at", at],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for run in runs:
        _out, err = run.communicate(timeout=60)
        assert run.returncode == 0, err


# -- Slack ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack("T0TEAM").start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def slack_server(
    postgres_url: str, fake_slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WebServer]:
    log = tmp_path_factory.mktemp("notices-slack") / "web.log"
    server = WebServer(slack_env(postgres_url, fake_slack), log).start()
    yield server
    server.stop()


@pytest.fixture
def slack(slack_server: WebServer, fake_slack: FakeSlack, postgres_url: str) -> Iterator[SlackTeam]:
    team = SlackTeam(slack_server.url, fake_slack, postgres_url)
    team.reset()
    yield team
    assert limit_problems(fake_slack) == []
    assert live_parts(fake_slack) == []
    assert "Traceback" not in slack_server.log()
    team.engine.dispose()


def slack_dms(slack: SlackTeam, user: str) -> list[dict[str, object]]:
    return [m for m in slack.fake.recorded("chat.postMessage") if m["channel"] == user]


def test_a_handover_received_is_one_slack_dm(slack: SlackTeam, postgres_url: str) -> None:
    slack.crm("U0LUIS", "mine")  # Luis uses Relevo from Slack
    slack.crm("U0ANA", 'account "Acme Corp" tier:A')
    body = slack.sender.command_body("U0ANA", HANDOVER, response_url=slack.fake.response_url("h"))
    for retry in (None, 1, 2):  # Slack delivers the command three times
        answer = slack.sender.post(body, "application/x-www-form-urlencoded", retry=retry)
        assert answer.status == 200
    assert "Luis Pérez" in shown(slack.response("h"))
    assert slack.scalar("SELECT count(*) FROM notice") == 1
    slack.fake.clear()

    env = slack_env(postgres_url, slack.fake)
    two_clocks(env, SOON.isoformat())
    relevo(env, "run", "notices", "--at", (SOON + timedelta(minutes=2)).isoformat())
    dms = slack_dms(slack, "U0LUIS")
    assert len(dms) == 1, slack.fake.recorded("chat.postMessage")
    assert "You now hold Acme Corp from Ana García until Fri 27 Nov" in shown(dms[0])
    assert "she knows the renewal" in shown(dms[0])
    assert slack_dms(slack, "U0ANA") == []  # she did it
    assert "New for you" in shown(slack.crm("U0LUIS", "mine"))


def test_quiet_hours_hold_a_slack_notice(slack: SlackTeam, postgres_url: str) -> None:
    slack.crm("U0LUIS", "mine")
    env = slack_env(postgres_url, slack.fake)
    relevo(env, "people", "set", "Luis Pérez", "--quiet", "09:00-12:00")
    slack.crm("U0ANA", 'account "Acme Corp" tier:A')
    slack.crm("U0ANA", HANDOVER)
    slack.fake.clear()
    relevo(env, "run", "notices", "--at", SOON.isoformat())  # 10:05 in Madrid: quiet
    assert slack_dms(slack, "U0LUIS") == []
    noon = EPOCH.replace(hour=12, minute=5)
    relevo(env, "run", "notices", "--at", noon.isoformat())
    relevo(env, "run", "notices", "--at", (noon + timedelta(minutes=2)).isoformat())
    assert len(slack_dms(slack, "U0LUIS")) == 1


# -- Discord --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fake_discord() -> Iterator[FakeDiscord]:
    fake = FakeDiscord("discord-bot-token-secret").start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def discord_server(
    postgres_url: str, fake_discord: FakeDiscord, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WebServer]:
    log = tmp_path_factory.mktemp("notices-discord") / "web.log"
    server = WebServer(discord_env(postgres_url, fake_discord, KEY), log).start()
    yield server
    server.stop()


@pytest.fixture
def guild(
    discord_server: WebServer, fake_discord: FakeDiscord, postgres_url: str
) -> Iterator[DiscordGuild]:
    crew = DiscordGuild(discord_server.url, fake_discord, KEY, postgres_url)
    crew.reset()
    yield crew
    assert crew.limit_problems() == []
    assert "Traceback" not in discord_server.log()
    crew.engine.dispose()


def test_a_handover_received_is_one_discord_dm(guild: DiscordGuild, postgres_url: str) -> None:
    guild.crm("mine", user="luis")  # Luis uses Relevo from Discord
    guild.crm("account", name="Acme Corp", tier="A")
    handover = guild.payload(
        2,
        command_data(
            "handover",
            {
                "to": ("user", "luis"),
                "account": "Acme Corp",
                "until": "friday",
                "note": "she knows the renewal",
            },
        ),
    )
    for _ in range(3):  # the same interaction, delivered again
        status, _answer = guild.post(handover)
        assert status == 200
    assert guild.scalar("SELECT count(*) FROM handover") == 1
    assert guild.scalar("SELECT count(*) FROM notice") == 1
    guild.fake.clear()

    env = discord_env(postgres_url, guild.fake, KEY)
    two_clocks(env, SOON.isoformat())
    relevo(env, "run", "notices", "--at", (SOON + timedelta(minutes=2)).isoformat())
    opened = [r for r in guild.fake.requests if r.path.endswith("/users/@me/channels")]
    assert [r.body for r in opened] == [{"recipient_id": DISCORD_USERS["luis"]["id"]}]
    sent = [r for r in guild.fake.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert len(sent) == 1
    assert "You now hold Acme Corp from Ana García until Fri 27 Nov" in discord_shown(sent[0].body)
    assert sent[0].body["allowed_mentions"] == {"parse": []}


def test_quiet_hours_hold_a_discord_notice(guild: DiscordGuild, postgres_url: str) -> None:
    guild.crm("mine", user="luis")
    env = discord_env(postgres_url, guild.fake, KEY)
    relevo(env, "people", "set", "Luis Pérez", "--quiet", "09:00-12:00")
    guild.crm("account", name="Acme Corp", tier="A")
    guild.crm("handover", to=("user", "luis"), account="Acme Corp", until="friday")
    guild.fake.clear()
    relevo(env, "run", "notices", "--at", SOON.isoformat())
    assert not [r for r in guild.fake.requests if r.path.endswith("/messages")]
    relevo(env, "run", "notices", "--at", EPOCH.replace(hour=12, minute=5).isoformat())
    sent = [r for r in guild.fake.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert len(sent) == 1
