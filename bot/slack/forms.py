"""Modals: the log, agree, complaint and handover forms, "Save to CRM", and a fallback
form that completes any /crm line a button started.

A submitted form becomes the same typed command the parser would produce (never a line
to re-parse, so a note that happens to contain "due friday" stays a note).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.slack import limits
from bot.slack.blocks import clip, plain
from commands import types as t
from commands.format import quoted
from commands.tokens import tokenize
from hub.models import InteractionKind, Severity

ACCOUNT_PICKER = "crm:account"  # external_select: options come from search as people type
FORMS = ("log", "agree", "complaint", "handover")
SAVE_MESSAGE = "save_message"
LINE = "line"


@dataclass(frozen=True)
class Prefill:
    account: str | None = None  # an account name
    account_id: int | None = None  # set once the name is known to be a visible account
    text: str = ""
    line: str = ""  # for the fallback form: the whole line
    to_user: str | None = None  # a Slack user id, for handover


def form_for(command: str) -> tuple[str, Prefill]:
    """Which form a button's incomplete line opens, and what it already says."""
    words = tokenize(command)
    verb = words[0].text.lower() if words else ""
    if verb in FORMS and len(words) >= 2 and not words[1].text.startswith("@"):
        return verb, Prefill(account=words[1].text)
    if verb in FORMS and len(words) == 1:
        return verb, Prefill()
    return LINE, Prefill(line=command)


def view(kind: str, prefill: Prefill, meta: dict[str, Any]) -> dict[str, Any]:
    """The modal for `kind`; `meta` (channel, message) rides along in private_metadata."""
    title, submit, blocks = {
        "log": ("Log an interaction", "Log", _log_blocks),
        "agree": ("Record an agreement", "Save", _agree_blocks),
        "complaint": ("Open a complaint", "Open", _complaint_blocks),
        "handover": ("Hand over", "Hand over", _handover_blocks),
        SAVE_MESSAGE: ("Save to CRM", "Save", _save_blocks),
        LINE: ("Relevo", "Run", _line_blocks),
    }[kind]
    return {
        "type": "modal",
        "callback_id": f"crm:{kind}",
        "title": plain(title, limits.VIEW_TITLE),
        "submit": plain(submit, limits.VIEW_BUTTON),
        "close": plain("Cancel", limits.VIEW_BUTTON),
        "private_metadata": clip(json.dumps(meta), limits.PRIVATE_METADATA),
        "blocks": blocks(prefill),
    }


def menu(meta: dict[str, Any]) -> dict[str, Any]:
    """What `/crm` with nothing after it opens: the four forms, one click away."""
    return {
        "type": "modal",
        "callback_id": "crm:menu",
        "title": plain("Relevo", limits.VIEW_TITLE),
        "close": plain("Close", limits.VIEW_BUTTON),
        "private_metadata": clip(json.dumps(meta), limits.PRIVATE_METADATA),
        "blocks": [
            {
                "type": "section",
                "text": plain("What would you like to record?", limits.SECTION_TEXT),
            },
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": plain(label, limits.BUTTON_TEXT),
                        "action_id": f"crm:form:menu.{verb}",
                        "value": f"{verb} ",
                    }
                    for verb, label in (
                        ("log", "Log an interaction"),
                        ("agree", "Record an agreement"),
                        ("complaint", "Open a complaint"),
                        ("handover", "Hand over"),
                    )
                ],
            },
            {
                "type": "context",
                "elements": [plain("Or type /crm help to see every command.", 200)],
            },
        ],
    }


def account_option(account_id: int, name: str) -> dict[str, Any]:
    return {"text": plain(name, limits.OPTION_TEXT), "value": f"account:{account_id}"}


def command_from(
    kind: str, values: dict[str, Any], account_name: str | None, handle: str | None
) -> tuple[t.Command, str]:
    """The typed command a submitted form stands for, and the same as a line (for notes)."""
    ref = t.AccountRef(name=account_name or "", known=True)
    name = quoted(account_name or "")
    text = _value(values, "text") or ""
    if kind in ("log", SAVE_MESSAGE):
        kind_word = _value(values, "kind") or InteractionKind.CALL
        return t.Log(account=ref, kind=kind_word, text=text), f"log {name} {kind_word} {text}"
    if kind == "agree":
        due = _date(_value(values, "due"))
        line = f"agree {name} {text}" + (f" due {due.isoformat()}" if due else "")
        return t.Agree(account=ref, text=text, due=due), line
    if kind == "complaint":
        severity = _value(values, "severity") or Severity.MEDIUM
        return (
            t.OpenComplaint(account=ref, text=text, severity=severity),
            f"complaint {name} {text} severity:{severity}",
        )
    if kind == "handover":
        until = _date(_value(values, "until"))
        note = _value(values, "note") or None
        line = f"handover {name} to @{handle}" + (f" until {until.isoformat()}" if until else "")
        return (
            t.HandOver(to=f"@{handle}", accounts=(ref,), until=until, note=note),
            line + (f" {note}" if note else ""),
        )
    raise ValueError(kind)


def selected_account(values: dict[str, Any]) -> int | None:
    option = (values.get("account") or {}).get(ACCOUNT_PICKER, {}).get("selected_option")
    prefix, _, number = (option or {}).get("value", "").partition(":")
    return int(number) if prefix == "account" and number.isascii() and number.isdigit() else None


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


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _account_input(prefill: Prefill) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "external_select",
        "action_id": ACCOUNT_PICKER,
        "placeholder": plain("Type a few letters of the account", limits.PLACEHOLDER),
        "min_query_length": 1,
    }
    if prefill.account_id is not None and prefill.account:
        element["initial_option"] = account_option(prefill.account_id, prefill.account)
    return {
        "type": "input",
        "block_id": "account",
        "label": plain("Account", limits.INPUT_LABEL),
        "element": element,
    }


def _text_input(
    block: str, label: str, initial: str = "", *, optional: bool = False
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": block,
        "multiline": True,
        "max_length": limits.TEXT_INPUT_MAX,
    }
    if initial:
        element["initial_value"] = clip(initial, limits.TEXT_INPUT_MAX)
    return {
        "type": "input",
        "block_id": block,
        "optional": optional,
        "label": plain(label, limits.INPUT_LABEL),
        "element": element,
    }


def _select(block: str, label: str, choices: list[str], initial: str) -> dict[str, Any]:
    options = [{"text": plain(c, limits.OPTION_TEXT), "value": c} for c in choices]
    return {
        "type": "input",
        "block_id": block,
        "label": plain(label, limits.INPUT_LABEL),
        "element": {
            "type": "static_select",
            "action_id": block,
            "options": options,
            "initial_option": options[choices.index(initial)],
        },
    }


def _date_input(block: str, label: str) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block,
        "optional": True,
        "label": plain(label, limits.INPUT_LABEL),
        "element": {"type": "datepicker", "action_id": block},
    }


def _log_blocks(prefill: Prefill) -> list[dict[str, Any]]:
    return [
        _account_input(prefill),
        _select("kind", "How", [k.value for k in InteractionKind], InteractionKind.CALL),
        _text_input("text", "What happened", prefill.text),
    ]


def _agree_blocks(prefill: Prefill) -> list[dict[str, Any]]:
    return [
        _account_input(prefill),
        _text_input("text", "What was agreed (what, by whom)", prefill.text),
        _date_input("due", "Due"),
    ]


def _complaint_blocks(prefill: Prefill) -> list[dict[str, Any]]:
    return [
        _account_input(prefill),
        _text_input("text", "What is wrong", prefill.text),
        _select("severity", "Severity", [s.value for s in Severity], Severity.MEDIUM),
    ]


def _handover_blocks(prefill: Prefill) -> list[dict[str, Any]]:
    to: dict[str, Any] = {"type": "users_select", "action_id": "to"}
    if prefill.to_user:
        to["initial_user"] = prefill.to_user
    return [
        _account_input(prefill),
        {"type": "input", "block_id": "to", "label": plain("To", 100), "element": to},
        _date_input("until", "Until (leave empty to hand over for good)"),
        _text_input("note", "Note for the new owner", optional=True),
    ]


def _save_blocks(prefill: Prefill) -> list[dict[str, Any]]:
    return [
        _account_input(prefill),
        _select("kind", "How", [k.value for k in InteractionKind], InteractionKind.CHAT),
        _text_input("text", "Message", prefill.text),
    ]


def _line_blocks(prefill: Prefill) -> list[dict[str, Any]]:
    return [
        _text_input("line", "Complete the command", prefill.line),
        {
            "type": "context",
            "elements": [plain("Type /crm help to see every command.", 200)],
        },
    ]
