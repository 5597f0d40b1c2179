"""Block Kit rendering: within Slack's documented limits whatever the reply, and inert."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_harness import LIVE, decoded, nodes

from bot.slack import limits
from bot.slack.blocks import reply_blocks
from bot.slack.forms import FORMS, Prefill, menu, view
from commands.reply import Action, Field, Item, Reply, Section, Tone

MANIFEST = json.loads((Path(__file__).parents[1] / "bot/slack/manifest.json").read_text())

texts = st.text(min_size=0, max_size=3500)
actions = st.builds(
    Action,
    label=st.text(min_size=1, max_size=120),
    command=st.text(min_size=1, max_size=2500),
    style=st.sampled_from(["default", "primary", "danger"]),
)
items = st.builds(
    Item,
    text=texts,
    ref=st.none() | st.text(max_size=20),
    flags=st.lists(st.text(max_size=40), max_size=3).map(tuple),
    actions=st.lists(actions, max_size=30).map(tuple),
)
replies = st.builds(
    Reply,
    title=st.text(min_size=1, max_size=400),
    text=texts,
    fields=st.lists(st.builds(Field, st.text(max_size=300), texts), max_size=14).map(tuple),
    sections=st.lists(
        st.builds(
            Section,
            title=st.text(max_size=200),
            items=st.lists(items, max_size=25).map(tuple),
            empty=st.text(max_size=100),
            more=st.integers(0, 10**6),
        ),
        max_size=10,
    ).map(tuple),
    actions=st.lists(actions, max_size=40).map(tuple),
    notes=st.lists(st.text(max_size=4000), max_size=15).map(tuple),
    tone=st.sampled_from(list(Tone)),
)


@settings(max_examples=60, deadline=None)
@given(replies)
def test_any_reply_renders_within_slacks_limits(reply: Reply) -> None:
    assert limits.violations(reply_blocks(reply)) == []
    assert limits.violations(reply_blocks(reply, surface="home"), "home") == []
    assert not {node.get("type") for node in nodes(reply_blocks(reply))} & LIVE


def test_sections_that_do_not_fit_are_named_not_dropped_silently() -> None:
    task = Item(text="Call back", actions=(Action("Done", "done T1"), Action("Snooze", "x")))
    busy = Section(title="Tasks", items=(task,) * 25)
    later = Section(title="Complaints", items=(Item(text="Late delivery"),) * 3, more=2)
    blocks = reply_blocks(Reply(title="Acme Corp", sections=(busy, later)))
    assert limits.violations(blocks) == []
    told = json.dumps(blocks)
    assert "No room here for: Complaints (5)" in told
    assert "more" in told  # the tasks that did not fit are counted too


def test_the_checker_catches_what_slack_rejects() -> None:
    too_long = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
    fat_button = {
        "type": "actions",
        "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "b" * 76}, "action_id": "a"}
        ],
    }
    problems = limits.violations([too_long, fat_button] + [{"type": "divider"}] * 49)
    assert len(problems) == 3


def _rich(*parts: dict) -> dict:
    return {"type": "rich_text", "elements": list(parts)}


def _line(*elements: dict) -> dict:
    return {"type": "rich_text_section", "elements": list(elements)}


def test_the_checker_knows_rich_text() -> None:
    bold = {"type": "text", "text": "Owner:", "style": {"bold": True}}
    good = _rich(
        _line(bold, {"type": "text", "text": " Ana"}),
        {"type": "rich_text_list", "style": "bullet", "elements": [_line(bold)]},
        {"type": "rich_text_quote", "elements": [bold]},
    )
    assert limits.violations([good]) == []
    bad = [
        _rich(),
        _rich(_line()),
        _rich(_line({"type": "text", "text": ""})),
        _rich(_line({"type": "text", "text": "x", "style": {"underline": True}})),
        _rich(_line({"type": "text", "text": "x", "style": {"bold": "yes"}})),
        _rich(_line({"type": "user", "user_id": "U123"})),
        _rich(_line({"type": "broadcast", "range": "channel"})),
        _rich(_line({"type": "link", "url": "https://evil.example"})),
        _rich({"type": "rich_text_list", "style": "dashed", "elements": [_line(bold)]}),
        _rich({"type": "rich_text_list", "style": "bullet", "elements": [bold]}),
        _rich({"type": "rich_text_table"}),
        _rich(*[_line({"type": "text", "text": "x" * 1000})] * 4),  # our own budget
    ]
    for block in bad:
        assert len(limits.violations([block])) >= 1, block


HOSTILE = "*bold* _it_ ~s~ `code` > quote <@U123> <!channel> &amp; <https://x|y>"


def test_user_text_is_shown_exactly_and_cannot_ping_link_or_format() -> None:
    item = Item(HOSTILE, ref="#1", flags=(HOSTILE,))
    with_button = Item(HOSTILE, actions=(Action("Go", "x"),))
    reply = Reply(
        title=HOSTILE,
        text=HOSTILE,
        fields=(Field("Owner", HOSTILE),),
        sections=(Section(HOSTILE, (item, with_button)),),
        notes=(HOSTILE,),
    )
    blocks = reply_blocks(reply)
    assert limits.violations(blocks) == []
    assert not {node.get("type") for node in nodes(blocks)} & LIVE
    plain = [n["text"] for n in nodes(blocks) if n.get("type") == "plain_text"]
    for text in plain:
        assert "<" not in text and ">" not in text, text
    read = [decoded(text) for text in plain]
    assert read.count(HOSTILE) == 3  # the header, the text, the note
    assert f"• {HOSTILE}" in read  # the item with a button
    rich = [n["text"] for n in nodes(blocks) if n.get("type") == "text"]
    assert rich.count(HOSTILE) == 4  # the field's value, the title, the item, its flag


def test_every_form_and_the_menu_are_valid_modals() -> None:
    for kind in (*FORMS, "save_message", "line"):
        modal = view(
            kind,
            Prefill(account="Acme", account_id=1, text="t" * 5000, line="x"),
            {"channel": "C1"},
        )
        assert limits.view_violations(modal) == [], kind
    assert limits.view_violations(menu({})) == []


def test_the_manifest_declares_what_the_app_listens_to() -> None:
    features = MANIFEST["features"]
    assert [c["command"] for c in features["slash_commands"]] == ["/crm"]
    assert features["slash_commands"][0]["should_escape"] is True  # mentions arrive as ids
    assert [s["callback_id"] for s in features["shortcuts"]] == ["save_to_crm"]
    assert features["app_home"]["home_tab_enabled"] is True
    settings_ = MANIFEST["settings"]
    assert settings_["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert settings_["interactivity"]["message_menu_options_url"].endswith("/slack/events")
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == {
        "commands",
        "chat:write",
        "users:read",
        "users:read.email",
        "files:write",
    }
