"""help: the command list, or one command with examples."""

from __future__ import annotations

from commands.help import TOPICS
from commands.reply import Item, Reply, Section
from commands.types import Help
from hub.work import Work


def help_reply(topic: str | None) -> Reply:
    if topic is None:
        return Reply(
            title="Relevo: /crm commands",
            sections=(
                Section(
                    "Commands", tuple(Item(f"{t.usage} — {t.summary}") for t in TOPICS.values())
                ),
            ),
            notes=(
                'Quote names with spaces: contact "Acme Corp" "María López". '
                "help <command> shows examples.",
            ),
        )
    entry = TOPICS[topic]
    return Reply(
        title=entry.usage,
        text=entry.summary,
        sections=(Section("Examples", tuple(Item(e) for e in entry.examples)),),
    )


def show_help(_work: Work, cmd: Help) -> Reply:
    return help_reply(cmd.topic)
