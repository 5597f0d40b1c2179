"""Ids that name their kind, and unknown verbs that offer the corrected line: console
transcripts on SQLite and on PostgreSQL (issue 19)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from conftest import Team

from bot.discord.render import message
from bot.slack.blocks import reply_blocks
from hub.clock import FixedClock


def accounts(team: Team) -> None:
    team.run('account "Acme Corp" tier:A', by="Ana García")
    team.run('account "Globex" tier:B', by="Ana García")


def a_complaint_and_a_deal_numbered_alike(team: Team, clock: FixedClock) -> None:
    accounts(team)
    for n in range(3):
        team.run(f"complaint acme Portal down {n} severity:critical", by="Ana García")
        team.run(f"deal globex Pilot {n} amount:5k close:2026-11-20", by="Ana García")
    # Next Monday: the weekly digest (`digest`) stands then, the complaints' SLA passed.
    clock.set(clock.now() + timedelta(days=6))


def test_a_digest_tells_complaint_3_from_deal_3(team: Team, clock: FixedClock) -> None:
    a_complaint_and_a_deal_numbered_alike(team, clock)
    digest = team.run("digest", by="Carmen Vidal")
    assert "C3 Acme Corp: Portal down 2" in digest
    assert "D3 Globex: Pilot 2" in digest
    assert "#3" not in digest
    # The buttons are /crm lines naming the kind, so a click can't reach the other record.
    reply = team.reply("digest", by="Carmen Vidal")
    commands = {a.command for s in reply.sections for i in s.items for a in i.actions}
    assert {"resolve C3 ", "stage D3 ", "lost D3 "} <= commands


def test_an_id_of_the_wrong_kind_is_refused_and_a_bare_number_still_works(
    team: Team, clock: FixedClock
) -> None:
    a_complaint_and_a_deal_numbered_alike(team, clock)
    refused = team.run("resolve D3 fixed", by="Ana García")
    assert "D3 is a deal; resolve takes a complaint (C…)." in refused
    assert "Nothing was saved." in refused
    assert "C3 is a complaint; won takes a deal (D…)." in team.run("won C3", by="Ana García")
    assert team.scalar("select count(*) from complaint where status = 'resolved'") == 0
    assert team.scalar("select count(*) from deal where stage = 'won'") == 0

    assert "Deal D3 on Globex won" in team.run("won 3", by="Ana García")
    assert "Complaint C3 on Acme Corp resolved" in team.run("resolve C3 fixed", by="Ana García")
    assert "Deal D2 on Globex lost" in team.run("lost D2 no budget", by="Ana García")
    assert "Complaint C1 on Acme Corp resolved" in team.run("resolve #1", by="Ana García")
    assert team.scalar("select stage from deal where id = 3") == "won"
    assert team.scalar("select status from complaint where id = 3") == "resolved"


def test_cards_mine_and_replies_show_ids_with_their_kind(team: Team) -> None:
    accounts(team)
    assert "Agreement A1 recorded on Acme Corp" in team.run(
        "agree acme Send the quote due friday", by="Ana García"
    )
    assert "Complaint C1 opened on Acme Corp" in team.run(
        "complaint acme Invoices twice", by="Ana García"
    )
    assert "Deal D1 opened on Acme Corp: Renewal" in team.run(
        "deal acme Renewal amount:12k", by="Ana García"
    )
    made = team.reply("remind tomorrow call María about Acme Corp", by="Ana García")
    assert made.title.startswith("Follow-up F1 for you about Acme Corp")
    assert [a.command for a in made.actions] == ["done F1", "snooze F1 tomorrow"]
    card = team.run("whois acme", by="Ana García")
    for shown in ("A1 Send the quote", "C1 Invoices twice", "D1 Renewal", "F1 "):
        assert shown in card
    assert "F1 " in team.run("mine", by="Ana García")
    assert "Follow-up F1 moved to" in team.run("snooze F1 next monday", by="Ana García")
    assert "A1 is an agreement; done takes a follow-up (F…)." in team.run(
        "done A1", by="Ana García"
    )
    assert "Follow-up F1 done" in team.run("done F1", by="Ana García")
    assert "There is no deal D9 that you can see." in team.run("won D9", by="Ana García")


def test_an_unknown_verb_offers_the_corrected_line_as_a_choice(team: Team) -> None:
    accounts(team)
    out = team.run("whoise acme", by="Ana García")
    assert "I don't know the command “whoise”. Did you mean: whois acme" in out
    reply = team.reply("whoise acme", by="Ana García")
    assert [a.command for a in reply.choices] == ["whois acme"]
    assert "Owner:  Ana García" in team.run(reply.choices[0].command, by="Ana García")

    out = team.run("lgo acme call x", by="Ana García")
    assert "Did you mean: log acme call x" in out and "Nothing was saved." in out
    assert team.scalar("select count(*) from interaction") == 0
    out = team.run("reminder friday x", by="Ana García")
    assert "I don't know the command “reminder”. Did you mean: remind friday x" in out
    assert team.scalar("select count(*) from task") == 0

    out = team.run("frobnicate acme", by="Ana García")
    assert "I don't know the command “frobnicate”." in out and "Did you mean" not in out
    assert "Type help to see every command." in out


def buttons(blocks: Any) -> list[dict[str, Any]]:
    """Every Slack button in `blocks`, as a section's accessory or in an actions block."""
    if isinstance(blocks, list):
        return [b for block in blocks for b in buttons(block)]
    if isinstance(blocks, dict):
        found = [blocks] if blocks.get("type") == "button" else []
        return found + [b for value in blocks.values() for b in buttons(value)]
    return []


def test_slack_and_discord_carry_the_corrected_line_and_kind_ids_as_buttons(
    team: Team, clock: FixedClock
) -> None:
    a_complaint_and_a_deal_numbered_alike(team, clock)
    unknown = team.reply("reminder friday call back about Globex", by="Ana García")
    slack = buttons(reply_blocks(unknown))
    assert [(e["value"], e["action_id"].startswith("crm:run:")) for e in slack] == [
        ("remind friday call back about Globex", True)
    ]
    discord = [c for row in message(unknown)["components"] for c in row["components"]]
    assert [c["custom_id"] for c in discord] == ["crm:run:remind friday call back about Globex"]

    digest = team.reply("digest", by="Carmen Vidal")
    values = {e["value"] for e in buttons(reply_blocks(digest))}
    assert {"resolve C3 ", "stage D3 ", "lost D3 "} <= values
    labels = {c["label"] for row in message(digest)["components"] for c in row["components"]}
    assert {"Resolve C3", "Stage D3", "Lost D3"} <= labels
