"""A member who cannot read account X learns nothing of it and changes nothing of it,
whatever they type, import or have posted to the public intakes.

Two hubs are built alike: in one, Ana's private account is X ("Zephyr Secret", its alias,
domain, contact address, deal and complaint); in the other the same rows carry names of
nobody's probing (so ids, counts and order are the same in both). Eve, a member of another
department, then runs a generated sequence of `/crm` lines, CSV imports and anonymous web
leads and e-mails naming X every way a member can. Her replies must be the same in both
hubs, and X's rows in the first must be as they were.

Two exceptions are left out of the generator, as the README documents them: a name or
alias is unique across the hub (so `account ZEPH` is refused as taken), and mail or a lead
from an address at X's domain goes to X, whoever else has a contact with that address.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import EPOCH, build_app
from hostile import fuzz, ran
from hypothesis import assume, given
from hypothesis import strategies as st
from sqlalchemy import text

from bot.console import Console
from hub.clock import FixedClock
from hub.errors import HubError
from hub.inbound import Assignment
from hub.people import ensure_person, update_person
from integrations.csv_import import Importer
from integrations.intake import EmailIntake, InboundMessage, Lead, LeadIntake


@dataclass(frozen=True)
class Identity:
    name: str
    alias: str
    domain: str
    person: str

    @property
    def email(self) -> str:
        return f"quentin@{self.domain}"


X = Identity("Zephyr Secret", "ZEPH", "zephyrsecret.com", "Quentin Hale")
NOBODY = Identity("Umbra Holdings", "UMB", "umbra-holdings.example", "Ursula Moss")


def setup_lines(hidden: Identity) -> list[tuple[str, str]]:
    """(who, line): the hidden account first, so its ids are the same in both hubs."""
    n = f'"{hidden.name}"'
    return [
        (
            "Ana García",
            f"account {n} alias:{hidden.alias} domain:{hidden.domain} visibility:private tier:A",
        ),
        ("Ana García", f'contact {n} "{hidden.person}" email:{hidden.email} role:buyer'),
        ("Ana García", f'deal {n} "Board deal" amount:250000 stage:negotiation'),
        ("Ana García", f"complaint {n} Secret outage severity:high"),
        ("Ana García", f"agree {n} Secret contract due 2026-12-20"),
        ("Ana García", f"log {n} call Board approved 41.5M"),
        ("Ana García", 'account "Open Place" domain:openplace.example'),
        ("Ana García", 'contact "Open Place" "Paula Pons" email:paula@openplace.example'),
        ("Ana García", 'deal "Open Place" "Pilot" amount:1000 stage:proposal'),
        ("Eve Stone", 'account "Eve Co"'),
    ]


class World:
    """One hub, in process, with its people and a console each."""

    def __init__(self, path: Path) -> None:
        self.path = path
        url = f"sqlite:///{path}"
        self.clock = FixedClock(at=EPOCH)
        self.app = build_app(url, self.clock)
        self.settings = self.app.settings
        self.database = self.app.database
        self.consoles: dict[str, Console] = {}
        self.leads = LeadIntake(
            database=self.database,
            settings=self.settings,
            clock=self.clock,
            notifier=Silent(),
            assignment=Assignment.from_env({"RELEVO_INTAKE_OWNERS": "Carmen Vidal"}),
        )
        self.mail = EmailIntake(database=self.database, settings=self.settings, clock=self.clock)

    @classmethod
    def build(cls, path: Path, template: str, hidden: Identity) -> None:
        """The hub file at `path`: its people, then `hidden`'s account and the rest."""
        shutil.copy(template, path)
        world = cls(path)
        for name, role, department in (
            ("Ana García", "member", "Sales"),
            ("Eve Stone", "member", "Support"),
            ("Carmen Vidal", "manager", "Sales"),
        ):
            with world.database.unit_of_work() as session:
                person = ensure_person(session, name=name, now=world.clock.now())
                update_person(person, role=role, department=department)
        for who, line in setup_lines(hidden):
            assert "✓" in world.run(line, by=who), line
        # Its deal and complaint as imported from HubSpot, with their ids: X's are 9001 and
        # 7001, which nothing has in the other hub.
        number = 1 if hidden is X else 2
        for table, header, row in (
            (
                "deals",
                "Record ID,Deal Name,Amount,Deal Stage,Associated Company",
                f"900{number},Imported deal,90000,Negotiation,{hidden.name}",
            ),
            (
                "complaints",
                "Record ID,Subject,Priority,Status,Associated Company",
                f"700{number},Imported outage,High,Open,{hidden.name}",
            ),
        ):
            source = path.with_name(f"{path.stem}-{table}.csv")
            source.write_text(f"{header}\n{row}\n", encoding="utf-8")
            importer = Importer(
                database=world.database, settings=world.settings, clock=world.clock, actor_id=1
            )
            summary = importer.run(table, source)
            assert (summary.created, summary.rejected) == (1, []), summary.lines()
        world.database.dispose()

    def run(self, line: str, *, by: str) -> str:
        if by not in self.consoles:
            self.consoles[by] = Console(app=self.app, person_name=by)
        return self.consoles[by].ask(line)

    def rows_of_the_hidden_account(self) -> list[tuple[Any, ...]]:
        """Every field of account 1 and of each row attached to it that existed at setup,
        but its last contact (a lead from its own domain is a contact)."""
        queries = [
            "SELECT name, name_key, owner_id, domain, visibility, status, tier, department "
            "FROM account WHERE id = 1",
            "SELECT alias FROM account_alias WHERE account_id = 1 ORDER BY id",
            "SELECT id, name, email, phone, title, role FROM contact WHERE account_id = 1 "
            "AND id = 1",
            "SELECT id, title, amount, stage FROM deal WHERE account_id = 1 ORDER BY id",
            "SELECT kind, external_id, entity_id FROM external_ref WHERE (kind = 'deal' AND "
            "entity_id IN (SELECT id FROM deal WHERE account_id = 1)) OR (kind = 'complaint' "
            "AND entity_id IN (SELECT id FROM complaint WHERE account_id = 1)) ORDER BY id",
            "SELECT id, text, severity, status FROM complaint WHERE account_id = 1 ORDER BY id",
            "SELECT id, text, due_on FROM agreement WHERE account_id = 1 ORDER BY id",
            "SELECT id, text FROM interaction WHERE account_id = 1 AND id = 1",
        ]
        with self.database.engine.connect() as connection:
            return [tuple(r) for q in queries for r in connection.execute(text(q)).all()]


class Silent:
    """Lead notices go nowhere: the member's view is what is compared."""

    def notify_person(self, person_id: int, reply: Any, *, kind: str, key: str) -> None:
        return None


# -- what Eve tries -------------------------------------------------------------------------

NAMES = [
    f'"{X.name}"',
    X.alias,
    X.alias.lower(),
    X.domain,
    X.email,
    f'"{X.person}"',
    "zephyr",
    "Zephyr Secrt",
    '"Eve Co"',
    '"Open Place"',
    "nobody",
]
IDS = ["1", "2", "3", "99"]
IDS_IN_TEXT = re.compile(r"#\d+|\b[ACDFN]\d+\b")  # #12, and D12 as ids are shown
LINES = st.one_of(
    st.builds("whois {}".format, st.sampled_from(NAMES)),
    st.builds("find {}".format, st.sampled_from([*NAMES, "41.5M", "Board", "outage"])),
    st.builds("log {} call probe".format, st.sampled_from(NAMES)),
    st.builds("agree {} probe due tomorrow".format, st.sampled_from(NAMES)),
    st.builds("complaint {} probe severity:low".format, st.sampled_from(NAMES)),
    st.builds('deal {} "Probe" amount:1'.format, st.sampled_from(NAMES)),
    st.builds("handover {} to @eve".format, st.sampled_from(NAMES)),
    st.builds("remind tomorrow probe about {}".format, st.sampled_from(NAMES)),
    st.builds('contact "Eve Co" "{}" email:q@eve.example'.format, st.sampled_from([X.person])),
    st.builds(
        "{} {}".format, st.sampled_from(["won", "lost", "resolve", "done"]), st.sampled_from(IDS)
    ),
    st.builds("stage {} lost".format, st.sampled_from(IDS)),
    st.sampled_from(["mine", "digest", "find type:deal board", 'account "Eve Co" tier:B']),
)
LEADS = st.fixed_dictionaries(
    {
        "email": st.sampled_from(
            [X.email, f"probe@{X.domain}", "someone@openplace.example", "new@fresh.example"]
        ),
        "name": st.sampled_from(["Probe", X.person, "Paula Pons"]),
        "company": st.sampled_from([X.name, X.alias, "Eve Co", "Open Place", "Fresh"]),
    }
)
# (kind, header, row): CSV files Eve imports, keyed every way an import matches a record.
IMPORTS = st.sampled_from(
    [
        ("deals", "Record ID,Deal Name,Amount,Deal Stage,Associated Company", row)
        for row in ("9001,Probe,1,Closed Lost,Eve Co", "9003,Probe,1,Closed Lost,Eve Co")
    ]
    + [
        ("complaints", "Record ID,Subject,Priority,Status,Associated Company", row)
        for row in ("7001,Probe,Low,Closed,Eve Co", "7003,Probe,Low,Closed,Eve Co")
    ]
    + [
        ("contacts", "Email,First Name,Associated Company", f"{X.email},Probe,Eve Co"),
        ("accounts", "Company name,Company Domain Name", f"Probe Co,{X.domain}"),
        ("accounts", "Company name,Company Domain Name", "Other Probe,fresh.example"),
    ]
)
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("line"), LINES),
        st.tuples(st.just("lead"), LEADS),
        st.tuples(st.just("mail"), st.sampled_from([X.email, f"probe@{X.domain}"])),
        st.tuples(st.just("import"), st.tuples(IMPORTS, st.booleans())),
    ),
    min_size=1,
    max_size=8,
)


def act(world: World, action: tuple[str, Any], n: int) -> str:
    kind, what = action
    if kind == "line":
        ran("access property /crm lines")
        return world.run(what, by="Eve Stone")
    if kind == "lead":
        ran("access property web leads")
        try:
            world.leads.receive(Lead.from_fields(what, form="web"))
        except HubError as error:  # the form would answer 4xx, the same in both hubs
            return f"refused: {error}"
        return "received"
    if kind == "import":
        ran("access property imports")
        (table, header, row), dry_run = what
        path = world.path.with_name(f"{world.path.stem}-{n}.csv")
        path.write_text(f"{header}\n{row}\n", encoding="utf-8")
        importer = Importer(
            database=world.database, settings=world.settings, clock=world.clock, actor_id=2
        )
        return "\n".join(importer.run(table, path, dry_run=dry_run).lines())
    ran("access property e-mails")
    message = InboundMessage.build(
        sender=what, subject="Probe", text="Probe text", html=None, message_id=f"<probe-{n}@x>"
    )
    world.mail.receive(message)
    return "received"  # the mail service gets no more than that of interest to Eve


@pytest.fixture(scope="module")
def hubs(sqlite_template: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The two hubs, built once; each example works on fresh copies of them."""
    where = tmp_path_factory.mktemp("hubs")
    World.build(where / "with-x.db", sqlite_template, X)
    World.build(where / "without-x.db", sqlite_template, NOBODY)
    return where / "with-x.db", where / "without-x.db"


@pytest.fixture
def worlds(hubs: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Any:
    def copies() -> tuple[World, World]:
        where = tmp_path_factory.mktemp("worlds")
        for hub in hubs:
            shutil.copy(hub, where / hub.name)
        return World(where / hubs[0].name), World(where / hubs[1].name)

    return copies


def same(with_x: str, without_x: str) -> bool:
    """Two answers alike, record numbers aside: ids count records hub-wide, a hidden
    account's included (the README says so), and tell nothing else of them."""
    return IDS_IN_TEXT.sub("#N", with_x) == IDS_IN_TEXT.sub("#N", without_x)


def _routes_by_x_s_domain(actions: list[tuple[str, Any]]) -> bool:
    """Whether Eve gave a record of hers X's domain or address, and then had a lead or mail
    come from that domain: such mail goes to X, the documented exception."""
    keyed = [a for a in actions if a[0] == "import" and X.domain in a[1][0][2] and not a[1][1]]
    sent = [a for a in actions if a[0] in ("lead", "mail")]
    return bool(keyed and sent)


@fuzz(25)
@given(actions=ACTIONS)
def test_a_member_who_cannot_read_x_learns_and_changes_nothing_of_it(
    worlds: Any, actions: list[tuple[str, Any]]
) -> None:
    assume(not _routes_by_x_s_domain(actions))
    with_x, without_x = worlds()
    before = with_x.rows_of_the_hidden_account()
    try:
        for n, action in enumerate(actions):
            seen, other = act(with_x, action, n), act(without_x, action, n)
            assert same(seen, other), (action, seen, other)
        # What Eve can look at afterwards is the same too.
        for line in ("mine", "find probe", 'whois "Eve Co"', "digest"):
            seen, other = with_x.run(line, by="Eve Stone"), without_x.run(line, by="Eve Stone")
            assert same(seen, other), (line, seen, other)
        assert with_x.rows_of_the_hidden_account() == before
    finally:
        with_x.database.dispose()
        without_x.database.dispose()
