from __future__ import annotations

import json
import urllib.request

from benchmarks.webserver import WebServer


def test_web_server_answers_health_checks(database_url: str, tmp_path) -> None:
    server = WebServer({"RELEVO_DATABASE_URL": database_url}, tmp_path / "web.log").start()
    try:
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as response:
            assert response.status == 200
            assert json.load(response) == {"ok": True}
    finally:
        server.stop()
