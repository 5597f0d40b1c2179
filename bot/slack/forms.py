"""Slack's rendering of the shared forms (commands/forms.py) as Block Kit modals, and
what a submitted modal's state says, field by field. No form is defined here.

A modal is written in the reading language of the context it is made in: the listener
that opens it reads as the person who asked (`hub.i18n.reading_in`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.slack import limits
from bot.slack.blocks import clip, plain
from commands.forms import BUTTON_FORMS, LINE, SAVE_MESSAGE, Field, Form, Input
from commands.forms import FORMS as SPECS
from commands.suggest import Suggestion
from hub.i18n import _, pgettext

ACCOUNT_PICKER = "crm:account"  # external_select: options come from search as people type
FORMS = BUTTON_FORMS
__all__ = ["FORMS", "LINE", "SAVE_MESSAGE", "Prefill", "menu", "view"]


@dataclass(frozen=True)
class Prefill:
    account: str | None = None  # an account name
    account_id: int | None = None  # set once the name is known to be a visible account
    text: str = ""
    line: str = ""  # for the fallback form: the whole line
    to_user: str | None = None  # a Slack user id, for handover


def view(kind: str, prefill: Prefill, meta: dict[str, Any]) -> dict[str, Any]:
    """The modal for form `kind`; `meta` (channel, message) rides along in private_metadata."""
    form = SPECS[kind]
    blocks = [_block(field, prefill) for field in form.fields]
    if form.footer:
        blocks.append({"type": "context", "elements": [plain(_(form.footer), 200)]})
    return {
        "type": "modal",
        "callback_id": f"crm:{kind}",
        "title": plain(_(form.title), limits.VIEW_TITLE),
        "submit": plain(_(form.submit), limits.VIEW_BUTTON),
        "close": plain(pgettext("button", "Cancel"), limits.VIEW_BUTTON),
        "private_metadata": clip(json.dumps(meta), limits.PRIVATE_METADATA),
        "blocks": blocks,
    }


def menu(meta: dict[str, Any]) -> dict[str, Any]:
    """What `/crm` with nothing after it opens: the four forms, one click away."""
    return {
        "type": "modal",
        "callback_id": "crm:menu",
        "title": plain("Relevo", limits.VIEW_TITLE),
        "close": plain(pgettext("button", "Close"), limits.VIEW_BUTTON),
        "private_metadata": clip(json.dumps(meta), limits.PRIVATE_METADATA),
        "blocks": [
            {
                "type": "section",
                "text": plain(_("What would you like to record?"), limits.SECTION_TEXT),
            },
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": plain(_(SPECS[verb].title), limits.BUTTON_TEXT),
                        "action_id": f"crm:form:menu.{verb}",
                        "value": f"{verb} ",
                    }
                    for verb in BUTTON_FORMS
                ],
            },
            {
                "type": "context",
                "elements": [plain(_("Or type /crm help to see every command."), 200)],
            },
        ],
    }


def account_option(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "text": plain(suggestion.label, limits.OPTION_TEXT),
        "value": f"account:{suggestion.id}",
    }


def selected_account(values: dict[str, Any]) -> int | None:
    option = (values.get("account") or {}).get(ACCOUNT_PICKER, {}).get("selected_option")
    prefix, __, number = (option or {}).get("value", "").partition(":")
    return int(number) if prefix == "account" and number.isascii() and number.isdigit() else None


def submitted(form: Form, values: dict[str, Any]) -> dict[str, str]:
    """Each field's value as the person left it, as text (a picked person as their Slack
    user id, a day as YYYY-MM-DD); the account is read apart (`selected_account`)."""
    return {
        field.name: value
        for field in form.fields
        if field.input != Input.ACCOUNT and (value := _value(values, field.name)) is not None
    }


def _value(values: dict[str, Any], block: str) -> str | None:
    element = next(iter((values.get(block) or {}).values()), None)
    if element is None:
        return None
    kind = element.get("type")
    if kind == "plain_text_input":
        return element.get("value")
    if kind == "static_select":
        return (element.get("selected_option") or {}).get("value")
    if kind == "datepicker":
        return element.get("selected_date")
    if kind == "users_select":
        return element.get("selected_user")
    return None


def _block(field: Field, prefill: Prefill) -> dict[str, Any]:
    element: dict[str, Any]
    if field.input == Input.ACCOUNT:
        element = {
            "type": "external_select",
            "action_id": ACCOUNT_PICKER,
            "placeholder": plain(_("Type a few letters of the account"), limits.PLACEHOLDER),
            "min_query_length": 1,
        }
        if prefill.account_id is not None and prefill.account:
            picked = Suggestion("account", prefill.account_id, prefill.account, prefill.account)
            element["initial_option"] = account_option(picked)
    elif field.input == Input.CHOICE:
        options = [{"text": plain(c, limits.OPTION_TEXT), "value": c} for c in field.choices]
        element = {"type": "static_select", "action_id": field.name, "options": options}
        if field.default:
            element["initial_option"] = options[field.choices.index(field.default)]
    elif field.input == Input.DATE:
        element = {"type": "datepicker", "action_id": field.name}
    elif field.input == Input.PERSON:
        element = {"type": "users_select", "action_id": field.name}
        if prefill.to_user:
            element["initial_user"] = prefill.to_user
    else:
        element = {
            "type": "plain_text_input",
            "action_id": field.name,
            "multiline": field.input == Input.TEXT,
            "max_length": limits.TEXT_INPUT_MAX,
        }
        if field.hint:
            element["placeholder"] = plain(_(field.hint), limits.PLACEHOLDER)
        initial = {"text": prefill.text, "line": prefill.line}.get(field.name, field.default)
        if initial:
            element["initial_value"] = clip(initial, limits.TEXT_INPUT_MAX)
    block: dict[str, Any] = {
        "type": "input",
        "block_id": field.name,
        "label": plain(_(field.label), limits.INPUT_LABEL),
        "element": element,
    }
    if not field.required:
        block["optional"] = True
    return block
