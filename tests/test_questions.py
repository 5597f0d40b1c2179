"""Relevo asks instead of guessing (issue 19): a line that reads more than one way gets a
question whose choices are the readings, each a whole line; nothing is saved until one is
picked (`1`, `2` in the console) or the corrected line is typed. Console transcripts, on
SQLite and on PostgreSQL."""

from __future__ import annotations

import io

from conftest import EPOCH, MADRID, Team
from sqlalchemy import text
from test_parser import Names

from bot.console import Console
from commands.dates import DateReader
from commands.parser import parse
from commands.types import Remind, SaveAccount


def accounts(team: Team) -> list[tuple[str, str]]:
    with team.app.database.engine.connect() as connection:
        rows = connection.execute(text("SELECT name, visibility FROM account ORDER BY name_key"))
        return [(name, visibility) for name, visibility in rows]


def test_a_partial_account_name_asks_update_or_create(team: Team) -> None:
    team.run('account "Tyrell Systems" tier:A', by="Ana García")
    before = accounts(team)
    out = team.run("account tyrell visibility:private", by="Ana García")
    assert "Update Tyrell Systems, or create an account called tyrell?" in out, out
    assert '1. Update Tyrell Systems → account "Tyrell Systems" visibility:private' in out
    assert "2. Create an account called tyrell → account tyrell visibility:private new:yes" in out
    assert "Nothing was saved yet." in out
    assert accounts(team) == before  # no "tyrell", and Tyrell Systems still public
    out = team.run("1", by="Ana García")
    assert out.startswith('→ account "Tyrell Systems" visibility:private'), out
    assert "Updated Tyrell Systems" in out and "visibility → private" in out
    assert accounts(team) == [("Tyrell Systems", "private")]


def test_creating_a_look_alike_takes_new_yes(team: Team) -> None:
    team.run('account "Tyrell Systems"', by="Ana García")
    out = team.run("account tyrell tier:C", by="Ana García")
    assert "2. Create an account called tyrell" in out, out
    out = team.run("2", by="Ana García")
    assert "Created account tyrell" in out and "Similar names already exist: Tyrell Systems" in out
    assert [name for name, _v in accounts(team)] == ["tyrell", "Tyrell Systems"]
    # new:yes on a name that is taken creates nothing.
    out = team.run("account tyrell new:yes", by="Ana García")
    assert "There is already an account called tyrell" in out
    assert len(accounts(team)) == 2
    # An exact name or alias still updates at once.
    assert "tier → A" in team.run("account tyrell tier:A", by="Ana García")


def test_rename_takes_the_words_after_it(team: Team) -> None:
    team.run("account Globex", by="Ana García")
    out = team.run("account globex rename:Globex Corporation", by="Ana García")
    assert "Updated Globex Corporation" in out and "name → Globex Corporation" in out, out
    assert accounts(team) == [("Globex Corporation", "public")]
    out = team.run("account globex corporation rename:Globex Corp tier:A", by="Ana García")
    assert "name → Globex Corp" in out and "tier → A" in out, out
    assert [name for name, _v in accounts(team)] == ["Globex Corp"]


def test_several_close_accounts_are_numbered_choices(team: Team) -> None:
    team.run("account Acme Corp", by="Ana García")
    team.run("account Acme Labs", by="Ana García")
    out = team.run("log acme call Demo booked", by="Luis Pérez")
    assert "“acme” matches several accounts: which one?" in out, out
    assert '1. Use Acme Corp → log "Acme Corp" call Demo booked' in out
    assert '2. Use Acme Labs → log "Acme Labs" call Demo booked' in out
    assert "Type 1 or 2 to pick, or type the line you meant." in out
    assert team.scalar("SELECT count(*) FROM interaction") == 0
    out = team.run("3", by="Luis Pérez")
    assert "There is no choice 3" in out and team.scalar("SELECT count(*) FROM interaction") == 0
    out = team.run("2", by="Luis Pérez")
    assert "on Acme Labs" in out and "Logged call N" in out, out
    logged_on = "SELECT a.name FROM interaction i JOIN account a ON a.id = i.account_id"
    assert team.scalar(logged_on) == "Acme Labs"
    # The question is answered: the number picks nothing any more.
    out = team.run("2", by="Luis Pérez")
    assert "There is no question waiting for an answer" in out
    assert team.scalar("SELECT count(*) FROM interaction") == 1


def test_a_bare_number_with_no_question_is_answered_kindly(team: Team) -> None:
    out = team.run("1", by="Ana García")
    assert "There is no question waiting for an answer, so 1 picks nothing." in out
    assert "Type a command, or help" in out


def test_a_reminder_about_no_known_account_asks_before_saving(team: Team) -> None:
    team.run('account "Umbrella Corp"', by="Ana García")
    out = team.run("remind mañana llamar about umbrela", by="Ana García")
    assert "Is this reminder about Umbrella Corp, or about no account?" in out, out
    assert '1. About Umbrella Corp → remind mañana llamar about "Umbrella Corp"' in out
    assert '2. Save it without an account → remind mañana "llamar about umbrela"' in out
    assert team.scalar("SELECT count(*) FROM task") == 0
    out = team.run("1", by="Ana García")
    assert "Follow-up F1 for you about Umbrella Corp" in out, out
    # Words that name nothing at all ask too; the quoted line keeps them as text.
    out = team.run("remind mañana call María about the renewal for @luis", by="Ana García")
    assert "I don't know an account called “the renewal”" in out, out
    assert '→ remind mañana "call María about the renewal" for @luis' in out
    assert team.scalar("SELECT count(*) FROM task") == 1
    out = team.run('remind mañana "call María about the renewal" for @luis', by="Ana García")
    assert "Follow-up F2 for Luis Pérez" in out and "call María about the renewal" in out
    assert team.scalar("SELECT text FROM task WHERE id = 2") == "call María about the renewal"
    assert team.scalar("SELECT account_id FROM task WHERE id = 2") is None


def test_a_private_account_is_never_offered_to_someone_who_cannot_read_it(team: Team) -> None:
    team.run('account "Umbrella Corp" visibility:private', by="Ana García")
    team.run('account "Umbra Foods"', by="Ana García")
    out = team.run("remind mañana llamar about umbrella", by="Luis Pérez")
    assert "Umbrella Corp" not in out, out
    assert "Save it without an account" in out
    assert team.scalar("SELECT count(*) FROM task") == 0
    out = team.run("account umbrella tier:A", by="Luis Pérez")
    assert "Umbrella Corp" not in out, out
    # Its owner is offered it.
    out = team.run("remind mañana llamar about umbrella", by="Ana García")
    assert "About Umbrella Corp" in out, out


def test_the_console_runs_a_picked_line_from_a_pipe(team: Team) -> None:
    team.run('account "Tyrell Systems"', by="Ana García")
    console = Console(app=team.app, person_name="Ana García")
    out = io.StringIO()
    console.run(io.StringIO("account tyrell tier:A\n# pick the first\n1\n"), out)
    assert "Updated Tyrell Systems" in out.getvalue() and "tier → A" in out.getvalue()
    assert team.scalar("SELECT tier FROM account") == "A"


def test_the_parser_reads_rename_by_shape_and_a_quoted_reminder_text() -> None:
    dates = DateReader(now=EPOCH, tz=MADRID)
    cmd = parse(
        "account globex rename:Globex Corporation tier:A", names=Names("Globex"), dates=dates
    )
    assert isinstance(cmd, SaveAccount)
    assert (cmd.name, cmd.rename, cmd.tier, cmd.new) == ("globex", "Globex Corporation", "A", False)
    cmd = parse("account tyrell new:yes", names=Names("Tyrell Systems"), dates=dates)
    assert isinstance(cmd, SaveAccount) and cmd.new
    cmd = parse('remind mañana "llamar about umbrella"', names=Names("Umbrella"), dates=dates)
    assert isinstance(cmd, Remind)
    assert (cmd.text, cmd.about, cmd.maybe_about) == ("llamar about umbrella", None, None)


def test_a_misspelt_option_is_asked_about_instead_of_landing_in_the_text(team: Team) -> None:
    team.run("account Acme", by="Ana García")
    out = team.run("deal acme Pilot amont:5000 USD", by="Ana García")
    assert "I don't know the option “amont:”. Did you mean: deal acme Pilot amount:5000 USD" in out
    assert "1. Run the corrected line → deal acme Pilot amount:5000 USD" in out
    assert team.scalar("SELECT count(*) FROM deal") == 0
    out = team.run("1", by="Ana García")
    assert "Pilot" in out and "$5,000" in out, out
    assert team.scalar("SELECT title FROM deal") == "Pilot"
    # A word that reads as an option close to none the command knows is refused, naming
    # them, rather than kept in the text unseen (issue 21); quoted, the text keeps it.
    out = team.run("deal acme Lunch note:bring the slides", by="Ana García")
    assert "I don't know the option “note:”; the options here are amount:, stage:, close:" in out
    assert "To keep “note:bring” in the text, put it in quotes." in out
    assert team.scalar("SELECT count(*) FROM deal") == 1
    team.run('deal acme "Lunch note:bring the slides"', by="Ana García")
    assert team.scalar("SELECT title FROM deal WHERE id = 2") == "Lunch note:bring the slides"


def test_a_numbered_series_is_not_taken_for_a_typo(team: Team) -> None:
    team.run('account "Store 12"', by="Ana García")
    out = team.run('account "Store 13" tier:A', by="Ana García")
    assert "Created account Store 13" in out and "Similar names already exist: Store 12" in out
    out = team.run("account Stor 12 tier:C", by="Ana García")  # a typo of one: asked
    assert "create an account called Stor 12?" in out
