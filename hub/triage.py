"""E-mail from senders no contact has: kept for someone to sort out, shown by `find`.

The messages come from anyone outside, about any account or none, so only the people
who may see every account (managers and admins) see them.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select

from hub.models import InboundEmail
from hub.work import Work

TRIAGE = "triage"


def triage_messages(work: Work, text: str, *, limit: int = 5) -> tuple[list[InboundEmail], int]:
    """Messages in triage whose sender, subject or text contains `text` (all when empty),
    newest first, and how many there are; nothing for people who may not see them."""
    if not work.scope.sees_all:
        return [], 0
    clause = InboundEmail.status == TRIAGE
    words = " ".join(text.replace('"', " ").split()).lower()  # a quoted phrase as typed
    if words:
        clause = clause & or_(
            InboundEmail.sender.contains(words, autoescape=True),
            func.lower(InboundEmail.sender_name).contains(words, autoescape=True),
            func.lower(InboundEmail.subject).contains(words, autoescape=True),
            func.lower(InboundEmail.text).contains(words, autoescape=True),
        )
    total = work.session.scalar(select(func.count()).select_from(InboundEmail).where(clause))
    shown = work.session.scalars(
        select(InboundEmail)
        .where(clause)
        .order_by(InboundEmail.received_at.desc(), InboundEmail.id.desc())
        .limit(limit)
    ).all()
    return list(shown), int(total or 0)
