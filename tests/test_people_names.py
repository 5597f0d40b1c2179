"""People named the way accounts are (issue 19): an unquoted `@Marta Ruiz` is the longest
active person's name the words start with, `@"Marta Ruiz"` still works, and an `@Marta`
two people share asks which one. On their own, and in the console on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from conftest import EPOCH, MADRID, Team
from test_parser import Names

from commands.dates import DateReader
from commands.parser import parse
from commands.types import HandOver, Remind
from hub.people import find_by_name, longest_person_prefix

TODAY = EPOCH.date()
PEOPLE = ("Marta Ruiz", "Luis Pérez", "Ana García")


def read(line: str, *accounts: str, names: Names | None = None):  # type: ignore[no-untyped-def]
    names = names or Names(*accounts, people=PEOPLE)
    return parse(line, names=names, dates=DateReader(now=EPOCH, tz=MADRID))


def test_a_full_name_after_at_is_one_person() -> None:
    cmd = read('handover "Pied Piper" to @Marta Ruiz until mañana', "Pied Piper")
    assert isinstance(cmd, HandOver)
    assert (cmd.to, cmd.until, cmd.note) == ("@Marta Ruiz", TODAY + timedelta(days=1), None)
    assert [a.name for a in cmd.accounts] == ["Pied Piper"]


def test_quotes_around_the_name_stay_optional() -> None:
    quoted = read('handover "Pied Piper" to @"Marta Ruiz" until mañana', "Pied Piper")
    plain = read('handover "Pied Piper" to @Marta Ruiz until mañana', "Pied Piper")
    assert quoted == plain


def test_words_after_a_first_name_are_not_taken_for_a_surname() -> None:
    cmd = read("handover acme to @marta Ruiz said so", "Acme", names=Names("Acme"))
    assert isinstance(cmd, HandOver)
    assert (cmd.to, cmd.note) == ("@marta", "Ruiz said so")
    cmd = read("handover acme to @Marta Ruiz for the summer", "Acme")
    assert isinstance(cmd, HandOver)
    assert (cmd.to, cmd.note) == ("@Marta Ruiz", "for the summer")


def test_a_person_handed_over_by_full_name() -> None:
    cmd = read("handover @Ana García to @Marta Ruiz until mañana")
    assert isinstance(cmd, HandOver)
    assert (cmd.person, cmd.to, cmd.accounts) == ("@Ana García", "@Marta Ruiz", ())


def test_remind_for_a_full_name_after_the_account() -> None:
    cmd = read("remind mañana llamar a Jorge about acme for @Marta Ruiz", "Acme")
    assert isinstance(cmd, Remind)
    assert cmd.about is not None and cmd.about.known
    assert (cmd.text, cmd.about.name, cmd.assignee) == ("llamar a Jorge", "acme", "@Marta Ruiz")


def test_no_at_no_question_about_people() -> None:
    names = Names("Acme", people=PEOPLE)
    read("remind mañana llamar a Jorge about acme", names=names)
    read("handover acme to @luis", names=names)  # nothing after the name: nothing to ask
    assert names.people_asked == []


# Through the console, on both databases.


def setup(team: Team) -> None:
    team.run('account "Pied Piper" tier:A', by="Ana García")
    team.run('account "Acme" tier:B', by="Ana García")


def test_handover_to_a_full_name_until_tomorrow(team: Team) -> None:
    setup(team)
    out = team.run('handover "Pied Piper" to @Marta Ruiz until mañana', by="Ana García")
    assert "Handed 1 account to Marta Ruiz until tomorrow" in out, out
    assert "for good" not in out and "Note" not in out, out
    assert team.scalar("SELECT until_on FROM handover") is not None
    assert team.scalar("SELECT note FROM handover") is None


def test_remind_for_a_full_name_on_an_account(team: Team) -> None:
    setup(team)
    out = team.run("remind mañana llamar a Jorge about acme for @Marta Ruiz", by="Ana García")
    assert "Marta Ruiz" in out, out
    row = "SELECT p.name || '|' || a.name || '|' || f.text FROM task f"
    row += " JOIN person p ON p.id = f.assignee_id JOIN account a ON a.id = f.account_id"
    assert team.scalar(row) == "Marta Ruiz|Acme|llamar a Jorge"


def test_a_first_name_two_people_share_asks_which(team: Team) -> None:
    setup(team)
    team.add("Marta Gil")
    out = team.run("handover acme to @Marta until mañana", by="Ana García")
    assert "Two people are called Marta: @Marta Gil, @Marta Ruiz. Which one?" in out, out
    # The choices are the line with each full name; nothing is saved until one is picked.
    assert '1. Marta Gil → handover acme to @"Marta Gil" until mañana' in out, out
    assert '2. Marta Ruiz → handover acme to @"Marta Ruiz" until mañana' in out, out
    assert team.scalar("SELECT count(*) FROM handover") == 0
    out = team.run("2", by="Ana García")
    assert "Handed 1 account to Marta Ruiz until tomorrow" in out, out
    assert team.scalar("SELECT count(*) FROM handover") == 1
    out = team.run("remind mañana llamar about acme for @Marta", by="Ana García")
    assert "Two people are called Marta:" in out, out
    assert '→ remind mañana llamar about acme for @"Marta Gil"' in out, out
    assert team.scalar("SELECT count(*) FROM task") == 0
    out = team.run("find acme owner:@marta", by="Ana García")
    assert '1. Marta Gil → find acme owner:@"Marta Gil"' in out, out
    # Said in full, it is one of them.
    out = team.run("handover acme to @Marta Gil until mañana", by="Ana García")
    assert "Handed 1 account to Marta Gil until tomorrow" in out, out


def test_a_first_name_one_person_has_still_works(team: Team) -> None:
    setup(team)
    out = team.run("handover acme to @Marta until mañana", by="Ana García")
    assert "Handed 1 account to Marta Ruiz until tomorrow" in out, out


def test_inactive_people_are_not_read_as_names(team: Team) -> None:
    team.add("Luis Pérez Gómez")
    with team.app.database.unit_of_work() as session:
        gone = find_by_name(session, "Luis Pérez Gómez")
        assert gone is not None
        gone.active = False
    with team.app.database.unit_of_work() as session:
        assert longest_person_prefix(session, ["Luis", "Pérez", "Gómez", "until"]) == 2
        assert longest_person_prefix(session, ["marta", "ruiz"]) == 2
        assert longest_person_prefix(session, ["Marta"]) == 0
