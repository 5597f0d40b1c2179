"""Slack's documented Block Kit limits, and a checker for any payload we build.

The renderer truncates to these numbers; tests run every payload through `violations` so
that a message Slack would reject with `invalid_blocks` never leaves the building. Where
Slack documents no number (a rich_text block's text) the checker holds us to our own.
Sources: api.slack.com/reference/block-kit (blocks, block elements, composition objects)
and api.slack.com/reference/surfaces/views.
"""

from __future__ import annotations

from typing import Any

MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}
HEADER_TEXT = 150
SECTION_TEXT = 3000
# Slack documents no limit on a rich_text block's text: this is our own budget (all its
# `text` elements together), a section's, to stay clear of any undocumented one.
RICH_TEXT = SECTION_TEXT
SECTION_FIELDS = 10
FIELD_TEXT = 2000
CONTEXT_ELEMENTS = 10
CONTEXT_TEXT = 3000
ACTIONS_ELEMENTS = 25
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTION_ID = 255
BLOCK_ID = 255
OPTION_TEXT = 75
OPTION_VALUE = 150
SELECT_OPTIONS = 100
PLACEHOLDER = 150
INPUT_LABEL = 2000
INPUT_HINT = 2000
TEXT_INPUT_MAX = 3000
VIEW_TITLE = 24
VIEW_BUTTON = 24
CALLBACK_ID = 255
PRIVATE_METADATA = 3000
MESSAGE_TEXT = 40000  # Slack truncates beyond this; the notification text stays far below.


def violations(blocks: list[dict[str, Any]], surface: str = "message") -> list[str]:
    """Every way `blocks` breaks a documented limit; empty when Slack will accept them."""
    problems: list[str] = []
    if len(blocks) > MAX_BLOCKS[surface]:
        problems.append(f"{len(blocks)} blocks > {MAX_BLOCKS[surface]} in a {surface}")
    action_ids: set[str] = set()
    for n, block in enumerate(blocks):
        where = f"block {n} ({block.get('type')})"
        _length(problems, f"{where} block_id", block.get("block_id"), BLOCK_ID)
        kind = block.get("type")
        if kind == "header":
            _text(problems, where, block.get("text"), HEADER_TEXT, plain=True)
        elif kind == "section":
            if "text" not in block and "fields" not in block:
                problems.append(f"{where}: needs text or fields")
            _text(problems, where, block.get("text"), SECTION_TEXT)
            fields = block.get("fields") or []
            if len(fields) > SECTION_FIELDS:
                problems.append(f"{where}: {len(fields)} fields > {SECTION_FIELDS}")
            for field in fields:
                _text(problems, f"{where} field", field, FIELD_TEXT)
            if "accessory" in block:
                _element(problems, where, block["accessory"], action_ids)
        elif kind == "context":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= CONTEXT_ELEMENTS:
                problems.append(f"{where}: {len(elements)} elements, 1..{CONTEXT_ELEMENTS}")
            for element in elements:
                _text(problems, f"{where} element", element, CONTEXT_TEXT)
        elif kind == "actions":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= ACTIONS_ELEMENTS:
                problems.append(f"{where}: {len(elements)} elements, 1..{ACTIONS_ELEMENTS}")
            for element in elements:
                _element(problems, where, element, action_ids)
        elif kind == "rich_text":
            _rich_text(problems, where, block.get("elements"))
        elif kind == "input":
            _text(problems, f"{where} label", block.get("label"), INPUT_LABEL, plain=True)
            _text(problems, f"{where} hint", block.get("hint"), INPUT_HINT, plain=True)
            _element(problems, where, block.get("element") or {}, action_ids)
        elif kind != "divider":
            problems.append(f"{where}: a block type this checker does not know")
    return problems


def view_violations(view: dict[str, Any]) -> list[str]:
    """A modal or App Home view: its own fields, then its blocks."""
    surface = "home" if view.get("type") == "home" else "modal"
    problems = violations(view.get("blocks") or [], surface)
    if surface == "modal":
        for key in ("title", "submit", "close"):
            _text(problems, f"view {key}", view.get(key), VIEW_TITLE, plain=True)
        if "title" not in view:
            problems.append("a modal needs a title")
    _length(problems, "callback_id", view.get("callback_id"), CALLBACK_ID)
    _length(problems, "private_metadata", view.get("private_metadata"), PRIVATE_METADATA)
    return problems


def options_violations(options: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    if len(options) > SELECT_OPTIONS:
        problems.append(f"{len(options)} options > {SELECT_OPTIONS}")
    for option in options:
        _option(problems, "option", option)
    return problems


def _element(problems: list[str], where: str, element: dict[str, Any], ids: set[str]) -> None:
    kind = element.get("type")
    action_id = element.get("action_id")
    _length(problems, f"{where} action_id", action_id, ACTION_ID)
    if action_id:
        if action_id in ids:
            problems.append(f"{where}: action_id {action_id!r} used twice")
        ids.add(action_id)
    _text(problems, f"{where} placeholder", element.get("placeholder"), PLACEHOLDER, plain=True)
    if kind == "button":
        _text(problems, f"{where} button", element.get("text"), BUTTON_TEXT, plain=True)
        _length(problems, f"{where} button value", element.get("value"), BUTTON_VALUE)
    elif kind in ("static_select", "overflow"):
        options = element.get("options") or []
        if len(options) > SELECT_OPTIONS:
            problems.append(f"{where}: {len(options)} options > {SELECT_OPTIONS}")
        for option in options:
            _option(problems, where, option)
        if "initial_option" in element:
            _option(problems, where, element["initial_option"])
    elif kind == "external_select" and "initial_option" in element:
        _option(problems, where, element["initial_option"])
    elif kind == "plain_text_input":
        if element.get("max_length", 0) > TEXT_INPUT_MAX:
            problems.append(f"{where}: max_length > {TEXT_INPUT_MAX}")
        _length(problems, f"{where} initial_value", element.get("initial_value"), TEXT_INPUT_MAX)


def _rich_text(problems: list[str], where: str, parts: Any) -> None:
    """A rich_text block's sections, lists, quotes and preformatted parts; of their inline
    elements only plain `text` is known here (we never send mentions, links or emoji)."""
    if not isinstance(parts, list) or not parts:
        problems.append(f"{where}: a rich_text block needs elements")
        return
    size = 0
    for part in parts:
        kind = part.get("type")
        if kind == "rich_text_list":
            if part.get("style") not in ("bullet", "ordered"):
                problems.append(f"{where}: list style {part.get('style')!r}")
            items = part.get("elements")
            if not isinstance(items, list) or not items:
                problems.append(f"{where}: an empty list")
                continue
            for item in items:
                if item.get("type") != "rich_text_section":
                    problems.append(f"{where}: a list item must be a rich_text_section")
                size += _rich_section(problems, where, item.get("elements"))
        elif kind in _RICH_PARTS:
            size += _rich_section(problems, where, part.get("elements"))
        else:
            problems.append(f"{where}: a rich text part this checker does not know: {kind}")
    if size > RICH_TEXT:
        problems.append(f"{where}: {size} characters of text > {RICH_TEXT}")


_RICH_PARTS = ("rich_text_section", "rich_text_quote", "rich_text_preformatted")
_RICH_STYLES = frozenset({"bold", "italic", "strike", "code"})


def _rich_section(problems: list[str], where: str, elements: Any) -> int:
    """Checks one part's inline elements; gives the length of their text."""
    if not isinstance(elements, list) or not elements:
        problems.append(f"{where}: a rich text part needs elements")
        return 0
    size = 0
    for element in elements:
        text, style = element.get("text"), element.get("style", {})
        if element.get("type") != "text":
            problems.append(f"{where}: an inline element this checker does not know")
        elif not isinstance(text, str) or not text:
            problems.append(f"{where}: a text element needs text")
        else:
            size += len(text)
        if not isinstance(style, dict) or any(
            key not in _RICH_STYLES or not isinstance(on, bool) for key, on in style.items()
        ):
            problems.append(f"{where}: text style {style!r}")
    return size


def _option(problems: list[str], where: str, option: dict[str, Any]) -> None:
    _text(problems, f"{where} option", option.get("text"), OPTION_TEXT, plain=True)
    _length(problems, f"{where} option value", option.get("value"), OPTION_VALUE)


def _text(problems: list[str], where: str, text: Any, limit: int, *, plain: bool = False) -> None:
    if text is None:
        return
    if not isinstance(text, dict) or text.get("type") not in ("plain_text", "mrkdwn"):
        problems.append(f"{where}: not a text object")
        return
    if plain and text["type"] != "plain_text":
        problems.append(f"{where}: must be plain_text")
    if not text.get("text"):
        problems.append(f"{where}: empty text")
    _length(problems, where, text.get("text"), limit)


def _length(problems: list[str], where: str, value: Any, limit: int) -> None:
    if value is not None and len(str(value)) > limit:
        problems.append(f"{where}: {len(str(value))} characters > {limit}")
