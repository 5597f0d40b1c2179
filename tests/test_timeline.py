"""`timeline`: an account's whole history, newest first, a page at a time (issue 20), as
console transcripts on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from conftest import EPOCH, Team

from hub.clock import FixedClock


def history(team: Team, clock: FixedClock) -> None:
    """Acme's history, an hour apart, oldest first: 12 calls, then an agreement kept, a
    complaint resolved, a deal moved on, and a handover with a note."""
    team.run('account "Acme Corp" tier:A', by="Ana García")
    team.run('contact "Acme Corp" "María López" role:buyer', by="Ana García")
    at = EPOCH - timedelta(days=2)

    def then(line: str, by: str = "Ana García") -> str:
        nonlocal at
        at += timedelta(hours=1)
        clock.set(at)
        out = team.run(line, by=by)
        assert "Nothing was saved" not in out, (line, out)
        return out

    for n in range(1, 13):
        then(f"log acme call Call number {n} with María López")
    then("agree acme Send the signed contract due 2026-11-30")
    then("kept A1")
    then("complaint acme Portal is slow severity:high", by="Luis Pérez")
    then("resolve C1 Cache fixed")
    then("deal acme Renewal 2027 amount:48k stage:proposal")
    then("stage D1 negotiation", by="Luis Pérez")
    then("handover acme to @luis until 2026-12-04 Ana de baja, Luis lleva su cartera")
    clock.set(EPOCH)


def test_the_whole_history_pages_newest_first_with_ids(team: Team, clock: FixedClock) -> None:
    history(team, clock)
    out = team.run("timeline acme", by="Marta Ruiz")
    lines = out.splitlines()
    assert lines[0] == "Acme Corp — history"
    assert "page 1 of 2 (17 entries)" in out
    # Newest first: the handover (no id), the deal's two stages, the complaint, the
    # agreement, then the calls from the last one down.
    entries = [line.strip() for line in lines if line.strip().startswith("•")]
    assert len(entries) == 10
    assert "handed over from Ana García to Luis Pérez until" in entries[0]
    assert "(by Ana García): Ana de baja, Luis lleva su cartera" in entries[0]
    assert entries[1].startswith("• D1 ") and "proposal → negotiation (Luis Pérez)" in entries[1]
    assert entries[2].startswith("• D1 ") and "Renewal 2027: opened at proposal" in entries[2]
    assert entries[3].startswith("• C1 ") and "slow — Cache fixed [resolved]" in entries[3]
    assert entries[4].startswith("• A1 ") and "Send the signed contract" in entries[4]
    assert "[kept]" in entries[4]
    assert entries[5].startswith("• N12 ") and "call with María López (Ana García)" in entries[5]
    assert entries[9].startswith("• N8 ")
    assert "… and 7 more" in out
    assert 'timeline "Acme Corp" page:2' in out.split("Next: ")[1]

    second = team.run('timeline "Acme Corp" page:2', by="Marta Ruiz")
    assert "page 2 of 2 (17 entries)" in second
    entries = [line.strip() for line in second.splitlines() if line.strip().startswith("•")]
    assert [e.split()[1] for e in entries] == [f"N{n}" for n in range(7, 0, -1)]
    assert "page:3" not in second
    past = team.run("timeline acme page:3", by="Marta Ruiz")
    assert "page 3 is past the end" in past


def test_timeline_filters_by_kind_and_date(team: Team, clock: FixedClock) -> None:
    history(team, clock)
    out = team.run("timeline acme type:complaint", by="Luis Pérez")
    assert out.splitlines()[0] == "Acme Corp — complaints"
    assert "C1" in out and "N1" not in out and "A1" not in out and "(1 entry)" in out
    deals = team.run("timeline acme type:deals", by="Luis Pérez")
    assert deals.count("• D1") == 2 and "N1" not in deals
    handovers = team.run("timeline acme type:handover", by="Luis Pérez")
    assert "handed over from Ana García to Luis Pérez" in handovers and "(1 entry)" in handovers
    # Since a day: only what happened from its start (in the reader's time zone) on.
    since = (EPOCH - timedelta(days=1)).date().isoformat()
    out = team.run(f"timeline acme since:{since}", by="Luis Pérez")
    # From midnight on the 23rd: the complaint, the deal's two stages and the handover.
    assert out.splitlines()[0] == "Acme Corp — history since yesterday"
    assert "(4 entries)" in out and "N12" not in out and "A1" not in out
    empty = team.run("timeline acme type:agreement since:2026-11-24", by="Luis Pérez")
    assert "Nothing matches." in empty
    bad = team.run("timeline acme type:invoices", by="Luis Pérez")
    assert "type: must be one of interaction/agreement/complaint/deal/handover" in bad
    bad = team.run("timeline acme since:someday", by="Luis Pérez")
    assert "couldn't read “someday” as a date" in bad


def test_the_card_offers_the_whole_history(team: Team, clock: FixedClock) -> None:
    history(team, clock)
    card = team.run("whois acme", by="Marta Ruiz")
    assert 'timeline "Acme Corp"' in card.split("Next: ")[1]
    # The card shows the last three calls; the timeline has them all.
    assert "Call number 9" not in card
    assert "Call number 9" in team.run("timeline acme", by="Marta Ruiz")


def test_a_hidden_account_s_history_reads_like_a_missing_one(team: Team) -> None:
    team.run('account "Umbrella Health" visibility:private', by="Ana García")
    team.run("log umbrella call Secret pricing talk", by="Ana García")
    team.run('account "Wayne Enterprises" visibility:team', by="Ana García")
    assert "Secret pricing talk" in team.run("timeline umbrella", by="Ana García")
    assert "Secret pricing talk" in team.run("timeline umbrella", by="Carmen Vidal")
    hidden = team.run('timeline "Umbrella Health"', by="Luis Pérez")
    missing = team.run('timeline "Umbrella Wealth"', by="Luis Pérez")
    assert "Secret" not in hidden
    assert hidden.replace("Umbrella Health", "X") == missing.replace("Umbrella Wealth", "X")
    # A team account: its department reads it, another doesn't.
    assert team.run("timeline wayne", by="Luis Pérez").startswith("Wayne Enterprises — history")
    other = team.run('timeline "Wayne Enterprises"', by="Marta Ruiz")
    assert other.startswith("! I don't know an account called “Wayne Enterprises”")
    # A non-public account's history read is audited, like a whois.
    audited = "SELECT count(*) FROM audit_event WHERE CAST(detail AS TEXT) LIKE '%timeline%'"
    assert team.scalar(audited) == 3  # Ana's and Carmen's of Umbrella, Luis's of Wayne
