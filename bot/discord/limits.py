"""Discord's documented limits for messages, embeds, components and commands, and a
checker for any payload we build (discord.com/developers/docs: Message, Embed limits,
Components, Application Commands)."""

from __future__ import annotations

from typing import Any

CONTENT = 2000
EMBEDS = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER_TEXT = 2048
EMBED_TOTAL = 6000  # title, description, field names and values, footer, author together
ACTION_ROWS = 5
ROW_BUTTONS = 5
BUTTON_LABEL = 80
CUSTOM_ID = 100
MODAL_TITLE = 45
MODAL_INPUTS = 5
INPUT_LABEL = 45
INPUT_VALUE = 4000
CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
SUBCOMMANDS = 25
OPTIONS = 25
COMMAND_NAME = 32
DESCRIPTION = 100


def message_violations(message: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    _length(problems, "content", message.get("content"), CONTENT)
    embeds = message.get("embeds") or []
    if len(embeds) > EMBEDS:
        problems.append(f"{len(embeds)} embeds > {EMBEDS}")
    total = 0
    for n, embed in enumerate(embeds):
        where = f"embed {n}"
        _length(problems, f"{where} title", embed.get("title"), EMBED_TITLE)
        _length(problems, f"{where} description", embed.get("description"), EMBED_DESCRIPTION)
        fields = embed.get("fields") or []
        if len(fields) > EMBED_FIELDS:
            problems.append(f"{where}: {len(fields)} fields > {EMBED_FIELDS}")
        for field in fields:
            _length(problems, f"{where} field name", field.get("name"), FIELD_NAME)
            _length(problems, f"{where} field value", field.get("value"), FIELD_VALUE)
            if not field.get("name") or not field.get("value"):
                problems.append(f"{where}: a field needs a name and a value")
        footer = (embed.get("footer") or {}).get("text")
        _length(problems, f"{where} footer", footer, FOOTER_TEXT)
        total += sum(
            len(str(x or "")) for x in (embed.get("title"), embed.get("description"), footer)
        ) + sum(len(f.get("name", "")) + len(f.get("value", "")) for f in fields)
    if total > EMBED_TOTAL:
        problems.append(f"embeds total {total} characters > {EMBED_TOTAL}")
    problems += components_violations(message.get("components") or [])
    mentions = message.get("allowed_mentions")
    if mentions != {"parse": []}:
        problems.append(f"allowed_mentions must be {{'parse': []}}, not {mentions!r}")
    return problems


def components_violations(rows: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    if len(rows) > ACTION_ROWS:
        problems.append(f"{len(rows)} action rows > {ACTION_ROWS}")
    ids: set[str] = set()
    for row in rows:
        buttons = row.get("components") or []
        if not 1 <= len(buttons) <= ROW_BUTTONS:
            problems.append(f"an action row with {len(buttons)} buttons")
        for button in buttons:
            _length(problems, "button label", button.get("label"), BUTTON_LABEL)
            custom_id = button.get("custom_id") or ""
            _length(problems, "custom_id", custom_id, CUSTOM_ID)
            if custom_id in ids:
                problems.append(f"custom_id {custom_id!r} used twice")
            ids.add(custom_id)
    return problems


def modal_violations(modal: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    _length(problems, "modal title", modal.get("title"), MODAL_TITLE)
    _length(problems, "modal custom_id", modal.get("custom_id"), CUSTOM_ID)
    rows = modal.get("components") or []
    if not 1 <= len(rows) <= MODAL_INPUTS:
        problems.append(f"{len(rows)} inputs in a modal")
    for row in rows:
        for field in row.get("components") or []:
            _length(problems, "input label", field.get("label"), INPUT_LABEL)
            _length(problems, "input value", field.get("value"), INPUT_VALUE)
            _length(problems, "input custom_id", field.get("custom_id"), CUSTOM_ID)
    return problems


def choices_violations(choices: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    if len(choices) > CHOICES:
        problems.append(f"{len(choices)} choices > {CHOICES}")
    for choice in choices:
        _length(problems, "choice name", choice.get("name"), CHOICE_NAME)
        _length(problems, "choice value", choice.get("value"), CHOICE_VALUE)
    return problems


def _length(problems: list[str], where: str, value: Any, limit: int) -> None:
    if value is not None and len(str(value)) > limit:
        problems.append(f"{where}: {len(str(value))} characters > {limit}")
