"""A local stand-in for Slack's Socket Mode endpoint: the WebSocket `apps.connections.open`
hands out. It greets each connection with `hello`, as Slack does, sends the envelopes a
test gives it, and records every acknowledgement the app sends back."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from typing import Any

from aiohttp import WSMsgType, web

from benchmarks.webserver import free_port


class FakeSocketMode:
    def __init__(self) -> None:
        self.port = free_port()
        self.acks: dict[str, dict[str, Any]] = {}  # envelope id → what the app sent back
        self.connections = 0
        self._sockets: list[web.WebSocketResponse] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._lock = threading.Lock()
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link/?ticket={uuid.uuid4()}&app_id=A0RELEVO"

    def start(self) -> FakeSocketMode:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def wait_connected(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not self._sockets:
            if time.monotonic() > deadline:
                raise AssertionError("the app never opened its Socket Mode connection")
            time.sleep(0.05)

    def send(self, kind: str, payload: dict[str, Any], **extra: Any) -> str:
        """Deliver one envelope of `kind` (slash_commands, interactive, events_api)."""
        envelope_id = extra.pop("envelope_id", None) or str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            **extra,
        }
        asyncio.run_coroutine_threadsafe(
            self._sockets[-1].send_str(json.dumps(envelope)), self._loop
        ).result(timeout=10)
        return envelope_id

    def ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """The app's acknowledgement of an envelope (Slack wants it within 3 seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if envelope_id in self.acks:
                    return self.acks[envelope_id]
            time.sleep(0.02)
        raise AssertionError(f"envelope {envelope_id} was not acknowledged")

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_get("/link/", self._link)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.connections += 1
        await socket.send_str(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {"host": "applink-fake", "approximate_connection_time": 3600},
                    "connection_info": {"app_id": "A0RELEVO"},
                }
            )
        )
        self._sockets.append(socket)
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                sent = json.loads(message.data)
                with self._lock:
                    self.acks[sent["envelope_id"]] = sent
        return socket
