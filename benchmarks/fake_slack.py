"""A local stand-in for Slack: its Web API, and the response_url endpoint.

It records every call (method and arguments) so tests assert on what the bot posted, and
answers like Slack does (`ok`, a `ts`, a `view`). Users are whatever the test registers.
A method can be made to answer 429 with Retry-After a number of times, as Slack does.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    token: str | None = None  # the Authorization header's bearer token


class FakeSlack:
    def __init__(self, team_id: str = "T0TEAM") -> None:
        self.team_id = team_id
        self.users: dict[str, dict[str, Any]] = {}
        self.calls: list[Call] = []
        self.history: list[Call] = []  # every call since start; clear() leaves it
        self.rate_limited: dict[str, int] = {}  # method → how many 429s to answer first
        self.failing: dict[str, list[str]] = {}  # method → the errors to answer first
        self.uploads: dict[str, bytes] = {}  # file id → the bytes uploaded
        self.socket_mode_url: str | None = None  # what apps.connections.open hands out
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/respond/{name}"

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_user(self, user_id: str, name: str, **extra: Any) -> None:
        email = extra.pop("email", f"{name.split()[0].lower()}@example.com")
        self.users[user_id] = {
            "id": user_id,
            "team_id": extra.pop("team_id", self.team_id),
            "name": name.split()[0].lower(),
            "real_name": name,
            "tz": extra.pop("tz", "Europe/Madrid"),
            "locale": extra.pop("locale", "en-US"),
            "deleted": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "profile": {"real_name": name, "email": email},
            **extra,
        }

    def fail(self, method: str, *errors: str) -> None:
        """Answer the next calls of `method` with these errors (`ok: false`), in turn."""
        with self._lock:
            self.failing.setdefault(method, []).extend(errors)

    def recorded(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c.args for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.recorded(method)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(
            f"expected {count} {method} call(s), got {len(self.recorded(method))}; "
            f"calls: {[c.method for c in self.calls]}"
        )

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    # -- the HTTP side -------------------------------------------------------------------

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "team_id": self.team_id,
                "user_id": "UBOT",
                "bot_id": "BBOT",
                "team": "Test team",
                "user": "relevo",
            }
        if method == "users.info":
            user = self.users.get(args.get("user", ""))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method in ("chat.postMessage", "chat.postEphemeral"):
            return {
                "ok": True,
                "channel": args.get("channel"),
                "ts": f"{time.time():.6f}",
                "message_ts": f"{time.time():.6f}",
            }
        if method == "chat.getPermalink":
            return {
                "ok": True,
                "permalink": f"https://test.slack.com/archives/"
                f"{args.get('channel')}/p{str(args.get('message_ts', '')).replace('.', '')}",
            }
        if method in ("views.open", "views.push", "views.update", "views.publish"):
            view = args.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": {**(view or {}), "id": f"V{len(self.calls)}"}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{len(self.calls):06d}"
            return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = args.get("files")
            files = json.loads(files) if isinstance(files, str) else files
            return {
                "ok": True,
                "files": [{"id": f["id"], "title": f.get("title")} for f in files or []],
            }
        if method == "apps.connections.open":
            if self.socket_mode_url is None:
                return {"ok": False, "error": "not_allowed_token_type"}
            return {"ok": True, "url": self.socket_mode_url}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users", "X"))}}
        return {"ok": True}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if self.path.startswith("/upload/"):  # files.getUploadURLExternal's URL
                    file_id = self.path.removeprefix("/upload/")
                    with fake._lock:
                        fake.uploads[file_id] = body
                        call = Call("upload", {"file_id": file_id, "bytes": len(body)})
                        fake.calls.append(call)
                        fake.history.append(call)
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"OK")
                    return
                raw = body.decode()
                kind = self.headers.get("Content-Type", "")
                if "json" in kind:
                    args = json.loads(raw or "{}")
                else:
                    args = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
                for key in ("blocks", "view"):
                    if isinstance(args.get(key), str):
                        args[key] = json.loads(args[key])
                path = self.path.split("?")[0]
                if path.startswith("/respond/"):
                    method = "response_url"
                    args["_name"] = path.removeprefix("/respond/")
                else:
                    method = path.removeprefix("/api/")
                with fake._lock:
                    remaining = fake.rate_limited.get(method, 0)
                    if remaining:
                        fake.rate_limited[method] = remaining - 1
                    queued = fake.failing.get(method)
                    failed = queued.pop(0) if queued and not remaining else None
                    bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    call = Call(method if not remaining else f"{method}#429", args, token=bearer)
                    fake.calls.append(call)
                    fake.history.append(call)
                if remaining:
                    self.send_response(429)
                    self.send_header("Retry-After", "1")
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"ok": false, "error": "ratelimited"}')
                    return
                if failed:
                    answer: dict[str, Any] = {"ok": False, "error": failed}
                elif method == "response_url":
                    answer = {"ok": True}
                else:
                    answer = fake._answer(method, args)
                payload = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler
