"""help: the command list, or one command with examples, in the reader's language."""

from __future__ import annotations

from commands.help import topics
from commands.reply import Item, Reply, Section
from commands.types import Help
from hub.i18n import _
from hub.work import Work


def help_reply(topic: str | None) -> Reply:
    written = topics()
    if topic is None:
        return Reply(
            title=_("Relevo: /crm commands"),
            sections=(
                Section(
                    _("Commands"),
                    tuple(Item(f"{t.usage} — {t.summary}") for t in written.values()),
                ),
            ),
            notes=(
                _(
                    'Quote names with spaces: contact "Acme Corp" "María López". '
                    "help <command> shows examples."
                ),
            ),
        )
    entry = written[topic]
    return Reply(
        title=entry.usage,
        text=entry.summary,
        sections=(Section(_("Examples"), tuple(Item(e) for e in entry.examples)),),
    )


def show_help(_work: Work, cmd: Help) -> Reply:
    return help_reply(cmd.topic)
