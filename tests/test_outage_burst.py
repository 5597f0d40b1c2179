"""PostgreSQL's connections are killed again and again while Slack users send a burst of
`/crm log` commands to the real web server: every command is either confirmed and in the
hub once, or refused with its text given back and not in the hub; the server recovers
by itself."""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from slack_harness import TEAM, SlackTeam, server_env, shown
from sqlalchemy import text
from sqlalchemy.engine import make_url

from benchmarks.fake_slack import FakeSlack
from benchmarks.webserver import WebServer
from commands.runner import UNSETTLED

COMMANDS = 200
SENDERS = 8
USERS = ("U0ANA", "U0LUIS", "U0CARMEN")
CONFIRMED = re.compile(r"Logged call N\d+ on Acme Corp")


@pytest.fixture
def server(postgres_url: str, tmp_path) -> Any:
    """The web server on its own application_name, so only its backends are killed."""
    name = f"relevo_outage_{uuid.uuid4().hex[:8]}"
    url = make_url(postgres_url).update_query_dict({"application_name": name})
    fake = FakeSlack(TEAM).start()
    env = {
        **server_env(url.render_as_string(hide_password=False), fake),
        "RELEVO_RATE_WORKSPACE": "100000/10000",
    }
    web = WebServer(env, tmp_path / "web.log").start()
    team = SlackTeam(web.url, fake, postgres_url)
    team.reset()
    yield team, web, name
    web.stop()
    fake.stop()
    team.engine.dispose()


def kill_backends(team: SlackTeam, application_name: str) -> int:
    with team.engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": application_name},
            ).scalar()
        )


def replies(team: SlackTeam, names: list[str], timeout: float) -> dict[str, dict[str, Any]]:
    """What came back through each command's response_url (missing: no answer)."""
    found: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + timeout
    while len(found) < len(names) and time.monotonic() < deadline:
        found = {args["_name"]: args for args in team.fake.recorded("response_url")}
        time.sleep(0.2)
    return {name: found[name] for name in names if name in found}


def classify(team: SlackTeam, line: str, note: str, reply: dict[str, Any] | None) -> str:
    copies = team.scalar("SELECT count(*) FROM interaction WHERE text = :t", t=note)
    said = shown(reply) if reply else ""
    if copies > 1:
        return "duplicated"
    if reply is None:
        return "lost"
    if CONFIRMED.search(said):
        return "confirmed" if copies == 1 else "lost"
    if "Nothing was saved." in said and f"You typed: {line}" in said:
        return "refused" if copies == 0 else "wrong"  # said not saved, but it was
    if UNSETTLED in said and f"You typed: {line}" in said:
        return "unsettled"  # told to look: honest, whichever way it went
    return "wrong"


def test_killing_the_database_connections_during_a_burst_loses_and_doubles_nothing(
    server: Any,
) -> None:
    team, web, application_name = server
    team.crm("U0ANA", 'account "Acme Corp"')
    for user in USERS[1:]:
        team.crm(user, "help")  # everyone is a Person before the burst
    team.fake.clear()

    sent: list[tuple[str, str, str]] = []  # (line, note, response name)
    lock = threading.Lock()
    done = threading.Event()
    kills: list[int] = []

    def killer() -> None:
        while not done.is_set():
            kills.append(kill_backends(team, application_name))
            time.sleep(0.1)

    def send(n: int) -> None:
        note = f"burst call {n} {uuid.uuid4().hex[:6]}"
        line = f'log "Acme Corp" call {note}'
        answer, name = team.send_command(USERS[n % len(USERS)], line)
        assert answer.status == 200, answer  # Slack's 3-second ack never needs the database
        with lock:
            sent.append((line, note, name))

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        with ThreadPoolExecutor(max_workers=SENDERS) as pool:
            list(pool.map(send, range(COMMANDS)))
        answered = replies(team, [name for *_, name in sent], timeout=90)
    finally:
        done.set()
        thread.join()

    outcome = Counter(classify(team, line, note, answered.get(name)) for line, note, name in sent)
    print(
        f"\noutage burst: {COMMANDS} commands, {sum(kills)} backends killed; "
        f"confirmed {outcome['confirmed']}, refused {outcome['refused']}, "
        f"duplicated {outcome['duplicated']}, lost {outcome['lost']}, "
        f"unsettled {outcome['unsettled']}, wrong {outcome['wrong']}"
    )
    settled = web.log().count("was saved after all")
    print(f"writes whose COMMIT lost its connection but was saved (confirmed once): {settled}")
    assert sum(kills) > 0
    assert outcome["duplicated"] == outcome["lost"] == outcome["wrong"] == 0, outcome
    assert sum(outcome.values()) == COMMANDS

    # The database is back: the same server answers and saves again, with no restart.
    for n in range(3):
        reply = team.crm(USERS[n], f'log "Acme Corp" call after the outage {n}')
        assert CONFIRMED.search(shown(reply))
        assert (
            team.scalar(
                "SELECT count(*) FROM interaction WHERE text = :t", t=f"after the outage {n}"
            )
            == 1
        )
    assert "Owner: Ana García" in shown(team.crm("U0LUIS", "whois acme corp"))
    assert web._process is not None and web._process.poll() is None
    assert "command failed" not in web.log()  # no crash behind any reply
    assert "Exception during reset" not in web.log()  # lost connections were thrown away
