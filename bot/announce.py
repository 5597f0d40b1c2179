"""What a write on an account with a linked channel posts there, on any platform."""

from __future__ import annotations

from bot.bootstrap import App
from commands.reply import Reply
from hub.models import Person


def announcement(app: App, reply: Reply, who: int) -> Reply | None:
    """The reply as the channel sees it, signed by who made the change; None when the
    reply is not a write to share (no linked channel, a refusal, a redelivery)."""
    if not reply.channel or not reply.ok or reply.duplicate:
        return None
    with app.database.unit_of_work() as session:
        person = session.get(Person, who)
        by = person.name if person else "someone"
    return Reply(
        title=reply.title,
        text=reply.text,
        fields=reply.fields,
        notes=(f"by {by}",),
        tone=reply.tone,
    )
