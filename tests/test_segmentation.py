"""Segmentation (issue 22): an account's industry, country, region, size, revenue, lead
source and campaign, a deal's source and campaign — set from chat in English and
Spanish, shown on the card, filtered by `find`, taken from a web form's utm_ fields."""

from __future__ import annotations

from conftest import Team


def flat(text: str) -> str:
    return " ".join(text.split())


def test_an_account_line_sets_the_segment_and_the_reply_says_what_changed(team: Team) -> None:
    team.run("account Acme domain:acme.com", by="Ana García")
    said = flat(
        team.run(
            "account acme industry:retail country:ES region:Madrid size:51-200 revenue:2M "
            'source:referral campaign:"Feria 2026"',
            by="Ana García",
        )
    )
    assert "Updated Acme" in said
    for change in (
        "industry → retail",
        "country → ES",
        "region → Madrid",
        "size → 51-200",
        "revenue → 2,000,000",
        "lead source → referral",
        "campaign → Feria 2026",
    ):
        assert change in said
    card = flat(team.run("whois acme", by="Ana García"))
    assert (
        "Segment: retail · Madrid, Spain · 51-200 employees · 2,000,000 a year · "
        "source: referral (Feria 2026)"
    ) in card
