"""Is a signed interaction shaped the way Discord sends it? Checked before any work.

`DiscordInteractions.handle` reads fields as Discord documents them. A payload whose
signature is right but whose body is not (not an object, a member that is a list, an
option of the wrong type, a subcommand we never registered) gets a 400 here instead of
failing deep inside with a stack trace and a 500. Only what Relevo reads is checked.
"""

from __future__ import annotations

from typing import Any

from discord.enums import InteractionType

from bot.discord.crm import BOOLEAN, BY_NAME, CHANNEL, INTEGER, STRING, USER

# The interactions Discord sends, as its API numbers them.
PING = InteractionType.ping.value
COMMAND = InteractionType.application_command.value
COMPONENT = InteractionType.component.value
AUTOCOMPLETE = InteractionType.autocomplete.value
MODAL_SUBMIT = InteractionType.modal_submit.value
_VALUE_TYPES: dict[int, type | tuple[type, ...]] = {
    STRING: str,
    INTEGER: int,
    BOOLEAN: bool,
    USER: str,
    CHANNEL: str,
}


def problem(payload: Any) -> str | None:
    """Why `payload` is not an interaction Relevo can read; None when it is."""
    if not isinstance(payload, dict):
        return "not a JSON object"
    kind = payload.get("type")
    if kind not in (PING, COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT) or isinstance(kind, bool):
        return "unknown interaction type"
    if kind == PING:
        return None
    for key in ("id", "token", "guild_id"):
        if not isinstance(payload.get(key, ""), str | None):
            return f"{key} is not a string"
    if not isinstance(payload.get("id"), str):
        return "no id"
    member = payload.get("member")
    if payload.get("guild_id") is not None:
        if not isinstance(member, dict) or not isinstance(member.get("user"), dict):
            return "no member"
        if not isinstance(member["user"].get("id"), str):
            return "member.user.id is not a string"
        roles = member.get("roles") or []
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            return "member.roles is not a list of ids"
    data = payload.get("data")
    if not isinstance(data, dict):
        return "no data"
    if kind in (COMMAND, AUTOCOMPLETE):
        return _command(data, autocomplete=kind == AUTOCOMPLETE)
    if kind == COMPONENT:
        return None if isinstance(data.get("custom_id"), str) else "data.custom_id"
    return _modal(data)


def _command(data: dict[str, Any], *, autocomplete: bool) -> str | None:
    subs = data.get("options")
    if not isinstance(subs, list) or len(subs) != 1 or not isinstance(subs[0], dict):
        return "data.options is not one subcommand"
    spec = BY_NAME.get(subs[0].get("name"))  # type: ignore[arg-type]
    if spec is None:
        return "unknown subcommand"
    options = subs[0].get("options") or []
    if not isinstance(options, list):
        return "subcommand options are not a list"
    declared = {option.name: option.kind for option in spec.options}
    for option in options:
        if not isinstance(option, dict) or option.get("name") not in declared:
            return "an option we never declared"
        value = option.get("value")
        expected = _VALUE_TYPES[declared[option["name"]]]
        if autocomplete and option.get("focused"):
            expected = str  # what is typed so far, whatever the option's type
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            return f"option {option['name']} is not a {getattr(expected, '__name__', expected)}"
    resolved = data.get("resolved") or {}
    users = resolved.get("users") if isinstance(resolved, dict) else None
    if not isinstance(resolved, dict) or not isinstance(users or {}, dict):
        return "data.resolved is not an object"
    if not all(
        isinstance(u, dict) and isinstance(u.get("id"), str) for u in (users or {}).values()
    ):
        return "a resolved user is not a user"
    return None


def _modal(data: dict[str, Any]) -> str | None:
    if not isinstance(data.get("custom_id"), str):
        return "data.custom_id"
    rows = data.get("components") or []
    if not isinstance(rows, list):
        return "data.components is not a list"
    for row in rows:
        fields = row.get("components") if isinstance(row, dict) else None
        if not isinstance(fields or [], list):
            return "a row's components are not a list"
        for field in fields or []:
            if not isinstance(field, dict) or not isinstance(field.get("custom_id"), str):
                return "a field without custom_id"
            if not isinstance(field.get("value", ""), str | None):
                return "a field's value is not a string"
    return None
