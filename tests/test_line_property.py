"""A line either saves exactly what it says or asks, never a third thing (issue 19).

Hypothesis writes `/crm` lines the way people type them: account, contact and person
names with accents, hyphens, apostrophes and ampersands, quoted or not; option values
with spaces (a role, a phone number in groups, an amount with its currency before or
after, a close date in words). Each line's reply is one of two outcomes:

- saved: the record holds exactly the fields the line meant, nothing else changed;
- asked: the reply is a question with choices, and nothing at all was written.

Anything else (a record with a name that swallowed an option, a value cut short, a
question after writing, a crash) fails. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from conftest import EPOCH, Team
from hostile import fuzz, ran
from hypothesis import assume, given
from hypothesis import strategies as st
from sqlalchemy import text

from commands.reply import Reply
from hub.models import Base
from hub.text import fold

# Letters people's names are written with, and the punctuation inside names.
LETTERS = "abcdefghijklmnopqrstuvwxyzáéíóúñüçàèïöø"
# Words the language reads between the parts of a line; a name or a title made of them
# reads another way on purpose (test_parser.py covers those lines one by one).
_KEYWORDS = (
    "a to for para about sobre with con due until hasta by al de del el la las los "
    "new yes good siempre call email mail meeting chat web visit note llamada correo "
    "reunion reunión visita nota ayer hoy today tomorrow yesterday mañana am pm y en in "
    "at on next this last esta este tarde noche media cuarto menos mediodía noon morning "
    "evening midnight week weeks semana day days día días month mes year año now ahora "
    "jan feb mar apr may jun jul aug sep sept oct nov dec ene abr ago dic "
    "january february march april june july august september october november december "
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre mon tue wed thu fri sat sun lun mié mie jue vie sáb sab dom monday "
    "tuesday wednesday thursday friday saturday sunday lunes martes miércoles miercoles "
    "jueves viernes sábado sabado domingo"
)
KEYWORDS = frozenset(_KEYWORDS.split())
WORD = (
    st.text(alphabet=LETTERS, min_size=2, max_size=9)
    .filter(lambda w: w not in KEYWORDS)
    .map(lambda w: w[0].upper() + w[1:])
)
JOINERS = st.sampled_from([" ", " ", " ", "-", " & ", "'", ". "])


@st.composite
def names(draw: st.DrawFn, *, max_words: int = 3) -> str:
    """A name of one to three words, with the punctuation names have."""
    words = draw(st.lists(WORD, min_size=1, max_size=max_words))
    name = words[0]
    for word in words[1:]:
        name += draw(JOINERS) + word
    return name


def as_typed(name: str, quoted: bool) -> str:
    return f'"{name}"' if quoted or any(ch in name for ch in "'&") else name


PHONES = st.sampled_from(
    ["+34 611 222 333", "611-222-333", "(91) 123 45 67", "+1 415 555 0100", "0034 600111222"]
)
# (as typed, the amount and currency meant)
AMOUNTS = st.sampled_from(
    [
        ("5000 USD", Decimal("5000"), "USD"),
        ("USD 5,000", Decimal("5000"), "USD"),
        ("5.000 €", Decimal("5000"), "EUR"),
        ("€5k", Decimal("5000"), "EUR"),
        ("48k EUR", Decimal("48000"), "EUR"),
        ("1.250.000,50 €", Decimal("1250000.50"), "EUR"),
        ("$ 12,500.75", Decimal("12500.75"), "USD"),
    ]
)
ROLES = st.sampled_from(["champion", "decision maker", "technical buyer", "jefa de compras"])


def nested(team: Team, name: str) -> bool:
    """Whether another account's name starts with this one's words: typed unquoted, the
    line names the longer one (the longest known name the text starts with)."""
    key = fold(name)
    with team.app.database.engine.connect() as connection:
        keys = connection.execute(text("SELECT name_key FROM account")).scalars()
        return any(k != key and k.startswith(f"{key} ") for k in keys)


def counts(team: Team) -> dict[str, int]:
    with team.app.database.engine.connect() as connection:
        return {
            table.name: connection.execute(text(f'SELECT count(*) FROM "{table.name}"')).scalar()
            or 0
            for table in Base.metadata.sorted_tables
            if table.name not in ("request_receipt", "audit_event", "change")
        }


def row(team: Team, sql: str, **params: Any) -> Any:
    with team.app.database.engine.connect() as connection:
        return connection.execute(text(sql), params).one_or_none()


def outcome(team: Team, line: str, by: str = "Ana García") -> tuple[str, Reply]:
    """Run `line`; "asked" (a question, nothing written) or "saved" (a success)."""
    before = counts(team)
    reply = team.reply(line, by=by)
    assert reply.error_id is None, f"crash on {line!r}"
    if reply.choices:
        assert counts(team) == before, f"{line!r} asked after writing"
        ran(f"lines that asked ({line.split()[0]})")
        return "asked", reply
    assert reply.ok, f"{line!r} neither saved nor asked: {reply.title}"
    ran(f"lines that saved ({line.split()[0]})")
    return "saved", reply


@fuzz(40)
@given(
    name=names(),
    quoted=st.booleans(),
    tier=st.sampled_from(["A", "B", "C"]),
    visibility=st.sampled_from(["public", "team", "private"]),
)
def test_an_account_line_saves_its_name_and_options_exactly_or_asks(
    team: Team, name: str, quoted: bool, tier: str, visibility: str
) -> None:
    ran(f"account lines ({team.app.database.engine.dialect.name})")
    line = f"account {as_typed(name, quoted)} tier:{tier} visibility:{visibility}"
    named = "SELECT name, tier, visibility FROM account WHERE name_key = :key"
    existed = row(team, named, key=fold(name))  # as typed, or with other accents or case
    result, _reply = outcome(team, line)
    if result == "saved":
        saved = row(team, named, key=fold(name))
        assert saved is not None, line
        assert saved.name == (existed.name if existed else name), line
        assert (saved.tier, saved.visibility) == (tier, visibility), line


@fuzz(40)
@given(
    account=names(),
    contact=names(),
    quoted=st.booleans(),
    role=ROLES,
    phone=PHONES,
)
def test_a_contact_line_saves_name_role_and_phone_exactly_or_asks(
    team: Team, account: str, contact: str, quoted: bool, role: str, phone: str
) -> None:
    ran(f"contact lines ({team.app.database.engine.dialect.name})")
    assume(fold(account) != fold(contact))
    team.reply(f'account "{account}" new:yes', by="Ana García")
    quoted = quoted or nested(team, account)
    typed_role = f'"{role}"' if " " in role else role
    line = (
        f"contact {as_typed(account, quoted)} {as_typed(contact, quoted)} "
        f"role:{typed_role} phone:{phone}"
    )
    result, _reply = outcome(team, line)
    if result == "saved":
        saved = row(
            team,
            "SELECT c.name, c.role, c.phone, a.name AS account FROM contact c "
            "JOIN account a ON a.id = c.account_id "
            "WHERE c.name_key = :key AND a.name_key = :account",
            key=fold(contact),
            account=fold(account),
        )
        assert saved is not None, line
        assert fold(saved.name) == fold(contact), line
        assert (saved.role, saved.phone) == (role, phone), line


@fuzz(40)
@given(
    account=names(),
    title=names(max_words=4),
    amount=AMOUNTS,
    days=st.integers(min_value=1, max_value=400),
    quoted=st.booleans(),
)
def test_a_deal_line_saves_title_amount_and_close_exactly_or_asks(
    team: Team,
    account: str,
    title: str,
    amount: tuple[str, Decimal, str],
    days: int,
    quoted: bool,
) -> None:
    ran(f"deal lines ({team.app.database.engine.dialect.name})")
    team.reply(f'account "{account}" new:yes', by="Ana García")
    quoted = quoted or nested(team, account)
    typed, value, currency = amount
    close = EPOCH.date() + timedelta(days=days)
    line = (
        f"deal {as_typed(account, quoted)} {as_typed(title, quoted)} "
        f"amount:{typed} close:{close.isoformat()}"
    )
    result, _reply = outcome(team, line)
    if result == "saved":
        saved = row(
            team,
            "SELECT d.title, d.amount, d.currency, d.close_on, a.name AS account FROM deal d "
            "JOIN account a ON a.id = d.account_id ORDER BY d.id DESC LIMIT 1",
        )
        assert saved is not None, line
        assert saved.title == title, line
        assert Decimal(saved.amount) == value and saved.currency == currency, line
        assert str(saved.close_on)[:10] == close.isoformat(), line
        assert fold(saved.account) == fold(account), line


@fuzz(40)
@given(account=names(), person=names(max_words=2), task=names(max_words=4))
def test_a_reminder_about_an_account_for_a_colleague_links_both_exactly_or_asks(
    team: Team, account: str, person: str, task: str
) -> None:
    ran(f"remind lines ({team.app.database.engine.dialect.name})")
    assume(" " in person and "'" not in person and "&" not in person)
    team.reply(f'account "{account}" new:yes', by="Ana García")
    team.add(person)
    line = (
        f"remind tomorrow 10:30 {task} about {as_typed(account, nested(team, account))} "
        f"for @{person}"
    )
    result, _reply = outcome(team, line)
    if result == "saved":
        saved = row(
            team,
            "SELECT t.text, p.name AS assignee, a.name AS account FROM task t "
            "JOIN person p ON p.id = t.assignee_id LEFT JOIN account a ON a.id = t.account_id "
            "ORDER BY t.id DESC LIMIT 1",
        )
        assert saved is not None, line
        assert saved.text == task and fold(saved.assignee) == fold(person), line
        assert saved.account is not None and fold(saved.account) == fold(account), line
