from __future__ import annotations

import os
import shutil
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from benchmarks import meili
from benchmarks.meili import MeiliServer
from bot.bootstrap import App, bootstrap
from bot.config import Config
from bot.console import Console
from commands.reply import Reply
from hub.clock import Clock, FixedClock
from hub.db import Database
from hub.models import Base, Person
from hub.people import ensure_person, update_person
from hub.settings import Settings
from search.index import MeiliIndex

MADRID = ZoneInfo("Europe/Madrid")
# The instant every test starts at, whatever the machine's date: the hub's clock in
# process, and RELEVO_CLOCK_START for every `relevo` process the tests start.
EPOCH = datetime(2026, 11, 24, 10, 0, tzinfo=MADRID)  # a Tuesday
POSTGRES = os.environ.get(
    "RELEVO_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


# Cells (viewer, account visibility, path) of tests/test_access_matrix.py that were checked,
# reported at the end of the run.
ACCESS_CELLS = pytest.StashKey[set[tuple[str, str, str]]]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[ACCESS_CELLS] = set()
    os.environ["RELEVO_CLOCK_START"] = EPOCH.isoformat()
    # The `relevo` processes the tests start run this checkout, even where the virtual
    # environment's editable install points at another clone.
    root = str(config.rootpath)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    )


def service_missing(what: str, error: Exception) -> None:
    message = f"{what} is not reachable ({type(error).__name__}: {error})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("template") / "hub.db"
    database = Database(url=f"sqlite:///{path}")
    database.upgrade()
    database.dispose()
    return str(path)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    schema = f"relevo_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as error:
        admin.dispose()
        service_missing("PostgreSQL", error)
    url = make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema},public"})
    rendered = url.render_as_string(hide_password=False)
    database = Database(url=rendered)
    database.upgrade()
    database.dispose()
    yield rendered
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "hub.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def meili_server(tmp_path_factory: pytest.TempPathFactory) -> MeiliServer:
    path = meili.binary()
    if path is None:
        missing = FileNotFoundError("set RELEVO_TEST_MEILI_BIN (scripts/test does)")
        service_missing("Meilisearch", missing)
    server = MeiliServer(binary=str(path), data=tmp_path_factory.mktemp("meili"))
    try:
        server.start()
    except RuntimeError as error:
        service_missing("Meilisearch", error)
    yield server
    server.stop()


@pytest.fixture
def meili_index(meili_server: MeiliServer) -> MeiliIndex:
    index = MeiliIndex(url=meili_server.url, key=meili_server.key, uid=f"t{uuid.uuid4().hex[:12]}")
    index.ensure()
    return index


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(at=EPOCH)


class Team:
    """The hub with people in it, driven through the console like a chat transcript."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.consoles: dict[str, Console] = {}

    def add(
        self,
        name: str,
        *,
        role: str = "member",
        department: str = "Sales",
        tz: str = "Europe/Madrid",
    ) -> None:
        with self.app.database.unit_of_work() as session:
            person = ensure_person(session, name=name, now=self.app.runner.clock.now())
            update_person(person, role=role, department=department, tz=tz)

    def run(self, line: str, *, by: str) -> str:
        if by not in self.consoles:
            self.consoles[by] = Console(app=self.app, person_name=by)
        return self.consoles[by].ask(line)

    def reply(self, line: str, *, by: str) -> Reply:
        if by not in self.consoles:
            self.consoles[by] = Console(app=self.app, person_name=by)
        return self.app.runner.run(line, person_id=self.consoles[by].person_id)

    def person_id(self, name: str) -> int:
        """The id of the team member called `name`."""
        with self.app.database.unit_of_work() as session:
            found = session.query(Person.id).filter(Person.name == name).scalar()
            assert found is not None, name
            return int(found)

    def scalar(self, sql: str, **params: object) -> object:
        with self.app.database.engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()


def build_app(
    database_url: str,
    clock: Clock,
    *,
    database: Database | None = None,
    index: MeiliIndex | None = None,
) -> App:
    """The app the processes build, with the tests' parts: their hub, clock and index;
    nothing read from the environment, logging left to pytest."""
    settings = Settings(database_url=database_url, timezone="Europe/Madrid")
    return bootstrap(
        Config(settings=settings),
        database=database,
        index=index,
        clock=clock,
        migrate=False,
        configure_logs=False,
    )


@pytest.fixture
def app(database_url: str, clock: FixedClock) -> App:
    built = build_app(database_url, clock)
    yield built
    built.database.dispose()


@pytest.fixture
def team(app: App) -> Team:
    crew = Team(app)
    crew.add("Ana García")
    crew.add("Luis Pérez")
    crew.add("Marta Ruiz", department="Service")
    crew.add("Carmen Vidal", role="manager")
    return crew


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    """The figures the reliability tests gather: access-matrix cells checked, and how many
    fuzz cases each target ran (tests/hostile.py counts them)."""
    from hostile import CASES

    cells = config.stash.get(ACCESS_CELLS, set())
    if cells:
        terminalreporter.write_line(f"access-matrix cells checked: {len(cells)}")
    if not CASES:
        return
    terminalreporter.write_sep("-", "fuzz cases run")
    for target, count in sorted(CASES.items()):
        terminalreporter.write_line(f"{count:6d}  {target}")
    # Indented targets break a target down (e.g. by answer), so they are not added again.
    cases = sum(n for target, n in CASES.items() if not target.startswith(" "))
    terminalreporter.write_line(f"{cases:6d}  in all")
