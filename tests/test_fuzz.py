"""Arbitrary text never breaks Relevo: no exception escapes, and a refusal writes nothing."""

from __future__ import annotations

from conftest import Team
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commands.help import TOPICS
from commands.reply import Tone
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
)


def row_counts(team: Team) -> dict[str, int]:
    return {
        table.name: int(team.scalar(f"select count(*) from {table.name}"))  # type: ignore[arg-type]
        for table in Base.metadata.sorted_tables
    }


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(line=LINES)
def test_any_line_gets_a_reply_and_refusals_write_nothing(team: Team, line: str) -> None:
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
