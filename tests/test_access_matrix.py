"""The access matrix: every read and write path, walked by every kind of viewer over a
public, a team and a private account, on PostgreSQL with Meilisearch.

Each account carries words of its own (name, alias, domain, contact, e-mail, phone, and
one word in each interaction, agreement, complaint, deal, task, resolution and lost
reason). A viewer who may not read an account must never meet one of its words, in a
reply, a count, an autocomplete list, a digest, an export or an error message, and the
reply about a hidden account must read exactly like the reply about one that does not
exist (the two compared with the name put in the same place).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from string import Formatter
from typing import Any

import pytest
from access_hub import (
    ACCOUNTS,
    MAY_READ,
    NOWHERE,
    PER_ACCOUNT,
    SHARED,
    VIEWERS,
    Secrets,
    setup_lines,
)
from conftest import ACCESS_CELLS, EPOCH, Team, build_app
from discord_harness import GUILD, MANAGER_ROLE, DiscordGuild
from discord_harness import TOKEN as DISCORD_TOKEN
from discord_harness import USERS as DISCORD_PEOPLE
from discord_harness import server_env as discord_env
from discord_harness import shown as discord_shown
from nacl.signing import SigningKey
from slack_harness import FORM_SECRET, TEAM, SlackTeam
from slack_harness import server_env as slack_env
from slack_harness import shown as slack_shown
from sqlalchemy import create_engine, text

from benchmarks.fake_discord import FakeDiscord
from benchmarks.fake_slack import FakeSlack
from benchmarks.meili import MeiliServer
from benchmarks.webserver import WebServer
from bot import cli
from hub.clock import FixedClock
from hub.models import Base
from hub.people import ensure_person, update_person
from hub.reports import REPORTS
from search.index import MeiliIndex
from search.indexer import Indexer
from search.reindex import reindex

NOW = EPOCH


class Matrix:
    """The hub, its people, and the record of which cells were checked."""

    def __init__(self, team: Team, database_url: str, cells: set[tuple[str, str, str]]) -> None:
        self.team = team
        self.database_url = database_url
        self.cells = cells  # shared with conftest, which reports how many were checked
        self.ids: dict[str, dict[str, int]] = {v: {} for v in ACCOUNTS}

    def ask(self, viewer: str, line: str) -> str:
        """The console reply, without Meilisearch's highlight marks."""
        return self.team.run(line, by=VIEWERS[viewer][0]).replace("‹", "").replace("›", "")

    def checked(self, viewer: str, visibility: str, path: str) -> None:
        self.cells.add((viewer, visibility, path))

    def handle(self, viewer: str) -> str:
        return str(self.scalar("SELECT handle FROM person WHERE name = :n", n=VIEWERS[viewer][0]))

    def scalar(self, sql: str, **params: Any) -> Any:
        return self.team.scalar(sql, **params)


@pytest.fixture(scope="module")
def matrix(postgres_url: str, meili_server: MeiliServer, request: pytest.FixtureRequest) -> Matrix:
    engine = create_engine(postgres_url)
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    clock = FixedClock(at=NOW)
    # The index every process of this deployment uses (the web server finds it by URL).
    index = MeiliIndex(url=meili_server.url, key=meili_server.key)
    team = Team(build_app(postgres_url, clock, index=index))
    database = team.app.database
    for name, role, department, email in VIEWERS.values():
        with database.unit_of_work() as session:
            person = ensure_person(session, name=name, now=clock.now())
            update_person(person, role=role, department=department, email=email)
    owner = VIEWERS["owner"][0]
    for visibility, secrets in ACCOUNTS.items():
        for line in setup_lines(secrets, visibility):
            assert "Nothing was saved" not in team.run(line, by=owner), line
    found = Matrix(team, postgres_url, request.config.stash[ACCESS_CELLS])
    for visibility, secrets in ACCOUNTS.items():
        account_id = found.scalar("SELECT id FROM account WHERE name = :n", n=secrets.name)
        found.ids[visibility]["account"] = account_id
        for kind, sql in {
            "complaint": "SELECT id FROM complaint WHERE account_id = :a AND severity = 'critical'",
            "low complaint": "SELECT id FROM complaint WHERE account_id = :a AND severity = 'low'",
            "deal": "SELECT id FROM deal WHERE account_id = :a AND stage = 'proposal'",
            "lead deal": "SELECT id FROM deal WHERE account_id = :a AND stage = 'lead'",
            "task": "SELECT id FROM task WHERE account_id = :a",
            "agreement": "SELECT id FROM agreement WHERE account_id = :a",
            "interaction": "SELECT min(id) FROM interaction WHERE account_id = :a",
        }.items():
            found.ids[visibility][kind] = found.scalar(sql, a=account_id)
        ids = found.ids[visibility]
        for line in (
            f"resolve {ids['low complaint']} {secrets.word('patch')}",
            f"lost {ids['lead deal']} {secrets.word('why')}",
        ):
            assert "Nothing was saved" not in team.run(line, by=owner), line
    team.run("away today 2026-11-26 cover @pablo", by=owner)
    team.run("subscribe #sales weekly", by=owner)
    # A fresh index (swapped in whole, whatever an earlier run left), then the outbox.
    reindex(database, index)
    Indexer(database=database, index=index).drain()
    yield found
    database.dispose()


# -- the rules and the comparisons --------------------------------------------------------


def hidden_from(viewer: str) -> list[str]:
    return [v for v in ACCOUNTS if viewer not in MAY_READ[v]]


def leaks(out: str, hidden: list[str], typed: str = "") -> list[str]:
    """Words of the `hidden` accounts found in `out`, bar those the viewer typed."""
    said, typed = out.lower(), typed.lower()
    return [
        word
        for visibility in hidden
        for word in ACCOUNTS[visibility].words
        if word.lower() in said and word.lower() not in typed
    ]


def masked(out: str, secrets: Secrets, ids: dict[str, int], template: str) -> str:
    """`out` with the names, words and ids the template used put as placeholders, so the
    reply about a hidden account and the one about a missing account can be compared."""
    values = secrets.fields()
    used = {name for _, name, _, _ in Formatter().parse(template) if name}
    for name in sorted(used & set(values), key=lambda n: -len(values[n])):
        out = re.sub(re.escape(values[name]), f"<{name}>", out, flags=re.IGNORECASE)
    out = re.sub(re.escape(secrets.stem), "<stem>", out, flags=re.IGNORECASE)
    for name in sorted(used & set(ids)):
        out = re.sub(rf"\b[ACDFN]?{ids[name]}\b", f"<{name}>", out)  # 12, or D12 as shown
    return out


def line_for(template: str, secrets: Secrets, ids: dict[str, int], **extra: str) -> str:
    return template.format(**secrets.fields(), **{k: str(v) for k, v in ids.items()}, **extra)


MISSING_IDS = {
    "complaint": 9901,
    "deal": 9902,
    "task": 9903,
    "account": 9904,
    "agreement": 9905,
    "interaction": 9906,
}
HUB_TABLES = (
    "account",
    "account_alias",
    "contact",
    "interaction",
    "agreement",
    "complaint",
    "deal",
    "deal_stage_change",
    "task",
    "handover",
    "audit_event",
    "search_outbox",
    "person",
    "chat_identity",
)


def snapshot(matrix: Matrix) -> tuple[Any, ...]:
    """Everything a write would change: row counts, states, ownership."""
    counts = ", ".join(f"(SELECT count(*) FROM {t})" for t in HUB_TABLES)
    states = (
        "(SELECT string_agg(stage || coalesce(lost_reason, ''), ',' ORDER BY id) FROM deal), "
        "(SELECT string_agg(status, ',' ORDER BY id) FROM complaint), "
        "(SELECT string_agg(state || coalesce(reason, ''), ',' ORDER BY id) FROM agreement), "
        "(SELECT string_agg(status || snoozes || due_at, ',' ORDER BY id) FROM task), "
        "(SELECT string_agg(owner_id || visibility || tier || coalesce(channel, ''), ',' "
        "ORDER BY id) FROM account)"
    )
    with matrix.team.app.database.engine.connect() as connection:
        return tuple(connection.execute(text(f"SELECT {counts}, {states}")).one())


def expect_hidden(
    matrix: Matrix, viewer: str, visibility: str, path: str, template: str, out: str
) -> None:
    """A hidden account's reply: none of its words, and word for word the reply about an
    account that does not exist."""
    secrets, ids = ACCOUNTS[visibility], matrix.ids[visibility]
    line = line_for(template, secrets, ids, me=matrix.handle(viewer))
    assert leaks(out, hidden_from(viewer), line) == [], (viewer, path, out)
    missing = matrix.ask(viewer, line_for(template, NOWHERE, MISSING_IDS, me=matrix.handle(viewer)))
    assert masked(out, secrets, ids, template) == masked(missing, NOWHERE, MISSING_IDS, template), (
        viewer,
        path,
    )
    matrix.checked(viewer, visibility, path)


# (path, command, what a viewer who may read the account sees in the reply)
READS = [
    ("whois name", 'whois "{name}"', "{beacon}"),
    ("whois first word", "whois {first}", "{beacon}"),
    ("whois alias", "whois {alias}", "{beacon}"),
    ("whois domain", "whois {domain}", "{beacon}"),
    ("whois with a typo", 'whois "{typo}"', "{beacon}"),
    ("whois contact", 'whois "{contact}"', "contact at {name}"),
    ("whois e-mail", "whois {email}", "contact at {name}"),
    ("contact card timeline", 'whois "{contact}"', "{beacon}"),
    ("find phone", "find {phone}", "contact: {contact}"),
    ("find name", "find {name}", "account: {name}"),
    ("find type:account", "find {first} type:account", "account: {name}"),
    ("find type:contact", "find {contact} type:contact", "contact: {contact}"),
    ("find e-mail", "find {email}", "{contact}"),
    ("find alias", "find {alias}", "{name}"),
    ("find type:interaction", "find {beacon} type:interaction", "{beacon}"),
    ("find type:agreement", "find {ledger} type:agreement", "{ledger}"),
    ("find type:complaint", "find {flicker} type:complaint", "{flicker}"),
    ("find resolved complaint", "find {mend}", "{mend}"),
    ("find type:deal", "find {harvest} type:deal", "{harvest}"),
    ("find lost reason", "find {why}", "{why}"),
    ("find owner:", "find {beacon} owner:@ana", "{beacon}"),
    ("find tier:", "find {flicker} tier:A", "{flicker}"),
    # status: is the account's for an interaction, the record's own for a complaint
    # (issue 20); the marks are what a hit shows, not the word typed.
    ("find status:", "find {beacon} status:active", "interaction: {name}"),
    ("find complaint status:", "find {flicker} type:complaint status:open", "complaint: {name}"),
    ("find stage:", "find {harvest} stage:proposal", "deal: {harvest}"),
    ("find page:", "find {beacon} page:1", "interaction: {name}"),
    ("timeline", 'timeline "{name}"', "{beacon}"),
    ("timeline, name unquoted", "timeline {name}", "{flicker}"),
    ("timeline type:", 'timeline "{name}" type:deal', "{harvest}"),
    ("timeline page:", 'timeline "{name}" since:2026-01-01 page:1', "{ledger}"),
]


def test_lookups_and_searches_show_only_readable_accounts(matrix: Matrix) -> None:
    for viewer in VIEWERS:
        for visibility, secrets in ACCOUNTS.items():
            for path, template, mark in READS:
                line = line_for(template, secrets, matrix.ids[visibility])
                out = matrix.ask(viewer, line)
                if viewer in MAY_READ[visibility]:
                    wanted = line_for(mark, secrets, {})
                    assert wanted.lower() in out.lower(), (viewer, path, out)
                    assert leaks(out, hidden_from(viewer), line) == [], (viewer, path, out)
                    matrix.checked(viewer, visibility, path)
                else:
                    expect_hidden(matrix, viewer, visibility, path, template, out)


def results(out: str) -> int:
    found = re.match(r"(\d+) results?\b", out)  # "3 results" lists, "3 results for" searches
    if found:
        return int(found.group(1))
    assert out.startswith("Nothing found"), out
    return 0


def test_search_counts_include_only_readable_records(matrix: Matrix) -> None:
    per_type = {"interaction": 1, "agreement": 1, "complaint": 1, "deal": 1}
    for viewer in VIEWERS:
        readable = [v for v in ACCOUNTS if viewer in MAY_READ[v]]
        expected = {
            f"find {SHARED}": PER_ACCOUNT * len(readable),
            f"find {SHARED} owner:@ana": PER_ACCOUNT * len(readable),
            f"find {SHARED} tier:A": PER_ACCOUNT * len(readable),
            # status: is a complaint's or an agreement's own (both open), and the
            # account's for the interaction and the deal.
            f"find {SHARED} status:active": 2 * len(readable),
            f"find {SHARED} status:open": 2 * len(readable),
            f"find {SHARED} type:account": 0,
            f"find {SHARED} type:contact": 0,
            # Issue 20: filters on the records themselves, listings, and pages past the first.
            f"find {SHARED} type:complaint status:open": len(readable),
            f"find {SHARED} stage:proposal": len(readable),
            f"find {SHARED} page:2": PER_ACCOUNT * len(readable),
            "find type:account": len(readable),
            "find type:account page:2": len(readable),
            **{f"find {SHARED} type:{t}": n * len(readable) for t, n in per_type.items()},
        }
        for line, count in expected.items():
            out = matrix.ask(viewer, line)
            assert results(out) == count, (viewer, line, out)
            assert leaks(out, hidden_from(viewer)) == [], (viewer, line, out)
            for visibility in ACCOUNTS:
                matrix.checked(viewer, visibility, f"count: {line}")


def test_a_colleague_card_counts_and_names_only_readable_accounts(matrix: Matrix) -> None:
    # Ana owns the three accounts, each with an agreement overdue; Pablo covers her today,
    # so her book is his too. Neither card counts what the viewer may not read.
    for viewer in VIEWERS:
        readable = [v for v in ACCOUNTS if viewer in MAY_READ[v]]
        n = len(readable)
        for subject in ("owner", "cover"):
            out = matrix.ask(viewer, f"whois @{matrix.handle(subject)}")
            assert f"Accounts ({n})" in out, (viewer, subject, out)
            assert f"Urgent today: {n} agreement{'s' * (n != 1)} due" in out, (viewer, out)
            assert leaks(out, hidden_from(viewer)) == [], (viewer, subject, out)
            for visibility in readable:
                assert ACCOUNTS[visibility].name in out, (viewer, subject, out)
                assert ACCOUNTS[visibility].word("ledger") in out, (viewer, subject, out)
            for visibility in ACCOUNTS:
                matrix.checked(viewer, visibility, f"whois @person ({subject})")


# (path, command) on an account by its name, or a record of it by id
WRITES = [
    ("log", 'log "{name}" call probe'),
    ("log, name unquoted", "log {name} call probe"),
    ("agree", 'agree "{name}" probe due 2026-12-01'),
    ("complaint", 'complaint "{name}" probe severity:low'),
    ("deal", 'deal "{name}" Probe amount:5'),
    ("contact", 'contact "{name}" "Probe Person" role:buyer'),
    ("handover", 'handover "{name}" to @luis until 2026-11-27'),
    ("cover (handover to me)", 'handover "{name}" to @{me} until 2026-11-27'),
    ("resolve", "resolve {complaint} probe"),
    ("kept", "kept {agreement}"),
    ("broken", "broken {agreement} probe"),
    ("stage", "stage {deal} negotiation"),
    ("won", "won {deal}"),
    ("lost", "lost {deal} probe"),
]
# Corrections of a record by id: refused as missing to whoever cannot read the account
# (who else may make them is the test further down, on records made for it).
CORRECTIONS = [
    ("edit", "edit N{interaction} probe"),
    ("edit a date", "edit A{agreement} due:2026-12-05"),
    ("delete", "delete C{complaint}"),
    ("delete a deal", "delete D{deal}"),
]
# Follow-ups belong to people, not accounts: only the assignee, their cover and managers
# may act on one; to anyone else it does not exist.
TASK_WRITES = [("done", "done {task}"), ("snooze", "snooze {task} 2026-11-30")]
MAY_ACT_ON_ANAS_TASKS = {"owner", "cover", "manager", "admin"}


def test_writes_to_a_hidden_account_read_as_if_it_did_not_exist(matrix: Matrix) -> None:
    for viewer in VIEWERS:
        for visibility in ACCOUNTS:
            cells = [(p, t) for p, t in WRITES + CORRECTIONS if viewer not in MAY_READ[visibility]]
            cells += [(p, t) for p, t in TASK_WRITES if viewer not in MAY_ACT_ON_ANAS_TASKS]
            for path, template in cells:
                line = line_for(
                    template, ACCOUNTS[visibility], matrix.ids[visibility], me=matrix.handle(viewer)
                )
                before = snapshot(matrix)
                out = matrix.ask(viewer, line)
                assert "Nothing was saved" in out, (viewer, path, out)
                assert snapshot(matrix) == before, (viewer, path)
                expect_hidden(matrix, viewer, visibility, path, template, out)
                assert snapshot(matrix) == before, (viewer, path)


def test_a_reminder_about_a_hidden_account_is_a_reminder_about_nothing(matrix: Matrix) -> None:
    # "about X" names an account only when X is one the person sees; otherwise Relevo
    # asks whether to save it without an account, exactly as for a name that exists
    # nowhere, and the words stay in the reminder's text.
    template = 'remind tomorrow probe about "{name}"'
    for viewer in VIEWERS:
        for visibility in hidden_from(viewer):
            line = line_for(template, ACCOUNTS[visibility], {})
            missing = matrix.ask(viewer, line_for(template, NOWHERE, {}))
            tasks = matrix.scalar("SELECT count(*) FROM task")
            out = matrix.ask(viewer, line)
            assert "Nothing was saved yet" in out, (viewer, out)
            assert matrix.scalar("SELECT count(*) FROM task") == tasks
            assert leaks(out, hidden_from(viewer), line) == [], (viewer, out)
            assert masked(out, ACCOUNTS[visibility], {}, template) == (
                masked(missing, NOWHERE, {}, template)
            ), viewer
            pick = re.search(r"(\d+)\. Save it without an account", out)
            assert pick is not None, (viewer, out)
            saved = matrix.ask(viewer, pick.group(1))
            assert "Follow-up F" in saved and "Nothing was saved" not in saved, (viewer, saved)
            assert leaks(saved, hidden_from(viewer), line) == [], (viewer, saved)
            matrix.checked(viewer, visibility, "remind about")
            attached = (
                "SELECT count(*) FROM task WHERE text LIKE 'probe%' AND account_id IS NOT NULL"
            )
            assert matrix.scalar(attached) == 0
            with matrix.team.app.database.engine.begin() as connection:
                connection.execute(text("DELETE FROM task WHERE text LIKE 'probe%'"))


def test_a_hidden_accounts_name_cannot_be_claimed_and_nothing_else_is_said(
    matrix: Matrix,
) -> None:
    # Names and aliases are unique, so creating an account with a hidden one's name is
    # refused; the refusal repeats what was typed and nothing more, and changes nothing.
    claims = [
        ("claim the name", 'account "{name}" tier:B'),
        ("make it public", 'account "{name}" visibility:public'),
        ("claim the alias", 'account "Probe Holdings" alias:{alias}'),
        ("rename onto it", 'account "Aurora Mills" rename:"{name}"'),
    ]
    for viewer in VIEWERS:
        for visibility in hidden_from(viewer):
            for path, template in claims:
                line = line_for(template, ACCOUNTS[visibility], {})
                before = snapshot(matrix)
                out = matrix.ask(viewer, line)
                assert "Nothing was saved" in out, (viewer, path, out)
                assert leaks(out, hidden_from(viewer), line) == [], (viewer, path, out)
                assert snapshot(matrix) == before, (viewer, path)
                matrix.checked(viewer, visibility, path)


RESPONSIBLE = {"owner", "cover"}  # Ana owns the three accounts; Pablo covers her today


def test_my_day_lists_only_what_is_mine_to_see(matrix: Matrix) -> None:
    for viewer in VIEWERS:
        out = matrix.ask(viewer, "mine")
        assert leaks(out, hidden_from(viewer)) == [], (viewer, out)
        for visibility, secrets in ACCOUNTS.items():
            if viewer in RESPONSIBLE:
                assert secrets.word("ledger") in out and secrets.name in out, (viewer, out)
            else:
                assert secrets.name not in out, (viewer, out)
            matrix.checked(viewer, visibility, "mine")


def pipeline(out: str) -> tuple[int, int]:
    found = re.search(r"Open pipeline:\s+(\d+) deals? · €([\d,]+)", out)
    assert found, out
    return int(found.group(1)), int(found.group(2).replace(",", ""))


def test_a_personal_digest_counts_and_names_only_readable_accounts(matrix: Matrix) -> None:
    for viewer in VIEWERS:
        out = matrix.ask(viewer, "digest")
        readable = [v for v in ACCOUNTS if viewer in MAY_READ[v]]
        assert pipeline(out) == (len(readable), sum(ACCOUNTS[v].amount for v in readable))
        assert leaks(out, hidden_from(viewer)) == [], (viewer, out)
        for visibility in readable:
            secrets = ACCOUNTS[visibility]
            # The lost deal's reason is in the live digest; `digest` is last week's.
            assert secrets.name in out, (viewer, out)
        for visibility in ACCOUNTS:
            matrix.checked(viewer, visibility, "digest")


def test_every_report_counts_and_names_only_readable_accounts(
    matrix: Matrix, relevo: Callable[..., str]
) -> None:
    for viewer, (name, *_rest) in VIEWERS.items():
        readable = [v for v in ACCOUNTS if viewer in MAY_READ[v]]
        for what in REPORTS:
            out = matrix.ask(viewer, f"report {what} this year")
            assert leaks(out, hidden_from(viewer)) == [], (viewer, what, out)
            rows = relevo("report", what, "this", "year", "--csv", "-", "--as", name)
            assert leaks(rows, hidden_from(viewer)) == [], (viewer, what, rows)
            for visibility in ACCOUNTS:
                matrix.checked(viewer, visibility, f"report {what}")
        # The complaints report's counts are those of the readable accounts: two each.
        complaints = matrix.ask(viewer, "report complaints this year")
        total = re.search(r"\n  All\s+(\d+)", complaints)
        assert total and int(total.group(1)) == 2 * len(readable), (viewer, complaints)
        for visibility in readable:
            assert ACCOUNTS[visibility].name in complaints, (viewer, complaints)


EXPORTS = {
    # kind: (rows per account, the word each row of an account carries)
    "accounts": (1, "name"),
    "contacts": (1, "email"),
    "interactions": (1, "beacon"),
    "agreements": (1, "ledger"),
    "complaints": (2, "domain"),
    "deals": (2, "domain"),
}


@pytest.fixture
def relevo(
    matrix: Matrix, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., str]:
    """`relevo ARGS` on the matrix's hub, run in this process (36 exports in subprocesses
    would spend minutes starting Python); its standard output."""
    monkeypatch.setenv("RELEVO_DATABASE_URL", matrix.database_url)
    monkeypatch.setenv("RELEVO_TIMEZONE", "Europe/Madrid")
    for name in ("SLACK_BOT_TOKEN", "DISCORD_BOT_TOKEN", "RELEVO_MEILI_URL"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str) -> str:
        capsys.readouterr()
        assert cli.main(list(args)) == 0
        return capsys.readouterr().out

    return run


def test_exports_hold_only_readable_records(matrix: Matrix, relevo: Callable[..., str]) -> None:
    for viewer, (name, *_rest) in VIEWERS.items():
        readable = [v for v in ACCOUNTS if viewer in MAY_READ[v]]
        for kind, (per_account, field) in EXPORTS.items():
            out = relevo("export", kind, "--as", name, "--format", "jsonl")
            rows = [json.loads(line) for line in out.splitlines()]
            assert len(rows) == per_account * len(readable), (viewer, kind, out)
            assert leaks(out, hidden_from(viewer)) == [], (viewer, kind, out)
            for visibility in readable:
                assert ACCOUNTS[visibility].fields()[field] in out, (viewer, kind, out)
            for visibility in ACCOUNTS:
                matrix.checked(viewer, visibility, f"export {kind}")


def test_a_channel_digest_counts_and_names_only_public_accounts(
    matrix: Matrix, relevo: Callable[..., str]
) -> None:
    out = relevo(
        "run", "digest", "--dry-run", "--channel", "#sales", "--at", "2026-11-30T10:00+01:00"
    )
    assert "→ #sales" in out
    public = ACCOUNTS["public"]
    assert pipeline(out) == (1, public.amount)
    assert public.name in out and public.word("why") in out
    assert leaks(out, ["team", "private"]) == [], out
    # A channel's audience is anyone in it: a member of another team reads it too.
    assert pipeline(matrix.ask("other team", "digest")) == pipeline(out)
    for visibility in ACCOUNTS:
        matrix.checked("channel #sales", visibility, "channel digest")


def test_nudges_carry_only_what_their_reader_may_see(
    matrix: Matrix, relevo: Callable[..., str]
) -> None:
    out = relevo("run", "nudges", "--dry-run", "--at", "2026-11-25T09:05+01:00")
    names = {name: viewer for viewer, (name, *_rest) in VIEWERS.items()}
    messages = re.split(r"^→ DM to ", out, flags=re.MULTILINE)[1:]
    assert messages, out
    for message in messages:
        reader = names[message.split("\n", 1)[0].split(" on ")[0].strip()]
        assert leaks(message, hidden_from(reader)) == [], (reader, message)
        for visibility in ACCOUNTS:
            matrix.checked(reader, visibility, "nudge")
    # Ana is away: her cover gets her day, private account included.
    assert any(ACCOUNTS["private"].word("twine") in m for m in messages)


# -- through the chat adapters: the web server as a subprocess ---------------------------

SLACK_USERS = {
    "owner": "U0ANA",
    "team": "U0LUIS",
    "other team": "U0MARTA",
    "manager": "U0CARMEN",
    "admin": "U0ADELA",
    "cover": "U0PABLO",  # Ana is away: the server starts at the hub's instant, as the tests do
}
DISCORD_USERS = {"owner": ("ana", ()), "team": ("luis", ()), "manager": ("carmen", (MANAGER_ROLE,))}
REFUSED_SLACK_USERS = {
    # viewer: (Slack user, profile, what the refusal says)
    "guest": ("U0GUEST", {"is_restricted": True}, "guests can't use it"),
    "single-channel guest": ("U0SINGLE", {"is_ultra_restricted": True}, "guests can't use it"),
    "Slack Connect stranger": (
        "U0STRANGER",
        {"is_stranger": True, "team_id": "T0ELSEWHERE"},
        "other organisations",
    ),
    "deactivated user": ("U0GONE", {"deleted": True}, "deactivated"),
}
OTHER_WORKSPACE = "T0OTHER"
OTHER_GUILD = "1300000000000000999"
KEY = SigningKey.generate()
MAIL_SECRET = "matrix-mail-secret"


class Chat:
    def __init__(self, url: str, slack: SlackTeam, discord: DiscordGuild) -> None:
        self.url = url  # the web server: chat endpoints and the public intakes
        self.slack = slack
        self.discord = discord


@pytest.fixture(scope="module")
def chat(
    matrix: Matrix, meili_server: MeiliServer, tmp_path_factory: pytest.TempPathFactory
) -> Chat:
    fake_slack = FakeSlack(TEAM).start()
    fake_discord = FakeDiscord(DISCORD_TOKEN).start()
    env = {
        **slack_env(matrix.database_url, fake_slack),
        **discord_env(matrix.database_url, fake_discord, KEY),
        "RELEVO_MEILI_URL": meili_server.url,
        "RELEVO_MEILI_KEY": meili_server.key,
        "RELEVO_INTAKE_FORMS": f"website:{FORM_SECRET},email:{MAIL_SECRET}",
    }
    server = WebServer(env, tmp_path_factory.mktemp("access") / "web.log").start()
    for viewer, user_id in SLACK_USERS.items():
        name, _role, _department, email = VIEWERS[viewer]
        fake_slack.add_user(user_id, name, email=email)
    for viewer, (user_id, profile, _says) in REFUSED_SLACK_USERS.items():
        fake_slack.add_user(user_id, f"Odd {viewer.title()}", **profile)
    with matrix.team.app.database.engine.begin() as connection:
        for viewer, (key, _roles) in DISCORD_USERS.items():
            connection.execute(
                text(
                    "INSERT INTO chat_identity (person_id, platform, workspace, external_id) "
                    "SELECT id, 'discord', :guild, :user FROM person WHERE name = :name"
                ),
                {"guild": GUILD, "user": DISCORD_PEOPLE[key]["id"], "name": VIEWERS[viewer][0]},
            )
    slack = SlackTeam(server.url, fake_slack, matrix.database_url)
    discord = DiscordGuild(server.url, fake_discord, KEY, matrix.database_url)
    yield Chat(server.url, slack, discord)
    log = server.log()
    server.stop()
    fake_slack.stop()
    fake_discord.stop()
    slack.engine.dispose()
    discord.engine.dispose()
    assert "Traceback" not in log, log[-3000:]


def whole(payload: Any) -> str:
    """All of a payload, buttons' hidden commands included, as one string."""
    return json.dumps(payload, ensure_ascii=False)


def test_slack_cards_and_account_options_follow_the_rules(matrix: Matrix, chat: Chat) -> None:
    slack = chat.slack
    template = 'whois "{name}"'
    for viewer, user_id in SLACK_USERS.items():
        for visibility, secrets in ACCOUNTS.items():
            line = line_for(template, secrets, {})
            card = slack.crm(user_id, line)
            options = slack.options(user_id, secrets.name.split()[0])
            assert leaks(whole(card) + whole(options), hidden_from(viewer), line) == []
            if viewer in MAY_READ[visibility]:
                assert secrets.word("beacon") in slack_shown(card), (viewer, card)
                assert secrets.name in {o["text"]["text"] for o in options}, (viewer, options)
            else:
                missing = slack.crm(user_id, line_for(template, NOWHERE, {}))
                assert masked(slack_shown(card), secrets, {}, template) == masked(
                    slack_shown(missing), NOWHERE, {}, template
                )
                assert options == slack.options(user_id, NOWHERE.name.split()[0]) == []
            matrix.checked(viewer, visibility, "slack whois")
            matrix.checked(viewer, visibility, "slack account options")


def submitted_log(slack: SlackTeam, user_id: str, account_id: int) -> str:
    """What the bot tells `user_id` after a log form naming account `account_id`."""
    slack.fake.clear()
    answer = slack.submit(
        user_id,
        {"type": "modal", "callback_id": "crm:log"},
        {
            "account": {
                "crm:account": {
                    "type": "external_select",
                    "selected_option": {
                        "text": {"type": "plain_text", "text": "?"},
                        "value": f"account:{account_id}",
                    },
                }
            },
            "text": {"text": {"type": "plain_text_input", "value": "probe"}},
        },
    )
    assert answer.status == 200, answer
    [message] = slack.fake.wait_for("chat.postMessage")
    return whole(message)


def test_a_slack_form_naming_a_hidden_account_by_id_reads_like_a_missing_one(
    matrix: Matrix, chat: Chat
) -> None:
    # A form's account list only offers what the person sees, but the submission carries
    # an id: one that is not theirs to see must tell them nothing, not even its name.
    for user_id in SLACK_USERS.values():
        chat.slack.crm(user_id, "help")  # met before: their first use writes their identity
    for viewer, user_id in SLACK_USERS.items():
        for visibility in hidden_from(viewer):
            account_id = matrix.ids[visibility]["account"]
            before = snapshot(matrix)
            said = submitted_log(chat.slack, user_id, account_id)
            assert leaks(said, hidden_from(viewer)) == [], (viewer, said)
            missing = submitted_log(chat.slack, user_id, MISSING_IDS["account"])
            assert said.replace(str(account_id), "<id>") == missing.replace(
                str(MISSING_IDS["account"]), "<id>"
            ), (viewer, said, missing)
            assert snapshot(matrix) == before
            matrix.checked(viewer, visibility, "slack form with an account id")


def test_slack_guests_strangers_deactivated_users_and_other_workspaces_get_nothing(
    matrix: Matrix, chat: Chat
) -> None:
    slack = chat.slack
    every = list(ACCOUNTS)
    lines = [
        ("whois", 'whois "{name}"'),
        ("find", "find {beacon}"),
        ("log", 'log "{name}" call probe'),
        ("mine", "mine"),
    ]
    for viewer, (user_id, _profile, says) in REFUSED_SLACK_USERS.items():
        for visibility, secrets in ACCOUNTS.items():
            for path, template in lines:
                before = snapshot(matrix)
                reply = slack.crm(user_id, line_for(template, secrets, {}))
                assert says in slack_shown(reply), (viewer, reply)
                assert leaks(whole(reply), every) == [], (viewer, path, reply)
                assert snapshot(matrix) == before, (viewer, path)
                matrix.checked(viewer, visibility, f"slack {path}")
            options = slack.options(user_id, secrets.name.split()[0])
            assert options == [], (viewer, options)
            matrix.checked(viewer, visibility, "slack account options")
    for visibility, secrets in ACCOUNTS.items():
        for path, template in lines:
            before = snapshot(matrix)
            answer, _name = slack.send_command(
                "U0ANA", line_for(template, secrets, {}), team_id=OTHER_WORKSPACE
            )
            assert answer.status == 200
            assert "isn't set up for this workspace" in slack_shown(answer.json())
            assert leaks(answer.body, every) == [], (path, answer.body)
            assert snapshot(matrix) == before, path
            matrix.checked("other workspace", visibility, f"slack {path}")


def discord_autocomplete(
    discord: DiscordGuild, typed: str, user: str, roles: tuple[str, ...], guild: str | None
) -> list[dict[str, Any]]:
    return discord.autocomplete(
        typed, user=user, sub="whois", option="query", roles=roles, guild=guild
    )


def test_discord_cards_and_autocomplete_follow_the_rules(matrix: Matrix, chat: Chat) -> None:
    discord = chat.discord
    for viewer, (user, roles) in DISCORD_USERS.items():
        for visibility, secrets in ACCOUNTS.items():
            card = discord.crm("whois", user=user, roles=roles, query=secrets.name)
            choices = discord_autocomplete(discord, secrets.name.split()[0], user, roles, GUILD)
            assert leaks(whole(card) + whole(choices), hidden_from(viewer), secrets.name) == []
            if viewer in MAY_READ[visibility]:
                assert secrets.word("beacon") in discord_shown(card), (viewer, card)
                assert secrets.name in {c["name"] for c in choices}, (viewer, choices)
            else:
                missing = discord.crm("whois", user=user, roles=roles, query=NOWHERE.name)
                template = "{name}"
                assert masked(discord_shown(card), secrets, {}, template) == masked(
                    discord_shown(missing), NOWHERE, {}, template
                )
                typed = NOWHERE.name.split()[0]
                assert choices == discord_autocomplete(discord, typed, user, roles, GUILD) == []
            matrix.checked(viewer, visibility, "discord whois")
            matrix.checked(viewer, visibility, "discord autocomplete")


def test_discord_other_servers_and_direct_messages_get_nothing(matrix: Matrix, chat: Chat) -> None:
    discord = chat.discord
    every = list(ACCOUNTS)
    for where, guild, says in (
        ("other server", OTHER_GUILD, "isn't set up for this server"),
        ("direct message", None, "not in direct messages"),
    ):
        for visibility, secrets in ACCOUNTS.items():
            for path, sub, options in (
                ("whois", "whois", {"query": secrets.name}),
                ("find", "find", {"text": secrets.word("beacon")}),
                ("log", "log", {"account": secrets.name, "text": "probe"}),
                ("mine", "mine", {}),
            ):
                before = snapshot(matrix)
                reply = discord.crm(sub, user="luis", guild=guild, **options)
                assert says in discord_shown(reply), (where, reply)
                assert leaks(whole(reply), every) == [], (where, path, reply)
                assert snapshot(matrix) == before, (where, path)
                matrix.checked(where, visibility, f"discord {path}")
            typed = secrets.name.split()[0]
            assert discord_autocomplete(discord, typed, "luis", (), guild) == []
            matrix.checked(where, visibility, "discord autocomplete")


# -- last, because they change the hub: the same writes by those who may make them --------

MAY_MANAGE = {"owner", "cover", "manager", "admin"}
NOT_FOUND = ("don't know an account", "that you can see", "that you can act on")


def test_the_same_writes_by_readers_are_not_refused_as_missing(matrix: Matrix) -> None:
    # The refusals above would prove nothing if these paths refused everyone alike.
    for viewer in VIEWERS:
        for visibility in ACCOUNTS:
            cells = [(p, t) for p, t in WRITES if viewer in MAY_READ[visibility]]
            cells += [(p, t) for p, t in TASK_WRITES if viewer in MAY_ACT_ON_ANAS_TASKS]
            for path, template in cells:
                line = line_for(
                    template, ACCOUNTS[visibility], matrix.ids[visibility], me=matrix.handle(viewer)
                )
                out = matrix.ask(viewer, line)
                assert not any(words in out for words in NOT_FOUND), (viewer, path, out)
                assert leaks(out, hidden_from(viewer), line) == [], (viewer, path, out)
                matrix.checked(viewer, visibility, path)


def test_only_those_who_manage_an_account_move_its_channel(matrix: Matrix) -> None:
    # Every write on an account is posted to its linked channel: choosing the channel
    # shares the account with that channel's audience, as choosing its visibility does.
    for viewer in VIEWERS:
        for visibility in ACCOUNTS:
            if viewer not in MAY_READ[visibility]:
                continue  # a hidden account's name cannot even be claimed (above)
            name = ACCOUNTS[visibility].name
            out = matrix.ask(viewer, f'account "{name}" channel:#everyone')
            linked = matrix.scalar("SELECT channel FROM account WHERE name = :n", n=name)
            if viewer in MAY_MANAGE:
                assert linked == "#everyone", (viewer, out)
                matrix.ask(viewer, f'account "{name}" channel:#{ACCOUNTS[visibility].stem}')
            else:
                assert "Only the owner of" in out and linked != "#everyone", (viewer, out)
            matrix.checked(viewer, visibility, "link a channel")


# -- the side doors: public intakes, imports, Discord's channel ---------------------------
# Last in the module: leads and imports add accounts the earlier counts do not expect.


def post_intake(chat: Chat, path: str, body: dict[str, str], secret: str) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"{chat.url}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-Relevo-Token": secret}
        | ({"X-Relevo-Form": "website"} if secret == FORM_SECRET else {}),
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def account_state(matrix: Matrix, account_id: int) -> tuple[Any, ...]:
    with matrix.team.app.database.engine.connect() as connection:
        return tuple(
            connection.execute(
                text(
                    "SELECT name, owner_id, status, domain, visibility, department, tier, "
                    "channel FROM account WHERE id = :id"
                ),
                {"id": account_id},
            ).one()
        )


def test_anonymous_web_leads_never_change_or_reveal_an_account(matrix: Matrix, chat: Chat) -> None:
    received = (201, {"status": "received"})
    for n, (visibility, secrets) in enumerate(ACCOUNTS.items()):
        account_id = matrix.ids[visibility]["account"]
        before = account_state(matrix, account_id)
        timeline = "SELECT count(*) FROM interaction WHERE account_id = :a"
        logged = matrix.scalar(timeline, a=account_id)
        leads = {
            "web lead naming it": {"company": secrets.name, "email": f"a{n}@lead{n}.example"},
            "web lead naming its alias": {"company": secrets.alias, "email": f"b{n}@l{n}.example"},
            "web lead from its domain": {"company": NOWHERE.name, "email": f"c@{secrets.domain}"},
            "web lead as its contact": {"name": "Someone", "email": secrets.email},
        }
        for path, lead in leads.items():
            assert post_intake(chat, "/intake/form", lead, FORM_SECRET) == received, path
            matrix.checked("anonymous", visibility, path)
        # The same answer as a lead naming nothing the hub has.
        nothing = {"company": NOWHERE.name, "email": f"d{n}@nothing{n}.example"}
        assert post_intake(chat, "/intake/form", nothing, FORM_SECRET) == received
        assert account_state(matrix, account_id) == before, visibility
        # What came from its domain and its contact's address is on its timeline.
        assert matrix.scalar(timeline, a=account_id) == logged + 2, visibility


def test_a_contact_copied_onto_another_account_does_not_capture_the_mail(
    matrix: Matrix, chat: Chat
) -> None:
    copier = VIEWERS["other team"][0]
    matrix.team.run('account "Copycat Co" visibility:private', by=copier)
    copycat = matrix.scalar("SELECT id FROM account WHERE name = 'Copycat Co'")
    for n, (visibility, secrets) in enumerate(ACCOUNTS.items()):
        line = f'contact "Copycat Co" "Copy {n}" email:{secrets.email}'
        assert "✓" in matrix.team.run(line, by=copier), line
        mail = {
            "from": secrets.email,
            "subject": f"Quarterly figures {n}",
            "text": "Revenue up.",
            "message_id": f"<quarter-{n}@{secrets.domain}>",
        }
        status, answer = post_intake(chat, "/intake/email", mail, MAIL_SECRET)
        assert (status, answer["status"], answer["account"]) == (201, "logged", secrets.name)
        matrix.checked("other team", visibility, "e-mail from a contact copied elsewhere")
    assert matrix.scalar("SELECT count(*) FROM interaction WHERE account_id = :a", a=copycat) == 0
    with matrix.team.app.database.engine.begin() as connection:  # the copies go again
        connection.execute(text("DELETE FROM contact WHERE account_id = :a"), {"a": copycat})


IMPORTS = {
    # path: (kind, header, row with the account's key, {field: what fills it})
    "import account by domain (dry run)": (
        "accounts",
        "Company name,Company Domain Name",
        "Probe,{domain}",
    ),
    "import contact by e-mail (dry run)": (
        "contacts",
        "Email,First Name,Associated Company",
        "{email},Probe,Aurora Mills",
    ),
}


def test_imports_match_only_what_the_importer_may_read(
    matrix: Matrix, relevo: Callable[..., str], tmp_path: Any
) -> None:
    for viewer, (name, *_rest) in VIEWERS.items():
        for visibility, secrets in ACCOUNTS.items():
            for path, (kind, header, row) in IMPORTS.items():
                before = account_state(matrix, matrix.ids[visibility]["account"])
                outs = []
                for keyed in (secrets, NOWHERE):
                    csv = tmp_path / f"{kind}.csv"
                    csv.write_text(f"{header}\n{row.format(**keyed.fields())}\n", encoding="utf-8")
                    outs.append(relevo("import", "csv", kind, str(csv), "--as", name, "--dry-run"))
                assert account_state(matrix, matrix.ids[visibility]["account"]) == before
                if viewer in MAY_READ[visibility] and kind == "accounts":
                    assert "0 created" in outs[0], (viewer, visibility, outs[0])
                elif viewer not in MAY_READ[visibility]:
                    assert outs[0] == outs[1], (viewer, visibility, path)
                    assert leaks(outs[0], hidden_from(viewer)) == []
                matrix.checked(viewer, visibility, path)


def test_discord_answers_are_the_asker_s_and_a_shared_digest_is_the_channel_s(
    matrix: Matrix, chat: Chat
) -> None:
    discord = chat.discord
    for viewer, (user, roles) in DISCORD_USERS.items():
        for visibility, secrets in ACCOUNTS.items():
            card = discord.crm("whois", user=user, roles=roles, query=secrets.name)
            assert card["data"].get("flags") == 64, (viewer, card)  # for the asker alone
            matrix.checked(viewer, visibility, "discord answer is ephemeral")
        own = discord.crm("report", what="digest", user=user, roles=roles)
        assert own["data"].get("flags") == 64, (viewer, own)
        shared = discord.crm("report", what="digest", user=user, roles=roles, now=True)
        assert "flags" not in shared["data"], shared  # posted, as asked
        assert leaks(discord_shown(shared), ["team", "private"]) == [], shared
        for visibility in ACCOUNTS:
            matrix.checked("discord channel", visibility, "digest now")


# Correcting a record is for its author (Ana), whoever answers for the account (Ana, and
# Pablo who covers her today) and managers; restoring a deleted one for admins. Anyone
# else who may read the account is told so, and nothing changes.
MAY_CORRECT_ANAS_RECORDS = {"owner", "cover", "manager", "admin"}


def test_only_the_author_the_owner_or_cover_and_managers_correct_a_record(
    matrix: Matrix,
) -> None:
    owner = VIEWERS["owner"][0]
    for viewer in VIEWERS:
        for visibility in [v for v in ACCOUNTS if viewer in MAY_READ[v]]:
            secrets = ACCOUNTS[visibility]
            made = matrix.team.run(f'log "{secrets.name}" call probe', by=owner)
            found = re.search(r"Logged call (N\d+)", made)
            assert found, made
            record = found.group(1)
            for path, line, done in (
                ("edit", f"edit {record} probe edited", f"Edited {record}"),
                ("delete", f"delete {record}", f"Deleted {record}"),
            ):
                before = snapshot(matrix)
                out = matrix.ask(viewer, line)
                assert leaks(out, hidden_from(viewer), line) == [], (viewer, path, out)
                if viewer in MAY_CORRECT_ANAS_RECORDS:
                    assert done in out, (viewer, path, out)
                else:
                    assert f"Only {record}'s author, {secrets.name}'s owner" in out, out
                    assert snapshot(matrix) == before, (viewer, path)
                matrix.checked(viewer, visibility, f"{path} (may read)")
            if viewer in MAY_CORRECT_ANAS_RECORDS:
                out = matrix.ask(viewer, f"restore {record}")
                restored = f"Restored {record}" in out
                assert restored == (viewer == "admin"), (viewer, out)
                if not restored:
                    assert "Only an admin can restore" in out, (viewer, out)
                matrix.checked(viewer, visibility, "restore (may read)")


# Closing an agreement is for whoever recorded it (Ana, here), whoever answers for the
# account (Ana, and Pablo who covers her today) and managers; anyone else who may read the
# account is told so, and nothing changes.
MAY_CLOSE_ANAS_AGREEMENTS = {"owner", "cover", "manager", "admin"}
CLOSES = [("kept", "kept {agreement}"), ("broken", "broken {agreement} probe")]


def test_only_the_author_the_owner_or_cover_and_managers_close_an_agreement(
    matrix: Matrix,
) -> None:
    owner = VIEWERS["owner"][0]
    for viewer in VIEWERS:
        for visibility in [v for v in ACCOUNTS if viewer in MAY_READ[v]]:
            secrets = ACCOUNTS[visibility]
            for path, template in CLOSES:
                # A fresh open agreement of Ana's each time (the writes by readers above
                # closed the setup's).
                made = matrix.team.run(f'agree "{secrets.name}" probe', by=owner)
                found = re.search(r"Agreement A(\d+)", made)
                assert found, made
                line = line_for(template, secrets, {"agreement": int(found.group(1))})
                before = snapshot(matrix)
                out = matrix.ask(viewer, line)
                assert leaks(out, hidden_from(viewer), line) == [], (viewer, path, out)
                if viewer in MAY_CLOSE_ANAS_AGREEMENTS:
                    assert f"on {secrets.name} {path}" in out, (viewer, path, out)
                else:
                    assert "Only whoever recorded agreement" in out, (viewer, path, out)
                    assert "Nothing was saved" in out, (viewer, path, out)
                    assert snapshot(matrix) == before, (viewer, path)
                matrix.checked(viewer, visibility, f"{path} (may read)")


# -- notices (issue 20): a DM or "New for you" names only what its reader may read ---------


def test_notices_name_only_accounts_their_reader_may_read(
    matrix: Matrix, relevo: Callable[..., str]
) -> None:
    # A follow-up about an account its assignee may not read is refused (nothing saved);
    # one they may read is theirs, and they hear of it. A manager's change to each
    # account reaches Ana's cover (she is away). Then every DM the clock sends and every
    # "New for you" is read for the words of the accounts its reader may not read.
    probe = "SELECT count(*) FROM task WHERE text LIKE 'notice probe%'"
    for visibility, secrets in ACCOUNTS.items():
        name = f'"{secrets.name}"'
        for tier in ("B", "A"):  # changed and put back as it was
            out = matrix.ask("manager", f"account {name} tier:{tier}")
            assert "Nothing was saved" not in out, out
        for viewer in VIEWERS:
            if viewer == "owner":
                continue
            before = matrix.scalar(probe)
            line = f"remind tomorrow notice probe about {name} for @{matrix.handle(viewer)}"
            out = matrix.ask("owner", line)
            if viewer in MAY_READ[visibility]:
                assert "Follow-up F" in out, (viewer, out)
                assert matrix.scalar(probe) == before + 1
            else:
                assert "can't see" in out and "Nothing was saved." in out, (viewer, out)
                assert matrix.scalar(probe) == before
            matrix.checked(viewer, visibility, "follow-up assigned")
    out = relevo("run", "notices", "--at", "2026-11-24T10:05+01:00")
    names = {name: viewer for viewer, (name, *_rest) in VIEWERS.items()}
    messages = re.split(r"^→ DM to ", out, flags=re.MULTILINE)[1:]
    assert messages, out
    for message in messages:
        reader = names[message.split("\n", 1)[0].split(" on ")[0].strip()]
        assert leaks(message, hidden_from(reader)) == [], (reader, message)
        for visibility in ACCOUNTS:
            matrix.checked(reader, visibility, "notice DM")
    # Pablo covers Ana: the manager's change to her private account reaches him.
    assert any(m.startswith("Pablo Soto") and ACCOUNTS["private"].name in m for m in messages), (
        messages
    )
    for viewer in VIEWERS:
        out = matrix.ask(viewer, "mine")
        assert leaks(out, hidden_from(viewer)) == [], (viewer, out)
        for visibility in ACCOUNTS:
            matrix.checked(viewer, visibility, "notice in mine")
    with matrix.team.app.database.engine.begin() as connection:
        connection.execute(text("DELETE FROM task WHERE text LIKE 'notice probe%'"))
