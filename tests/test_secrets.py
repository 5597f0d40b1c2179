"""Secrets never reach the logs or the chat: the web server runs at DEBUG with every
secret configured, goes through its normal and its failing paths, and its log and
everything it sent are scanned for each secret."""

from __future__ import annotations

import io
import json
import logging
import urllib.error
import urllib.request
import uuid

from slack_harness import FORM_SECRET, SECRET, TEAM, TOKEN, SlackTeam, server_env, shown
from sqlalchemy.engine import make_url

from benchmarks.fake_slack import FakeSlack
from benchmarks.meili import MeiliServer
from benchmarks.webserver import WebServer
from bot.redact import REDACTED, RedactingFormatter, configured_secrets

DB_PASSWORD = "db-pass-never-logged"  # trust auth: the server never asks for it


def test_secrets_never_appear_in_debug_logs_or_replies(
    postgres_url: str, meili_server: MeiliServer, tmp_path
) -> None:
    fake = FakeSlack(TEAM).start()
    database_url = make_url(postgres_url).set(password=DB_PASSWORD)
    env = {
        **server_env(database_url.render_as_string(hide_password=False), fake),
        "RELEVO_LOG_LEVEL": "DEBUG",
        "RELEVO_MEILI_URL": meili_server.url,
        "RELEVO_MEILI_KEY": meili_server.key,
        # An index of its own, not there yet: until the indexer runs, search uses the hub.
        "RELEVO_MEILI_INDEX": f"secrets_{uuid.uuid4().hex[:8]}",
    }
    server = WebServer(env, tmp_path / "web.log").start()
    team = SlackTeam(server.url, fake, postgres_url)
    team.reset()
    try:
        team.crm("U0ANA", 'account "Acme Corp"')
        assert "Acme Corp" in shown(team.crm("U0ANA", "whois acme"))
        fake.fail("users.info", "invalid_auth")  # Slack refuses the token mid-way
        team.crm("U0NEW", "whois acme")
        forged = team.sender.command_body("U0ANA", "whois acme", response_url="http://x/")
        assert team.sender.post(forged, "application/x-www-form-urlencoded", secret="x").status
        for token in (FORM_SECRET, "wrong-token"):
            request = urllib.request.Request(
                f"{server.url}/intake/form?form=website&token={token}",
                data=json.dumps({"name": "Eve", "email": "eve@initech.example"}).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            try:
                urllib.request.urlopen(request, timeout=10).close()
            except urllib.error.HTTPError as refused:
                assert refused.code == 401
    finally:
        server.stop()
        fake.stop()
        team.engine.dispose()
    log = server.log()
    assert "Sending a request" in log  # slack_sdk's DEBUG lines were there to be scanned
    sent = json.dumps([call.args for call in fake.history])
    for secret in (TOKEN, SECRET, FORM_SECRET, meili_server.key, DB_PASSWORD):
        assert secret not in log
        assert secret not in sent


def test_the_formatter_scrubs_secrets_from_messages_and_tracebacks() -> None:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-abc-123456",
        "RELEVO_INTAKE_FORMS": "website:form-secret-1,email:mail-secret-2",
        "RELEVO_DATABASE_URL": "postgresql+psycopg://relevo:pg-secret-3@db/relevo",
        "RELEVO_TIMEZONE": "Europe/Madrid",
    }
    secrets = configured_secrets(env)
    assert secrets == {"xoxb-abc-123456", "form-secret-1", "mail-secret-2", "pg-secret-3"}
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter(secrets))
    logger = logging.getLogger("relevo.test.secrets")
    logger.addHandler(handler)
    try:
        try:
            raise RuntimeError("auth failed for Bearer xoxb-abc-123456")
        except RuntimeError:
            logger.exception("posting with %s failed", "token=form-secret-1")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "Traceback" in written and REDACTED in written
    assert not any(secret in written for secret in secrets)
