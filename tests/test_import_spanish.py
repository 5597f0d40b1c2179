"""A Spanish Excel file (`;` between columns, Windows-1252 bytes, Spanish headers, decimal
commas, the day first) imports the same records as its English UTF-8 twin."""

from __future__ import annotations

import codecs
import csv
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FixedClock, Team, build_app
from sqlalchemy import text
from test_import_export import _seed, before_count, counts

from bot import cli
from bot.bootstrap import App
from hub.people import ensure_person, update_person
from integrations.csv_export import export_to
from integrations.csv_import import Importer, Summary, delimiter_of, encoding_of

ES = {
    "accounts": (
        "Nombre;Dominio;Nivel;Estado;Propietario",
        "Construcciones Peñalver;penalver.es;A;active;Ana García",
        "Telefonía Ibérica;telefonia-iberica.es;B;prospect;Luis Pérez",
    ),
    "contacts": (
        "Nombre;Apellidos;Correo electrónico;Teléfono;Cargo;Empresa",
        "María;Núñez;maria@penalver.es;+34 600 111 222;Directora de Compras;"
        "Construcciones Peñalver",
        "José;Ibáñez;jose@telefonia-iberica.es;;Jefe de Operaciones;Telefonía Ibérica",
    ),
    "deals": (
        "Título;Importe;Moneda;Etapa;Fecha de cierre;Empresa",
        "Obra Peñalver 2027;1.250.000,50;EUR;Negociación;31/12/2026;Construcciones Peñalver",
        "Centralita Ibérica;48.000;EUR;propuesta;07/01/2027;Telefonía Ibérica",
        "Soporte anual;1250,5;EUR;Ganada;15/02/2027;Telefonía Ibérica",
    ),
    "interactions": (
        "Tipo;Asunto;Fecha;Empresa",
        "Llamada;Confirmó la obra de diciembre;20/11/2026 10:00;Construcciones Peñalver",
        "Reunión;Demostración de la centralita;02/12/2026 16:30;Telefonía Ibérica",
    ),
}
EN = {
    "accounts": (
        "name,domain,tier,status,owner",
        "Construcciones Peñalver,penalver.es,A,active,Ana García",
        "Telefonía Ibérica,telefonia-iberica.es,B,prospect,Luis Pérez",
    ),
    "contacts": (
        "First Name,Last Name,Email,Phone,Job Title,Company",
        "María,Núñez,maria@penalver.es,+34 600 111 222,Directora de Compras,"
        "Construcciones Peñalver",
        "José,Ibáñez,jose@telefonia-iberica.es,,Jefe de Operaciones,Telefonía Ibérica",
    ),
    "deals": (
        "title,amount,currency,stage,close_on,account",
        'Obra Peñalver 2027,"1,250,000.50",EUR,negotiation,2026-12-31,Construcciones Peñalver',
        "Centralita Ibérica,48000,EUR,proposal,2027-01-07,Telefonía Ibérica",
        "Soporte anual,1250.50,EUR,won,2027-02-15,Telefonía Ibérica",
    ),
    "interactions": (
        "kind,subject,occurred_at,account",
        "call,Confirmó la obra de diciembre,2026-11-20T10:00,Construcciones Peñalver",
        "meeting,Demostración de la centralita,2026-12-02T16:30,Telefonía Ibérica",
    ),
}
RECORDS = {
    "accounts": "SELECT a.name, a.domain, a.tier, a.status, p.name FROM account a "
    "JOIN person p ON p.id = a.owner_id ORDER BY a.name",
    "contacts": "SELECT c.name, c.email, c.phone, c.title, a.name FROM contact c "
    "JOIN account a ON a.id = c.account_id ORDER BY c.name",
    "deals": "SELECT d.title, d.amount, d.currency, d.stage, d.close_on, a.name FROM deal d "
    "JOIN account a ON a.id = d.account_id ORDER BY d.title",
    "interactions": "SELECT i.kind, i.text, i.occurred_at, a.name FROM interaction i "
    "JOIN account a ON a.id = i.account_id ORDER BY i.text",
}


def excel_es(path: Path, lines: tuple[str, ...]) -> Path:
    """As Spanish Excel saves "CSV (delimitado por comas)": Windows-1252, CRLF."""
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def utf8(path: Path, lines: tuple[str, ...]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def importer(team: Team, name: str = "Ana García") -> Importer:
    app = team.app
    with app.database.unit_of_work() as session:
        person_id = ensure_person(session, name=name, now=app.runner.clock.now()).id
    return Importer(
        database=app.database, settings=app.settings, clock=app.runner.clock, actor_id=person_id
    )


def totals(summary: Summary) -> tuple[int, int, int, int]:
    return summary.created, summary.updated, summary.unchanged, len(summary.rejected)


def records(team: Team, kind: str) -> list[tuple[object, ...]]:
    with team.app.database.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(RECORDS[kind]))]


def test_a_spanish_excel_file_imports_the_same_records_as_its_english_twin(
    team: Team, tmp_path: Path
) -> None:
    run = importer(team)
    spanish = {kind: excel_es(tmp_path / f"{kind}-es.csv", lines) for kind, lines in ES.items()}
    english = {kind: utf8(tmp_path / f"{kind}-en.csv", lines) for kind, lines in EN.items()}
    with pytest.raises(UnicodeDecodeError):  # really not UTF-8
        spanish["accounts"].read_bytes().decode("utf-8")
    assert encoding_of(spanish["accounts"]) == "cp1252"
    for kind, path in spanish.items():
        summary = run.run(kind, path)
        assert totals(summary) == (len(ES[kind]) - 1, 0, 0, 0), (kind, summary.lines())
    read = {kind: records(team, kind) for kind in ES}
    assert read["accounts"] == [
        ("Construcciones Peñalver", "penalver.es", "A", "active", "Ana García"),
        ("Telefonía Ibérica", "telefonia-iberica.es", "B", "prospect", "Luis Pérez"),
    ]
    assert read["contacts"][1] == (
        "María Núñez",
        "maria@penalver.es",
        "+34 600 111 222",
        "Directora de Compras",
        "Construcciones Peñalver",
    )
    deals = {
        title: (Decimal(amount), stage, str(close))
        for title, amount, _, stage, close, _ in read["deals"]
    }
    assert deals == {
        "Obra Peñalver 2027": (Decimal("1250000.50"), "negotiation", "2026-12-31"),
        "Centralita Ibérica": (Decimal("48000"), "proposal", "2027-01-07"),
        "Soporte anual": (Decimal("1250.50"), "won", "2027-02-15"),
    }
    assert [kind for kind, *_ in read["interactions"]] == ["call", "meeting"]
    # The English UTF-8 twin names the same records with the same values: nothing changes.
    for kind, path in english.items():
        summary = run.run(kind, path)
        assert totals(summary) == (0, 0, len(EN[kind]) - 1, 0), (kind, summary.lines())
    assert {kind: records(team, kind) for kind in EN} == read


def test_the_twins_read_alike_whichever_comes_first(team: Team, tmp_path: Path) -> None:
    run = importer(team)
    for kind, lines in EN.items():
        assert run.run(kind, utf8(tmp_path / f"{kind}.csv", lines)).created == len(lines) - 1
    read = {kind: records(team, kind) for kind in EN}
    for kind, lines in ES.items():
        summary = run.run(kind, excel_es(tmp_path / f"{kind}-es.csv", lines))
        assert totals(summary) == (0, 0, len(lines) - 1, 0), (kind, summary.lines())
    assert {kind: records(team, kind) for kind in ES} == read


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf-8 with a BOM", "\ufeffNombre;Dominio\r\nÑandú Café;nandu.es\r\n".encode()),
        ("utf-8, tabs", "Nombre\tDominio\nÑandú Café\tnandu.es\n".encode()),
        ("latin-1", "NOMBRE;DOMINIO\r\nÑandú Café;nandu.es\r\n".encode("latin-1")),
        (
            "utf-16 (Excel's Unicode text)",
            "Nombre\tDominio\r\nÑandú Café\tnandu.es\r\n".encode("utf-16"),
        ),
        ("one row, no line break", "nombre;dominio\r\nÑandú Café;nandu.es".encode("cp1252")),
    ],
)
def test_encodings_and_delimiters_are_found(
    team: Team, tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / "es.csv"
    path.write_bytes(data)
    assert totals(importer(team).run("accounts", path)) == (1, 0, 0, 0), name
    assert records(team, "accounts")[0][:2] == ("Ñandú Café", "nandu.es")


def test_a_header_only_file_imports_nothing_and_refuses_nothing(team: Team, tmp_path: Path) -> None:
    for header in ("Nombre;Dominio;Nivel", "Nombre", "name\tdomain"):
        path = excel_es(tmp_path / "empty.csv", (header,))
        assert totals(importer(team).run("accounts", path)) == (0, 0, 0, 0)


def test_the_delimiter_is_the_one_that_splits_the_header() -> None:
    # csv.Sniffer reads this as two columns split at the decimal comma.
    assert delimiter_of("Importe;Etapa\r\n1.250,50;propuesta\r\n") == ";"
    assert delimiter_of('"Nombre, completo";Correo\r\n') == ";"
    assert delimiter_of('Name,Amount\n"Acme; Inc","1,250.50"\n') == ","
    assert delimiter_of("a\tb\tc\n") == "\t"
    assert delimiter_of("Nombre") == ","
    assert delimiter_of("") == ","


def test_decimal_commas_only_in_a_spanish_file(team: Team, tmp_path: Path) -> None:
    team.run("account Acme", by="Ana García")
    english = utf8(
        tmp_path / "en.csv", ("title,amount,account", 'Big,"1,250.5",Acme', "Small,48.000,Acme")
    )
    assert importer(team).run("deals", english).created == 2
    spanish = utf8(
        tmp_path / "es.csv",
        ("Título;Importe;Cuenta", "Medio;48.000;Acme", "Otro;48000.5;Acme", "Más;1.250,5;Acme"),
    )
    assert importer(team).run("deals", spanish).created == 3
    amounts = {title: Decimal(amount) for title, amount, *_ in records(team, "deals")}
    assert amounts == {
        "Big": Decimal("1250.50"),
        "Small": Decimal("48"),  # an English file: 48.000 is 48
        "Medio": Decimal("48000"),
        "Otro": Decimal("48000.50"),
        "Más": Decimal("1250.50"),
    }


def test_a_utf8_file_with_broken_bytes_stays_utf8_and_rejects_their_rows(
    team: Team, tmp_path: Path
) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(
        "name,domain\nÑandú,nandu.es\nBad \xff,bad.es\n".encode("utf-8", "surrogateescape").replace(
            b"Bad \xc3\xbf", b"Bad \xff"
        )
    )
    summary = importer(team).run("accounts", path)
    assert totals(summary) == (1, 0, 0, 1)
    assert summary.rejected[0] == (3, "it has bytes that are not UTF-8 (save the file as UTF-8)")
    assert records(team, "accounts")[0][0] == "Ñandú"


def test_the_header_error_lists_the_columns_and_the_map_option(team: Team, tmp_path: Path) -> None:
    path = excel_es(tmp_path / "es.csv", ("Organización;Actividad", "Peñalver;Construcción"))
    env = {**os.environ, "RELEVO_DATABASE_URL": team.app.settings.database_url}
    team.run("whois acme", by="Ana García")  # Ana exists

    def relevo(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "bot",
                "import",
                "csv",
                "accounts",
                str(path),
                *args,
                "--as",
                "Ana García",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    refused = relevo()
    assert "Traceback" not in refused.stderr and refused.returncode != 0
    message = refused.stderr.strip().splitlines()[-1]
    assert message.startswith("relevo: no column of es.csv means anything for accounts.")
    for column in ("name (nombre)", "domain (dominio)", "tier (nivel)", "owner (propietario)"):
        assert column in message
    assert '--map "Organización=name"' in message
    done = relevo("--map", "Organización=name")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 created" in done.stdout
    assert records(team, "accounts")[0][0] == "Peñalver"


def _export_es(app: App, kind: str, path: Path, who: str = "Ana García") -> int:
    with app.database.unit_of_work() as session:
        person_id = ensure_person(session, name=who, now=app.runner.clock.now()).id
    return export_to(
        app.database,
        app.settings,
        app.runner.clock,
        actor_id=person_id,
        kind=kind,
        path=path,
        fmt="csv",
        locale="es",
    )


def _rows_without_ids(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row[1:] for row in csv.reader(handle, delimiter=";")]


def test_export_locale_es_is_for_spanish_excel_and_round_trips(
    team: Team, tmp_path: Path, clock: FixedClock
) -> None:
    _seed(team)
    kinds = ("accounts", "contacts", "deals", "interactions", "agreements", "complaints")
    files = {kind: tmp_path / f"{kind}-es.csv" for kind in kinds}
    for kind, path in files.items():
        _export_es(team.app, kind, path)
    deals = files["deals"].read_bytes()
    assert deals.startswith(codecs.BOM_UTF8)
    lines = deals.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "ID;Cuenta;Dominio de la cuenta;Título;Importe;Moneda;Etapa;Fecha de cierre;Origen;Campaña"
    )
    fields = lines[1].split(";")
    assert fields[3] == "Renewal 2027" and "." not in fields[4]  # a decimal comma, if any
    assert Decimal(fields[4].replace(",", ".")) == 48000
    header = files["contacts"].read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "ID;Cuenta;Dominio de la cuenta;Nombre;Correo electrónico;Teléfono;Cargo;Rol"

    # Read back into the same hub: every record matched, nothing changed.
    before = counts(team)
    for kind, path in files.items():
        summary = importer(team).run(kind, path)
        assert totals(summary) == (0, 0, before_count(kind, team), 0), (kind, summary.lines())
    assert counts(team) == before

    # Into an empty hub: the same records, exported again the same way.
    other = build_app(f"sqlite:///{tmp_path / 'other.db'}", clock)
    other.database.upgrade()
    with other.database.unit_of_work() as session:
        ana = ensure_person(session, name="Ana García", now=clock.now())
        update_person(ana, department="Sales")
        ana_id = ana.id
    run = Importer(
        database=other.database, settings=other.settings, clock=other.runner.clock, actor_id=ana_id
    )
    for kind, path in files.items():
        assert run.run(kind, path).created == before_count(kind, team), kind
    for kind, path in files.items():
        again = tmp_path / f"again-{kind}.csv"
        _export_es(other, kind, again)
        assert _rows_without_ids(again) == _rows_without_ids(path), kind
    other.database.dispose()


def test_the_command_line_exports_for_spanish_excel(
    team: Team, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    monkeypatch.setenv("RELEVO_DATABASE_URL", team.app.settings.database_url)
    team.run("account Acme domain:acme.com", by="Ana García")
    team.run("deal acme Renewal amount:1250000.5", by="Ana García")
    path = tmp_path / "deals.csv"
    assert cli.main(["export", "deals", str(path), "--locale", "es", "--as", "Ana García"]) == 0
    text_es = path.read_bytes().decode("utf-8")
    assert text_es.startswith("\ufeffID;Cuenta;")
    assert ";1250000,5" in text_es
    capsys.readouterr()
    assert cli.main(["export", "deals", "--as", "Ana García"]) == 0
    english = capsys.readouterr().out
    assert english.startswith("id,account,account_domain,title,amount,")
    assert ",1250000.5" in english
