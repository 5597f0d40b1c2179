"""Relevo's web server as a subprocess, Slack's side played by tests: signed requests in,
a fake Web API recording what the bot posts."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

from conftest import EPOCH
from sqlalchemy import create_engine, text

from benchmarks.fake_slack import FakeSlack
from benchmarks.slack_requests import Answer, SlackSender, trigger_id, user_ref
from bot.slack.limits import options_violations, view_violations, violations
from hub.models import Base

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM = "T0TEAM"
TOKEN = "xoxb-1111-2222-secret-token"
FORM_SECRET = "website-form-secret"


def server_env(database_url: str, fake: FakeSlack) -> dict[str, str]:
    return {
        "RELEVO_DATABASE_URL": database_url,
        "RELEVO_TIMEZONE": "Europe/Madrid",
        "RELEVO_CLOCK_START": EPOCH.isoformat(),  # the server starts when the tests' hub does
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "SLACK_TEAM_IDS": TEAM,
        "RELEVO_INTAKE_FORMS": f"website:{FORM_SECRET}",
        "RELEVO_INTAKE_OWNERS": "Ana García",
        # Tests fire commands back to back; the floods test sets a tight limit itself.
        "RELEVO_RATE_PERSON": "100000/10000",
    }


# What Slack would format (mrkdwn), or turn into a ping, a link or an emoji (rich text).
LIVE = {"mrkdwn", "user", "usergroup", "channel", "broadcast", "team", "link", "emoji"}


def shown(payload: dict[str, Any]) -> str:
    """Everything a person would read in a message or view, as one string: text objects
    with the three entities Slack decodes decoded, rich text exactly as its elements say."""
    blocks = payload.get("blocks") or (payload.get("view") or {}).get("blocks") or []
    return "\n".join([decoded(payload.get("text") or ""), *map(_read, blocks)])


def decoded(text: str) -> str:
    """What Slack displays for a text object's string (or a message's `text`)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def nodes(payload: object) -> Iterator[dict[str, Any]]:
    """Every object in a Block Kit payload, however deep."""
    if isinstance(payload, list):
        for value in payload:
            yield from nodes(value)
    elif isinstance(payload, dict):
        yield payload
        for value in payload.values():
            yield from nodes(value)


def _read(node: dict[str, Any]) -> str:
    """A block or a part of one as read: a rich_text_section's elements run on, every
    other part goes on lines of its own."""
    kind = node.get("type")
    if kind in ("plain_text", "mrkdwn"):
        return decoded(node["text"])
    if kind == "text":
        return str(node["text"])
    if kind == "rich_text_section":
        return "".join(map(_read, node["elements"]))
    parts = [node[key] for key in ("text", "label", "accessory") if isinstance(node.get(key), dict)]
    parts += [*(node.get("fields") or []), *(node.get("elements") or [])]
    return "\n".join(filter(None, map(_read, parts)))


def buttons(payload: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for block in payload.get("blocks") or (payload.get("view") or {}).get("blocks") or []:
        found.extend(e for e in block.get("elements") or [] if e.get("type") == "button")
        if (block.get("accessory") or {}).get("type") == "button":
            found.append(block["accessory"])
    return found


def limit_problems(fake: FakeSlack) -> list[str]:
    """Every payload the bot sent since the fake started (cleared or not), checked against
    Slack's documented limits."""
    problems = []
    for call in fake.history:
        if call.method in ("response_url", "chat.postMessage", "chat.postEphemeral"):
            problems += [f"{call.method}: {p}" for p in violations(call.args.get("blocks") or [])]
        elif call.method.startswith("views."):
            problems += [f"{call.method}: {p}" for p in view_violations(call.args["view"])]
    return problems


def live_parts(fake: FakeSlack) -> list[str]:
    """Every mrkdwn text and every mention, link or emoji element the bot sent since the
    fake started: there must be none, whatever anyone typed."""
    return [
        f"{call.method}: {node['type']}"
        for call in fake.history
        for node in nodes(call.args)
        if node.get("type") in LIVE
    ]


class SlackTeam:
    """A workspace talking to Relevo: people type /crm, click, submit forms."""

    def __init__(self, url: str, fake: FakeSlack, database_url: str) -> None:
        self.fake = fake
        self.sender = SlackSender(url, SECRET, TEAM)
        self.engine = create_engine(database_url)

    def reset(self) -> None:
        tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
        with self.engine.begin() as connection:
            if self.engine.dialect.name == "postgresql":
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(Base.metadata.sorted_tables):
                    connection.execute(table.delete())
        self.fake.users.clear()
        self.fake.clear()
        self.fake.add_user("U0ANA", "Ana García")
        self.fake.add_user("U0LUIS", "Luis Pérez")
        self.fake.add_user("U0CARMEN", "Carmen Vidal")

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()

    def make_manager(self, user_id: str) -> None:
        self.crm(user_id, "help")  # first use: the Person exists from here on
        with self.engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE person SET role = 'manager' WHERE id = (SELECT person_id "
                    "FROM chat_identity WHERE external_id = :user)"
                ),
                {"user": user_id},
            )

    def send_command(self, user_id: str, line: str, **kwargs: Any) -> tuple[Answer, str]:
        name = uuid.uuid4().hex
        answer = self.sender.command(
            user_id, line, response_url=self.fake.response_url(name), **kwargs
        )
        return answer, name

    def crm(self, user_id: str, line: str, **kwargs: Any) -> dict[str, Any]:
        """Type `/crm line` and return what came back through response_url."""
        answer, name = self.send_command(user_id, line, **kwargs)
        assert answer.status == 200, answer
        return self.response(name)

    def response(self, name: str, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for args in self.fake.recorded("response_url"):
                if args.get("_name") == name:
                    return args
            time.sleep(0.02)
        raise AssertionError(
            f"no response for {name}; calls: {[c.method for c in self.fake.calls]}"
        )

    def click_payload(
        self,
        user_id: str,
        button: dict[str, Any],
        *,
        response_url: str | None = None,
        view: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A button click as Slack sends it: from a message when `response_url` is given,
        from the view `view` otherwise."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": TEAM, "domain": "test"},
            "user": user_ref(user_id, TEAM),
            "api_app_id": "A0RELEVO",
            "trigger_id": trigger_id(),
            "actions": [{**button, "block_id": "b", "action_ts": "1700000000.000001"}],
        }
        if response_url is not None:
            payload["channel"] = {"id": "C0GENERAL", "name": "general"}
            payload["container"] = {"type": "message", "channel_id": "C0GENERAL"}
            payload["response_url"] = response_url
        if view is not None:
            payload["view"] = view
            payload["container"] = {"type": "view", "view_id": view.get("id", "V1")}
        return payload

    def click(
        self,
        user_id: str,
        button: dict[str, Any],
        *,
        message: bool = True,
        view: dict[str, Any] | None = None,
    ) -> tuple[Answer, str]:
        name = uuid.uuid4().hex
        response_url = self.fake.response_url(name) if message else None
        payload = self.click_payload(user_id, button, response_url=response_url, view=view)
        return self.sender.interaction(payload), name

    @staticmethod
    def options_payload(user_id: str, typed: str) -> dict[str, Any]:
        """What Slack sends as a person types in the account picker."""
        return {
            "type": "block_suggestion",
            "user": user_ref(user_id, TEAM),
            "team": {"id": TEAM, "domain": "test"},
            "api_app_id": "A0RELEVO",
            "action_id": "crm:account",
            "block_id": "account",
            "value": typed,
            "view": {"id": "V1", "type": "modal", "callback_id": "crm:log"},
        }

    def options(self, user_id: str, typed: str) -> list[dict[str, Any]]:
        answer = self.sender.interaction(self.options_payload(user_id, typed))
        assert answer.status == 200, answer
        options = answer.json()["options"]
        assert options_violations(options) == []
        return options

    @staticmethod
    def submission(
        user_id: str, view: dict[str, Any], values: dict[str, Any], *, view_id: str | None = None
    ) -> dict[str, Any]:
        """A form submitted, as Slack sends it: the view with the state of its inputs."""
        return {
            "type": "view_submission",
            "team": {"id": TEAM, "domain": "test"},
            "user": user_ref(user_id, TEAM),
            "api_app_id": "A0RELEVO",
            "trigger_id": trigger_id(),
            "view": {
                **view,
                "id": view_id or f"V{uuid.uuid4().hex[:8].upper()}",
                "hash": "1700000000.abc",
                "state": {"values": values},
            },
        }

    def submit(
        self,
        user_id: str,
        view: dict[str, Any],
        values: dict[str, Any],
        *,
        view_id: str | None = None,
        retry: int | None = None,
    ) -> Answer:
        payload = self.submission(user_id, view, values, view_id=view_id)
        return self.sender.interaction(payload, retry=retry)
