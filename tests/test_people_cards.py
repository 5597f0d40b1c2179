"""The cards of people (issue 20): a colleague's (`whois @ana`) and a customer contact's
(`whois "María López"`), typed into the console, on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

from conftest import Team

from hub.clock import FixedClock


def flat(card: str) -> str:
    """The card with its fields' alignment taken out: "Role: member"."""
    return re.sub(r" {2,}", " ", card)


def ana_s_week(team: Team, clock: FixedClock) -> None:
    """Ana's book: two public accounts and a private one, with work falling due today.

    The clock starts on Tuesday 24 November 2026 at 10:00 in Madrid."""
    ana = "Ana García"
    team.run('account "Acme Corp" tier:A domain:acme.com', by=ana)
    team.run("account Globex tier:B", by=ana)
    team.run('account "Umbrella Health" tier:A visibility:private', by=ana)
    team.run('agree "Acme Corp" Send the signed contract due 2026-11-23', by=ana)
    team.run('complaint "Acme Corp" Portal is down severity:critical', by=ana)
    team.run('complaint "Umbrella Health" Lab results lost severity:critical', by=ana)
    team.run('agree "Umbrella Health" Call the lab director due 2026-11-20', by=ana)
    team.run('deal "Acme Corp" "Renewal 2027" amount:48000 stage:proposal close:friday', by=ana)
    team.run('remind today 18:00 send the quote about "Acme Corp"', by=ana)
    team.run("handover globex to @luis until 2026-12-18 Luis lleva Globex", by="Carmen Vidal")
    team.run("away 2026-11-30 2026-12-04 cover @luis", by=ana)
    clock.set(clock.now() + timedelta(hours=5))  # the critical complaints are over their SLA (4 h)


def test_whois_a_colleague_shows_where_they_are_their_book_and_what_is_urgent(
    team: Team, clock: FixedClock
) -> None:
    ana_s_week(team, clock)
    card = flat(team.run("whois @ana", by="Marta Ruiz"))
    assert card.splitlines()[0] == "Ana García (@ana) — colleague"
    assert "Role: member" in card
    assert "Department: Sales" in card
    assert "Time zone: Europe/Madrid — 15:00 there (Tue)" in card
    assert "Away: planned Mon 30 Nov – Fri 04 Dec — covered by Luis Pérez" in card
    assert "Last active: 5 h ago" in card
    # Her book, as Marta may see it: Acme (Globex is Luis's until the 18th; Umbrella is
    # private), with what is urgent on it.
    assert "Accounts (1)" in card
    assert "• Acme Corp — tier A [urgent]" in card
    assert (
        "Urgent today: 1 follow-up due · 1 agreement due · 1 complaint over SLA"
        " · 1 deal closing this week" in card
    )
    assert "F1 follow-up today 18:00: send the quote — Acme Corp" in card
    assert "A1 agreement due yesterday: Send the signed contract — Acme Corp [overdue]" in card
    assert "C1 complaint: Portal is down — Acme Corp [SLA breached]" in card
    assert "D1 deal closing Fri 27 Nov: Renewal 2027 — Acme Corp" in card
    assert (
        "out: Globex to Luis Pérez until Fri 18 Dec (by Carmen Vidal) — “Luis lleva Globex”" in card
    )
    assert "Umbrella" not in card and "Lab results" not in card and "lab director" not in card
    assert (
        "Next: handover @ana to @marta until… | handover @ana to… "
        "| find type:account owner:@ana" in card
    )

    # A manager reads the private account too, and counts it.
    card = team.run("whois @ana", by="Carmen Vidal")
    assert "Accounts (2)" in card
    assert "• Umbrella Health — tier A [urgent]" in card
    assert "2 agreements due · 2 complaints over SLA" in card
    # Luis holds Globex for the period: it is on his book, with the note.
    card = team.run("whois @luis", by="Marta Ruiz")
    assert "• Globex — tier B · Ana García's" in card
    assert "in: Globex from Ana García until Fri 18 Dec (by Carmen Vidal)" in card


def test_whois_a_team_member_by_full_name_and_an_account_first(team: Team) -> None:
    for typed in ("whois Ana García", 'whois "ana garcia"', 'whois @"Ana García"'):
        assert team.run(typed, by="Luis Pérez").startswith("Ana García (@ana) — colleague"), typed
    # An account (or contact) of that exact name is the better match: it wins.
    team.run('account "Luis Pérez" tier:C', by="Ana García")
    assert team.run("whois Luis Pérez", by="Marta Ruiz").startswith("Luis Pérez\n")
    assert team.run("whois @luis", by="Marta Ruiz").startswith("Luis Pérez (@luis) — colleague")
    out = team.run("whois @nobody", by="Marta Ruiz")
    assert "I don't know a team member called @nobody" in out


def test_whois_a_colleague_away_now_and_their_cover(team: Team) -> None:
    team.run("account Initech tier:C", by="Ana García")
    team.run("away today 2026-11-26 cover @luis", by="Ana García")
    card = flat(team.run("whois @ana", by="Marta Ruiz"))
    assert "Away: now, until Thu 26 Nov — covered by Luis Pérez" in card
    card = flat(team.run("whois @luis", by="Marta Ruiz"))
    assert "Covering for: Ana García until Thu 26 Nov" in card
    assert "• Initech — tier C · Ana García's" in card
    # Ana's own card does not offer her to cover for herself.
    assert "Next: handover @ana to… | find type:account owner:@ana" in team.run(
        "whois @ana", by="Ana García"
    )


def test_the_contact_card_shows_her_details_account_and_timeline(
    team: Team, clock: FixedClock
) -> None:
    ana = "Ana García"
    team.run('account "Acme Corp" tier:A', by=ana)
    team.run(
        'contact "Acme Corp" "María López" role:buyer title:CFO email:maria@acme.com '
        "phone:+34 600 111 222",
        by=ana,
    )
    team.run('contact "Acme Corp" "Pedro Gil" role:IT', by=ana)
    team.run('log "Acme Corp" call Talked pricing with María López', by=ana)
    clock.set(clock.now() + timedelta(minutes=10))
    team.run('log "Acme Corp" call Server migration plan with Pedro Gil', by=ana)
    team.run('agree "Acme Corp" Send María López the signed contract due 2026-12-01', by=ana)
    team.run('complaint "Acme Corp" maría lópez got two invoices severity:low', by="Luis Pérez")
    team.run("away today 2026-11-26 cover @luis", by=ana)

    card = flat(team.run('whois "María López"', by="Marta Ruiz"))
    assert card.splitlines()[0] == "María López — contact at Acme Corp"
    for line in (
        "Role: buyer",
        "Title: CFO",
        "E-mail: maria@acme.com",
        "Phone: +34 600 111 222",
        "• Acme Corp — owner Ana García — away until Thu 26 Nov, covered by Luis Pérez",
        "With María López",
        "N1 today 10:00 call (Ana García): Talked pricing",
        "A1 today 10:10 agreement: Send María López the signed contract — due Tue 01 Dec [open]",
        "C1 today 10:10 complaint: maría lópez got two invoices [low, open]",
    ):
        assert line in card, (line, card)
    assert "Server migration" not in card  # with Pedro, not with her
    assert 'Next: log "Acme Corp"… | agree "Acme Corp"… | whois "Acme Corp"' in card


def test_a_contact_at_a_private_account_is_not_counted_for_who_cannot_read_it(
    team: Team,
) -> None:
    team.run('account "Acme Corp" tier:A', by="Ana García")
    team.run('contact "Acme Corp" "María López" email:maria@acme.com', by="Ana García")
    team.run('account "Umbrella Health" visibility:private', by="Ana García")
    team.run('contact "Umbrella Health" "María López" email:maria@acme.com', by="Ana García")
    team.run('log "Umbrella Health" call Secret trial terms with María López', by="Ana García")
    card = team.run("whois maria@acme.com", by="Marta Ruiz")
    assert card.startswith("María López — contact at Acme Corp")
    assert "Umbrella" not in card and "Secret trial" not in card
    assert "Nothing logged with them yet." in card
    card = team.run("whois maria@acme.com", by="Carmen Vidal")
    assert "• Umbrella Health — owner Ana García" in card
    assert "Secret trial terms" in card
