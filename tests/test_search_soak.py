"""The indexer process against a Meilisearch that dies: a soak where people keep writing
while Meilisearch is killed (SIGKILL) and restarted three times, every write succeeds for
its author, and once `relevo serve indexer` (a subprocess, as in production) has drained
the outbox the index holds exactly the hub's records, field for field; and an indexer
started while Meilisearch is down waits for it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import Team, service_missing
from sqlalchemy import text

from benchmarks import meili
from benchmarks.meili import MeiliServer
from commands.reply import Tone
from commands.runner import CommandRunner
from hub.clock import FixedClock
from hub.models import Person
from hub.privacy import forget_contact
from hub.work import Work
from search.index import MeiliIndex
from search.service import Search

WRITERS = 3
OUTAGES = 3
FIRST_KILL_SECONDS = 3.0  # writes (and the indexer starting) before the first outage
DOWN_SECONDS = 2.5
UP_LIMIT = 60.0  # each restart waits for the indexer to apply a batch, at most this long
THINK_SECONDS = 0.02  # between one person's writes: busy, but leaving Meilisearch some CPU
CONVERGE_LIMIT = 180.0  # a liveness bound for the drain, not a speed requirement


@dataclass
class Writer:
    """One team member writing in a loop: accounts, contacts, logs, agreements,
    complaints, deals, then renames, contact changes and visibility changes of earlier
    accounts, and an earlier contact forgotten, so the indexer sees creates, updates of
    one record, re-indexes of a whole account and deletes."""

    runner: CommandRunner
    person_id: int
    admin_id: int
    number: int
    stop: threading.Event
    names: dict[int, str] = field(default_factory=dict)
    done: list[tuple[float, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def write(self, line: str) -> None:
        reply = self.runner.run(line, person_id=self.person_id)
        if reply.tone in (Tone.ERROR, Tone.WARNING):
            self.failed.append((line, f"{reply.title} {reply.notes}"))
        else:
            self.done.append((time.monotonic(), line))
        time.sleep(THINK_SECONDS)

    def forget(self, email: str) -> None:
        """The one delete there is: an admin forgets a contact (hub/privacy.py)."""
        database = self.runner.database
        with database.unit_of_work() as session:
            admin = session.get(Person, self.admin_id)
            assert admin is not None
            work = Work(
                session=session,
                actor=admin,
                now=self.runner.clock.now(),
                settings=self.runner.settings,
            )
            forget_contact(work, email)
        self.done.append((time.monotonic(), f"forget contact {email}"))

    def round(self, k: int) -> None:
        w = self.number
        name = self.names[k] = f"Soak {w}-{k}"
        tier = "ABC"[k % 3]
        self.write(f'account "{name}" tier:{tier} domain:soak{w}-{k}.example')
        self.write(
            f'contact "{name}" "Person {w} {k}" role:buyer '
            f"email:p{w}-{k}@soak.example phone:+34600{w}{k:04d}"
        )
        self.write(f'log "{name}" call Talked through batch {k} with "Person {w} {k}"')
        self.write(f'agree "{name}" Ship batch {k} due 2026-12-{1 + k % 28:02d}')
        self.write(f'complaint "{name}" Batch {k} arrived late severity:high')
        self.write(f'deal "{name}" "Renewal {w}-{k}" amount:{1000 + k}')
        if k >= 1:
            earlier = self.names[k - 1]
            self.write(
                f'contact "{earlier}" "Person {w} {k - 1}" role:champion '
                f"email:q{w}-{k - 1}@soak.example"
            )
        if k >= 2 and k % 2 == 0:
            old = self.names[k - 2]
            self.names[k - 2] = f"{old} Renamed"
            self.write(f'account "{old}" rename:"{old} Renamed"')
        if k >= 3 and k % 3 == 0:
            self.write(f'account "{self.names[k - 3]}" visibility:team')
        if k >= 4 and k % 4 == 0:
            self.forget(f"q{w}-{k - 4}@soak.example")

    def run(self) -> None:
        k = 0
        while not self.stop.is_set():
            self.round(k)
            k += 1


def hub_documents(team: Team) -> dict[str, dict[str, Any]]:
    """What the index must hold, read from the hub's tables with plain SQL."""
    account = "a.id as account_id, a.name, a.visibility, a.owner_id"
    queries = {
        "account": f"select a.id as record_id, {account}, a.name as title from account a",
        "contact": f"select c.id as record_id, {account}, c.name as title, "
        "coalesce(c.email, '') as email from contact c join account a on a.id = c.account_id",
        "interaction": f"select r.id as record_id, {account}, r.text from interaction r "
        "join account a on a.id = r.account_id",
        "agreement": f"select r.id as record_id, {account}, r.text from agreement r "
        "join account a on a.id = r.account_id",
        "complaint": f"select r.id as record_id, {account}, r.text from complaint r "
        "join account a on a.id = r.account_id",
        "deal": f"select r.id as record_id, {account}, r.title from deal r "
        "join account a on a.id = r.account_id",
    }
    docs: dict[str, dict[str, Any]] = {}
    with team.app.database.engine.connect() as connection:
        for kind, sql in queries.items():
            for row in connection.execute(text(sql)).mappings():
                fields = dict(row)
                docs[f"{kind}-{fields.pop('record_id')}"] = fields
    return docs


def index_documents(index: MeiliIndex) -> dict[str, dict[str, Any]]:
    """Every document in the index (paged through), with the fields `hub_documents` has."""
    wanted = {
        "account": ("title",),
        "contact": ("title", "email"),
        "interaction": ("text",),
        "agreement": ("text",),
        "complaint": ("text",),
        "deal": ("title",),
    }
    docs: dict[str, dict[str, Any]] = {}
    offset = 0
    while True:
        page = index.client.index(index.uid).get_documents({"limit": 1000, "offset": offset})
        for document in page.results:
            doc = dict(document)
            fields = {
                "name": doc["account_name"],
                "visibility": doc["visibility"],
                "owner_id": doc["owner_id"],
                "account_id": doc["account_id"],
            }
            fields.update({k: doc[k] for k in wanted[doc["type"]]})
            docs[doc["id"]] = fields
        offset += len(page.results)
        if offset >= page.total or not page.results:
            return docs


def start_indexer(team: Team, server: MeiliServer, log: Path) -> subprocess.Popen[bytes]:
    """`relevo serve indexer` on the team's hub and `server`, its output in `log`."""
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "indexer"],
            env={
                **os.environ,
                "RELEVO_DATABASE_URL": team.app.settings.database_url,
                "RELEVO_MEILI_URL": server.url,
                "RELEVO_MEILI_KEY": server.key,
            },
            stdout=output,
            stderr=output,
        )


def meili_server(tmp_path: Path) -> MeiliServer:
    """A server of our own (not started): killing it must not touch other tests' index."""
    path = meili.binary()
    if path is None:
        service_missing("Meilisearch", FileNotFoundError("no RELEVO_TEST_MEILI_BIN"))
    (tmp_path / "meili").mkdir()
    return MeiliServer(binary=str(path), data=tmp_path / "meili")


def pending(team: Team) -> int:
    return int(team.scalar("select count(*) from search_outbox where processed_at is null") or 0)


def processed(team: Team) -> int:
    sql = "select count(*) from search_outbox where processed_at is not null"
    return int(team.scalar(sql) or 0)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_index_equals_hub_after_writes_through_three_meilisearch_crashes(
    team: Team, clock: FixedClock, tmp_path: Path
) -> None:
    server = meili_server(tmp_path)
    server.start()
    indexer: subprocess.Popen[bytes] | None = None
    try:
        index = MeiliIndex(url=server.url, key=server.key, timeout=2)
        runner = CommandRunner(
            database=team.app.database,
            settings=team.app.settings,
            clock=clock,
            search=Search(index=index),
        )
        indexer = start_indexer(team, server, tmp_path / "indexer.log")
        stop = threading.Event()
        team.add("Sofía Navarro", role="admin")
        people = ["Ana García", "Luis Pérez", "Carmen Vidal", "Sofía Navarro"]
        ids = {n: int(team.scalar("select id from person where name = :n", n=n)) for n in people}
        writers = [
            Writer(runner, ids[name], ids["Sofía Navarro"], number, stop)
            for number, name in enumerate(people[:WRITERS], start=1)
        ]
        threads = [threading.Thread(target=w.run) for w in writers]
        for thread in threads:
            thread.start()

        outages: list[tuple[float, float]] = []
        applied: list[
            int
        ] = []  # outbox rows the indexer applied between a restart and the next kill
        time.sleep(FIRST_KILL_SECONDS)
        for _ in range(OUTAGES):
            assert server.process is not None
            server.process.kill()
            server.process.wait()
            down = time.monotonic()
            time.sleep(DOWN_SECONDS)
            server.start()
            outages.append((down, time.monotonic()))
            # Up until the indexer has applied a batch (it is then often in the middle of
            # the next one when the kill comes), within a bound.
            before = processed(team)
            deadline = time.monotonic() + UP_LIMIT
            while processed(team) == before and time.monotonic() < deadline:
                time.sleep(0.1)
            applied.append(processed(team) - before)
        stop.set()
        for thread in threads:
            thread.join()
        writes_ended = time.monotonic()
        left_behind = pending(team)

        while pending(team) and time.monotonic() - writes_ended < CONVERGE_LIMIT:
            assert indexer.poll() is None, (tmp_path / "indexer.log").read_text()
            time.sleep(0.1)
        converged = time.monotonic() - writes_ended

        assert [f for w in writers for f in w.failed] == []
        done = [when for w in writers for when, _ in w.done]
        during = sum(1 for when in done if any(a <= when <= b for a, b in outages))
        assert during > 0
        assert pending(team) == 0
        forgotten = team.scalar("select count(*) from audit_event where action = 'contact.forget'")
        assert forgotten
        hub, indexed = hub_documents(team), index_documents(index)
        missing = sorted(set(hub) - set(indexed))
        extra = sorted(set(indexed) - set(hub))
        stale = sorted(k for k in set(hub) & set(indexed) if hub[k] != indexed[k])
        assert (missing, extra, stale) == ([], [], []), [(k, hub[k], indexed[k]) for k in stale[:5]]
        print(
            f"\nsoak: {len(done)} writes ({during} while Meilisearch was down, "
            f"{forgotten} contacts forgotten), "
            f"{OUTAGES} outages, outbox rows applied between a restart and the next kill "
            f"{applied}, "
            f"{left_behind} pending when writes stopped, "
            f"converged {converged:.1f} s after the last write; "
            f"index = hub = {len(hub)} documents"
        )
    finally:
        if indexer is not None:
            indexer.terminate()
            indexer.wait(timeout=10)
        server.stop()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_an_indexer_started_while_meilisearch_is_down_waits_for_it(
    team: Team, tmp_path: Path
) -> None:
    server = meili_server(tmp_path)
    log = tmp_path / "indexer.log"
    indexer = start_indexer(team, server, log)
    try:
        team.run("account Acme tier:A", by="Ana García")
        deadline = time.monotonic() + 60
        while "search unavailable" not in log.read_text() and time.monotonic() < deadline:
            assert indexer.poll() is None, log.read_text()
            time.sleep(0.1)
        assert "search unavailable" in log.read_text()
        server.start()
        while pending(team) and time.monotonic() < deadline:
            assert indexer.poll() is None, log.read_text()
            time.sleep(0.1)
        index = MeiliIndex(url=server.url, key=server.key)
        assert index_documents(index) == hub_documents(team)
        assert "Traceback" not in log.read_text()
    finally:
        indexer.terminate()
        indexer.wait(timeout=10)
        server.stop()
