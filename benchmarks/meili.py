"""A real Meilisearch server for tests and benchmarks: a free loopback port, a master key."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from search.index import MeiliIndex


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MeiliServer:
    def __init__(self, *, binary: str, data: Path) -> None:
        self.binary = binary
        self.data = data
        self.port = free_port()
        self.key = secrets.token_hex(24)  # token_urlsafe may start with "-", read as an option
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--http-addr",
                f"127.0.0.1:{self.port}",
                "--master-key",
                self.key,
                "--db-path",
                str(self.data / "db"),
                "--dump-dir",
                str(self.data / "dumps"),
                "--no-analytics",
                "--env",
                "development",
                "--log-level",
                "WARN",
            ],
            stdout=subprocess.DEVNULL,
            stderr=open(self.data / "meili.log", "ab"),  # noqa: SIM115 - lives with the process
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.data / "meili.log").read_text()[-2000:])
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("Meilisearch did not start within 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def binary() -> str | None:
    """The server fetched by scripts/meilisearch.sh (scripts/test exports its path)."""
    path = os.environ.get("RELEVO_TEST_MEILI_BIN")
    if not path:
        script = Path(__file__).resolve().parent.parent / "scripts" / "meilisearch.sh"
        done = subprocess.run([str(script)], capture_output=True, text=True, check=False)
        path = done.stdout.strip() if done.returncode == 0 else ""
    return path if path and os.access(path, os.X_OK) else None


def engine(uid: str) -> tuple[MeiliIndex, MeiliServer | None]:
    """An index on RELEVO_MEILI_URL, or on a local server started for the benchmark
    (the caller stops the server it gets back)."""
    url, key = os.environ.get("RELEVO_MEILI_URL"), os.environ.get("RELEVO_MEILI_KEY")
    server = None
    if not url:
        path = binary()
        if path is None:
            raise SystemExit(
                "No Meilisearch: set RELEVO_MEILI_URL or let scripts/meilisearch.sh fetch it"
            )
        server = MeiliServer(binary=path, data=Path(tempfile.mkdtemp(prefix="relevo-meili-")))
        server.start()
        url, key = server.url, server.key
    return MeiliIndex(url=url, key=key, uid=uid, timeout=30), server
