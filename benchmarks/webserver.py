"""Runs `relevo serve web` as a real subprocess, the way a deployment runs it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class WebServer:
    """`relevo serve web` on a free loopback port with the given environment."""

    def __init__(
        self,
        env: Mapping[str, str],
        log_path: Path,
        *,
        port_from_env: bool = False,
        cwd: Path = ROOT,
    ) -> None:
        """`port_from_env`: the port is given as PORT, as a Procfile platform does,
        rather than as --port; `cwd`: where it runs (where an embedded hub would be)."""
        self.cwd = cwd
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._env = {**os.environ, **env, **({"PORT": str(self.port)} if port_from_env else {})}
        self._port_args = [] if port_from_env else ["--port", str(self.port)]
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> WebServer:
        log = self.log_path.open("wb")
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "serve",
                "web",
                "--host",
                "127.0.0.1",
                *self._port_args,
            ],
            cwd=self.cwd,
            env=self._env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"relevo serve web exited:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"relevo serve web did not answer /healthz:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
