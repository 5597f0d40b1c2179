"""Stored values as a person reads them (a deal's stage, a complaint's severity, an
account's visibility...), in the reader's language.

What people type stays the English value or its Spanish alias (commands/verbs.py); what
they read is one of these, so every reply, card and digest calls a value the same.
"""

from __future__ import annotations

from hub.i18n import pgettext


def value_text(what: str, value: str) -> str:
    """`value` of `what` ("stage", "severity", "interaction", ...) as the reader reads it."""
    texts = {
        "interaction": {
            "call": pgettext("interaction kind", "call"),
            "email": pgettext("interaction kind", "email"),
            "meeting": pgettext("interaction kind", "meeting"),
            "chat": pgettext("interaction kind", "chat"),
            "web": pgettext("interaction kind", "web"),
            "visit": pgettext("interaction kind", "visit"),
            "note": pgettext("interaction kind", "note"),
        },
        "agreement": {
            "open": pgettext("agreement state", "open"),
            "kept": pgettext("agreement state", "kept"),
            "broken": pgettext("agreement state", "broken"),
        },
        "complaint": {
            "open": pgettext("complaint status", "open"),
            "resolved": pgettext("complaint status", "resolved"),
        },
        "severity": {
            "low": pgettext("complaint severity", "low"),
            "medium": pgettext("complaint severity", "medium"),
            "high": pgettext("complaint severity", "high"),
            "critical": pgettext("complaint severity", "critical"),
        },
        "stage": {
            "lead": pgettext("deal stage", "lead"),
            "qualified": pgettext("deal stage", "qualified"),
            "proposal": pgettext("deal stage", "proposal"),
            "negotiation": pgettext("deal stage", "negotiation"),
            "won": pgettext("deal stage", "won"),
            "lost": pgettext("deal stage", "lost"),
        },
        "status": {
            "prospect": pgettext("account status", "prospect"),
            "active": pgettext("account status", "active"),
            "paused": pgettext("account status", "paused"),
            "churned": pgettext("account status", "churned"),
        },
        "visibility": {
            "public": pgettext("visibility", "public"),
            "team": pgettext("visibility", "team"),
            "private": pgettext("visibility", "private"),
        },
        "cadence": {
            "daily": pgettext("digest cadence", "daily"),
            "weekly": pgettext("digest cadence", "weekly"),
        },
        "role": {
            "member": pgettext("role", "member"),
            "manager": pgettext("role", "manager"),
            "admin": pgettext("role", "admin"),
        },
        "record": {
            "account": pgettext("record", "account"),
            "contact": pgettext("record", "contact"),
            "interaction": pgettext("record", "interaction"),
            "agreement": pgettext("record", "agreement"),
            "complaint": pgettext("record", "complaint"),
            "deal": pgettext("record", "deal"),
            "follow-up": pgettext("record", "follow-up"),
            "handover": pgettext("record", "handover"),
        },
    }
    return texts.get(what, {}).get(str(value), str(value))
