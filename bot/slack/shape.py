"""Is a signed Slack request shaped the way Slack sends it? Checked before Bolt sees it.

Bolt and our listeners read fields as Slack documents them (`body["user"]["id"]`, a
view's `state.values`...). A request whose signature is right but whose body is not
(a payload that is not an object, a user that is a string, a missing trigger) would
otherwise fail deep inside with a stack trace and a 500; here it gets a 400 and no work.
Only what the listeners read is checked, so new fields from Slack never break anything.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

Path = tuple[str, ...]
_OPTIONAL = {
    "team": dict,
    "user": dict,
    "channel": dict,
    "view": dict,
    "container": dict,
    "message": dict,
    "event": dict,
    "actions": list,
}
_NULLABLE = ("team", "user", "channel", "container", "message")
# Strings wherever they appear: Bolt's matchers read several for every request.
_TEXTS_OPTIONAL = (
    "team_id",
    "user_id",
    "channel_id",
    "response_url",
    "trigger_id",
    "command",
    "text",
    "action_id",
    "block_id",
    "callback_id",
    "api_app_id",
    "enterprise_id",
)
_VIEW_TEXTS = ("id", "type", "callback_id", "private_metadata", "hash")
# Per kind of request: the fields a listener reads unconditionally, with their type.
_REQUIRED: dict[str, dict[Path, type]] = {
    "command": {("team_id",): str, ("user_id",): str, ("trigger_id",): str},
    "block_actions": {("user", "id"): str, ("actions",): list, ("trigger_id",): str},
    "view_submission": {
        ("user", "id"): str,
        ("view", "id"): str,
        ("view", "callback_id"): str,
        ("view", "state", "values"): dict,
    },
    "block_suggestion": {("user", "id"): str},
    "message_action": {("user", "id"): str, ("trigger_id",): str},
    "event_callback": {("event",): dict},
}
_ELEMENT_TEXTS = ("type", "value", "selected_date", "selected_user")


def parse(body: bytes, content_type: str) -> dict[str, Any] | None:
    """The request body as Bolt will read it, or None when it is not an object."""
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            parsed: Any = json.loads(text)
        else:
            form = urllib.parse.parse_qs(text)
            if "payload" in form:
                parsed = json.loads(form["payload"][0])
            else:
                parsed = {k: v[0] for k, v in form.items()}
    except (UnicodeDecodeError, ValueError):
        return None
    return parsed if isinstance(parsed, dict) else None


def problem(body: dict[str, Any]) -> str | None:
    """Why `body` is not a request Relevo can read; None when it is."""
    for key, shape in _OPTIONAL.items():
        # Slack sends "team": null for org-wide apps; Bolt reads a null view or actions.
        if key in body and not isinstance(body[key], shape | None if key in _NULLABLE else shape):
            return f"{key} is not an object"
    for key in _TEXTS_OPTIONAL:
        if body.get(key) is not None and not isinstance(body[key], str):
            return f"{key} is not a string"
    view = body.get("view") or {}
    if not all(isinstance(view.get(k, ""), str | None) for k in _VIEW_TEXTS):
        return "a view field is not a string"
    if not isinstance((body.get("user") or {}).get("team_id", ""), str | None):
        return "user.team_id is not a string"
    if not isinstance((body.get("team") or {}).get("id", ""), str | None):
        return "team.id is not a string"
    kind: object = "command" if "command" in body else body.get("type")
    if kind is None:
        return None  # e.g. ssl_check: Bolt answers what it knows and 404s the rest
    if not isinstance(kind, str):
        return "type is not a string"
    for path, expected in _REQUIRED.get(kind, {}).items():
        if not isinstance(_at(body, path), expected):
            return f"{'.'.join(path)} is missing or not a {expected.__name__}"
    if kind == "block_actions":
        for action in body["actions"]:
            if not isinstance(action, dict) or not all(
                isinstance(action.get(k, ""), str) for k in ("action_id", "value", "action_ts")
            ):
                return "an action is not an object of strings"
    if kind == "view_submission" and not _values_ok(body["view"]["state"]["values"]):
        return "view.state.values is not what Slack sends"
    if kind == "block_suggestion" and not isinstance(body.get("value", ""), str | None):
        return "value is not a string"
    if kind == "message_action" and not isinstance(body.get("message", {}), dict):
        return "message is not an object"
    if kind == "event_callback":
        event = body["event"]
        if not all(isinstance(event.get(k, ""), str) for k in ("type", "user", "tab")):
            return "event fields are not strings"
    return None


def _at(body: dict[str, Any], path: Path) -> Any:
    value: Any = body
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _values_ok(values: dict[str, Any]) -> bool:
    """block id -> action id -> element, each element's fields strings (or an option)."""
    for block in values.values():
        if not isinstance(block, dict):
            return False
        for element in block.values():
            if not isinstance(element, dict):
                return False
            if not all(isinstance(element.get(k), str | None) for k in _ELEMENT_TEXTS):
                return False
            option = element.get("selected_option")
            if option is not None and not (
                isinstance(option, dict) and isinstance(option.get("value", ""), str)
            ):
                return False
    return True
