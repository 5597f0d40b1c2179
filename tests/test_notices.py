"""Nobody misses a handover (issue 20): what a colleague did reaches the person it
concerns as a DM, once, outside their quiet hours, and at the top of `mine` until seen;
and a follow-up never hands anyone an account they cannot read. On SQLite and PostgreSQL,
through the console; the DMs through the clock's courier with a recording transport."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest
from conftest import EPOCH, MADRID, Team, build_app
from scheduling import Recorder, courier

from bot.bootstrap import App
from bot.schedule.clock_process import ClockProcess
from hub.clock import FixedClock
from hub.errors import Invalid
from hub.people import check_mute, find_by_name, update_person

SOON = EPOCH + timedelta(minutes=2)  # the clock's next pass


def set_person(app: App, name: str, **fields: str) -> None:
    with app.database.unit_of_work() as session:
        update_person(find_by_name(session, name), **fields)  # what `people set` does


def dms(app: App, at: datetime = SOON) -> Recorder:
    """One pass of the clock's notices at `at`: what it sent."""
    recorder = Recorder()
    courier(app, recorder).notices(at)
    return recorder


# -- the leak: a follow-up about an account its assignee cannot read ---------------------


def test_a_follow_up_about_an_account_its_assignee_cannot_read_is_refused(team: Team) -> None:
    team.run('account "Umbrella Health" visibility:private team:Sales', by="Ana García")
    out = team.run('remind mañana llamar about "Umbrella Health" for @luis', by="Ana García")
    assert "Luis Pérez can't see Umbrella Health (private)" in out
    assert 'account "Umbrella Health" visibility:team team:Sales' in out
    assert 'handover "Umbrella Health" to @luis' in out
    assert "Nothing was saved." in out
    assert team.scalar("SELECT count(*) FROM task") == 0
    assert team.scalar("SELECT count(*) FROM notice") == 0
    assert "Umbrella" not in team.run("mine", by="Luis Pérez")
    assert "Umbrella" not in team.run("whois umbrella", by="Luis Pérez")

    # Shared with his team, the same line gives him the follow-up, and he hears of it.
    team.run('account "Umbrella Health" visibility:team', by="Ana García")
    out = team.run('remind mañana llamar about "Umbrella Health" for @luis', by="Ana García")
    assert "Follow-up F1 for Luis Pérez about Umbrella Health" in out
    mine = team.run("mine", by="Luis Pérez")
    assert mine.index("New for you") < mine.index("Follow-ups due")
    assert "Ana García gave you follow-up F1, tomorrow 09:00 — Umbrella Health: llamar" in mine
    again = team.run("mine", by="Luis Pérez")
    assert "New for you" not in again  # seen
    assert "llamar — Umbrella Health" in again  # the follow-up itself stays


def test_a_follow_up_someone_sets_for_themselves_is_no_news(team: Team) -> None:
    team.run("remind mañana llamar a María", by="Ana García")
    team.run("remind mañana llamar a Pedro for @ana", by="Ana García")
    assert team.scalar("SELECT count(*) FROM notice") == 0


# -- handovers --------------------------------------------------------------------------


def test_the_receiver_of_a_handover_gets_one_dm_and_sees_it_in_mine(app: App, team: Team) -> None:
    team.run('account "Acme Corp" tier:A', by="Ana García")
    team.run("handover acme to @luis until friday she knows the renewal", by="Ana García")

    sent = dms(app)
    assert [s.where for s in sent.sent] == ["dm:Luis Pérez"]
    assert sent.sent[0].reply.title == ("You now hold Acme Corp from Ana García until Fri 27 Nov")
    assert sent.sent[0].reply.text == "she knows the renewal"
    assert dms(app).sent == []  # once, however many passes
    assert dms(app, SOON + timedelta(minutes=2)).sent == []

    mine = team.run("mine", by="Luis Pérez")
    assert "You now hold Acme Corp from Ana García until Fri 27 Nov: she knows the renewal" in mine
    assert "New for you" not in team.run("mine", by="Ana García")  # she did it

    # At its end, both sides hear that Acme Corp is Ana's again, once.
    saturday = datetime(2026, 11, 28, 9, 0, tzinfo=MADRID)
    ended = dms(app, saturday)
    assert sorted(s.where for s in ended.sent) == ["dm:Ana García", "dm:Luis Pérez"]
    said = {s.where: s.reply.title for s in ended.sent}
    assert said["dm:Luis Pérez"].startswith("Acme Corp: the handover from Ana García ended")
    assert said["dm:Ana García"] == "Acme Corp: back with you; Luis Pérez held it until yesterday"
    assert dms(app, saturday + timedelta(minutes=2)).sent == []


def test_a_handover_undone_before_its_notice_went_out_says_nothing(app: App, team: Team) -> None:
    team.run('account "Acme Corp" tier:A', by="Ana García")
    team.run("handover acme to @luis until friday", by="Ana García")
    team.run("undo", by="Ana García")
    assert dms(app).sent == []
    assert "New for you" not in team.run("mine", by="Luis Pérez")


def test_a_handover_a_manager_made_names_them_to_both_sides(app: App, team: Team) -> None:
    team.run('account "Acme Corp" tier:A', by="Ana García")
    team.run("handover acme to @luis until friday Ana is off sick", by="Carmen Vidal")
    said = {s.where: s.reply for s in dms(app).sent}
    assert said["dm:Luis Pérez"].title == (
        "You now hold Acme Corp from Ana García until Fri 27 Nov (done by Carmen Vidal)"
    )
    assert said["dm:Ana García"].title == (
        "Acme Corp handed to Luis Pérez until Fri 27 Nov (done by Carmen Vidal)"
    )
    assert said["dm:Ana García"].text == "Ana is off sick"
    assert "dm:Carmen Vidal" not in said


def test_a_whole_book_handed_over_is_one_notice(app: App, team: Team) -> None:
    for name in ("Acme Corp", "Globex", "Initech"):
        team.run(f'account "{name}"', by="Ana García")
    team.run("handover @ana to @luis until friday", by="Ana García")
    sent = dms(app).sent
    assert [(s.where, s.reply.title) for s in sent] == [
        ("dm:Luis Pérez", "You now hold Ana García's accounts (3) until Fri 27 Nov")
    ]


def test_a_whole_book_given_for_good_by_a_manager_tells_both_sides(app: App, team: Team) -> None:
    for name in ("Acme Corp", "Globex"):
        team.run(f'account "{name}"', by="Ana García")
    team.run("handover @ana to @luis for good", by="Carmen Vidal")
    said = sorted((s.where, s.reply.title) for s in dms(app).sent)
    assert said == [
        (
            "dm:Ana García",
            "Ana García's accounts (2) handed to Luis Pérez for good (done by Carmen Vidal)",
        ),
        ("dm:Luis Pérez", "You now hold Ana García's accounts (2) for good (done by Carmen Vidal)"),
    ]  # and no notice of each account's new owner besides


# -- cover --------------------------------------------------------------------------------


def test_the_colleague_named_as_cover_hears_when_it_is_set_and_called_off(
    app: App, team: Team
) -> None:
    team.run("away 2026-12-14 2026-12-18 cover @luis", by="Ana García")
    assert "Ana García is away Mon 14 Dec – Fri 18 Dec; you cover" in team.run(
        "mine", by="Luis Pérez"
    )
    team.run("away today friday cover @marta", by="Ana García")
    team.run("back", by="Ana García")  # the absence that began today is called off
    mine = team.run("mine", by="Marta Ruiz")
    assert "Ana García is away today – Fri 27 Nov; you cover" in mine
    assert "Ana García's absence today – Fri 27 Nov is off; you no longer cover it" in mine


# -- changes to one's account -------------------------------------------------------------


def test_the_owner_hears_of_changes_others_make(app: App, team: Team) -> None:
    team.run('account "Acme Corp" tier:A', by="Ana García")
    team.run('deal acme "Renewal 2027" amount:150000 stage:proposal', by="Ana García")
    team.run('account "Acme Corp" tier:C', by="Luis Pérez")
    team.run("lost D1 too expensive", by="Luis Pérez")
    team.run("complaint acme Portal is down severity:high", by="Luis Pérez")
    team.run('account "Acme Corp" status:churned', by="Ana García")  # her own: no news
    mine = team.run("mine", by="Ana García")
    assert "Luis Pérez changed Acme Corp: tier A → C" in mine
    assert "Luis Pérez changed Acme Corp: D1 Renewal 2027: proposal → lost (too expensive)" in mine
    assert "Luis Pérez changed Acme Corp: complaint C1 opened (high): Portal is down" in mine
    assert "status" not in mine
    assert "New for you" not in team.run("mine", by="Luis Pérez")


def test_while_the_owner_is_away_their_cover_hears_instead(app: App, team: Team) -> None:
    team.run('account "Acme Corp" tier:A', by="Ana García")
    team.run("away today friday cover @marta", by="Ana García")
    team.run('account "Acme Corp" tier:B', by="Luis Pérez")
    assert [s.where for s in dms(app).sent if "changed" in s.reply.title] == ["dm:Marta Ruiz"]


def test_an_owner_given_away_by_a_manager_hears_of_it(app: App, team: Team) -> None:
    team.run('account "Acme Corp" tier:A', by="Ana García")
    team.run('account "Acme Corp" owner:@luis', by="Carmen Vidal")
    said = sorted((s.where, s.reply.title, s.reply.text) for s in dms(app).sent)
    change = ("Carmen Vidal changed Acme Corp", "owner Ana García → Luis Pérez")
    assert said == [("dm:Ana García", *change), ("dm:Luis Pérez", *change)]


def test_muted_kinds_are_not_written(app: App, team: Team) -> None:
    team.run('account "Acme Corp" tier:A', by="Ana García")
    set_person(app, "Ana García", muted="changes, cover")
    team.run('account "Acme Corp" tier:C', by="Luis Pérez")
    team.run("away 2026-12-14 2026-12-18 cover @ana", by="Luis Pérez")
    assert team.scalar("SELECT count(*) FROM notice") == 0
    set_person(app, "Ana García", muted="none")
    team.run('account "Acme Corp" tier:B', by="Luis Pérez")
    assert team.scalar("SELECT count(*) FROM notice") == 1
    with pytest.raises(Invalid, match="notices are handover, cover, assigned, changes"):
        check_mute("handovers")


# -- access: a notice never names what its reader cannot read -----------------------------


def test_a_notice_about_an_account_its_reader_can_no_longer_read_says_nothing(
    app: App, team: Team
) -> None:
    team.run('account "Zephyr Secret" tier:A visibility:private', by="Ana García")
    team.run("away today friday cover @marta", by="Ana García")
    team.run('account "Zephyr Secret" tier:B', by="Carmen Vidal")  # Marta covers: she may read
    assert team.scalar("SELECT count(*) FROM notice WHERE kind = 'changes'") == 1
    team.run("back", by="Ana García")  # before Marta read it: she may read it no more
    sent = dms(app)
    assert all("Zephyr" not in s.text for s in sent.sent)
    for name in ("Ana García", "Luis Pérez", "Marta Ruiz", "Carmen Vidal"):
        out = team.run("mine", by=name)
        assert "Zephyr" not in out or name in ("Ana García", "Carmen Vidal"), (name, out)
    settled = "SELECT d.status FROM delivery d JOIN notice n ON d.period = CAST(n.id AS TEXT) "
    assert team.scalar(settled + "WHERE n.kind = 'changes'") == "empty"  # settled, unsaid


# -- delivery: quiet hours, and exactly once whoever sends ----------------------------------


def test_quiet_hours_hold_a_notice_until_they_are_over(app: App, team: Team) -> None:
    set_person(app, "Luis Pérez", quiet_hours="09:00-12:00")
    team.run('account "Acme Corp" tier:A', by="Ana García")
    team.run("handover acme to @luis until friday", by="Ana García")
    assert dms(app).sent == []
    assert team.scalar("SELECT count(*) FROM delivery") == 0
    noon = EPOCH.replace(hour=12, minute=5)
    assert [s.where for s in dms(app, noon).sent] == ["dm:Luis Pérez"]
    assert dms(app, noon + timedelta(minutes=2)).sent == []


def test_two_clocks_send_a_notice_once(app: App, team: Team) -> None:
    team.run('account "Acme Corp" tier:A', by="Ana García")
    team.run("handover acme to @luis until friday", by="Ana García")
    recorder = Recorder()
    other = build_app(app.settings.database_url, FixedClock(at=SOON))
    couriers = [courier(app, recorder), courier(other, recorder)]
    start = threading.Barrier(2)

    def run(n: int) -> None:
        start.wait()
        couriers[n].notices(SOON)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    clocks = [
        ClockProcess(
            database=side.database,
            courier=courier(side, recorder),
            clock=FixedClock(at=SOON),
            interval=0.1,
        )
        for side in (app, other)
    ]
    for clock in clocks:
        clock.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and sum(c.passes for c in clocks) < 3:
        time.sleep(0.05)
    for clock in clocks:
        clock.stop()
    other.database.dispose()
    told = [s.where for s in recorder.sent if s.reply.title.startswith("You now hold")]
    assert told == ["dm:Luis Pérez"]  # (the clocks' passes send the morning's nudges too)
    assert team.scalar("SELECT count(*) FROM delivery WHERE kind = 'notice'") == 1
