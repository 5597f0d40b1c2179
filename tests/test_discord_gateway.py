"""The gateway path through discord.py's own objects: the interaction payloads Discord
sends over the gateway go to the client's connection state, which builds discord.py's
Interaction and dispatches it to our CommandTree, DynamicItem buttons and Modal; what the
bot answers goes to a local fake of Discord's REST API (discord.py's Route.BASE)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import discord
import pytest
from discord_harness import (
    APP_ID,
    GUILD,
    MANAGER_ROLE,
    TOKEN,
    DiscordGuild,
    autocomplete_data,
    click_data,
    command_data,
    message_of,
    shown,
)

from benchmarks.fake_discord import FakeDiscord
from bot.bootstrap import App
from bot.discord.config import DiscordConfig
from bot.discord.gateway import RelevoBot
from bot.discord.limits import message_violations


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    fake = FakeDiscord(TOKEN).start()
    base = discord.http.Route.BASE
    discord.http.Route.BASE = fake.api_url
    yield fake
    discord.http.Route.BASE = base
    fake.stop()


MODAL = 9  # the interaction callback that opens a form


class Gateway:
    """A logged-in RelevoBot fed raw INTERACTION_CREATE payloads."""

    def __init__(self, bot: RelevoBot, fake: FakeDiscord) -> None:
        self.bot, self.fake = bot, fake
        self.shapes = DiscordGuild("http://unused", fake, None, bot.core.app.settings.database_url)  # type: ignore[arg-type]

    async def deliver(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Deliver one interaction; return the body of the bot's interaction callback."""
        seen = len(self.fake.requests)
        self.bot._connection.parse_interaction_create(payload)
        path = f"/interactions/{payload['id']}/{payload['token']}/callback"
        for _ in range(500):
            for request in self.fake.requests[seen:]:
                if request.path.startswith(f"/api/v10{path}"):
                    if request.body.get("type") == MODAL:
                        await self.modal_stored(request.body["data"]["custom_id"])
                    return request.body
            await asyncio.sleep(0.01)
        raise AssertionError(f"no callback; requests: {[r.path for r in self.fake.requests]}")

    async def modal_stored(self, custom_id: str) -> None:
        """discord.py stores a modal once Discord has answered its callback; a person
        takes seconds to fill it in, a test must wait for it explicitly."""
        modals = self.bot._connection._view_store._modals
        for _ in range(500):
            if custom_id in modals:
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"modal {custom_id} was never stored")

    async def crm(self, sub: str, **options: Any) -> dict[str, Any]:
        data = command_data(sub, options)
        return await self.deliver(self.shapes.payload(2, data, roles=(MANAGER_ROLE,)))


def _run(app: App, fake: FakeDiscord, scenario: Any) -> None:
    config = DiscordConfig(
        application_id=APP_ID,
        public_key="00" * 32,
        bot_token=TOKEN,
        guild_ids=frozenset({GUILD}),
        manager_role=MANAGER_ROLE,
        api_url=fake.api_url,
    )

    async def main() -> None:
        bot = RelevoBot(app, config)
        # What Client.login does, less fetching the application (its id is configured).
        await bot._async_setup_hook()
        me = await bot.http.static_login(TOKEN)
        bot._connection.user = discord.ClientUser(state=bot._connection, data=me)
        bot._connection.application_id = int(APP_ID)
        await bot.setup_hook()
        try:
            await scenario(Gateway(bot, fake))
        finally:
            await bot.close()

    asyncio.run(main())


def _problems(fake: FakeDiscord) -> list[str]:
    """Every message the bot sent since the fake started, checked against Discord's limits."""
    problems = []
    for request in fake.history:
        if request.message is not None:
            problems += message_violations(request.message)
    return problems


def test_commands_buttons_and_forms_through_discord_py(app: App, fake: FakeDiscord) -> None:
    async def scenario(gateway: Gateway) -> None:
        created = await gateway.crm("account", name="Acme Corp", tier="A")
        assert created["type"] == 4 and "Created account Acme Corp" in shown(created["data"])
        logged = await gateway.crm(
            "log",
            account="Acme Corp",
            text="Quote due friday with Ana",
            kind="call",
            **{"with": "nobody"},
        )
        assert "Logged call" in shown(logged["data"])
        card = await gateway.crm("whois", query="acme corp")
        assert card["data"]["flags"] & 64  # ephemeral
        assert card["data"]["allowed_mentions"] == {"parse": []}
        buttons = [b for row in card["data"]["components"] for b in row["components"]]
        log_button = next(b for b in buttons if b["label"] == "Log")

        # The button (a DynamicItem) opens the form (a discord.ui.Modal).
        click = gateway.shapes.payload(3, click_data(log_button))
        click["message"] = message_of(card["data"])
        modal = await gateway.deliver(click)
        assert modal["type"] == 9 and modal["data"]["custom_id"] == "crm:modal:log"
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": c, "value": v}]}
            for c, v in (("account", "Acme Corp"), ("kind", "visit"), ("text", "Plant tour"))
        ]
        submitted = await gateway.deliver(
            gateway.shapes.payload(5, {"custom_id": "crm:modal:log", "components": rows})
        )
        assert "Logged visit" in shown(submitted["data"])

        handed = await gateway.crm("handover", to=("user", "luis"), account="Acme Corp")
        assert "Luis Pérez" in shown(handed["data"])

    _run(app, fake, scenario)
    assert _problems(fake) == []
    with app.database.engine.connect() as connection:
        texts = sorted(r[0] for r in connection.exec_driver_sql("SELECT text FROM interaction"))
    assert texts == ["Plant tour", "Quote due friday with Ana"]


def test_autocomplete_through_the_command_tree(app: App, fake: FakeDiscord) -> None:
    async def scenario(gateway: Gateway) -> None:
        for n in range(30):
            await gateway.crm("account", name=f"Acme {n:02d}")
        data = autocomplete_data("log", "account", "acme")
        answer = await gateway.deliver(gateway.shapes.payload(4, data))
        assert answer["type"] == 8
        assert 1 <= len(answer["data"]["choices"]) <= 25

    _run(app, fake, scenario)


def test_discord_sync_registers_the_group_through_discord_py(
    database_url: str, fake: FakeDiscord
) -> None:
    env = {
        **os.environ,
        "RELEVO_DATABASE_URL": database_url,
        "DISCORD_BOT_TOKEN": TOKEN,
        "DISCORD_APPLICATION_ID": APP_ID,
        "DISCORD_PUBLIC_KEY": "00" * 32,
        "DISCORD_GUILD_IDS": GUILD,
        "DISCORD_API_URL": fake.api_url,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "discord", "sync", "--guild", GUILD],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"Registered /crm in guild {GUILD}" in done.stdout
    put = fake.wait_for("PUT", f"/applications/{APP_ID}/guilds/{GUILD}/commands")
    assert put.authorized
    (group,) = put.body
    assert group["name"] == "crm" and len(group["options"]) == 25


def test_answers_are_for_the_asker_and_a_shared_digest_shows_public_accounts_only(
    app: App, fake: FakeDiscord
) -> None:
    async def scenario(gateway: Gateway) -> None:
        await gateway.crm("account", name="Zephyr Secret", visibility="private")
        await gateway.crm("deal", account="Zephyr Secret", title="Board deal", amount="999000")
        await gateway.crm("account", name="Public Place")
        await gateway.crm("deal", account="Public Place", title="Small deal", amount="1000")
        handed = await gateway.crm(
            "handover", to=("user", "luis"), account="Zephyr Secret", note="final price"
        )
        assert "final price" in shown(handed["data"])
        assert handed["data"].get("flags", 0) & 64  # ephemeral
        shared = await gateway.crm("report", what="digest", now=True)
        assert not shared["data"].get("flags", 0) & 64  # posted in the channel, as asked
        text = shown(shared["data"])
        assert "Open pipeline\n1 deal · €1,000" in text and "Zephyr" not in text

    _run(app, fake, scenario)
