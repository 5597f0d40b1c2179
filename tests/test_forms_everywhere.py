"""One form, two platforms: the log form (commands/forms.py) driven through Slack (a
signed view_submission) and through Discord (a signed modal submit) with the same values
saves the same record, and both forms start on the same kind of interaction."""

from __future__ import annotations

import json
from typing import Any

import pytest
from discord_harness import USERS, DiscordGuild
from discord_harness import buttons as discord_buttons
from discord_harness import server_env as discord_env
from nacl.signing import SigningKey
from processes import relevo
from slack_harness import SlackTeam, limit_problems
from slack_harness import buttons as slack_buttons
from slack_harness import server_env as slack_env

from benchmarks.fake_discord import FakeDiscord
from benchmarks.fake_slack import FakeSlack
from benchmarks.webserver import WebServer
from commands.parser import DEFAULT_KIND
from hub.models import InteractionKind

KEY = SigningKey.generate()
TEXT = "Plant tour; quote due friday with the CFO"
SAVED = """
    SELECT i.kind, i.text, a.name, p.name FROM interaction i
    JOIN account a ON a.id = i.account_id JOIN person p ON p.id = i.author_id
    ORDER BY i.id
"""


@pytest.fixture
def platforms(postgres_url: str, tmp_path) -> Any:
    slack_fake = FakeSlack("T0TEAM").start()
    discord_fake = FakeDiscord("discord-bot-token-secret").start()
    env = {**slack_env(postgres_url, slack_fake), **discord_env(postgres_url, discord_fake, KEY)}
    server = WebServer(env, tmp_path / "web.log").start()
    slack = SlackTeam(server.url, slack_fake, postgres_url)
    guild = DiscordGuild(server.url, discord_fake, KEY, postgres_url)
    slack.reset()
    guild.reset()
    yield slack, guild, env
    assert limit_problems(slack_fake) == [] and guild.limit_problems() == []
    assert "Traceback" not in server.log(), server.log()[-3000:]
    server.stop()
    slack_fake.stop()
    discord_fake.stop()
    slack.engine.dispose()
    guild.engine.dispose()


def test_the_same_log_form_saves_the_same_record_on_slack_and_discord(platforms: Any) -> None:
    slack, guild, env = platforms
    assert DEFAULT_KIND == InteractionKind.NOTE  # as the README says
    slack.crm("U0ANA", 'account "Acme Corp"')
    # Ana on Discord is the same member as Ana on Slack.
    relevo(env, "people", "link", "Ana García", "--discord", USERS["ana"]["id"])

    # Slack: the card's Log button opens the form; the picker offers the account.
    card = slack.crm("U0ANA", "whois acme corp")
    log_button = next(b for b in slack_buttons(card) if b["text"]["text"] == "Log")
    slack.fake.clear()
    slack.click("U0ANA", log_button)
    view = slack.fake.wait_for("views.open")[0]["view"]
    blocks = {block["block_id"]: block["element"] for block in view["blocks"]}
    slack_kind = blocks["kind"]["initial_option"]["value"]
    [acme] = slack.options("U0ANA", "acme")
    slack.fake.clear()
    answer = slack.submit(
        "U0ANA",
        {key: view[key] for key in ("type", "callback_id", "private_metadata")},
        {
            "account": {"crm:account": {"type": "external_select", "selected_option": acme}},
            "kind": {"kind": {"type": "static_select", "selected_option": {"value": slack_kind}}},
            "text": {"text": {"type": "plain_text_input", "value": TEXT}},
        },
    )
    assert answer.status == 200
    [confirmed] = slack.fake.wait_for("chat.postEphemeral")  # in the channel it came from
    assert "Logged note" in json.dumps(confirmed, ensure_ascii=False)

    # Discord: the card's Log button opens the same form as a modal.
    card = guild.crm("whois", query="acme corp")
    modal = guild.click(next(b for b in discord_buttons(card) if b["label"] == "Log"), card)
    fields = {
        row["components"][0]["custom_id"]: row["components"][0]
        for row in modal["data"]["components"]
    }
    discord_kind = fields["kind"]["value"]
    saved = guild.submit(
        modal, {"account": fields["account"]["value"], "kind": discord_kind, "text": TEXT}
    )
    assert "Logged note" in json.dumps(saved)

    assert slack_kind == discord_kind == DEFAULT_KIND
    assert [tuple(row) for row in _rows(slack)] == [
        ("note", TEXT, "Acme Corp", "Ana García"),
        ("note", TEXT, "Acme Corp", "Ana García"),
    ]


def _rows(slack: SlackTeam) -> list[Any]:
    from sqlalchemy import text

    with slack.engine.connect() as connection:
        return list(connection.execute(text(SAVED)))


def test_the_segment_form_sets_an_accounts_segments_on_slack_and_discord(
    platforms: Any,
) -> None:
    """The card's Segment button opens the same form on both platforms; what is filled in
    is saved (a country read as its code, a size as its band), what is left empty kept."""
    slack, guild, env = platforms
    slack.crm("U0ANA", 'account "Acme Corp" region:Madrid')
    relevo(env, "people", "link", "Ana García", "--discord", USERS["ana"]["id"])

    card = slack.crm("U0ANA", "whois acme corp")
    segment = next(b for b in slack_buttons(card) if b["text"]["text"] == "Segment")
    slack.fake.clear()
    slack.click("U0ANA", segment)
    view = slack.fake.wait_for("views.open")[0]["view"]
    blocks = {block["block_id"]: block for block in view["blocks"]}
    assert list(blocks) == ["account", "industry", "country", "size", "source"]
    assert blocks["country"]["optional"] and not blocks["country"]["element"]["multiline"]
    assert "initial_option" not in blocks["size"]["element"]  # no size until one is picked
    [acme] = slack.options("U0ANA", "acme")
    slack.fake.clear()
    answer = slack.submit(
        "U0ANA",
        {key: view[key] for key in ("type", "callback_id", "private_metadata")},
        {
            "account": {"crm:account": {"type": "external_select", "selected_option": acme}},
            "industry": {"industry": {"type": "plain_text_input", "value": "real estate"}},
            "country": {"country": {"type": "plain_text_input", "value": "Spain"}},
            "size": {"size": {"type": "static_select", "selected_option": {"value": "51-200"}}},
            "source": {"source": {"type": "plain_text_input", "value": None}},
        },
    )
    assert answer.status == 200
    slack.fake.wait_for("chat.postEphemeral")
    assert _segments(slack) == ("real estate", "ES", "Madrid", "51-200", None)

    # Discord: the same form as a modal of five text inputs; a size typed as a number.
    card = guild.crm("whois", query="acme corp")
    modal = guild.click(next(b for b in discord_buttons(card) if b["label"] == "Segment"), card)
    fields = [row["components"][0]["custom_id"] for row in modal["data"]["components"]]
    assert fields == ["account", "industry", "country", "size", "source"]
    account = modal["data"]["components"][0]["components"][0]["value"]
    saved = guild.submit(
        modal,
        {"account": account, "industry": "", "country": "", "size": "", "source": "referral"},
    )
    assert "Acme Corp" in json.dumps(saved, ensure_ascii=False)
    assert _segments(slack) == ("real estate", "ES", "Madrid", "51-200", "referral")

    # A size that is not one of the bands is refused, and nothing changes.
    refused = guild.submit(
        modal, {"account": account, "industry": "retail", "country": "", "size": "lots"}
    )
    assert "size" in json.dumps(refused, ensure_ascii=False).lower()
    assert _segments(slack) == ("real estate", "ES", "Madrid", "51-200", "referral")


def _segments(slack: SlackTeam) -> tuple[Any, ...]:
    from sqlalchemy import text

    with slack.engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT industry, country, region, size_band, lead_source FROM account "
                "WHERE name = 'Acme Corp'"
            )
        ).one()
    return tuple(row)
