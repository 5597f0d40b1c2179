"""Running the `relevo` command line the way an operator does, in tests."""

from __future__ import annotations

import os
import subprocess
import sys


def relevo(env: dict[str, str], *args: str) -> str:
    """`relevo ARGS` in a subprocess with `env` added; its output (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
