"""One progress bar for the long command-line jobs (`relevo reindex`, `relevo import csv`)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

# Called with (done, total) as a job advances, in whatever unit it counts.
Progress = Callable[[int, int], None]
WIDTH = 30


def terminal_bar(done: int, total: int, *, counts: bool = False, out: TextIO | None = None) -> None:
    """`[#####.....]  50%` on a terminal (with `counts`, `1,000/2,000` instead of the
    percentage); nothing when the output is piped. A line of its own once done."""
    out = out or sys.stderr
    if not out.isatty():
        return
    share = min(done / total, 1.0) if total else 1.0
    filled = int(WIDTH * share)
    figures = f"{done:,}/{total:,}" if counts else f"{int(100 * share):3d}%"
    out.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {figures}")
    if done >= total:
        out.write("\n")
    out.flush()
