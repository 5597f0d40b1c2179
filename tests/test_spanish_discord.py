"""Spanish on Discord: a Spanish person reads Relevo's answers in Spanish, a Spanish
Discord client makes a new person Spanish from the first command, an English person
reads exactly what they read before, and the `/crm` group `relevo discord sync`
registers carries its Spanish (es-ES) names and descriptions within Discord's rules."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import regex
from discord_harness import (
    APP_ID,
    GUILD,
    TOKEN,
    DiscordGuild,
    command_data,
    server_env,
    shown,
)
from nacl.signing import SigningKey
from sqlalchemy import text

from benchmarks.fake_discord import FakeDiscord
from benchmarks.webserver import WebServer
from bot.bootstrap import App
from bot.discord.config import DiscordConfig
from bot.discord.crm import SUBCOMMANDS
from bot.discord.interactions import DiscordInteractions
from bot.discord.limits import COMMAND_NAME, DESCRIPTION, message_violations
from bot.discord.render import message
from commands.reply import Action, Reply
from hub.db import Database
from hub.people import find_by_name, update_person

KEY = SigningKey.generate()
SPAIN = "es-ES"
# Discord's rule for a command's, a subcommand's or an option's name, in every locale.
NAME = regex.compile(r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$")
CONTACTS = 11  # 3 more than a card shows: the rest are counted ("… and 3 more")


@pytest.fixture(scope="module")
def fake_discord() -> Iterator[FakeDiscord]:
    fake = FakeDiscord(TOKEN).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def discord_server(
    postgres_url: str, fake_discord: FakeDiscord, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WebServer]:
    log = tmp_path_factory.mktemp("discord-es") / "web.log"
    server = WebServer(server_env(postgres_url, fake_discord, KEY), log).start()
    yield server
    server.stop()


@pytest.fixture
def guild(
    discord_server: WebServer, fake_discord: FakeDiscord, postgres_url: str
) -> Iterator[DiscordGuild]:
    crew = DiscordGuild(discord_server.url, fake_discord, KEY, postgres_url)
    crew.reset()
    yield crew
    assert crew.limit_problems() == []
    log = discord_server.log()
    assert "Traceback" not in log, log[-3000:]
    crew.engine.dispose()


def _speaks_spanish(database_url: str, name: str) -> None:
    database = Database(url=database_url)
    with database.unit_of_work() as session:
        person = find_by_name(session, name)
        assert person is not None
        update_person(person, locale="es")
    database.dispose()


def _command(guild: DiscordGuild, sub: str, *, user: str, locale: str, **options: Any) -> str:
    """What `user` reads after `/crm sub` from a Discord client in `locale`."""
    payload = guild.payload(2, command_data(sub, options), user=user)
    payload["locale"] = locale
    status, response = guild.post(payload)
    assert status == 200, response
    return shown(response)


def _card_with_many_contacts(guild: DiscordGuild, *, user: str, locale: str) -> str:
    _command(guild, "account", user=user, locale=locale, name="Acme Corp", tier="A")
    for n in range(CONTACTS):
        _command(guild, "contact", user=user, locale=locale, account="Acme Corp", name=f"C {n}")
    return _command(guild, "whois", user=user, locale=locale, query="Acme Corp")


def test_a_spanish_person_reads_discord_replies_in_spanish(
    guild: DiscordGuild, postgres_url: str
) -> None:
    # Ana first came from an English client; she then chose Spanish (relevo people set).
    _command(guild, "find", user="ana", locale="en-US", text="nothing")
    _speaks_spanish(postgres_url, "Ana García")

    # Her client is still English: her own language is what counts.
    asked = _command(guild, "find", user="ana", locale="en-US")
    assert "❌ ¿Qué busco? Escribe un texto o pon un filtro." in asked  # the embed's title
    assert "What should I look for" not in asked

    # The options arrive with their English names (Discord sends those whatever the
    # client shows), and they are read as before: the account and contacts are saved.
    card = _card_with_many_contacts(guild, user="ana", locale="en-US")
    assert guild.scalar("SELECT count(*) FROM contact") == CONTACTS
    assert "… y 3 más" in card  # the adapter's own words
    assert "… and 3 more" not in card


def test_a_new_person_on_a_spanish_discord_client_is_spanish_from_the_first_command(
    guild: DiscordGuild,
) -> None:
    first = _command(guild, "find", user="luis", locale=SPAIN)
    assert "¿Qué busco? Escribe un texto o pon un filtro." in first
    assert guild.scalar("SELECT locale FROM person WHERE name = 'Luis Pérez'") == "es"

    # The client's language is a default, not a choice: it never overrides a person's own.
    _command(guild, "find", user="carmen", locale="en-US", text="x")
    assert guild.scalar("SELECT locale FROM person WHERE name = 'Carmen Vidal'") == "en"
    later = _command(guild, "find", user="carmen", locale=SPAIN)
    assert "What should I look for? Give text, or a filter." in later


def test_an_english_person_reads_what_they_always_read(guild: DiscordGuild) -> None:
    asked = _command(guild, "find", user="carmen", locale="en-US")
    assert "❌ What should I look for? Give text, or a filter." in asked
    card = _card_with_many_contacts(guild, user="carmen", locale="en-GB")
    assert "… and 3 more" in card
    assert "… y 3 más" not in card


def test_a_server_not_served_refuses_in_the_client_s_language(guild: DiscordGuild) -> None:
    for locale, refusal in (
        (SPAIN, "Relevo no está configurado en este servidor"),
        ("en-US", "Relevo isn't set up for this server"),
    ):
        payload = guild.payload(2, command_data("find", {"text": "x"}), guild="999")
        payload["locale"] = locale
        status, response = guild.post(payload)
        assert status == 200 and refusal in shown(response)
        dm = guild.payload(2, command_data("find", {"text": "x"}), guild=None)
        dm["locale"] = locale
        status, response = guild.post(dm)
        wanted = "no en mensajes directos" if locale == SPAIN else "not in direct messages"
        assert status == 200 and wanted in shown(response)
    assert guild.scalar("SELECT count(*) FROM person") == 0


def test_spanish_and_english_discord_clients_on_both_databases(app: App) -> None:
    """The same handling, without the web server, on SQLite and on PostgreSQL."""
    config = DiscordConfig(
        application_id=APP_ID,
        public_key="00" * 32,
        guild_ids=frozenset({GUILD}),
        answer_budget=60.0,  # answered at once, never through a follow-up
    )
    core = DiscordInteractions(app, config)
    shapes = DiscordGuild("http://unused", None, KEY, app.settings.database_url)  # type: ignore[arg-type]

    def ask(user: str, locale: str, sub: str, **options: Any) -> str:
        payload = shapes.payload(2, command_data(sub, options), user=user)
        payload["locale"] = locale
        return shown(core.handle(payload))

    assert "¿Qué busco?" in ask("luis", SPAIN, "find")
    assert "What should I look for?" in ask("ana", "en-US", "find")
    # A required option that arrives empty is named as the client shows it.
    assert "Rellena texto." in ask("luis", SPAIN, "log", account="Acme", text="")
    assert "Fill in text." in ask("ana", "en-US", "log", account="Acme", text="")
    # A channel's digest language is an option of /crm subscribe.
    channel = ("channel", "1900000000000000003")
    assert "resumen semanal" in ask("carmen", SPAIN, "subscribe", channel=channel, language="es")
    with app.database.engine.connect() as connection:
        stored = connection.execute(text("SELECT locale FROM subscription")).scalar()
    assert stored == "es"
    shapes.engine.dispose()
    core.executor.shutdown()


# -- the registered command group -----------------------------------------------------


def _synced(database_url: str, fake: FakeDiscord) -> dict[str, Any]:
    """The `/crm` group as `relevo discord sync` registers it (through discord.py)."""
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
    put = fake.wait_for("PUT", f"/applications/{APP_ID}/guilds/{GUILD}/commands")
    (group,) = put.body
    return group


def _spanish_name(node: dict[str, Any]) -> str:
    name = node["name_localizations"][SPAIN]
    assert NAME.match(name), name
    assert name == name.lower() and 1 <= len(name) <= COMMAND_NAME, name
    return name


def _spanish_description(node: dict[str, Any]) -> str:
    description = node["description_localizations"][SPAIN]
    assert 1 <= len(description) <= DESCRIPTION, description
    assert description != node["description"], description  # translated, not copied
    return description


def test_discord_sync_registers_spanish_names_and_descriptions(
    postgres_url: str, fake_discord: FakeDiscord
) -> None:
    group = _synced(postgres_url, fake_discord)
    assert _spanish_name(group) == "crm"
    assert _spanish_description(group) == "Consulta, registra y traspasa clientes"
    subs = group["options"]
    assert len(subs) == len(SUBCOMMANDS)
    shown_subs = {sub["name"]: _spanish_name(sub) for sub in subs}
    assert len(set(shown_subs.values())) == len(subs)  # unique among siblings
    # A verb's Spanish name is the one the parser reads (commands/verbs.py).
    assert shown_subs["whois"] == "quién"
    assert shown_subs["find"] == "buscar"
    assert shown_subs["mine"] == "lo-mío"
    assert shown_subs["help"] == "ayuda"
    assert shown_subs["correct"] == "corregir"
    worded = 0
    for sub in subs:
        _spanish_description(sub)
        names = [_spanish_name(option) for option in sub.get("options", [])]
        assert len(set(names)) == len(names), (sub["name"], names)
        for option in sub.get("options", []):
            _spanish_description(option)
            for choice in option.get("choices", []):
                if choice["name"] in ("A", "B", "C"):  # tiers: letters, not words
                    assert "name_localizations" not in choice
                    continue
                shown_choice = choice["name_localizations"][SPAIN]
                assert 1 <= len(shown_choice) <= 100
                worded += 1
    assert worded > 50
    whois = next(sub for sub in subs if sub["name"] == "whois")
    assert whois["description_localizations"][SPAIN] == (
        "La ficha resumida de una cuenta o un contacto"
    )
    contact = next(sub for sub in subs if sub["name"] == "contact")
    assert {o["name"]: o["name_localizations"][SPAIN] for o in contact["options"]}["title"] == (
        "cargo"
    )
    stage = next(sub for sub in subs if sub["name"] == "stage")
    stages = next(o for o in stage["options"] if o["name"] == "stage")["choices"]
    assert {c["value"]: c["name_localizations"][SPAIN] for c in stages}["won"] == "ganada"


def test_the_renderer_writes_its_own_words_in_the_reply_s_language() -> None:
    typed = Action("A long line", "find " + "x" * 120)  # too long for a button
    buttons = tuple(Action(f"A{n}", f"whois a{n}") for n in range(30))  # 5 too many
    for locale, words in (
        ("es", ("O escribe", "5 acciones más de las que caben en botones: escríbelas con /crm.")),
        ("en", ("Or type", "5 more actions than buttons fit: type them with /crm.")),
    ):
        body = message(Reply(title="T", choices=(typed,), actions=buttons, locale=locale))
        assert message_violations(body) == []
        for word in words:
            assert word in shown(body)
