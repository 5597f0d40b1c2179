"""What a write on an account with a linked channel posts there, on any platform."""

from __future__ import annotations

from bot.bootstrap import App
from commands.reply import Reply
from hub.i18n import _, reading_in
from hub.models import Person


def announcement(app: App, reply: Reply, who: int) -> Reply | None:
    """The reply as the channel sees it, signed by who made the change; None when the
    reply is not a write to share (no linked channel, a refusal, a redelivery).

    A channel is everyone's: what the announcement adds is in the hub's language."""
    if not reply.channel or not reply.ok or reply.duplicate:
        return None
    with app.database.unit_of_work() as session:
        person = session.get(Person, who)
        name = person.name if person else None
    with reading_in(app.settings.locale) as locale:
        by = _("by {name}", name=name) if name is not None else _("by someone")
    return Reply(
        title=reply.title,
        text=reply.text,
        fields=reply.fields,
        notes=(by,),
        tone=reply.tone,
        locale=locale,
    )
