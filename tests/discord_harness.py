"""Discord's side of the HTTP interactions endpoint: payloads shaped and signed (Ed25519)
exactly as Discord sends them, and a fake REST API recording what the bot sends."""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
from typing import Any

from conftest import EPOCH
from hostile import discord_shows
from nacl.signing import SigningKey
from sqlalchemy import create_engine, text

from benchmarks.fake_discord import FakeDiscord, message_payload
from bot.discord.limits import message_violations, modal_violations
from hub.models import Base

APP_ID = "1200000000000000001"
GUILD = "1300000000000000001"
MANAGER_ROLE = "1400000000000000001"
TOKEN = "discord-bot-token-secret"
USERS = {
    key: {
        "id": user_id,
        "username": key,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "public_flags": 0,
    }
    for key, user_id, name in (
        ("ana", "1500000000000000001", "Ana García"),
        ("luis", "1500000000000000002", "Luis Pérez"),
        ("carmen", "1500000000000000003", "Carmen Vidal"),
    )
}
_ids = itertools.count(1600000000000000001)


def server_env(
    database_url: str, fake: FakeDiscord, key: SigningKey, **extra: str
) -> dict[str, str]:
    return {
        "RELEVO_DATABASE_URL": database_url,
        "RELEVO_TIMEZONE": "Europe/Madrid",
        "RELEVO_CLOCK_START": EPOCH.isoformat(),  # the server starts when the tests' hub does
        "DISCORD_APPLICATION_ID": APP_ID,
        "DISCORD_PUBLIC_KEY": key.verify_key.encode().hex(),
        "DISCORD_BOT_TOKEN": TOKEN,
        "DISCORD_GUILD_IDS": GUILD,
        "DISCORD_MANAGER_ROLE_ID": MANAGER_ROLE,
        "DISCORD_API_URL": fake.api_url,
        # Tests fire commands back to back; the floods test sets a tight limit itself.
        "RELEVO_RATE_PERSON": "100000/10000",
        **extra,
    }


def shown(response: dict[str, Any]) -> str:
    """What a person reads in an interaction response or a message body (escapes shown as
    the characters they escape)."""
    return discord_shows(_raw(response))


def _raw(response: dict[str, Any]) -> str:
    data = response.get("data", response)
    parts = [data.get("content") or ""]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
        parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(parts)


def buttons(response: dict[str, Any]) -> list[dict[str, Any]]:
    data = response.get("data", response)
    return [b for row in data.get("components") or [] for b in row.get("components") or []]


def message_of(body: dict[str, Any]) -> dict[str, Any]:
    """The message Discord stores for a reply, as it sends it back with a button click."""
    return message_payload(str(next(_ids)), body)


def command_data(sub: str, options: dict[str, Any]) -> dict[str, Any]:
    """The data of `/crm sub` with typed options: ("user", key) and ("channel", id) for
    those kinds, Python values for the rest."""
    typed, resolved = [], {}
    for name, value in options.items():
        if isinstance(value, tuple) and value[0] == "user":
            user_payload = USERS[value[1]]
            resolved[user_payload["id"]] = user_payload
            typed.append({"type": 6, "name": name, "value": user_payload["id"]})
        elif isinstance(value, tuple) and value[0] == "channel":
            typed.append({"type": 7, "name": name, "value": value[1]})
        elif isinstance(value, bool):
            typed.append({"type": 5, "name": name, "value": value})
        elif isinstance(value, int):
            typed.append({"type": 4, "name": name, "value": value})
        else:
            typed.append({"type": 3, "name": name, "value": value})
    data: dict[str, Any] = {
        "id": "1800000000000000001",
        "name": "crm",
        "type": 1,
        "options": [{"type": 1, "name": sub, "options": typed}],
    }
    if resolved:
        data["resolved"] = {"users": resolved}
    return data


def click_data(button: dict[str, Any]) -> dict[str, Any]:
    return {"custom_id": button["custom_id"], "component_type": 2}


def autocomplete_data(sub: str, option: str, typed: str) -> dict[str, Any]:
    """The interaction data Discord sends while `option` of `/crm sub` is being typed."""
    return {
        "id": "1800000000000000001",
        "name": "crm",
        "type": 1,
        "options": [
            {
                "type": 1,
                "name": sub,
                "options": [{"type": 3, "name": option, "value": typed, "focused": True}],
            }
        ],
    }


class DiscordGuild:
    def __init__(self, url: str, fake: FakeDiscord, key: SigningKey, database_url: str) -> None:
        self.url = f"{url}/discord/interactions"
        self.fake = fake
        self.key = key
        self.engine = create_engine(database_url)
        self.responses: list[dict[str, Any]] = []

    def reset(self) -> None:
        tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
        with self.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        self.fake.clear()
        self.responses.clear()

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()

    def post(self, payload: dict[str, Any], *, key: SigningKey | None = None) -> tuple[int, Any]:
        body = json.dumps(payload).encode()
        timestamp = str(int(time.time()))
        signature = (key or self.key).sign(timestamp.encode() + body).signature.hex()
        request = urllib.request.Request(
            self.url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Signature-Ed25519": signature,
                "X-Signature-Timestamp": timestamp,
                "User-Agent": "Discord-Interactions/1.0 (+https://discord.com)",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as answer:
                data = json.loads(answer.read() or b"null")
                if isinstance(data, dict) and data.get("type") in (4, 9):
                    self.responses.append(data)
                return answer.status, data
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def payload(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        user: str = "ana",
        roles: tuple[str, ...] = (),
        guild: str | None = GUILD,
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": str(next(_ids)),
            "application_id": APP_ID,
            "type": kind,
            "token": f"interaction-token-{next(_ids)}",
            "version": 1,
            "channel_id": "1700000000000000001",
            "locale": "en-US",
            "app_permissions": "0",
            "entitlements": [],
            "authorizing_integration_owners": {"0": guild} if guild else {},
            "context": 0 if guild else 1,
            "attachment_size_limit": 10_485_760,
            "data": data,
        }
        if guild is None:
            payload["user"] = USERS[user]
        else:
            payload["guild_id"] = guild
            payload["member"] = {
                "user": USERS[user],
                "roles": list(roles),
                "permissions": "0",
                "nick": None,
                "avatar": None,
                "banner": None,
                "joined_at": "2025-01-01T00:00:00+00:00",
                "premium_since": None,
                "deaf": False,
                "mute": False,
                "pending": False,
                "flags": 0,
                "communication_disabled_until": None,
            }
        return payload

    def crm(
        self,
        sub: str,
        *,
        user: str = "ana",
        roles: tuple[str, ...] = (),
        guild: str | None = GUILD,
        **options: Any,
    ) -> dict[str, Any]:
        """`/crm sub option:value …` as Discord delivers it; users given by key of USERS."""
        data = command_data(sub, options)
        status, response = self.post(self.payload(2, data, user=user, roles=roles, guild=guild))
        assert status == 200, response
        return response

    def click(
        self, button: dict[str, Any], on: dict[str, Any], *, user: str = "ana"
    ) -> dict[str, Any]:
        """Click `button` on the message that `on` (a response carrying it) became."""
        payload = self.payload(3, click_data(button), user=user)
        payload["message"] = message_of(on.get("data", on))
        status, response = self.post(payload)
        assert status == 200, response
        return response

    def submit(
        self, modal: dict[str, Any], values: dict[str, str], *, user: str = "ana"
    ) -> dict[str, Any]:
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
            for k, v in values.items()
        ]
        status, response = self.post(
            self.payload(
                5, {"custom_id": modal["data"]["custom_id"], "components": rows}, user=user
            )
        )
        assert status == 200, response
        return response

    def autocomplete(
        self,
        typed: str,
        *,
        user: str = "ana",
        sub: str = "log",
        option: str = "account",
        roles: tuple[str, ...] = (),
        guild: str | None = GUILD,
    ) -> list[dict[str, Any]]:
        """What Discord shows while `option` of `/crm sub` is being typed."""
        data = autocomplete_data(sub, option, typed)
        status, response = self.post(self.payload(4, data, user=user, roles=roles, guild=guild))
        assert status == 200 and response["type"] == 8, response
        return response["data"]["choices"]

    def limit_problems(self) -> list[str]:
        problems = []
        for response in self.responses:
            if response["type"] == 4:
                problems += message_violations(response["data"])
            else:
                problems += modal_violations(response["data"])
        for request in self.fake.history:  # multipart messages (with files) included
            if request.message is not None:
                problems += message_violations(request.message)
        return problems
