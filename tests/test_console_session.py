"""A working week in Relevo, typed into the console, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from conftest import EPOCH, MADRID, Team

from hub.clock import FixedClock
from hub.people import find_by_name, update_person


def setup_acme(team: Team) -> None:
    team.run('account "Acme Corp" tier:A domain:acme.com alias:ACME', by="Ana García")
    team.run(
        'contact "Acme Corp" "María López" role:"decision maker" title:CFO email:maria@acme.com',
        by="Ana García",
    )


def test_account_contact_and_whois_card(team: Team) -> None:
    out = team.run('account "Acme Corp" tier:A domain:acme.com alias:ACME', by="Ana García")
    assert "Created account Acme Corp" in out
    out = team.run(
        "contact Acme Corp “María López” role:“decision maker” title:CFO email:maria@acme.com",
        by="Ana García",
    )
    assert "Added María López (decision maker) to Acme Corp" in out
    team.run(
        "log acme corp call Talked pricing: 10% off if they sign by Friday with maria lopez",
        by="Ana García",
    )
    team.run("agree acme Send revised quote due 2026-11-20", by="Ana García")
    team.run("complaint acme Invoices arrive twice severity:critical", by="Luis Pérez")
    team.run(
        "deal Acme Corp Renewal 2027 amount:€48k stage:proposal close:2026-12-15", by="Ana García"
    )
    team.run("remind tomorrow 9am call María about Acme Corp", by="Ana García")

    card = team.run("whois ACME", by="Luis Pérez")
    assert card.splitlines()[0] == "Acme Corp"
    assert "Owner:         Ana García" in card
    assert "Tier:          A" in card
    assert "María López — decision maker, CFO · maria@acme.com" in card
    assert "A1 Send revised quote — due Fri 20 Nov [overdue]" in card
    assert "C1 Invoices arrive twice — critical, open 0 min" in card
    assert "D1 Renewal 2027 — proposal · €48,000 · closes Tue 15 Dec · 50%" in card
    assert (
        "call with María López (Ana García): Talked pricing: 10% off if they sign by Friday" in card
    )
    assert "F1 tomorrow 09:00 — call María (Ana García)" in card

    by_contact = team.run("whois maria lopez", by="Luis Pérez")
    assert by_contact.startswith("María López — contact at Acme Corp")
    # Her card, not Acme's: what was said with her, not the account's deals.
    assert "call (Ana García): Talked pricing: 10% off if they sign by Friday" in by_contact
    assert "Renewal 2027" not in by_contact
    by_domain = team.run("whois acme.com", by="Luis Pérez")
    assert by_domain.startswith("Acme Corp")


def test_account_under_an_alias_updates_that_account_instead_of_making_a_twin(
    team: Team,
) -> None:
    setup_acme(team)
    out = team.run("account ACME tier:C", by="Ana García")
    assert "Updated Acme Corp" in out and "tier → C" in out
    assert team.scalar("SELECT count(*) FROM account") == 1
    assert "Logged call N1 on Acme Corp" in team.run("log acme call Checked in", by="Ana García")


def test_the_follow_up_offered_after_a_log_is_completed_and_linked(team: Team) -> None:
    setup_acme(team)
    out = team.run("log acme call Talked renewal", by="Ana García")
    offered = out.split("Next: ")[1].strip()
    assert offered == 'remind tomorrow about "Acme Corp"…'  # wants the words still to come
    out = team.run(offered.removesuffix("…") + " send the renewal quote", by="Ana García")
    assert "send the renewal quote" in out
    card = team.run("whois acme", by="Ana García")
    assert "tomorrow 09:00 — send the renewal quote (Ana García)" in card


def test_people_with_two_word_names_are_named_with_quotes_after_the_at(team: Team) -> None:
    setup_acme(team)
    out = team.run('remind tomorrow call them for @"Marta Ruiz"', by="Ana García")
    assert "for Marta Ruiz" in out
    out = team.run('handover acme to @"Luis Pérez" until friday', by="Ana García")
    assert "Luis Pérez" in out and "Note" not in out


def test_a_spanish_speaker_s_numeric_dates_are_day_first(team: Team) -> None:
    setup_acme(team)
    team.add("Lucía Gómez", department="Sales")
    with team.app.database.unit_of_work() as session:
        update_person(find_by_name(session, "Lucía Gómez"), locale="es")
    out = team.run("agree acme Enviar el contrato due 01/12/2026", by="Lucía Gómez")
    assert "mar 1 dic" in out, out  # 1 December, and told in Spanish
    out = team.run("agree acme Send the contract due 01/12/2026", by="Ana García")
    assert "due Mon 12 Jan" in out, out


def test_update_account_and_contact(team: Team) -> None:
    setup_acme(team)
    out = team.run("account acme corp tier:B status:paused", by="Ana García")
    assert "Updated Acme Corp" in out and "tier → B" in out and "status → paused" in out
    out = team.run('contact acme "maría lópez" phone:+34600111222', by="Ana García")
    assert "Updated María López at Acme Corp" in out
    assert "+34600111222" in team.run("whois acme", by="Ana García")
    assert "nothing changed" in team.run("account acme corp tier:B", by="Ana García")


def test_unknown_account_offers_closest_and_keeps_text(team: Team) -> None:
    setup_acme(team)
    team.run("account Globex", by="Luis Pérez")
    out = team.run("log acmee call They want a demo next week", by="Ana García")
    assert "I don't know an account called “acmee”" in out
    assert "Acme Corp" in out
    assert '→ log "Acme Corp" call They want a demo next week' in out
    assert "You typed: log acmee call They want a demo next week" in out
    assert team.scalar("select count(*) from interaction") == 0


def test_the_corrected_line_keeps_every_option_and_word_typed(team: Team) -> None:
    setup_acme(team)
    team.run("account Globex", by="Luis Pérez")
    offered = {
        "complaint acmee Portal slow severity:critical": (
            'complaint "Acme Corp" Portal slow severity:critical'
        ),
        'contact acmee "Ana Diaz" role:buyer email:ana@acme.com': (
            'contact "Acme Corp" "Ana Diaz" role:buyer email:ana@acme.com'
        ),
        "handover acmee, globex to @luis until friday": (
            'handover "Acme Corp", globex to @luis until friday'
        ),
        "agree acmee corp Send the quote due friday": 'agree "Acme Corp" Send the quote due friday',
    }
    for typed, corrected in offered.items():
        out = team.run(typed, by="Ana García")
        assert f"→ {corrected}" in out, out
    # The corrected line does what was typed.
    out = team.run('complaint "Acme Corp" Portal slow severity:critical', by="Ana García")
    assert "critical" in out
    assert team.scalar("select severity from complaint") == "critical"


def test_a_reminder_about_a_misspelt_account_asks_before_saving(team: Team) -> None:
    setup_acme(team)
    out = team.run("remind tomorrow call María about Acmee Corp for @luis", by="Ana García")
    assert "I don't know an account called “Acmee Corp”" in out
    assert '→ remind tomorrow call María about "Acme Corp" for @luis' in out
    assert '→ remind tomorrow "call María about Acmee Corp" for @luis' in out
    assert team.scalar("select count(*) from task") == 0
    # Words after `about` that only share a word with an account's name, or begin one,
    # ask too (issue 19): saved as they are, they stay in the text and link nothing.
    team.run("account Renewal Partners", by="Ana García")
    team.run("account Italia Foods", by="Ana García")
    for saved, words in enumerate(("the renewal", "it", "pricing")):
        out = team.run(f"remind tomorrow call María about {words}", by="Ana García")
        assert f'Save it without an account → remind tomorrow "call María about {words}"' in out
        assert team.scalar("select count(*) from task") == saved
        pick = "1" if "1. Save it" in out else "2" if "2. Save it" in out else "3"
        out = team.run(pick, by="Ana García")
        assert f"call María about {words}" in out, out
    assert team.scalar("select count(*) from task") == 3
    assert team.scalar("select count(*) from task where account_id is not null") == 0


def test_ambiguous_prefix_gives_a_pick_list(team: Team) -> None:
    team.run("account Acme Corp", by="Ana García")
    team.run("account Acme Labs", by="Ana García")
    out = team.run("whois acme", by="Luis Pérez")
    assert "Several matches for “acme”" in out
    assert "Acme Corp" in out and "Acme Labs" in out
    out = team.run("log acme call hello", by="Luis Pérez")
    assert "matches several accounts" in out and '→ log "Acme Labs" call hello' in out


def test_find_searches_everything_with_filters(team: Team) -> None:
    setup_acme(team)
    team.run("account Globex tier:B", by="Luis Pérez")
    team.run("log acme email Invoice copy requested by finance", by="Ana García")
    team.run("complaint globex Invoice totals wrong", by="Luis Pérez")
    out = team.run("find invoice", by="Marta Ruiz")
    assert "2 results for “invoice”" in out
    assert "complaint: Globex — Invoice totals wrong" in out
    assert "interaction: Acme Corp — Invoice copy requested by finance" in out
    out = team.run("find invoice tier:B", by="Marta Ruiz")
    assert "1 result for" in out and "Globex" in out
    out = team.run("find invoice owner:@ana type:interaction", by="Marta Ruiz")
    assert "1 result for" in out and "Acme Corp" in out
    assert "Nothing found" in team.run("find zeppelin", by="Marta Ruiz")


def test_complaint_lifecycle_with_sla(team: Team, clock: FixedClock) -> None:
    setup_acme(team)
    out = team.run("complaint acme Portal down severity:critical", by="Marta Ruiz")
    assert "Complaint C1 opened on Acme Corp (critical)" in out
    assert "Resolve by: today 14:00" in out
    clock.set(clock.now() + timedelta(hours=5))
    assert "[SLA breached]" in team.run("whois acme", by="Marta Ruiz")
    out = team.run("resolve #1 Restarted the cluster", by="Marta Ruiz")
    assert "Complaint C1 on Acme Corp resolved" in out and "after its SLA" in out
    assert "No open complaints." in team.run("whois acme", by="Marta Ruiz")
    assert "already resolved" in team.run("resolve 1", by="Marta Ruiz")


def test_deal_stage_history(team: Team, clock: FixedClock) -> None:
    setup_acme(team)
    out = team.run('deal acme Renewal amount:"12.500,50 EUR"', by="Ana García")
    assert "Deal D1 opened on Acme Corp: Renewal" in out and "€12,500.50" in out
    clock.set(clock.now() + timedelta(days=2))
    assert "moved from lead to qualified" in team.run("stage 1 qualified", by="Ana García")
    clock.set(clock.now() + timedelta(days=3))
    team.run("stage #1 negotiation", by="Luis Pérez")
    out = team.run("won 1", by="Ana García")
    assert "Deal D1 on Acme Corp won" in out
    assert "Stages so far: lead → qualified → negotiation → won" in out
    history = team.scalar("select count(*) from deal_stage_change where deal_id = 1")
    assert history == 4
    team.run("deal acme Pilot amount:5k", by="Ana García")
    out = team.run("lost 2 went with a competitor", by="Ana García")
    assert "Deal D2 on Acme Corp lost" in out and "Reason: went with a competitor" in out
    assert "No open deals." in team.run("whois acme", by="Ana García")


def test_remind_snooze_done(team: Team, clock: FixedClock) -> None:
    setup_acme(team)
    out = team.run("remind mañana a las 11 llamar a María about Acme Corp", by="Ana García")
    assert "Follow-up F1 for you about Acme Corp, tomorrow 11:00" in out
    out = team.run("remind next friday send the contract for @luis", by="Ana García")
    assert "Follow-up F2 for Luis Pérez, Fri 27 Nov 09:00" in out
    out = team.run("snooze 1 el lunes", by="Ana García")
    assert "Follow-up F1 moved to Mon 30 Nov 09:00" in out
    # Someone else's follow-up reads like a missing one: not whose it is, nor that it exists.
    refused = team.run("done 1", by="Marta Ruiz")
    assert "There is no follow-up F1 that you can act on." in refused
    assert "Ana" not in refused and "María" not in refused
    assert "Follow-up F1 done" in team.run("done #1", by="Ana García")
    assert "already done" in team.run("done 1", by="Ana García")
    clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=MADRID))
    mine = team.run("mine", by="Luis Pérez")
    assert "F2 today 09:00 send the contract [overdue]" in mine


def test_away_and_cover_change_whois_tasks_and_mine(team: Team, clock: FixedClock) -> None:
    setup_acme(team)
    team.run("account Umbrella visibility:private", by="Ana García")
    out = team.run("away tomorrow to 2026-11-30 cover @luis", by="Ana García")
    assert "You're away tomorrow to Mon 30 Nov" in out
    assert "away until" not in team.run("whois acme", by="Marta Ruiz")
    assert "No account or contact" in team.run("whois umbrella", by="Luis Pérez")

    clock.set(datetime(2026, 11, 26, 10, 0, tzinfo=MADRID))
    card = team.run("whois acme", by="Marta Ruiz")
    assert "Owner:         Ana García — away until Mon 30 Nov, covered by Luis Pérez" in card
    out = team.run("remind tomorrow call back María for @ana", by="Marta Ruiz")
    assert "Ana García is away until Mon 30 Nov; Luis Pérez covers and will get it." in out
    mine = team.run("mine", by="Luis Pérez")
    assert "Covering: Ana García until Mon 30 Nov" in mine
    assert "call back María (covering for Ana García)" in mine
    assert "Acme Corp (tier A) — covering for Ana García" in mine
    assert team.run("whois umbrella", by="Luis Pérez").startswith("Umbrella")

    out = team.run("back", by="Ana García")
    assert "Welcome back" in out
    assert "away until" not in team.run("whois acme", by="Marta Ruiz")
    assert "No account or contact" in team.run("whois umbrella", by="Luis Pérez")
    assert "weren't away" in team.run("back", by="Ana García")


def test_handover_for_a_period_returns_by_itself(team: Team, clock: FixedClock) -> None:
    setup_acme(team)
    out = team.run("handover acme to @luis until friday she knows the renewal", by="Ana García")
    assert "Handed 1 account to Luis Pérez until Fri 27 Nov" in out
    assert "Note: she knows the renewal" in out
    card = team.run("whois acme", by="Marta Ruiz")
    assert "Owner:         Luis Pérez until Fri 27 Nov (handed over by Ana García)" in card
    assert "Acme Corp" in team.run("mine", by="Luis Pérez")

    clock.set(datetime(2026, 11, 27, 18, 0, tzinfo=MADRID))
    assert "Luis Pérez until" in team.run("whois acme", by="Marta Ruiz")
    clock.set(datetime(2026, 11, 28, 9, 0, tzinfo=MADRID))
    card = team.run("whois acme", by="Marta Ruiz")
    assert "Owner:         Ana García" in card and "Luis" not in card.splitlines()[1]
    assert "Acme Corp" not in team.run("mine", by="Luis Pérez")


def test_handover_for_good_and_whole_book(team: Team) -> None:
    setup_acme(team)
    team.run("account Globex", by="Ana García")
    out = team.run("handover acme to @luis", by="Ana García")
    assert "Handed 1 account to Luis Pérez for good" in out
    assert "Owner:         Luis Pérez" in team.run("whois acme", by="Ana García")
    assert "Only the owner" in team.run("handover acme to @marta", by="Ana García")
    # A whole book for good is asked first; nothing moves until it is confirmed.
    out = team.run("handover @ana to @marta", by="Carmen Vidal")
    assert "Hand Ana García's one account to Marta Ruiz for good?" in out
    assert "handover @Ana García to @Marta Ruiz for good" in out
    assert team.scalar("select count(*) from handover") == 1
    out = team.run("handover @Ana García to @Marta Ruiz for good", by="Carmen Vidal")
    assert "Handed 1 account to Marta Ruiz for good" in out and "Globex" in out
    assert team.scalar("select count(*) from handover") == 2


def owner_line(team: Team, account: str) -> str:
    """The Owner line of the account's card, as a manager reads it."""
    return team.run(f"whois {account}", by="Carmen Vidal").splitlines()[1].strip()


def test_a_whole_book_handed_over_for_a_period(team: Team, clock: FixedClock) -> None:
    setup_acme(team)
    team.run('account "Umbrella Health" visibility:private', by="Ana García")
    team.run("log umbrella meeting Merger talks, keep quiet", by="Ana García")
    out = team.run("handover @ana to @luis until friday trade fair week", by="Carmen Vidal")
    assert "Handed 2 accounts to Luis Pérez until Fri 27 Nov" in out
    assert "Accounts Ana García gains meanwhile go to Luis Pérez too." in out
    assert team.scalar("select count(*) from handover") == 1  # one row, however big the book

    # Luis answers for the book: he sees the private account, it is in his day; Ana's day
    # no longer lists it.
    assert "Merger talks" in team.run("whois umbrella", by="Luis Pérez")
    mine = team.run("mine", by="Luis Pérez")
    assert "Umbrella Health" in mine
    assert "handed to you by Carmen Vidal until Fri 27 Nov: trade fair week" in mine
    assert "Acme Corp" not in team.run("mine", by="Ana García")
    assert "Merger" in team.run("find merger", by="Luis Pérez")
    # An account Ana gains meanwhile is covered too; one handed on alone goes its own way.
    team.run("account Initech", by="Ana García")
    assert owner_line(team, "initech").split(maxsplit=1)[1] == (
        "Luis Pérez until Fri 27 Nov (handed over by Carmen Vidal; Ana García owns it)"
    )
    out = team.run("handover acme to @marta until thursday", by="Ana García")
    assert "Handed 1 account to Marta Ruiz until Thu 26 Nov" in out
    assert owner_line(team, "acme").startswith("Owner:         Marta Ruiz until Thu 26 Nov")
    assert (
        owner_line(team, "initech").split(maxsplit=1)[1].startswith("Luis Pérez until Fri 27 Nov")
    )

    clock.set(datetime(2026, 11, 28, 9, 0, tzinfo=MADRID))
    assert "No account or contact called" in team.run("whois umbrella", by="Luis Pérez")
    for name in ("acme", "initech"):
        assert owner_line(team, name).split() == ["Owner:", "Ana", "García"]


def test_a_book_handed_over_for_good_moves_every_account(team: Team) -> None:
    setup_acme(team)
    team.run("account Globex", by="Ana García")
    team.run("handover @ana to @luis until friday", by="Ana García")
    out = team.run("handover @ana to @marta for good", by="Carmen Vidal")
    assert "Handed 2 accounts to Marta Ruiz for good" in out
    marta = "(select id from person where name = 'Marta Ruiz')"
    assert team.scalar(f"select count(*) from account where owner_id = {marta}") == 2
    assert team.scalar("select count(*) from account") == 2
    # The period Luis had ends with Ana's book: Marta owns it, nobody covers it.
    assert owner_line(team, "globex").split() == ["Owner:", "Marta", "Ruiz"]
    assert "Only Ana García, their cover or a manager" in team.run(
        "handover @ana to @luis", by="Luis Pérez"
    )
    late = team.run("handover @ana to @luis for good", by="Ana García")
    assert "Ana García's accounts were handed over to Marta Ruiz a moment ago" in late


def test_private_account_is_invisible_to_others_but_not_to_a_manager(team: Team) -> None:
    out = team.run('account "Umbrella Health" visibility:private', by="Ana García")
    assert "Created account Umbrella Health" in out
    team.run("log umbrella meeting Merger talks, keep quiet", by="Ana García")
    for line in ("whois umbrella", "whois Umbrella Health"):
        out = team.run(line, by="Luis Pérez")
        assert "No account or contact called" in out and "Merger" not in out
    assert "Nothing found" in team.run("find merger", by="Luis Pérez")
    out = team.run("log umbrella call sneaky", by="Luis Pérez")
    assert "I don't know an account called “umbrella”" in out
    assert "Umbrella Health" not in out.replace("log umbrella", "")
    card = team.run("whois umbrella", by="Carmen Vidal")
    assert card.startswith("Umbrella Health") and "Merger talks" in card
    reads = team.scalar(
        "select count(*) from audit_event where action = 'read' and actor_id = "
        "(select id from person where name = 'Carmen Vidal')"
    )
    assert reads == 1


def test_a_digest_naming_a_private_account_is_an_audited_read(
    team: Team, clock: FixedClock
) -> None:
    team.run('account "Umbrella Health" tier:A visibility:private', by="Ana García")
    team.run("complaint umbrella Data export broken severity:high", by="Ana García")
    team.run("account Initech tier:A", by="Ana García")
    team.run("complaint initech Slow portal severity:high", by="Ana García")
    # Monday: both complaints were past their SLA when this week's digest went out.
    clock.set(EPOCH + timedelta(days=6))

    def digest_reads(how: str) -> object:
        return team.scalar(
            "SELECT count(*) FROM audit_event a JOIN person p ON p.id = a.actor_id "
            "WHERE a.action = 'read' AND p.name = 'Carmen Vidal' AND a.account_id = "
            "(SELECT id FROM account WHERE name = 'Umbrella Health') "
            f"AND CAST(a.detail AS TEXT) LIKE '%{how}%'"
        )

    out = team.run("digest", by="Carmen Vidal")
    assert "Umbrella Health" in out and "Initech" in out
    assert digest_reads("digest") == 1  # the public one is nobody's secret
    assert team.scalar("SELECT count(*) FROM audit_event WHERE action = 'read'") == 1
    assert "Umbrella" not in team.run("digest", by="Luis Pérez")


def test_a_hidden_account_s_name_and_alias_are_refused_alike(team: Team) -> None:
    team.run('account "Zephyr Secret" alias:ZEPH visibility:private', by="Ana García")
    team.run('account "Open Door" alias:OPD', by="Ana García")
    team.run("account Nova", by="Luis Pérez")

    def refusal(line: str, typed: str) -> str:
        out = team.run(line, by="Luis Pérez")
        assert "Nothing was saved" in out, out
        return out.split("\n", 1)[0].replace(typed, "NAME")

    hidden = {
        refusal("account Nova alias:ZEPH", "ZEPH"),
        refusal('account Nova alias:"Zephyr Secret"', "Zephyr Secret"),
        refusal("account Nova rename:ZEPH", "ZEPH"),
        refusal('account Nova rename:"Zephyr Secret"', "Zephyr Secret"),
    }
    visible = {
        refusal("account Nova alias:OPD", "OPD"),
        refusal('account Nova alias:"Open Door"', "Open Door"),
    }
    # One answer, whether the account is hidden or not, and a name or an alias.
    assert hidden == visible and len(hidden) == 1, (hidden, visible)
    assert "Zephyr" not in team.run("whois Nova", by="Luis Pérez")


def test_team_visibility_follows_department(team: Team) -> None:
    team.run("account Soylent visibility:team", by="Marta Ruiz")
    assert "No account or contact" in team.run("whois soylent", by="Ana García")
    team.add("Tom Baker", department="Service")
    assert team.run("whois soylent", by="Tom Baker").startswith("Soylent")


def test_writes_are_audited(team: Team) -> None:
    setup_acme(team)
    team.run("log acme call hello", by="Ana García")
    team.run("deal acme Renewal", by="Ana García")
    team.run("stage 1 proposal", by="Ana García")
    actions = {
        row
        for row in team.app.database.engine.connect()
        .execute(__import__("sqlalchemy").text("select action from audit_event"))
        .scalars()
    }
    assert {
        "account.create",
        "contact.create",
        "interaction.log",
        "deal.create",
        "deal.stage",
    } <= actions


def test_digest_subscribe_and_unsubscribe(team: Team, clock: FixedClock) -> None:
    setup_acme(team)
    team.run("deal acme Renewal amount:40000 stage:negotiation close:2026-11-30", by="Ana García")
    team.run("deal acme Pilot amount:10000 stage:lead close:2026-12-10", by="Ana García")
    team.run("deal acme Old amount:5000", by="Ana García")
    team.run("won 3", by="Ana García")
    team.run("complaint acme Outage severity:high", by="Marta Ruiz")
    clock.set(EPOCH + timedelta(days=6))  # Monday: `digest` is this week's, sent at 09:00
    out = team.run("digest", by="Carmen Vidal")
    assert "Weekly pipeline digest — week of Mon 23 Nov to Sun 29 Nov 2026" in out
    assert "negotiation: 1 deal · €40,000 · weighted €30,000 · this week: +1 in, −0 out" in out
    assert "lead: 1 deal · €10,000 · weighted €1,000 · this week: +2 in, −1 out" in out
    assert "Moved this week:              3 new (€55,000), 1 won (€5,000)" in out
    assert "Won:                          1 · €5,000" in out
    assert "Forecast for November 2026:   €30,000" in out
    assert "Forecast for December 2026:   €1,000" in out
    assert "Complaints:                   1 new, 0 resolved, 1 open (1 over SLA)" in out
    assert "Acme Corp (tier A) — 1 complaint over SLA" in out
    assert "#sales will now receive the weekly pipeline digest" in team.run(
        "subscribe #sales weekly", by="Carmen Vidal"
    )
    assert "#sales now receives the daily" in team.run("subscribe #sales daily", by="Carmen Vidal")
    assert "Subscribed channels: #sales" in team.run("digest now", by="Carmen Vidal")
    assert "no longer receive" in team.run("unsubscribe #sales", by="Carmen Vidal")
    assert "not subscribed" in team.run("unsubscribe #sales", by="Carmen Vidal")


def test_digest_now_is_the_digest_channels_get(team: Team) -> None:
    team.run('account "Zephyr Secret" tier:A visibility:private', by="Ana García")
    # Past its close date, so the account is at risk and the manager's digest names it.
    team.run('deal "Zephyr Secret" Board amount:999000 close:2020-01-15', by="Ana García")
    team.run('complaint "Zephyr Secret" Outage severity:high', by="Ana García")
    team.run('account "Public Place"', by="Ana García")
    team.run('deal "Public Place" Pilot amount:1000', by="Ana García")
    own = team.run("digest", by="Carmen Vidal")
    assert "Open pipeline:                2 deals · €1,000,000" in own and "Zephyr Secret" in own
    shared = team.run("digest now", by="Carmen Vidal")
    assert "Open pipeline:                1 deal · €1,000" in shared
    assert "Zephyr" not in shared and "999" not in shared and "Outage" not in shared
    assert "Public accounts only" in shared


def test_help_and_malformed_commands(team: Team) -> None:
    assert "whois <account, contact or @colleague>" in team.run("help", by="Ana García")
    out = team.run("help log", by="Ana García")
    assert "log <account> [call/email/meeting/chat/web/visit] <text> [with <contact>]" in out
    out = team.run("/crm frobnicate acme", by="Ana García")
    assert "I don't know the command “frobnicate”" in out and "help" in out
    out = team.run("deal acme Renewal amount:lots", by="Ana García")
    assert "couldn't read “lots” as an amount" in out
    assert "Usage: deal <account> <title>" in out
    assert "You typed: deal acme Renewal amount:lots" in out
    assert "Nothing was saved" in out
    out = team.run("remind someday call back", by="Ana García")
    assert "couldn't read a date" in out
    assert "ids look like F12, 12 or #12" in team.run("done twelve", by="Ana García")


def test_unknown_person_in_a_mention(team: Team) -> None:
    setup_acme(team)
    out = team.run("handover acme to @lwis", by="Ana García")
    assert "I don't know a team member called @lwis" in out and "Luis Pérez" in out
    assert "Owner:         Ana García" in team.run("whois acme", by="Ana García")
