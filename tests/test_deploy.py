"""Deploying as an operator does on a platform that reads the Procfile: the environment it
sets (PORT, WEB_CONCURRENCY, DATABASE_URL) works as it is, and `relevo check` says what
the configuration resolves to before anything serves."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import POSTGRES
from slack_harness import SlackTeam, server_env
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from benchmarks.fake_slack import FakeSlack
from benchmarks.meili import MeiliServer
from benchmarks.webserver import WebServer, free_port

# What the platform gives every process, and nothing of Relevo's own variables.
PLATFORM = {k: v for k, v in os.environ.items() if not k.startswith("RELEVO_")} | {
    "RELEVO_CLOCK_START": os.environ["RELEVO_CLOCK_START"]
}


def relevo(
    *args: str, env: dict[str, str], cwd: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**PLATFORM, **env},
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


def test_web_concurrency_starts_that_many_workers_on_the_platform_s_port(
    postgres_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    env = {**server_env(postgres_url, fake_slack), "WEB_CONCURRENCY": "2"}
    server = WebServer(env, tmp_path / "web.log", port_from_env=True).start()
    try:
        slack = SlackTeam(server.url, fake_slack, postgres_url)
        slack.reset()
        answer, name = slack.send_command("U0ANA", "help log")
        assert answer.status == 200
        assert "log" in str(slack.response(name))
        assert f"listening on 127.0.0.1:{server.port}, 2 worker process(es)" in server.log()
        slack.engine.dispose()
    finally:
        server.stop()


@pytest.fixture
def platform_database() -> Iterator[str]:
    """A new database on the local PostgreSQL, named as an add-on names it: postgres://."""
    name = f"relevo_deploy_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    url = make_url(POSTGRES).set(drivername="postgres", database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


@pytest.mark.postgres
def test_database_url_alone_is_the_hub(platform_database: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": platform_database}
    upgraded = relevo("db", "upgrade", env=env, cwd=tmp_path)
    assert upgraded.returncode == 0 and "Database is up to date." in upgraded.stdout
    typed = relevo(
        "console", "--as", "Ana García", env=env, cwd=tmp_path, stdin="account Procfile Ltd\n"
    )
    assert "Created account Procfile Ltd" in typed.stdout
    psycopg_url = platform_database.replace("postgres://", "postgresql+psycopg://", 1)
    engine = create_engine(psycopg_url)
    with engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM account")).scalars().all()
    engine.dispose()
    assert names == ["Procfile Ltd"]
    assert not (tmp_path / "relevo.db").exists()  # no stray embedded file on the side


def test_a_server_on_the_embedded_sqlite_warns_and_a_strict_one_refuses(tmp_path: Path) -> None:
    port = str(free_port())
    strict = relevo("serve", "web", "--port", port, "--require-database", env={}, cwd=tmp_path)
    assert strict.returncode != 0
    assert f"the hub is the embedded SQLite file {tmp_path / 'relevo.db'}" in strict.stderr
    assert "Refusing to start" in strict.stderr
    by_env = relevo("serve", "clock", env={"RELEVO_REQUIRE_DATABASE": "1"}, cwd=tmp_path)
    assert by_env.returncode != 0 and "Refusing to start" in by_env.stderr

    server = WebServer({}, tmp_path / "web.log", cwd=tmp_path).start()
    try:
        log = server.log()
    finally:
        server.stop()
    assert f"the hub is the embedded SQLite file {tmp_path / 'relevo.db'}" in log
    assert "must share one PostgreSQL database: set DATABASE_URL" in log


def test_check_reports_a_good_configuration_and_each_problem_of_a_broken_one(
    postgres_url: str, meili_server: MeiliServer, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    good = {
        **server_env(postgres_url, fake_slack),
        "RELEVO_MEILI_URL": meili_server.url,
        "RELEVO_MEILI_KEY": meili_server.key,
        "WEB_CONCURRENCY": "3",
    }
    done = relevo("check", env=good, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert all(line.startswith("✓") for line in lines), done.stdout
    assert "reachable, migrated" in done.stdout and "(from RELEVO_DATABASE_URL)" in done.stdout
    assert f"Meilisearch at {meili_server.url}" in done.stdout
    assert "workspace T0TEAM; served: T0TEAM" in done.stdout
    assert "3 worker process(es)" in done.stdout and "Europe/Madrid" in done.stdout
    for secret in (meili_server.key, good["SLACK_BOT_TOKEN"], good["SLACK_SIGNING_SECRET"]):
        assert secret not in done.stdout + done.stderr

    closed = free_port()
    broken = {
        "DATABASE_URL": f"postgres://postgres:hunter2@127.0.0.1:{closed}/nowhere",
        "RELEVO_MEILI_URL": f"http://127.0.0.1:{closed}",
        "SLACK_BOT_TOKEN": "xoxb-no-secret",
        "DISCORD_BOT_TOKEN": "discord-token",
        "DISCORD_APPLICATION_ID": "1",
        "DISCORD_PUBLIC_KEY": "00" * 32,
        "DISCORD_API_URL": f"http://127.0.0.1:{closed}/api/v10",
        "WEB_CONCURRENCY": "many",
    }
    done = relevo("check", env=broken, cwd=tmp_path)
    assert done.returncode == 1
    problems = {line.split()[1]: line for line in done.stdout.splitlines() if line[0] == "✗"}
    assert set(problems) == {"database", "search", "slack", "discord", "web"}, done.stdout
    assert (
        "(from DATABASE_URL)" in problems["database"] and "cannot connect" in problems["database"]
    )
    assert "hunter2" not in done.stdout + done.stderr
    assert "SLACK_SIGNING_SECRET" in problems["slack"]
    assert "WEB_CONCURRENCY='many'" in problems["web"]
    assert "5 problem(s)" in done.stderr
