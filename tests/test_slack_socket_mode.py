"""`relevo serve slack --socket`, driven the way Slack drives an app in Socket Mode: the
app asks the Web API for a WebSocket URL with its app-level token, Slack greets it and
sends envelopes over the socket, and the app acknowledges each one there; replies go out
through response_url and the Web API as over HTTP."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_socket_mode import FakeSocketMode
from slack_harness import SECRET, TEAM, TOKEN, SlackTeam, buttons, live_parts, server_env, shown

from benchmarks.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[1]
APP_TOKEN = "xapp-1-A0RELEVO-1234-app-level-secret"


class SocketApp:
    """The app process and both fakes; `crm` types a slash command over the socket."""

    def __init__(self, fake: FakeSlack, link: FakeSocketMode, team: SlackTeam, log: Path):
        self.fake, self.link, self.team, self.log_path = fake, link, team, log

    def command(self, user_id: str, line: str, **kwargs: Any) -> tuple[str, str]:
        """Send `/crm line`; the envelope id and the response_url name."""
        name = uuid.uuid4().hex
        fields = self.team.sender.command_fields(
            user_id, line, response_url=self.fake.response_url(name), **kwargs
        )
        return self.link.send("slash_commands", fields), name

    def crm(self, user_id: str, line: str) -> dict[str, Any]:
        envelope_id, name = self.command(user_id, line)
        self.link.ack(envelope_id)
        return self.team.response(name)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def socket_app(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SocketApp]:
    fake = FakeSlack(TEAM).start()
    link = FakeSocketMode().start()
    fake.socket_mode_url = link.url
    log = tmp_path_factory.mktemp("socket") / "slack.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "slack", "--socket"],
            cwd=ROOT,
            # Over the socket nothing is signed: no signing secret is needed.
            env={
                **server_env(postgres_url, fake),
                "SLACK_SIGNING_SECRET": "",
                "SLACK_APP_TOKEN": APP_TOKEN,
            },
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    team = SlackTeam("http://unused.invalid", fake, postgres_url)
    try:
        link.wait_connected()
        yield SocketApp(fake, link, team, log)
    finally:
        process.terminate()
        process.wait(timeout=10)
        link.stop()
        fake.stop()
        team.engine.dispose()


@pytest.fixture
def app(socket_app: SocketApp) -> Iterator[SocketApp]:
    socket_app.team.reset()
    yield socket_app
    assert live_parts(socket_app.fake) == []
    log = socket_app.log()
    assert "Traceback" not in log, log[-3000:]
    # Secrets never reach the logs, the app-level token included.
    for secret in (TOKEN, SECRET, APP_TOKEN):
        assert secret not in log


def test_the_app_connects_with_its_app_level_token(app: SocketApp) -> None:
    opened = [c for c in app.fake.history if c.method == "apps.connections.open"]
    assert opened and {c.token for c in opened} == {APP_TOKEN}
    assert app.link.connections == len(opened)


def test_a_slash_command_is_acknowledged_on_the_socket_and_answered(app: SocketApp) -> None:
    started = time.monotonic()
    envelope_id, name = app.command("U0ANA", 'account "Acme Corp" tier:A')
    assert app.link.ack(envelope_id)["envelope_id"] == envelope_id
    assert time.monotonic() - started < 3  # Slack's deadline for the acknowledgement
    assert "Created account Acme Corp" in shown(app.team.response(name))

    card = app.crm("U0LUIS", "whois acme corp")
    assert card["response_type"] == "ephemeral"
    assert "Acme Corp" in shown(card) and "Ana García" in shown(card)
    assert [b["text"]["text"] for b in buttons(card)] == [
        "Log",
        "Agree",
        "Complaint",
        "Cover",
        "Segment",
        "Whole history",
    ]


def test_a_card_button_opens_a_form_whose_picker_and_submission_go_over_the_socket(
    app: SocketApp,
) -> None:
    app.crm("U0ANA", 'account "Acme Corp" tier:A')
    app.crm("U0ANA", 'account "Acme Labs" tier:B')
    card = app.crm("U0ANA", "whois acme corp")
    log_button = next(b for b in buttons(card) if b["text"]["text"] == "Log")
    click = app.team.click_payload("U0ANA", log_button, response_url=app.fake.response_url("c"))
    app.link.ack(app.link.send("interactive", click))
    view = app.fake.wait_for("views.open")[-1]["view"]
    assert view["callback_id"] == "crm:log"
    picker = view["blocks"][0]["element"]
    assert picker["initial_option"]["text"]["text"] == "Acme Corp"

    # The picker's options are the acknowledgement's payload.
    typed = app.link.ack(app.link.send("interactive", app.team.options_payload("U0ANA", "acme")))
    options = typed["payload"]["options"]
    assert {o["text"]["text"] for o in options} == {"Acme Corp", "Acme Labs"}
    acme = next(o for o in options if o["text"]["text"] == "Acme Corp")

    submitted = app.team.submission(
        "U0ANA",
        {"type": "modal", "callback_id": "crm:log", "private_metadata": '{"channel": "C0GENERAL"}'},
        {
            "account": {"crm:account": {"type": "external_select", "selected_option": acme}},
            "kind": {"kind": {"type": "static_select", "selected_option": {"value": "visit"}}},
            "text": {"text": {"type": "plain_text_input", "value": "Visited the plant"}},
        },
    )
    app.link.ack(app.link.send("interactive", submitted))
    confirmed = app.fake.wait_for("chat.postEphemeral")[-1]
    assert "Logged visit" in shown(confirmed)
    assert app.team.scalar("SELECT text FROM interaction") == "Visited the plant"


def test_a_redelivered_envelope_writes_once(app: SocketApp) -> None:
    app.crm("U0ANA", 'account "Acme Corp" tier:A')
    fields = app.team.sender.command_fields(
        "U0ANA", 'log "Acme Corp" call Renewal call', response_url=app.fake.response_url("r")
    )
    envelope_id = app.link.send("slash_commands", fields)
    app.link.ack(envelope_id)
    for attempt in (1, 2):
        again = app.link.send(
            "slash_commands", fields, retry_attempt=attempt, retry_reason="timeout"
        )
        app.link.ack(again)
    app.team.response("r")
    time.sleep(0.5)
    assert app.team.scalar("SELECT count(*) FROM interaction") == 1
    answered = [a for a in app.fake.recorded("response_url") if a["_name"] == "r"]
    assert len(answered) == 1


def test_another_workspace_is_refused_in_the_acknowledgement(app: SocketApp) -> None:
    app.crm("U0ANA", 'account "Acme Corp" tier:A')
    envelope_id, _name = app.command("U0ANA", "whois acme corp", team_id="T0OTHER")
    refusal = app.link.ack(envelope_id).get("payload") or {}
    assert "isn't set up for this workspace" in shown(refusal)
    assert "Acme" not in str(refusal)
