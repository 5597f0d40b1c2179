"""Discord rendering and the command group: within Discord's documented limits."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from test_slack_blocks import replies

from bot.discord import limits
from bot.discord.crm import SUBCOMMANDS, command_group
from bot.discord.interactions import form
from bot.discord.render import message, response
from commands.reply import Action, Field, Item, Reply, Section


@settings(max_examples=60, deadline=None)
@given(replies)
def test_any_reply_renders_within_discords_limits(reply: Reply) -> None:
    assert limits.message_violations(message(reply)) == []


def test_long_text_everywhere_stays_within_the_embed_total() -> None:
    long = "x" * 5000
    reply = Reply(
        title=long,
        text=long,
        notes=(long,),
        fields=tuple(Field(f"f{n}", long) for n in range(8)),
        sections=tuple(Section(f"s{n}", tuple(Item(long) for _ in range(5))) for n in range(8)),
    )
    assert limits.message_violations(message(reply)) == []


def test_task_buttons_name_their_task_and_what_does_not_fit_is_said() -> None:
    tasks = tuple(
        Item(f"Call back {n}", ref=f"#{n}", actions=(Action("Done", f"done {n}"),))
        for n in range(1, 31)
    )
    body = message(Reply(title="My day", sections=(Section("Tasks", tasks),)))
    labels = [b["label"] for row in body["components"] for b in row["components"]]
    assert labels[:3] == ["Done #1", "Done #2", "Done #3"] and len(labels) == 25
    assert "5 more actions than buttons fit" in body["embeds"][0]["footer"]["text"]
    assert limits.message_violations(body) == []


def test_the_checker_catches_what_discord_rejects() -> None:
    body = {
        "embeds": [{"title": "t" * 257, "fields": [{"name": "n", "value": "v" * 1025}] * 26}],
        "components": [{"type": 1, "components": [{"type": 2, "label": "x", "custom_id": "a"}]}]
        * 6,
        "allowed_mentions": {"parse": ["everyone"]},
    }
    problems = limits.message_violations(body)
    assert any("title" in p for p in problems)
    assert any("26 fields" in p for p in problems)
    assert any("action rows" in p for p in problems)
    assert any("allowed_mentions" in p for p in problems)


def test_user_text_cannot_mention_anyone() -> None:
    hostile = "@everyone @here <@123456789012345678> <@&123456789012345678> `x` **y**"
    body = json.dumps(response(Reply(title=hostile, text=hostile, notes=(hostile,))))
    for live in ("@everyone", "@here", "<@123456789012345678>", "<@&123456789012345678>"):
        assert live not in body


def test_the_command_group_fits_discords_rules() -> None:
    group = command_group()
    subs = group["options"]
    assert len(subs) <= limits.SUBCOMMANDS
    name = re.compile(r"^[-_a-z0-9]{1,32}$")
    assert name.match(group["name"]) and len(group["description"]) <= limits.DESCRIPTION
    for sub in subs:
        assert name.match(sub["name"]), sub["name"]
        assert 1 <= len(sub["description"]) <= limits.DESCRIPTION
        assert len(sub["options"]) <= limits.OPTIONS
        seen_optional = False
        for option in sub["options"]:
            assert name.match(option["name"]), option["name"]
            assert 1 <= len(option["description"]) <= limits.DESCRIPTION
            assert len(option.get("choices", [])) <= limits.CHOICES
            # Discord wants every required option before the optional ones.
            assert not (option["required"] and seen_optional), (sub["name"], option["name"])
            seen_optional |= not option["required"]
    assert {s.name for s in SUBCOMMANDS} == {
        "whois",
        "find",
        "timeline",
        "account",
        "contact",
        "log",
        "agree",
        "complaint",
        "resolve",
        "close",  # kept and broken are its outcomes
        "deal",
        "stage",  # won and lost are stages
        "remind",
        "done",
        "snooze",
        "handover",
        "away",
        "back",
        "mine",
        "report",  # the reports, and the digest
        "subscribe",
        "unsubscribe",
        "undo",
        "correct",  # edit, delete and restore
        "help",
    }


def test_forms_are_valid_modals() -> None:
    for line in (
        'log "Acme Corp" ',
        'agree "Acme Corp" ',
        "complaint Acme ",
        "handover Acme to @luis until ",
        "resolve 12 ",
        "x" * 5000,
    ):
        assert limits.modal_violations(form(line)) == [], line
