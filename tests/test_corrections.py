"""Every write can be corrected: undo, edit, delete and restore (issue 19), on SQLite and
PostgreSQL, with who may correct whom, and search following along through the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import Team
from test_search import find, searching_team

from hub.clock import FixedClock
from search.index import MeiliIndex


def setup(team: Team) -> None:
    team.add("Sofía Navarro", role="admin")
    team.run("account Acme", by="Ana García")
    team.run('account "Umbrella Health" visibility:private', by="Ana García")


def card(team: Team, by: str = "Carmen Vidal") -> str:
    return team.run("whois acme", by=by)


def owner(team: Team) -> str:
    return " ".join(card(team).splitlines()[1].split()[1:])


def test_undo_reverts_my_last_writes_one_by_one_and_says_what(team: Team) -> None:
    setup(team)
    team.run("log acme call Spoke about the renewal", by="Ana García")
    team.run("agree acme Send the quote due friday", by="Ana García")
    assert "Send the quote" in card(team) and "Spoke about the renewal" in card(team)

    out = team.run("undo", by="Ana García")
    assert "Undone: Agreement A1 recorded on Acme, due" in out
    assert "Send the quote" not in card(team) and "Spoke about the renewal" in card(team)
    out = team.run("undo", by="Ana García")
    assert "Undone: Logged call N1 on Acme" in out
    assert "Spoke about the renewal" not in card(team)
    # The account is older work of Ana's, still undoable; Luis has nothing to undo.
    assert "written nothing in the last 15 minutes" in team.run("undo", by="Luis Pérez")


def test_undo_is_for_the_last_15_minutes_only(team: Team, clock: FixedClock) -> None:
    setup(team)
    team.run("log acme call Spoke about the renewal", by="Ana García")
    clock.set(clock.now() + timedelta(minutes=16))
    out = team.run("undo", by="Ana García")
    assert "written nothing in the last 15 minutes" in out and "Nothing was saved" in out
    assert "Spoke about the renewal" in card(team)


def test_undo_never_overwrites_what_a_colleague_changed_since(team: Team) -> None:
    setup(team)
    team.run("complaint acme The invoices arrive twice", by="Ana García")
    team.run("resolve C1 credited", by="Carmen Vidal")
    out = team.run("undo", by="Ana García")
    assert "I can't undo “Complaint C1 opened on Acme" in out and "changed since" in out
    assert team.scalar("select status from complaint where id = 1") == "resolved"


def test_lost_and_handover_replies_carry_an_undo_that_puts_everything_back(
    team: Team,
) -> None:
    setup(team)
    team.run("deal acme Renewal amount:48k stage:proposal", by="Ana García")
    lost = team.reply("lost D1 went with a competitor", by="Ana García")
    (undo,) = [a for a in lost.actions if a.label == "Undo"]
    assert undo.command.startswith("undo U")
    assert "Undone: Deal D1 on Acme lost" in team.run(undo.command, by="Ana García")
    assert "Renewal — proposal" in card(team)
    assert team.scalar("select count(*) from deal_stage_change where deal_id = 1") == 1

    # A whole book for good is asked first, then moves, then comes back with its Undo.
    asked = team.run("handover @ana to @luis", by="Carmen Vidal")
    assert "Hand all 2 of Ana García's accounts to Luis Pérez for good?" in asked
    assert team.scalar("select count(*) from handover") == 0
    moved = team.reply("handover @Ana García to @Luis Pérez for good", by="Carmen Vidal")
    assert moved.title == "Handed 2 accounts to Luis Pérez for good"
    assert owner(team) == "Luis Pérez"
    (undo,) = [a for a in moved.actions if a.label == "Undo"]
    assert "Undone: Handed 2 accounts" in team.run(undo.command, by="Carmen Vidal")
    assert owner(team) == "Ana García"
    ana = "(select id from person where name = 'Ana García')"
    assert team.scalar(f"select count(*) from account where owner_id = {ana}") == 2
    assert team.scalar("select count(*) from handover") == 0
    # An Undo button is its own change: someone else's, or a second press, is refused.
    assert "There is no change" in team.run(undo.command, by="Ana García")
    assert "already undone" in team.run(undo.command, by="Carmen Vidal")


def test_edit_changes_text_and_dates_and_the_card_says_edited(
    team: Team, clock: FixedClock
) -> None:
    setup(team)
    team.run("log acme call Spoke abut the renewal", by="Ana García")
    team.run("agree acme Send the quote due friday", by="Ana García")
    team.run("complaint acme Invoices twice severity:low", by="Ana García")
    team.run("remind tomorrow 9am call back about acme", by="Ana García")

    assert "Edited N1 (Acme)" in team.run("edit N1 Spoke about the renewal", by="Ana García")
    team.run("edit A1 due:2027-01-15", by="Ana García")
    team.run("edit C1 severity:critical", by="Ana García")
    team.run("edit F1 Call María back when:tomorrow 16:00", by="Ana García")
    shown = card(team)
    assert "N1 " in shown and "Spoke about the renewal [edited]" in shown
    assert "Send the quote — due Fri 15 Jan 2027 [edited]" in shown
    assert "Invoices twice — critical" in shown
    assert "Call María back" in shown and "16:00" in shown
    assert team.scalar("select count(*) from audit_event where action = 'record.edit'") == 4
    # An interaction can't be moved into the future; an option a kind doesn't have is named.
    assert "in the future" in team.run("edit N1 when:next week", by="Ana García")
    assert "due: is for agreements" in team.run("edit N1 due:friday", by="Ana García")
    assert "Which record?" in team.run("edit", by="Ana García")
    assert "doesn't say which record" in team.run("edit 1 new text", by="Ana García")


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("Ana García", True),  # the author and owner
        ("Carmen Vidal", True),  # a manager
        ("Luis Pérez", True),  # Ana's cover while she is away
        ("Marta Ruiz", False),  # a colleague who can read the account
    ],
)
def test_who_may_correct_whom(team: Team, who: str, allowed: bool) -> None:
    setup(team)
    team.run("log acme call Spoke about the renewal", by="Ana García")
    team.run("away today to friday cover @luis", by="Ana García")
    for line in ("edit N1 Corrected", "delete N1"):
        out = team.run(line, by=who)
        if allowed:
            assert "✓" in out, out
            team.run("undo", by=who)
        else:
            assert "Only N1's author, Acme's owner or their cover, or a manager" in out
    assert ("Corrected" in card(team)) is False


def test_a_record_on_a_hidden_account_does_not_exist_for_someone_who_cannot_read_it(
    team: Team,
) -> None:
    setup(team)
    team.run('log "Umbrella Health" call Confidential talk', by="Ana García")
    for line in ("edit N1 x", "delete N1"):
        out = team.run(line, by="Luis Pérez")
        assert "There is no N1 that you can see" in out and "Umbrella" not in out
    # The author's own follow-up on no account is private to them (and its assignee).
    team.run("remind tomorrow call the dentist", by="Ana García")
    assert "There is no F1 that you can see" in team.run("delete F1", by="Luis Pérez")


def test_delete_hides_a_record_everywhere_and_an_admin_restores_it(team: Team) -> None:
    setup(team)
    team.run("log acme call Spoke about the renewal", by="Ana García")
    team.run("deal acme Renewal amount:48k", by="Ana García")
    team.run("stage D1 proposal", by="Ana García")

    out = team.run("delete D1", by="Ana García")
    assert "Deleted D1 from Acme" in out and "kept for the audit trail" in out
    out = team.run("delete N1", by="Ana García")
    assert "Deleted N1 from Acme" in out
    shown = card(team)
    assert "Renewal" not in shown and "Spoke about" not in shown
    assert "Last contact" not in shown  # counted again without the deleted call
    assert team.scalar("select count(*) from deal") == 0
    assert "There is no deal D1" in team.run("stage D1 won", by="Ana García")

    assert "Only an admin" in team.run("restore D1", by="Carmen Vidal")
    assert "Restored D1" in team.run("restore D1", by="Sofía Navarro")
    assert "Restored N1" in team.run("restore N1", by="Sofía Navarro")
    shown = card(team)
    assert "D1 Renewal — proposal" in shown and "N1 " in shown and "Last contact" in shown
    assert team.scalar("select count(*) from deal_stage_change where deal_id = 1") == 2
    assert "was not deleted" in team.run("restore D1", by="Sofía Navarro")
    assert team.scalar("select count(*) from audit_event where action = 'record.restore'") == 2


def test_search_forgets_a_deleted_record_and_reads_an_edited_one(
    team: Team, meili_index: MeiliIndex, clock: FixedClock
) -> None:
    setup(team)
    indexer = searching_team(team, meili_index, clock)
    team.run("log acme call Discussed the pricing with finance", by="Ana García")
    team.run("complaint acme Parcels arrive damaged", by="Ana García")
    indexer.drain()
    assert "interaction: Acme" in find(team, "find pricing")

    team.run("edit N1 Discussed the discount with procurement", by="Ana García")
    team.run("delete C1", by="Ana García")
    indexer.drain()
    assert "Nothing found" in find(team, "find pricing")
    assert "interaction: Acme" in find(team, "find procurement")
    assert "Nothing found" in find(team, "find parcels")

    team.run("undo", by="Ana García")  # the delete: the complaint is back, and searchable
    indexer.drain()
    assert "complaint: Acme" in find(team, "find parcels")


def test_undo_of_a_handover_that_ended_a_period_brings_the_period_back(
    team: Team, clock: FixedClock
) -> None:
    setup(team)
    team.run("handover acme to @luis until friday", by="Ana García")
    assert owner(team).startswith("Luis Pérez until")
    team.run("handover acme to @marta", by="Ana García")
    assert owner(team) == "Marta Ruiz"
    assert "Undone: Handed 1 account to Marta Ruiz for good" in team.run("undo", by="Ana García")
    assert owner(team).startswith("Luis Pérez until")
    assert team.scalar("select count(*) from handover where ended_at is null") == 1


def test_undo_takes_back_a_new_deal_and_an_edit_with_their_amounts_and_times(
    team: Team,
) -> None:
    setup(team)
    team.run("deal acme Renewal amount:5.000,50 € close:2027-01-15", by="Ana García")
    team.run("log acme call ayer Spoke about the renewal", by="Ana García")
    team.run("edit N1 Spoke about the renewal and the SLA when:yesterday 16:00", by="Ana García")
    assert "Undone: Edited N1" in team.run("undo", by="Ana García")
    assert "Spoke about the renewal [" not in card(team)  # the flag went with the edit
    assert "Undone: Logged call N1" in team.run("undo", by="Ana García")
    out = team.run("undo", by="Ana García")
    assert out.startswith("✓ Undone: ") and "D1" in out and "Renewal" in out, out
    assert team.scalar("select count(*) from deal") == 0
    assert team.scalar("select count(*) from interaction") == 0
