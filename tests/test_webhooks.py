from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from conftest import Team
from sqlalchemy import text

from bot import cli
from hub.clock import FixedClock
from integrations.webhooks import Dispatcher, subscribe


class Receiver:
    """A real HTTP server on a free port that records what was posted to it."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.fail_next = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append({"headers": dict(self.headers), "body": body})
                failing = receiver.fail_next > 0
                receiver.fail_next -= failing
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.stop()


def verified(secret: str, call: dict[str, Any]) -> dict[str, Any]:
    """What a receiver does: recompute the signature over timestamp.body, then parse."""
    headers = {k.lower(): v for k, v in call["headers"].items()}
    signed = headers["x-relevo-timestamp"].encode() + b"." + call["body"]
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-relevo-signature"], expected)
    return json.loads(call["body"])


def test_events_are_signed_and_delivered_to_their_subscribers(
    team: Team, receiver: Receiver, clock: FixedClock
) -> None:
    db = team.app.database
    subs = {
        event: subscribe(db, event=event, url=receiver.url, now=clock.now())
        for event in (
            "interaction.logged",
            "agreement.created",
            "complaint.opened",
            "complaint.resolved",
            "deal.stage_changed",
            "handover",
        )
    }
    team.run("account Acme domain:acme.com", by="Ana García")
    team.run('contact acme "María López" email:maria@acme.com', by="Ana García")
    team.run("log acme call Confirmed the renewal with María López", by="Ana García")
    team.run("agree acme Send the signed contract due 2026-12-01", by="Ana García")
    team.run("complaint acme Portal is slow severity:high", by="Ana García")
    team.run("resolve 1 Cache fixed", by="Ana García")
    team.run("deal acme Renewal 2027 amount:48000", by="Ana García")
    team.run("stage 1 proposal", by="Ana García")
    team.run("handover acme to @luis until 2026-12-20 renewal in progress", by="Ana García")
    team.run("log nowhere call this fails and must not be announced", by="Ana García")

    dispatcher = Dispatcher(database=db, clock=clock)
    assert dispatcher.run_once() == 6
    assert dispatcher.run_once() == 0
    events = [
        (c["headers"]["X-Relevo-Event"], verified(subs[c["headers"]["X-Relevo-Event"]].secret, c))
        for c in receiver.calls
    ]
    assert [name for name, _ in events] == [
        "interaction.logged",
        "agreement.created",
        "complaint.opened",
        "complaint.resolved",
        "deal.stage_changed",
        "handover",
    ]
    bodies = dict(events)
    logged = bodies["interaction.logged"]
    assert logged["event"] == "interaction.logged"
    assert logged["data"]["account"]["name"] == "Acme"
    assert logged["data"]["interaction"]["text"] == "Confirmed the renewal"
    assert logged["data"]["interaction"]["contact"]["email"] == "maria@acme.com"
    assert logged["data"]["actor"]["name"] == "Ana García"
    assert bodies["deal.stage_changed"]["data"]["from_stage"] == "lead"
    assert bodies["deal.stage_changed"]["data"]["to_stage"] == "proposal"
    assert bodies["complaint.resolved"]["data"]["complaint"]["resolution"] == "Cache fixed"
    assert bodies["handover"]["data"]["handover"]["to"]["name"] == "Luis Pérez"
    assert team.scalar("SELECT count(*) FROM webhook_delivery WHERE status = 'delivered'") == 6


def test_a_whole_book_handed_over_is_one_event_naming_the_accounts_moved(
    team: Team, receiver: Receiver, clock: FixedClock
) -> None:
    db = team.app.database
    sub = subscribe(db, event="handover", url=receiver.url, now=clock.now())
    team.run("account Acme", by="Ana García")
    team.run("account Globex", by="Ana García")
    team.run("handover @ana to @luis for good", by="Carmen Vidal")

    assert Dispatcher(database=db, clock=clock).run_once() == 1
    data = verified(sub.secret, receiver.calls[0])["data"]
    assert data["account"] is None
    assert data["handover"]["book_of"]["name"] == "Ana García"
    assert data["handover"]["to"]["name"] == "Luis Pérez"
    assert data["accounts"] == 2
    luis = "(SELECT id FROM person WHERE name = 'Luis Pérez')"
    moved = f"SELECT id FROM account WHERE owner_id = {luis} ORDER BY id"
    with db.engine.connect() as connection:
        assert sorted(data["account_ids"]) == list(connection.execute(text(moved)).scalars())
    assert data["actor"]["name"] == "Carmen Vidal"


def test_a_failed_delivery_is_retried_with_backoff(
    team: Team, receiver: Receiver, clock: FixedClock
) -> None:
    sub = subscribe(
        team.app.database, event="interaction.logged", url=receiver.url, now=clock.now()
    )
    team.run("account Acme", by="Ana García")
    team.run("log acme call First call", by="Ana García")
    receiver.fail_next = 1
    dispatcher = Dispatcher(database=team.app.database, clock=clock)
    assert dispatcher.run_once() == 0
    assert len(receiver.calls) == 1
    assert team.scalar("SELECT last_status FROM webhook_delivery") == 500
    assert dispatcher.run_once() == 0  # not due yet: backing off
    assert len(receiver.calls) == 1
    clock.set(clock.now() + timedelta(seconds=31))
    assert dispatcher.run_once() == 1
    assert len(receiver.calls) == 2
    first, second = receiver.calls
    assert first["body"] == second["body"]
    assert first["headers"]["X-Relevo-Delivery"] == second["headers"]["X-Relevo-Delivery"]
    verified(sub.secret, second)
    assert team.scalar("SELECT attempts FROM webhook_delivery") == 2
    assert team.scalar("SELECT status FROM webhook_delivery") == "delivered"


def test_an_unreachable_receiver_is_logged_and_given_up_on(
    team: Team, receiver: Receiver, clock: FixedClock
) -> None:
    url = receiver.url
    receiver.stop()
    subscribe(team.app.database, event="interaction.logged", url=url, now=clock.now())
    team.run("account Acme", by="Ana García")
    team.run("log acme call Nobody listens", by="Ana García")
    dispatcher = Dispatcher(database=team.app.database, clock=clock, max_attempts=2)
    dispatcher.run_once()
    assert "ConnectError" in str(team.scalar("SELECT last_error FROM webhook_delivery"))
    clock.set(clock.now() + timedelta(minutes=5))
    dispatcher.run_once()
    assert team.scalar("SELECT status FROM webhook_delivery") == "failed"
    assert team.scalar("SELECT attempts FROM webhook_delivery") == 2


def test_webhooks_are_managed_from_the_command_line(
    team: Team, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RELEVO_DATABASE_URL", team.app.settings.database_url)
    assert cli.main(["webhooks", "add", "deal.stage_changed", "https://hooks.example/x"]) == 0
    added = capsys.readouterr().out
    assert "Webhook #1: deal.stage_changed → https://hooks.example/x" in added
    assert "Signing secret" in added
    with pytest.raises(SystemExit, match="unknown event"):
        cli.main(["webhooks", "add", "deal.moved", "https://hooks.example/x"])
    assert cli.main(["webhooks", "list"]) == 0
    assert "#1 deal.stage_changed → https://hooks.example/x" in capsys.readouterr().out
    assert cli.main(["webhooks", "remove", "1"]) == 0
    assert cli.main(["webhooks", "list"]) == 0
    assert "No webhooks yet" in capsys.readouterr().out
