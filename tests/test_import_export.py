from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Team, build_app
from sqlalchemy import text

from bot import cli
from bot.bootstrap import App
from hub.people import ensure_person, update_person
from integrations.csv_export import export_to
from integrations.csv_import import Importer, Summary

FIXTURES = Path(__file__).with_name("fixtures")
COUNTED = ("account", "contact", "deal", "deal_stage_change", "interaction", "audit_event")


def importer(app: App, name: str = "Ana García", *, batch_size: int = 2000) -> Importer:
    with app.database.unit_of_work() as session:
        person_id = ensure_person(session, name=name, now=app.runner.clock.now()).id
    return Importer(
        database=app.database,
        settings=app.settings,
        clock=app.runner.clock,
        actor_id=person_id,
        batch_size=batch_size,
    )


def counts(team: Team) -> dict[str, object]:
    return {table: team.scalar(f"SELECT count(*) FROM {table}") for table in COUNTED}


def flat(text: str) -> str:
    return " ".join(text.split())


def totals(summary: Summary) -> tuple[int, int, int, int]:
    return summary.created, summary.updated, summary.unchanged, len(summary.rejected)


def test_hubspot_export_imports_and_reimports_with_no_change(team: Team) -> None:
    run = importer(team.app)
    companies = run.run("accounts", FIXTURES / "hubspot-companies.csv")
    contacts = run.run("contacts", FIXTURES / "hubspot-contacts.csv")
    deals = run.run("deals", FIXTURES / "hubspot-deals.csv")
    assert companies.system == "hubspot"
    assert totals(companies) == (4, 0, 0, 0)
    assert totals(contacts) == (5, 0, 0, 0)
    assert totals(deals) == (3, 0, 0, 0)

    card = flat(team.run("whois acme", by="Luis Pérez"))
    assert "Owner: Ana García" in card
    assert "María López — Head of Procurement · maria.lopez@acme.com" in card
    assert "Acme renewal 2027 — negotiation" in card
    globex = flat(team.run("whois globex.example", by="Ana García"))
    assert "Owner: Luis Pérez" in globex and "Homer Simpson" in globex
    assert "Globex safety suite — qualified" in globex
    assert team.scalar("SELECT count(*) FROM search_outbox WHERE entity = 'contact'") == 5
    assert team.scalar("SELECT count(*) FROM audit_event WHERE action = 'account.create'") == 4

    before = counts(team)
    again = [
        run.run(kind, FIXTURES / name)
        for kind, name in (
            ("accounts", "hubspot-companies.csv"),
            ("contacts", "hubspot-contacts.csv"),
            ("deals", "hubspot-deals.csv"),
        )
    ]
    assert [totals(s) for s in again] == [(0, 0, 4, 0), (0, 0, 5, 0), (0, 0, 3, 0)]
    assert counts(team) == before


def test_salesforce_files_link_records_by_their_salesforce_ids(team: Team) -> None:
    run = importer(team.app, "Luis Pérez")
    assert totals(run.run("accounts", FIXTURES / "salesforce-accounts.csv")) == (3, 0, 0, 0)
    contacts = run.run("contacts", FIXTURES / "salesforce-contacts.csv")
    opportunities = run.run("deals", FIXTURES / "salesforce-opportunities.csv")
    tasks = run.run("interactions", FIXTURES / "salesforce-tasks.csv")
    cases = run.run("complaints", FIXTURES / "salesforce-cases.csv")
    assert totals(cases) == (2, 0, 0, 0)
    assert contacts.system == "salesforce"
    assert totals(contacts) == (4, 0, 0, 0)
    assert totals(opportunities) == (3, 0, 0, 0)
    assert totals(tasks) == (2, 0, 0, 0)

    card = flat(team.run("whois stark industries", by="Ana García"))
    assert "Owner: Luis Pérez" in card
    assert "Domain: stark.example" in card
    assert "Pepper Potts — CEO · pepper@stark.example" in card
    assert "Stark arc reactor maintenance — negotiation" in card
    assert "call (Luis Pérez): Call — Pepper confirmed the maintenance window" in card
    assert team.scalar("SELECT stage FROM deal WHERE title = 'Tyrell replicant QA'") == "won"
    assert "Reactor telemetry gaps — Telemetry drops every night" in card and "high" in card
    assert team.scalar("SELECT status FROM complaint WHERE severity = 'low'") == "resolved"
    before = counts(team)
    for kind, name in (
        ("accounts", "salesforce-accounts.csv"),
        ("contacts", "salesforce-contacts.csv"),
        ("deals", "salesforce-opportunities.csv"),
        ("interactions", "salesforce-tasks.csv"),
        ("complaints", "salesforce-cases.csv"),
    ):
        assert run.run(kind, FIXTURES / name).created == 0
    assert counts(team) == before


def test_bad_rows_are_rejected_with_their_line_and_good_rows_kept(team: Team) -> None:
    summary = importer(team.app, batch_size=2).run("accounts", FIXTURES / "bad-accounts.csv")
    assert totals(summary) == (3, 0, 0, 4)
    assert [line for line, _ in summary.rejected] == [3, 4, 8, 9]
    reasons = dict(summary.rejected)
    assert reasons[3] == "no account name"
    assert "tier “Z”" in reasons[4]
    assert "nobody@nowhere.example" in reasons[8]
    assert "status “sleeping”" in reasons[9]
    assert "Two Lines" in team.run("whois two-lines.example", by="Ana García")
    assert team.scalar("SELECT count(*) FROM account") == 3
    report = "\n".join(summary.lines())
    assert "3 created, 0 updated, 0 skipped (no change), 4 rejected" in report
    assert "line 8: owner “nobody@nowhere.example” is not a team member" in report


def test_a_dry_run_counts_and_saves_nothing(team: Team) -> None:
    summary = importer(team.app).run("accounts", FIXTURES / "hubspot-companies.csv", dry_run=True)
    assert totals(summary) == (4, 0, 0, 0)
    assert "Dry run: nothing was saved." in summary.lines()
    assert team.scalar("SELECT count(*) FROM account") == 0
    assert team.scalar("SELECT count(*) FROM search_outbox") == 0
    assert team.scalar("SELECT count(*) FROM audit_event WHERE action = 'import.dry_run'") == 1


def test_changed_rows_update_in_place_and_map_overrides_headers(team: Team, tmp_path) -> None:
    team.run("account Acme domain:acme.com tier:C", by="Ana García")
    team.run('contact acme "María López" email:maria.lopez@acme.com', by="Ana García")
    path = tmp_path / "custom.csv"
    path.write_text(
        "Organisation,Web,Level,Notes\nACME corp.,acme.com,a,ignored\n", encoding="utf-8"
    )
    summary = importer(team.app).run(
        "accounts", path, mapping={"Organisation": "name", "Web": "domain", "Level": "tier"}
    )
    assert totals(summary) == (0, 1, 0, 0)
    assert team.scalar("SELECT tier FROM account") == "A"
    assert team.scalar("SELECT version FROM account") == 2
    people = tmp_path / "people.csv"
    people.write_text(
        "email,name,title,account\nMARIA.LOPEZ@acme.com,María López,COO,Acme\n", encoding="utf-8"
    )
    assert totals(importer(team.app).run("contacts", people)) == (0, 1, 0, 0)
    assert team.scalar("SELECT count(*) FROM contact") == 1
    assert "María López — COO" in team.run("whois acme", by="Luis Pérez")
    assert team.scalar("SELECT count(*) FROM audit_event WHERE action = 'contact.update'") == 1


def _seed(team: Team) -> None:
    team.run("account Acme domain:acme.com tier:A", by="Ana García")
    team.run('contact acme "María López" role:buyer email:maria@acme.com', by="Ana García")
    team.run("log acme call Confirmed the renewal with María López", by="Ana García")
    team.run("deal acme Renewal 2027 amount:48000 stage:proposal", by="Ana García")
    team.run("account Secret visibility:private domain:secret.example", by="Ana García")
    team.run('contact secret "Sam Hidden" email:sam@secret.example', by="Ana García")
    team.run("log secret meeting Private plans", by="Ana García")
    team.run("agree acme Send the signed contract due 2026-12-01", by="Ana García")
    team.run("complaint acme Portal is slow severity:high", by="Ana García")
    team.run("complaint acme Invoice went to the old address severity:low", by="Ana García")
    team.run("resolve 2 Address fixed", by="Ana García")


def _export(app: App, kind: str, path: Path, who: str, fmt: str = "csv") -> int:
    with app.database.unit_of_work() as session:
        person_id = ensure_person(session, name=who, now=app.runner.clock.now()).id
    return export_to(
        app.database,
        app.settings,
        app.runner.clock,
        actor_id=person_id,
        kind=kind,
        path=path,
        fmt=fmt,
    )


KINDS = ("accounts", "contacts", "deals", "interactions", "agreements", "complaints")


def test_export_then_import_round_trips(team: Team, tmp_path, clock) -> None:
    _seed(team)
    files = {kind: tmp_path / f"{kind}.csv" for kind in KINDS}
    for kind, path in files.items():
        _export(team.app, kind, path, "Ana García")
    before = counts(team)
    for kind, path in files.items():
        assert totals(importer(team.app).run(kind, path)) == (0, 0, before_count(kind, team), 0)
    assert counts(team) == before

    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    other = build_app(other_url, clock)
    other_db = other.database
    other_db.upgrade()
    with other_db.unit_of_work() as session:
        update_person(
            ensure_person(session, name="Ana García", now=clock.now()), department="Sales"
        )
    for kind, path in files.items():
        assert importer(other).run(kind, path).created == before_count(kind, team)
    for kind, path in files.items():
        again = tmp_path / f"again-{kind}.csv"
        _export(other, kind, again, "Ana García")
        assert _without_ids(again) == _without_ids(path)
    other_db.dispose()


def before_count(kind: str, team: Team) -> int:
    return int(str(team.scalar(f"SELECT count(*) FROM {kind[:-1]}")))


def _without_ids(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [{k: v for k, v in row.items() if k != "id"} for row in csv.DictReader(handle)]


def test_export_shows_only_what_the_exporter_may_see(team: Team, tmp_path) -> None:
    _seed(team)
    assert _export(team.app, "accounts", tmp_path / "luis.csv", "Luis Pérez") == 1
    assert _export(team.app, "contacts", tmp_path / "luis-c.csv", "Luis Pérez") == 1
    assert _export(team.app, "interactions", tmp_path / "luis-i.csv", "Luis Pérez") == 1
    assert "Secret" not in (tmp_path / "luis.csv").read_text()
    assert "sam@secret.example" not in (tmp_path / "luis-c.csv").read_text()
    assert "Private plans" not in (tmp_path / "luis-i.csv").read_text()
    assert _export(team.app, "accounts", tmp_path / "carmen.jsonl", "Carmen Vidal", "jsonl") == 2
    rows = [json.loads(line) for line in (tmp_path / "carmen.jsonl").read_text().splitlines()]
    assert {r["name"] for r in rows} == {"Acme", "Secret"}
    assert (
        team.scalar(
            "SELECT count(*) FROM audit_event a JOIN person p ON p.id = a.actor_id "
            "WHERE a.action = 'read' AND p.name = 'Carmen Vidal'"
        )
        == 1
    )


def test_jsonl_export_imports_back(team: Team, tmp_path) -> None:
    _seed(team)
    path = tmp_path / "interactions.jsonl"
    _export(team.app, "interactions", path, "Ana García", "jsonl")
    assert totals(importer(team.app).run("interactions", path)) == (0, 0, 2, 0)


def test_the_command_line_imports_and_exports(
    team: Team, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    monkeypatch.setenv("RELEVO_DATABASE_URL", team.app.settings.database_url)
    status = cli.main(
        ["import", "csv", "accounts", str(FIXTURES / "bad-accounts.csv"), "--as", "Ana García"]
    )
    out = capsys.readouterr().out
    assert status == 1
    assert "3 created" in out and "line 3: no account name" in out
    assert cli.main(["export", "accounts", "--as", "Luis Pérez"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["name"] for r in rows] == ["Good One", "Two Lines", "Good Two"]
    people = team.scalar("SELECT count(*) FROM person")
    with pytest.raises(SystemExit, match="Luiz"):  # a typo is not a new member
        cli.main(["export", "accounts", "--as", "Luiz"])
    assert team.scalar("SELECT count(*) FROM person") == people
    as_ana = ("--as", "Ana García")
    # A file refused whole is one line of the command's, not a traceback.
    pointless = tmp_path / "pointless.csv"
    pointless.write_text("colour,flavour\nblue,salty\n")
    with pytest.raises(SystemExit, match=r"^relevo: no column of pointless.csv means anything"):
        cli.main(["import", "csv", "accounts", str(pointless), *as_ana])
    with pytest.raises(SystemExit, match=r"^relevo: --map colour=hue: accounts have the fields"):
        cli.main(["import", "csv", "accounts", str(pointless), "--map", "colour=hue", *as_ana])


def test_a_row_the_database_refuses_is_rejected_and_its_batch_kept(team: Team, tmp_path) -> None:
    # A trigger stands in for any refusal the row checks cannot foresee.
    if team.app.database.is_sqlite:
        statements = [
            "CREATE TRIGGER no_boom BEFORE INSERT ON account WHEN NEW.name = 'Boom' "
            "BEGIN SELECT RAISE(ABORT, 'boom refused'); END"
        ]
    else:
        statements = [
            "CREATE FUNCTION no_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.name = 'Boom' THEN RAISE EXCEPTION 'boom refused'; END IF; "
            "RETURN NEW; END $$",
            "CREATE TRIGGER no_boom BEFORE INSERT ON account "
            "FOR EACH ROW EXECUTE FUNCTION no_boom()",
        ]
    with team.app.database.engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    try:
        path = tmp_path / "accounts.csv"
        path.write_text("name,domain\nFine,fine.example\nBoom,boom.example\nAlso Fine,\n")
        summary = importer(team.app).run("accounts", path)
        assert totals(summary) == (2, 0, 0, 1)
        assert summary.rejected[0][0] == 3 and "boom refused" in summary.rejected[0][1]
        assert team.scalar("SELECT count(*) FROM account") == 2
        assert team.scalar("SELECT count(*) FROM search_outbox") == 2
        assert team.scalar("SELECT count(*) FROM audit_event") == 2
    finally:
        with team.app.database.engine.begin() as connection:
            connection.exec_driver_sql(
                "DROP TRIGGER no_boom" + ("" if team.app.database.is_sqlite else " ON account")
            )
            if not team.app.database.is_sqlite:
                connection.exec_driver_sql("DROP FUNCTION no_boom()")


@pytest.fixture
def relevo_import(
    team: Team, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path
) -> Callable[..., tuple[int, str]]:
    monkeypatch.setenv("RELEVO_DATABASE_URL", team.app.settings.database_url)
    monkeypatch.setenv("RELEVO_TIMEZONE", "Europe/Madrid")
    for name in ("SLACK_BOT_TOKEN", "DISCORD_BOT_TOKEN", "RELEVO_MEILI_URL"):
        monkeypatch.delenv(name, raising=False)
    files = itertools.count()

    def run(who: str, kind: str, *lines: str, dry_run: bool = False) -> tuple[int, str]:
        path = tmp_path / f"{kind}-{next(files)}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        capsys.readouterr()
        args = ["import", "csv", kind, str(path), "--as", who]
        status = cli.main([*args, "--dry-run"] if dry_run else args)
        return status, capsys.readouterr().out

    return run


# Ana's private Zephyr Secret, each of its records imported from HubSpot with an id.
def _zephyr(relevo_import: Callable[..., tuple[int, str]]) -> None:
    files = {
        "accounts": (
            "Record ID,Company name,Company Domain Name,Visibility",
            "4001,Zephyr Secret,zephyrsecret.com,private",
            "4002,Public Place,publicplace.example,public",
        ),
        "contacts": (
            "Record ID,Email,First Name,Last Name,Associated Company IDs",
            "3001,quentin@zephyrsecret.com,Quentin,Hale,4001",
        ),
        "deals": (
            "Record ID,Deal Name,Amount,Deal Stage,Associated Company IDs",
            "9001,Zephyr merger,250000,Negotiation/Review,4001",
        ),
        "complaints": (
            "Record ID,Subject,Priority,Status,Associated Company IDs",
            "7001,Zephyr outage,High,Open,4001",
        ),
        "agreements": (
            "Record ID,Text,Due Date,Associated Company IDs",
            "5001,Zephyr escrow terms,2026-12-31,4001",
        ),
        "interactions": (
            "Record ID,Type,Subject,Activity date,Associated Company IDs",
            "8001,Call,Board approved the final price,2026-11-20 10:00,4001",
        ),
    }
    for kind, lines in files.items():
        assert relevo_import("Ana García", kind, *lines)[0] == 0


def _record(team: Team, sql: str) -> tuple[object, ...]:
    with team.app.database.engine.connect() as connection:
        return tuple(connection.execute(text(sql)).one())


@dataclass(frozen=True)
class Case:
    header: str
    hidden: str  # Marta's row, keyed like a record of Zephyr Secret
    free: str  # the same row keyed like nothing at all
    values: tuple[str, str]  # the row's `{}` in a first import and a second
    zephyr: str  # the hidden record, read back


# Marta's answers to a row keyed like a record of Zephyr Secret and to the same row keyed
# like nothing: a dry run, an import, then an import of the row with its value changed.
def _as_if_missing(
    relevo_import: Callable[..., tuple[int, str]], kind: str, case: Case
) -> list[tuple[int, str]]:
    answers = []
    first, second = case.values
    for value, dry_run in ((first, True), (first, False), (second, False)):
        used, unused = (
            relevo_import("Marta Ruiz", kind, case.header, row.format(value), dry_run=dry_run)
            for row in (case.hidden, case.free)
        )
        assert used == unused, (kind, case.hidden, used, unused)
        answers.append(used)
    return answers


SOURCE_IDS = {
    "deals": Case(
        "Record ID,Deal Name,Amount,Deal Stage,Associated Company",
        "9001,anything,{},Closed Lost,Public Place",
        "9002,anything else,{},Closed Lost,Public Place",
        ("1", "2"),
        "SELECT amount, stage, account_id, version FROM deal WHERE title = 'Zephyr merger'",
    ),
    "complaints": Case(
        "Record ID,Subject,Priority,Status,Associated Company",
        "7001,anything,{},Closed,Public Place",
        "7002,anything else,{},Closed,Public Place",
        ("Low", "Medium"),
        "SELECT severity, status, resolved_at FROM complaint WHERE text = 'Zephyr outage'",
    ),
    "agreements": Case(
        "Record ID,Text,Due Date,Associated Company",
        "5001,anything,{},Public Place",
        "5002,anything else,{},Public Place",
        ("2030-01-01", "2030-02-01"),
        "SELECT due_on, account_id FROM agreement WHERE text = 'Zephyr escrow terms'",
    ),
}


@pytest.mark.parametrize("kind", SOURCE_IDS)
def test_a_source_id_of_a_hidden_record_reads_as_unused_and_changes_nothing(
    team: Team, relevo_import: Callable[..., tuple[int, str]], kind: str
) -> None:
    _zephyr(relevo_import)
    case = SOURCE_IDS[kind]
    before = _record(team, case.zephyr)
    answers = _as_if_missing(relevo_import, kind, case)
    assert [status for status, _ in answers] == [0, 0, 0]
    assert "1 created, 0 updated" in answers[0][1] and "Dry run" in answers[0][1]
    assert "1 created, 0 updated" in answers[1][1]
    assert "0 created, 1 updated" in answers[2][1]
    assert _record(team, case.zephyr) == before
    assert (
        team.scalar(
            "SELECT count(*) FROM audit_event a JOIN person p ON p.id = a.actor_id "
            "WHERE a.action = 'import.dry_run' AND p.name = 'Marta Ruiz'"
        )
        == 2
    )
    # Ana sees both records under her HubSpot id: hers, imported first, is the one matched.
    status, out = relevo_import("Ana García", kind, case.header, case.hidden.format(case.values[1]))
    assert status == 0 and "1 updated" in out, out
    assert _record(team, case.zephyr) != before


KEYS = {
    "account by domain": (
        "accounts",
        Case(
            "Company name,Company Domain Name,Tier",
            "Probe One,zephyrsecret.com,{}",
            "Probe Two,unused-probe.example,{}",
            ("C", "A"),
            "SELECT name, domain, tier, visibility, owner_id, version FROM account "
            "WHERE name = 'Zephyr Secret'",
        ),
    ),
    "account by source id": (
        "accounts",
        Case(
            "Record ID,Company name,Tier",
            "4001,Probe One,{}",
            "4999,Probe Two,{}",
            ("C", "A"),
            "SELECT name, domain, tier, visibility, owner_id, version FROM account "
            "WHERE name = 'Zephyr Secret'",
        ),
    ),
    "contact by e-mail": (
        "contacts",
        Case(
            "Email,First Name,Job Title,Associated Company",
            "quentin@zephyrsecret.com,Probe One,{},Public Place",
            "nobody@unused-probe.example,Probe Two,{},Public Place",
            ("CEO", "CFO"),
            "SELECT name, email, title, account_id FROM contact WHERE name = 'Quentin Hale'",
        ),
    ),
    "contact by source id": (
        "contacts",
        Case(
            "Record ID,First Name,Job Title,Associated Company",
            "3001,Probe One,{},Public Place",
            "3999,Probe Two,{},Public Place",
            ("CEO", "CFO"),
            "SELECT name, email, title, account_id FROM contact WHERE name = 'Quentin Hale'",
        ),
    ),
    "interaction by source id": (
        "interactions",
        Case(
            "Record ID,Type,Subject,Activity date,Associated Company",
            "8001,Note,anything,{},Public Place",
            "8999,Note,anything else,{},Public Place",
            ("2026-11-21 09:00", "2026-11-21 09:00"),
            "SELECT text, kind, account_id FROM interaction WHERE text LIKE 'Board%'",
        ),
    ),
}


@pytest.mark.parametrize("key", KEYS)
def test_a_key_of_a_hidden_record_reads_like_a_missing_one(
    team: Team, relevo_import: Callable[..., tuple[int, str]], key: str
) -> None:
    _zephyr(relevo_import)
    kind, case = KEYS[key]
    before = _record(team, case.zephyr)
    answers = _as_if_missing(relevo_import, kind, case)
    assert "1 created, 0 updated, 0 skipped (no change), 0 rejected" in answers[1][1]
    assert _record(team, case.zephyr) == before


def test_a_hidden_account_name_is_refused_as_the_console_refuses_it(
    team: Team, relevo_import: Callable[..., tuple[int, str]]
) -> None:
    _zephyr(relevo_import)
    status, out = relevo_import("Marta Ruiz", "accounts", "name,tier", "ZEPHYR secret,A")
    refusal = team.reply('account "ZEPHYR secret" tier:A', by="Marta Ruiz").title
    assert status == 1
    assert f"  line 2: {refusal}\n" in out
    assert team.scalar("SELECT tier FROM account WHERE name = 'Zephyr Secret'") == "B"
