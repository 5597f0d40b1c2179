"""A local stand-in for Discord's REST API: it records every request (method, path, JSON
body, whether it carried the bot token) so tests assert on what the bot sent."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    method: str
    path: str
    body: Any
    authorized: bool

    @property
    def message(self) -> dict[str, Any] | None:
        """The message sent (to a channel, as an interaction response, a follow-up or an
        edit), as a JSON body or a multipart's payload_json; None when it sends none."""
        path = self.path.split("?")[0]
        if path.endswith("/callback") and isinstance(self.body, dict):
            # An interaction response: a message (4) or an update of one (7) in `data`.
            return self.body.get("data") if self.body.get("type") in (4, 7) else None
        if "/messages" not in path and "/webhooks/" not in path:
            return None
        if isinstance(self.body, dict):
            return self.body
        if not isinstance(self.body, bytes) or b'name="payload_json"' not in self.body:
            return None
        boundary = self.body.split(b"\r\n", 1)[0].removeprefix(b"--")
        head = b'Content-Type: multipart/form-data; boundary="' + boundary + b'"\r\n\r\n'
        parsed = BytesParser(policy=HTTP).parsebytes(head + self.body)
        for part in parsed.iter_parts():
            if part.get_param("name", header="content-disposition") == "payload_json":
                return json.loads(part.get_payload(decode=True))
        return None


class FakeDiscord:
    def __init__(self, bot_token: str, application_id: str = "1200000000000000001") -> None:
        self.bot_token = bot_token
        self.application_id = application_id
        self.requests: list[Request] = []
        self.history: list[Request] = []  # every request since start; clear() leaves it
        self.connections = 0  # TCP connections accepted since start
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/v10"

    def start(self) -> FakeDiscord:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()

    def wait_for(self, method: str, path_part: str, timeout: float = 10.0) -> Request:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for request in self.requests:
                    if request.method == method and path_part in request.path:
                        return request
            time.sleep(0.02)
        raise AssertionError(f"no {method} …{path_part}: {[r.path for r in self.requests]}")

    def answer(self, method: str, path: str, body: Any) -> Any:
        """Enough of Discord's answers for discord.py to carry on."""
        if path.endswith("/users/@me"):
            return {
                "id": "1100000000000000001",
                "username": "relevo",
                "discriminator": "0",
                "global_name": "Relevo",
                "avatar": None,
                "bot": True,
                "flags": 0,
            }
        if path.endswith("/oauth2/applications/@me"):
            return {
                "id": self.application_id,
                "name": "Relevo",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "verify_key": "00",
                "owner": {"id": "1", "username": "owner", "discriminator": "0", "avatar": None},
                "flags": 0,
            }
        if "/callback" in path:
            interaction_id = path.split("/interactions/")[1].split("/")[0]
            return {"interaction": {"id": interaction_id, "type": 2}}
        if "/commands" in path:
            commands = body if isinstance(body, list) else []
            return [
                {
                    **c,
                    "id": str(2000 + n),
                    "application_id": self.application_id,
                    "version": "1",
                    "default_member_permissions": None,
                }
                for n, c in enumerate(commands)
            ]
        return message_payload(
            str(1000 + len(self.requests)), body if isinstance(body, dict) else {}
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keeps connections open, as Discord does

            def setup(self) -> None:  # once per TCP connection
                super().setup()
                with fake._lock:
                    fake.connections += 1

            def log_message(self, *_args: Any) -> None:
                pass

            def _record(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                body: Any = json.loads(raw) if raw.startswith((b"{", b"[")) else raw
                authorized = self.headers.get("Authorization") == f"Bot {fake.bot_token}"
                with fake._lock:
                    request = Request(self.command, self.path, body, authorized)
                    fake.requests.append(request)
                    fake.history.append(request)
                answer = json.dumps(fake.answer(self.command, self.path, body)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_POST = do_PATCH = do_PUT = _record  # http.server calls do_<METHOD>

        return Handler


def message_payload(message_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """A message object as Discord returns it, for the body the bot sent."""
    return {
        "id": message_id,
        "channel_id": "1700000000000000001",
        "author": {
            "id": "1100000000000000001",
            "username": "relevo",
            "discriminator": "0",
            "avatar": None,
            "bot": True,
            "global_name": "Relevo",
        },
        "content": body.get("content") or "",
        "timestamp": "2026-11-25T10:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body.get("embeds") or [],
        "components": body.get("components") or [],
        "pinned": False,
        "type": 0,
        "flags": body.get("flags", 0),
    }
