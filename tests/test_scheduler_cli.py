"""`relevo run nudges|digest` and the nudge settings of `relevo people set`, from a shell."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import EPOCH
from test_cli import RELEVO, relevo

MADRID = ZoneInfo("Europe/Madrid")
ENV = {"RELEVO_TIMEZONE": "Europe/Madrid"}


def test_run_nudges_and_digest_dry_run_then_once(tmp_path: Path) -> None:
    relevo("people", "set", "Ana García", "--days-off", "none", cwd=tmp_path, env=ENV)
    relevo(
        "console",
        "--as",
        "Ana García",
        cwd=tmp_path,
        env=ENV,
        stdin="account Acme tier:A\nremind tomorrow 9am call María about Acme\n"
        "deal Acme Renewal amount:40000 stage:proposal\nsubscribe #sales weekly\n",
    )
    later = EPOCH.date() + timedelta(days=2)  # the day after the reminder
    at = datetime.combine(later, datetime.min.time(), MADRID).replace(hour=9, minute=30)
    out = relevo("run", "nudges", "--at", at.isoformat(), "--dry-run", cwd=tmp_path, env=ENV)
    assert "→ DM to Ana García" in out and "call María" in out and "[overdue]" in out
    assert f"nudge Ana García (person:1) {later.isoformat()}: dry-run" in out
    out = relevo("run", "nudges", "--at", at.isoformat(), cwd=tmp_path, env=ENV)
    assert f"{later.isoformat()}: sent" in out
    out = relevo("run", "nudges", "--at", at.isoformat(), cwd=tmp_path, env=ENV)
    assert "Nothing is due." in out

    out = relevo("run", "digest", "--channel", "#sales", "--dry-run", cwd=tmp_path, env=ENV)
    assert "→ #sales on console" in out and "Weekly pipeline digest" in out
    assert "[attachment pipeline-funnel.png" in out and ": dry-run" in out
    assert ": sent" in relevo("run", "digest", "--channel", "#sales", cwd=tmp_path, env=ENV)
    assert ": skipped" in relevo("run", "digest", "--channel", "#sales", cwd=tmp_path, env=ENV)


def test_bad_nudge_settings_and_unknown_channel_are_refused(tmp_path: Path) -> None:
    for args in (["--nudge-at", "25:00"], ["--days-off", "someday"]):
        result = subprocess.run(
            [RELEVO, "people", "set", "Ana", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        )
        assert result.returncode == 2 and "relevo:" in result.stderr
    result = subprocess.run(
        [RELEVO, "run", "digest", "--channel", "#nowhere"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 2 and "#nowhere is not subscribed" in result.stderr
