"""The real `relevo` executable, as a person runs it from a shell."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

RELEVO = shutil.which("relevo") or str(Path(sys.executable).with_name("relevo"))


def relevo(*args: str, cwd: Path, stdin: str = "", env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [RELEVO, *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "RELEVO_DATABASE_URL": "", "HOME": str(cwd), **(env or {})},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


def test_piped_console_on_the_embedded_default_with_the_demo(workdir: Path) -> None:
    assert "Demo hub loaded." in relevo("demo", cwd=workdir)
    assert (workdir / "relevo.db").exists()
    assert "already there" in relevo("demo", cwd=workdir)
    out = relevo(
        "console",
        "--as",
        "Luis Pérez",
        cwd=workdir,
        stdin="whois acme\n\n/crm log acme call Called María back\nwhois acme\n",
    )
    # Luis writes Spanish in the demo (Madrid), so the console answers him in Spanish.
    first, second = out.split("✓ Registro")
    assert first.startswith("Acme Corp")
    assert "Responsable:" in first and "le cubre Luis Pérez" in first
    assert "María López — decision maker, CFO" in first
    assert "Quejas abiertas" in first and "Oportunidades abiertas" in first
    assert re.match(r" N\d+ en Acme Corp: llamada", second)
    assert "llamada (Luis Pérez): Called María back" in second


def test_the_demo_s_spanish_people_write_dates_day_first_unless_it_is_made_english(
    tmp_path: Path,
) -> None:
    """Issue 21: Ana, Luis… in Madrid have locale es (7/12 is 7 December), Tom in London
    en; `relevo demo --locale en` makes an English demo (7/12 is 12 July)."""
    spanish, english = tmp_path / "es", tmp_path / "en"
    spanish.mkdir()
    english.mkdir()
    relevo("demo", cwd=spanish)
    relevo("demo", "--locale", "en", cwd=english)
    with sqlite3.connect(spanish / "relevo.db") as db:
        locales = dict(db.execute("SELECT name, locale FROM person").fetchall())
    assert locales == {
        "Ana García": "es",
        "Luis Pérez": "es",
        "Carmen Vidal": "es",
        "Marta Ruiz": "es",
        "Tom Baker": "en",
        "Sofía Navarro": "es",
    }
    with sqlite3.connect(english / "relevo.db") as db:
        assert {row[0] for row in db.execute("SELECT locale FROM person")} == {"en"}
    line = "remind 7/12 llamar a María\n"
    out = relevo("console", "--as", "Luis Pérez", cwd=spanish, stdin=line)
    assert "lun 7 dic" in out  # read day first, and answered in Spanish
    out = relevo("console", "--as", "Luis Pérez", cwd=english, stdin=line)
    assert "12 Jul" in out


def test_console_works_with_no_configuration_and_creates_the_person(workdir: Path) -> None:
    out = relevo("console", "--as", "Nadia", cwd=workdir, stdin="account Zeta tier:C\nmine\n")
    assert "Created account Zeta" in out
    assert "Zeta (tier C)" in out


def test_piped_console_skips_comments_but_answers_every_other_line(workdir: Path) -> None:
    script = "#!/usr/bin/env relevo\n# set up\naccount Zeta\n#12 whatever\n"
    out = relevo("console", "--as", "Nadia", cwd=workdir, stdin=script)
    assert "Created account Zeta" in out
    assert "I don't know the command “#12”" in out
    assert "set up" not in out


def test_console_shows_escape_sequences_in_stored_text_instead_of_obeying_them(
    workdir: Path,
) -> None:
    """A note typed elsewhere (a chat, an import) with an escape sequence in it must not
    clear or retitle the terminal of whoever reads the account in the console."""
    relevo("console", "--as", "Nadia", cwd=workdir, stdin="account Zeta\n")
    hostile = "Called \x1b]0;pwned\x07back \x1b[2J\x9b31m"
    relevo("console", "--as", "Nadia", cwd=workdir, stdin=f"log zeta call {hostile}\n")
    out = relevo("console", "--as", "Nadia", cwd=workdir, stdin="whois zeta\n")
    assert "Called \u241b]0;pwned\u2407back \u241b[2J\ufffd31m" in out
    assert not any(ch in out for ch in "\x1b\x07\x9b")


def test_people_and_the_console_name_a_member_by_at_handle_and_use_the_hub_time_zone(
    workdir: Path,
) -> None:
    relevo("people", "set", "Luis Pérez", "--department", "Sales", cwd=workdir)
    out = relevo("people", "set", "@luis", "--role", "manager", cwd=workdir)
    assert out.startswith("Luis Pérez (@luis): manager, Sales")
    assert "Your day, Luis Pérez" in relevo("console", "--as", "@luis", cwd=workdir, stdin="mine\n")
    assert relevo("people", "list", cwd=workdir).count("@luis") == 1
    relevo("people", "set", "@luis", "--notify-via", "discord", cwd=workdir)
    with sqlite3.connect(workdir / "relevo.db") as db:
        assert db.execute("SELECT notify_via FROM person WHERE handle = 'luis'").fetchone() == (
            "discord",
        )
    # A bare word is a name, never a guess at someone's handle: that is a new member.
    assert relevo("people", "set", "Luis", cwd=workdir).startswith("Luis (@luis2): member")
    madrid = relevo(
        "people", "set", "New Guy", cwd=workdir, env={"RELEVO_TIMEZONE": "Europe/Madrid"}
    )
    assert madrid.strip() == "New Guy (@new): member, no department, Europe/Madrid"


def test_people_set_and_list(workdir: Path) -> None:
    out = relevo(
        "people",
        "set",
        "Ana García",
        "--role",
        "manager",
        "--department",
        "Sales",
        "--tz",
        "Europe/Madrid",
        cwd=workdir,
    )
    assert "Ana García (@ana): manager, Sales, Europe/Madrid" in out
    assert "@ana" in relevo("people", "list", cwd=workdir)
    result = subprocess.run(
        [RELEVO, "people", "set", "Ana García", "--tz", "Mars/Base"],
        cwd=workdir,
        capture_output=True,
        text=True,
        env={**os.environ, "RELEVO_DATABASE_URL": ""},
    )
    assert result.returncode == 2 and "not a time zone I know" in result.stderr


def test_db_upgrade_on_postgres(postgres_url: str, workdir: Path) -> None:
    assert "up to date" in relevo(
        "db", "upgrade", cwd=workdir, env={"RELEVO_DATABASE_URL": postgres_url}
    )
