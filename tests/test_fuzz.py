"""Arbitrary text never breaks Relevo: no exception escapes, and a refusal writes nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from conftest import Team
from hostile import discord_shows, fuzz, hostile_text, ran, unstorable_text
from hypothesis import assume, given
from hypothesis import strategies as st
from slack_harness import LIVE, nodes
from slack_harness import shown as slack_shown

from bot.discord.render import inert, message
from bot.render_text import render as render_text
from bot.slack import limits
from bot.slack.blocks import escape as slack_escape
from bot.slack.blocks import reply_blocks
from commands.help import TOPICS
from commands.parser import MAX_LINE
from commands.reply import Reply, Tone
from hub.interactions import MAX_TEXT
from hub.models import Base

WORDS = st.sampled_from(
    [
        "acme",
        "Acme Corp",
        '"Acme Corp"',
        "“Acme",
        "globex",
        "call",
        "with",
        "due",
        "to",
        "@ana",
        "@luis",
        "@nobody",
        "until",
        "cover",
        "about",
        "for",
        "tomorrow",
        "mañana",
        "el lunes",
        "2026-13-45",
        "#1",
        "1",
        "0",
        "-1",
        "99999999999999",
        "amount:1e9",
        "amount:€12k",
        "stage:won",
        "tier:A",
        "tier:Z",
        "visibility:private",
        "severity:critical",
        "role:",
        "email:x@y",
        "close:yesterday",
        "type:contact",
        "owner:@ana",
        "<!channel>",
        "@everyone",
        "'; DROP TABLE account; --",
        "%",
        "_",
        "\\",
        "\u202e",
        "\x00",
        "🙂",
        "ä",
        ":",
        '"',
    ]
)
LINES = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda verb, words, tail: " ".join([verb, *words, tail]),
        st.sampled_from([*sorted(TOPICS), "/crm log", "WHOIS", "Log"]),
        st.lists(WORDS, max_size=8),
        st.text(max_size=20),
    ),
    st.builds(
        lambda verb, text: f"{verb} {text}",
        st.sampled_from(sorted(TOPICS)),
        hostile_text(max_size=60, long=False),
    ),
)


def row_counts(team: Team) -> dict[str, int]:
    return {
        table.name: int(team.scalar(f"select count(*) from {table.name}"))  # type: ignore[arg-type]
        for table in Base.metadata.sorted_tables
    }


@fuzz(120)
@given(line=LINES)
def test_any_line_gets_a_reply_and_refusals_write_nothing(team: Team, line: str) -> None:
    ran(f"any /crm line ({team.app.database.engine.dialect.name})")
    if not team.consoles:
        team.run('account "Acme Corp" tier:A', by="Ana García")
        team.run("deal acme Renewal amount:1000", by="Ana García")
        team.run("complaint acme Broken", by="Ana García")
        team.run("remind tomorrow call", by="Ana García")
    before = row_counts(team)
    reply = team.reply(line, by="Ana García")
    assert reply.title
    assert reply.error_id is None, f"crash on {line!r}"
    if reply.tone in (Tone.ERROR, Tone.WARNING) and "recorded" not in reply.title:
        assert row_counts(team) == before


# -- hostile text, stored exactly and shown back inert -----------------------------------

WRITES = {
    # verb: (line template, table, the whois section that shows it)
    "log": ('log "{account}" note {text}', "interaction", "Last interactions"),
    "agree": ('agree "{account}" {text}', "agreement", "Last agreements"),
    "complaint": ('complaint "{account}" {text}', "complaint", "Open complaints"),
}
# Words the language reads after the text (`with` a contact, `due` a date, an option, a
# word that reads as an option a complaint doesn't know, refused): text that has them is
# no longer only text, which test_parser.py covers.
LANGUAGE = re.compile(
    r"(?i)(?<!\S)(with|con|due|para|until|by|severity:\S*)(?!\S)|(?<!\S)[^\W\d]{3,}:[^\s/]"
)
DISCORD_LIVE = re.compile(r"@(everyone|here)|[*_~|`<>\[\]()#:]")


def whole_start(text: str, room: int, escaped: Callable[[str], str]) -> str:
    """The longest start of `text` whose escaped form fits in `room` (a renderer cuts
    longer text, so this much must be shown whole)."""
    size = 0
    for end, ch in enumerate(text):
        size += len(escaped(ch))
        if size > room:
            return text[:end]
    return text


def assert_inert_on_slack(card: Reply, text: str) -> None:
    """Never mrkdwn, never a mention, link or emoji element; plain_text has `&`, `<` and
    `>` escaped; and what a person reads holds the stored text exactly as typed."""
    blocks = reply_blocks(card)
    assert limits.violations(blocks) == []
    assert not {node.get("type") for node in nodes(blocks)} & LIVE
    for shown in (node["text"] for node in nodes(blocks) if node.get("type") == "plain_text"):
        assert "<" not in shown and ">" not in shown, shown[:200]
        assert not re.search(r"&(?!amp;|lt;|gt;)", shown), shown[:200]
    assert whole_start(text, 2500, slack_escape) in slack_shown({"blocks": blocks})


def assert_inert_on_discord(card: Reply, text: str, section: str) -> None:
    body = message(card)
    assert body["allowed_mentions"] == {"parse": []}
    embed = body["embeds"][0]
    value = next(f["value"] for f in embed["fields"] if f["name"] == inert(section))
    for line in value.splitlines():
        # Only our own marks stay live: the bullet and a `D12` ref before the item's text.
        bare = _DISCORD_ESCAPES.sub("", re.sub(r"^• (`[ACDFN]\d+` )?", "", line))
        assert not DISCORD_LIVE.search(bare), line[:200]
    assert whole_start(text, 200, inert) in discord_shows(value)


_DISCORD_ESCAPES = re.compile(r"\\[^0-9A-Za-z\s]|@\u200b")


@fuzz(40)
@given(verb=st.sampled_from(sorted(WRITES)), text=hostile_text())
def test_hostile_text_is_stored_exactly_and_shown_back_inert(
    team: Team, verb: str, text: str
) -> None:
    assume(not LANGUAGE.search(text))
    ran(f"round trip through /crm ({team.app.database.engine.dialect.name})")
    account = f"Fuzz {len(team.consoles)}-{team.scalar('select count(*) from account')}"
    team.run(f'account "{account}" new:yes', by="Ana García")  # Fuzz 2-0 looks alike
    template, table, section = WRITES[verb]
    line = template.format(account=account, text=text)
    before = row_counts(team)
    reply = team.reply(line, by="Ana García")
    assert reply.error_id is None
    expected = text.strip()
    if not expected or len(expected) > MAX_TEXT or len(line) > MAX_LINE:
        assert reply.tone == Tone.ERROR, reply.title
        assert "Nothing was saved." in reply.notes
        assert row_counts(team) == before
        return
    assert reply.tone == Tone.SUCCESS, (reply.title, reply.notes)
    stored = team.scalar(f"select text from {table} order by id desc limit 1")
    assert stored == expected

    card = team.reply(f'whois "{account}"', by="Luis Pérez")
    shown = next(s for s in card.sections if s.title == section)
    assert any(expected in item.text for item in shown.items)
    assert expected in render_text(card)
    assert_inert_on_slack(card, expected)
    assert_inert_on_discord(card, expected, section)


@fuzz(30)
@given(verb=st.sampled_from(sorted(WRITES)), text=unstorable_text())
def test_text_that_cannot_be_stored_is_refused_and_nothing_is_written(
    team: Team, verb: str, text: str
) -> None:
    """NUL cannot be stored by PostgreSQL and a lone surrogate is not Unicode at all: the
    same refusal on every database, before anything is written."""
    ran(f"unstorable text through /crm ({team.app.database.engine.dialect.name})")
    if not team.consoles:
        team.run('account "Acme Corp"', by="Ana García")
    before = row_counts(team)
    reply = team.reply(WRITES[verb][0].format(account="Acme Corp", text=text), by="Ana García")
    assert reply.error_id is None
    assert reply.tone == Tone.ERROR
    assert "can't store" in reply.title
    assert "Nothing was saved." in reply.notes
    assert row_counts(team) == before
    # What is shown back can be printed and sent as JSON (no surrogate, no NUL).
    rendered = render_text(reply)
    rendered.encode("utf-8")
    assert "\x00" not in rendered
    json.dumps(message(reply), ensure_ascii=False).encode("utf-8")
