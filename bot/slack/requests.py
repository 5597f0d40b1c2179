"""What the listeners read from a Slack request body: who, which workspace, and the
metadata a modal carries between opening and submission."""

from __future__ import annotations

import json
from typing import Any


def team_id(body: dict[str, Any]) -> str | None:
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    if team is None:
        team = (body.get("user") or {}).get("team_id")
    return team


def user_id(body: dict[str, Any]) -> str | None:
    """The Slack user acting: who typed, clicked or submitted, or opened App Home."""
    if body.get("user_id"):
        return str(body["user_id"])
    if body.get("user"):
        return str(body["user"].get("id") or "") or None
    event = body.get("event") or {}
    if event.get("type") == "app_home_opened" and event.get("tab") == "home":
        return event.get("user")
    return None


def meta(channel: str | None) -> dict[str, Any]:
    return {"channel": channel} if channel else {}


def meta_of(body: dict[str, Any]) -> dict[str, Any]:
    raw = (body.get("view") or {}).get("private_metadata") or "{}"
    try:
        found = json.loads(raw)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
