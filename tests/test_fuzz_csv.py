"""CSV import fed hostile files: good rows in exactly as written, bad rows rejected with
their line number, never a half-written row, never a traceback."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import Team
from hostile import fuzz, hostile_text, ran
from hypothesis import given
from hypothesis import strategies as st

from bot.bootstrap import App
from hub.interactions import MAX_TEXT
from integrations.columns import FileRefused
from integrations.csv_import import Importer, Summary

HEADER = ["account", "occurred_at", "kind", "text"]
RECORDS = ("account", "contact", "interaction")
GOOD = "good"
# A bad row: what is wrong with it, made from a good row's fields.
BAD = {
    "unstorable text": lambda text: ["Acme Corp", "2026-11-20T10:00", "note", text + "\x00"],
    "text over the limit": lambda text: ["Acme Corp", "2026-11-20", "note", "x" * (MAX_TEXT + 1)],
    "no account": lambda text: ["", "2026-11-20", "note", text],
    "unknown kind": lambda text: ["Acme Corp", "2026-11-20", "séance", text],
    "not a date": lambda text: ["Acme Corp", "'); DROP TABLE interaction;--", "note", text],
    "no text": lambda text: ["Acme Corp", "2026-11-20", "note", ""],
}
# Written as UTF-8 "é" then the raw bytes FF FE (surrogateescape): a UTF-8 file with
# broken bytes. Without a UTF-8 character in it, the file would be Windows-1252 ("ÿþ").
INVALID_UTF8 = "é\udcff\udcfe"
BREAK = re.compile(r"\r\n|\r|\n")


def good_texts() -> st.SearchStrategy[str]:
    return hostile_text(max_size=60).filter(lambda t: t.strip() and len(t.strip()) <= MAX_TEXT)


rows = st.lists(
    st.tuples(
        st.sampled_from([GOOD, GOOD, GOOD, *BAD, "not UTF-8"]),
        good_texts(),
    ),
    min_size=1,
    max_size=12,
)


def write(path: Path, spec: list[tuple[str, str]]) -> tuple[dict[int, str], set[int]]:
    """The file, and where each row starts: good rows' texts by line, bad rows' lines."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    good: dict[int, str] = {}
    bad: set[int] = set()
    line = 2
    for n, (kind, text) in enumerate(spec):
        if kind == GOOD:
            fields = ["Acme Corp", f"2026-11-{(n % 28) + 1:02d}T{n % 24:02d}:00", "note", text]
            good[line] = text.strip()
        elif kind == "not UTF-8":
            fields = ["Acme Corp", "2026-11-20", "note", text + INVALID_UTF8]
            bad.add(line)
        else:
            fields = BAD[kind](text)
            bad.add(line)
        before = out.tell()
        writer.writerow(fields)
        line += len(BREAK.findall(out.getvalue()[before:]))
    path.write_bytes(out.getvalue().encode("utf-8", errors="surrogateescape"))
    return good, bad


def importer(app: App, team: Team) -> Importer:
    team.run('account "Acme Corp"', by="Ana García")
    return Importer(
        database=app.database,
        settings=app.settings,
        clock=app.runner.clock,
        actor_id=team.consoles["Ana García"].person_id,
    )


def interaction_texts(team: Team) -> list[str]:
    with team.app.database.engine.connect() as connection:
        from sqlalchemy import text

        return list(connection.execute(text("SELECT text FROM interaction")).scalars())


def assert_no_half_rows(team: Team) -> None:
    for table in RECORDS:
        orphans = team.scalar(
            f"SELECT count(*) FROM {table} r WHERE NOT EXISTS (SELECT 1 FROM audit_event a "
            f"WHERE a.entity = '{table}' AND a.entity_id = r.id)"
        )
        assert orphans == 0, f"{orphans} {table} rows without their audit row"


@fuzz(25)
@given(spec=rows)
def test_good_rows_go_in_exactly_and_bad_rows_are_rejected_with_their_line(
    team: Team, tmp_path_factory, spec: list[tuple[str, str]]
) -> None:
    ran(f"CSV import, row by row ({team.app.database.engine.dialect.name})")
    run = importer(team.app, team)
    path = tmp_path_factory.mktemp("csv") / "interactions.csv"
    good, bad = write(path, spec)
    stored_before = interaction_texts(team)
    summary: Summary = run.run("interactions", path)
    assert {line for line, _ in summary.rejected} == bad, summary.lines()
    assert summary.created + summary.unchanged == len(good)
    stored = interaction_texts(team)
    for text in good.values():
        assert text in stored  # exactly as written
    assert len(stored) - len(stored_before) == summary.created
    assert_no_half_rows(team)


MANGLE = st.sampled_from(
    [
        b'"',  # a quote never closed
        b'""',
        b"\x00",
        b"\xff\xfe",
        b"\r",
        b"\n,,,,,,\n",
        b"a" * 200_000,  # over csv's default field limit
        b'"' + b"b" * 140_000 + b'"',
        b"\xef\xbb\xbf",
        b",",
    ]
)


@fuzz(25)
@given(
    spec=rows,
    cuts=st.lists(st.tuples(st.floats(0, 1), MANGLE), min_size=1, max_size=4),
    drop=st.sampled_from([None, *HEADER]),
)
def test_broken_files_never_crash_or_half_write(
    team: Team,
    tmp_path_factory,
    spec: list[tuple[str, str]],
    cuts: list[tuple[float, bytes]],
    drop: str | None,
) -> None:
    ran(f"CSV import, broken files ({team.app.database.engine.dialect.name})")
    run = importer(team.app, team)
    path = tmp_path_factory.mktemp("csv") / "interactions.csv"
    write(path, spec)
    data = path.read_bytes()
    if drop is not None:
        data = data.replace(drop.encode(), b"x_" + drop.encode(), 1)
    for where, junk in cuts:
        at = int(where * len(data))
        data = data[:at] + junk + data[at:]
    path.write_bytes(data)
    lines = len(BREAK.findall(data.decode("utf-8", errors="replace"))) + 1
    try:
        summary = run.run("interactions", path)
    except FileRefused as refusal:  # the whole file refused, with a reason
        assert str(refusal).strip() and "\n" not in str(refusal)
        return
    assert all(2 <= line <= lines for line, _ in summary.rejected)
    assert_no_half_rows(team)


AS_ANA = ("--as", "Ana García")


def test_the_command_line_reports_rejected_lines_and_no_traceback(team: Team, tmp_path) -> None:
    ran(f"relevo import csv ({team.app.database.engine.dialect.name})")
    team.run('account "Acme Corp"', by="Ana García")
    path = tmp_path / "interactions.csv"
    good, bad = write(
        path,
        [
            (GOOD, "<!channel> '); DROP TABLE account;-- ||spoiler|| \u202eevil"),
            ("unstorable text", "nul"),
            ("not UTF-8", "bytes"),
            (GOOD, "a" * MAX_TEXT),
            ("text over the limit", "long"),
        ],
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot", "import", "csv", "interactions", str(path), *AS_ANA],
        env={**os.environ, "RELEVO_DATABASE_URL": team.app.settings.database_url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1  # some rows were rejected
    for line in sorted(bad):
        assert f"line {line}:" in done.stdout, done.stdout
    assert "2 created" in done.stdout and "3 rejected" in done.stdout
    assert sorted(interaction_texts(team)) == sorted(good.values())
