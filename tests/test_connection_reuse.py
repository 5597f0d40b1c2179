"""One HTTP session per process: searches reuse their connections to Meilisearch, and
Discord's follow-ups and scheduled messages theirs to Discord, instead of opening a TCP
connection per request. Counted where it shows: at the server's end of the connections.

(Slack's Web API client, slack_sdk's WebClient, sends through urllib, which closes every
connection after its request; the one client each process builds is reused, see
docs/operations.md.)"""

from __future__ import annotations

import contextlib
import socket
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from discord_harness import TOKEN, DiscordGuild, server_env
from nacl.signing import SigningKey

from benchmarks.fake_discord import FakeDiscord
from benchmarks.meili import MeiliServer
from benchmarks.webserver import WebServer
from bot.discord.config import DiscordConfig
from bot.discord.transport import DiscordTransport
from bot.schedule.transport import ChannelTarget
from commands.reply import Reply
from search.index import MeiliIndex


class CountingRelay:
    """A TCP relay in front of a server that counts the connections clients open."""

    def __init__(self, port: int) -> None:
        self.target = ("127.0.0.1", port)
        self.accepted = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.accepted += 1
            server = socket.create_connection(self.target)
            for end in (client, server):  # pass each write on as it comes
                end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def relay(meili_server: MeiliServer) -> Iterator[CountingRelay]:
    port = int(meili_server.url.rsplit(":", 1)[1])
    relay = CountingRelay(port)
    yield relay
    relay.close()


def test_searches_reuse_their_connections_to_meilisearch(
    relay: CountingRelay, meili_server: MeiliServer
) -> None:
    index = MeiliIndex(url=relay.url, key=meili_server.key, uid=f"t{uuid.uuid4().hex[:12]}")
    index.ensure()
    # A page of hits: an answer long enough to be written in pieces.
    index.upsert(
        [{"id": f"account-{n}", "type": "account", "title": f"Acme {n}"} for n in range(40)]
    )
    before = relay.accepted
    took = []
    for _ in range(20):
        started = time.perf_counter()
        assert index.search("Acme")["hits"]
        took.append(time.perf_counter() - started)
    assert relay.accepted - before <= 1  # one kept-alive connection, not 20
    # and no search waits out a delayed ACK on it (40 ms each with compressed answers)
    assert statistics.median(took) < 0.03

    before = relay.accepted
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda _n: index.search("Acme")["hits"], range(40)))
    assert all(found)
    assert relay.accepted - before <= 4  # at most one per thread searching at once


def test_scheduled_messages_share_the_process_s_connection_to_discord() -> None:
    fake = FakeDiscord(TOKEN).start()
    try:
        config = DiscordConfig(
            application_id=fake.application_id,
            public_key=SigningKey.generate().verify_key.encode().hex(),
            bot_token=TOKEN,
            api_url=fake.api_url,
        )
        # As a clock process that rebuilt its transports between passes.
        for transport in (DiscordTransport(config), DiscordTransport(config)):
            for n in range(3):
                transport.post_channel(
                    ChannelTarget("discord", "#1900000000000000003"), Reply(f"n{n}")
                )
        assert len(fake.requests) == 6
        assert fake.connections == 1
    finally:
        fake.stop()


@pytest.mark.postgres
def test_deferred_answers_follow_up_on_one_connection(postgres_url: str, tmp_path: Path) -> None:
    fake = FakeDiscord(TOKEN).start()
    key = SigningKey.generate()
    env = server_env(postgres_url, fake, key, DISCORD_ANSWER_BUDGET_SECONDS="0")
    server = WebServer(env, tmp_path / "web.log").start()
    guild = DiscordGuild(server.url, fake, key, postgres_url)
    try:
        guild.reset()
        for n in range(1, 6):  # one after the other: concurrent ones would need more
            assert guild.crm("help")["type"] == 5  # deferred: the answer follows up
            for _ in range(100):
                if len([r for r in fake.requests if r.method == "PATCH"]) == n:
                    break
                time.sleep(0.05)
        assert len([r for r in fake.requests if r.method == "PATCH"]) == 5
        assert fake.connections == 1
    finally:
        server.stop()
        guild.engine.dispose()
        fake.stop()
