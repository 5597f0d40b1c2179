"""Discord's HTTP interactions endpoint, driven the way Discord drives it: a real server,
Ed25519-signed payloads, and a fake REST API that records what the bot sends."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from conftest import EPOCH
from discord_harness import (
    MANAGER_ROLE,
    DiscordGuild,
    buttons,
    server_env,
    shown,
)
from nacl.signing import SigningKey
from processes import relevo

from benchmarks.fake_discord import FakeDiscord
from benchmarks.webserver import WebServer
from bot.discord.crm import SUBCOMMANDS

KEY = SigningKey.generate()


@pytest.fixture(scope="module")
def fake_discord() -> FakeDiscord:
    fake = FakeDiscord("discord-bot-token-secret").start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def discord_server(postgres_url: str, fake_discord: FakeDiscord, tmp_path_factory) -> WebServer:
    log = tmp_path_factory.mktemp("discord") / "web.log"
    server = WebServer(server_env(postgres_url, fake_discord, KEY), log).start()
    yield server
    server.stop()


@pytest.fixture
def guild(discord_server: WebServer, fake_discord: FakeDiscord, postgres_url: str) -> DiscordGuild:
    crew = DiscordGuild(discord_server.url, fake_discord, KEY, postgres_url)
    crew.reset()
    yield crew
    assert crew.limit_problems() == []
    log = discord_server.log()
    assert "Traceback" not in log, log[-3000:]
    assert "discord-bot-token-secret" not in log  # secrets never reach the logs
    crew.engine.dispose()


def test_ping_gets_pong(guild: DiscordGuild) -> None:
    assert guild.post(
        {"id": "1", "application_id": "1", "type": 1, "token": "t", "version": 1}
    ) == (200, {"type": 1})


def test_a_bad_signature_gets_401_and_no_work(guild: DiscordGuild) -> None:
    payload = guild.payload(
        2,
        {
            "id": "1",
            "name": "crm",
            "type": 1,
            "options": [
                {
                    "type": 1,
                    "name": "account",
                    "options": [{"type": 3, "name": "name", "value": "Forged Inc"}],
                }
            ],
        },
    )
    status, _body = guild.post(payload, key=SigningKey.generate())
    assert status == 401
    assert guild.scalar("SELECT count(*) FROM account") == 0
    assert guild.scalar("SELECT count(*) FROM person") == 0


def _every_subcommand(away_until: str) -> list[tuple[str, dict, str]]:
    return [
        (
            "account",
            {
                "name": "Acme Corp",
                "tier": "A",
                "domain": "acme.example",
                "channel": ("channel", "1900000000000000001"),
            },
            "Created account Acme Corp",
        ),
        (
            "contact",
            {
                "account": "Acme Corp",
                "name": "María López",
                "role": "decision maker",
                "email": "maria@acme.example",
            },
            "Added María López",
        ),
        ("whois", {"query": "maria@acme.example"}, "María López — contact at Acme Corp"),
        ("find", {"text": "maría"}, "María López"),
        (
            "log",
            {
                "account": "Acme Corp",
                "text": "Renewal talk; quote due friday with María",
                "kind": "call",
            },
            "Logged call",
        ),
        (
            "agree",
            {"account": "Acme Corp", "text": "Send the revised quote", "due": "2030-01-15"},
            "Agreement A1 recorded",
        ),
        ("close", {"id": "A1", "outcome": "kept"}, "Agreement A1 on Acme Corp kept"),
        ("agree", {"account": "Acme Corp", "text": "Ship the pilot kit"}, "Agreement A2"),
        (
            "close",
            {"id": "2", "outcome": "broken", "why": "the carrier lost it"},
            "Agreement A2 on Acme Corp broken",
        ),
        (
            "complaint",
            {"account": "Acme Corp", "text": "Invoice sent twice", "severity": "high"},
            "Complaint C1 opened",
        ),
        ("resolve", {"id": "C1", "note": "Credit note issued"}, "resolved"),
        ("timeline", {"account": "Acme Corp", "type": "complaint"}, "Acme Corp — complaints"),
        (
            "deal",
            {
                "account": "Acme Corp",
                "title": "Renewal 2027",
                "amount": "12k EUR",
                "stage": "proposal",
                "close": "2030-03-01",
            },
            "Renewal 2027",
        ),
        ("stage", {"id": "D1", "stage": "negotiation"}, "negotiation"),
        ("stage", {"id": "1", "stage": "won"}, "won"),
        ("deal", {"account": "Acme Corp", "title": "Add-on"}, "Add-on"),
        ("stage", {"id": "D2", "stage": "lost", "reason": "budget cut"}, "lost"),
        ("undo", {}, "Undone: Deal D2 on Acme Corp lost"),
        ("stage", {"id": "D2", "stage": "lost", "reason": "budget cut"}, "lost"),
        (
            "remind",
            {"when": "tomorrow 9am", "text": "call María back", "about": "Acme Corp"},
            "call María back",
        ),
        ("snooze", {"id": "F1", "until": "2030-02-01 9am"}, "moved to"),
        (
            "correct",
            {"action": "edit", "id": "F1", "text": "call María back about the quote"},
            "Edited F1 (Acme Corp)",
        ),
        ("done", {"id": "#F1"}, "done"),
        (
            "handover",
            {
                "to": ("user", "luis"),
                "account": "Acme Corp",
                "until": "2030-02-01",
                "note": "Ana is on leave",
            },
            "Luis Pérez",
        ),
        ("away", {"from": "today", "to": away_until, "cover": ("user", "luis")}, "Luis Pérez"),
        ("back", {}, "back"),
        ("mine", {}, "Your day"),
        (
            "subscribe",
            {"channel": ("channel", "1900000000000000002"), "cadence": "weekly"},
            "1900000000000000002",
        ),
        ("report", {"what": "digest"}, "pipeline"),
        # Every report, its tables within an embed's limits (the harness checks them).
        ("report", {"what": "complaints", "period": "this month"}, "By severity"),
        ("report", {"what": "pipeline", "period": "this year"}, "Pipeline"),
        ("report", {"what": "forecast"}, "Forecast"),
        ("report", {"what": "sellers", "period": "this year"}, "Sellers"),
        ("report", {"what": "segments", "by": "tier"}, "Segments"),
        ("report", {"what": "sources"}, "Sources"),
        ("report", {"what": "risk"}, "Risk"),
        ("unsubscribe", {"channel": ("channel", "1900000000000000002")}, "1900000000000000002"),
        ("help", {"command": "log"}, "log"),
    ]


def test_every_subcommand_of_the_group(guild: DiscordGuild) -> None:
    away_until = (EPOCH.date() + timedelta(days=3)).isoformat()
    steps = _every_subcommand(away_until)
    assert {sub for sub, _o, _e in steps} == {sub.name for sub in SUBCOMMANDS}
    for sub, options, expected in steps:
        response = guild.crm(sub, roles=(MANAGER_ROLE,), **options)
        assert response["type"] == 4, (sub, response)
        assert expected.lower() in shown(response).lower(), (sub, shown(response))
        assert "went wrong" not in shown(response)
    assert guild.scalar("SELECT text FROM interaction") == (
        "Renewal talk; quote due friday with María"
    )
    assert guild.scalar("SELECT amount FROM deal WHERE id = 1") == 12000
    assert guild.scalar("SELECT currency FROM deal WHERE id = 1") == "EUR"
    assert guild.scalar("SELECT lost_reason FROM deal WHERE id = 2") == "budget cut"
    assert guild.scalar("SELECT text FROM task") == "call María back about the quote"
    assert guild.scalar("SELECT state FROM agreement WHERE id = 1") == "kept"
    assert guild.scalar("SELECT reason FROM agreement WHERE id = 2") == "the carrier lost it"
    assert guild.scalar("SELECT role FROM person WHERE name = 'Ana García'") == "manager"
    # The write on an account with a linked channel was posted there, with the bot's token.
    posted = guild.fake.wait_for("POST", "/channels/1900000000000000001/messages")
    assert posted.authorized and posted.body["allowed_mentions"] == {"parse": []}


def test_an_id_option_names_its_kind_and_one_of_another_kind_is_refused(
    guild: DiscordGuild,
) -> None:
    guild.crm("account", name="Acme Corp")
    guild.crm("complaint", account="Acme Corp", text="Invoice sent twice")
    guild.crm("deal", account="Acme Corp", title="Renewal")
    refused = shown(guild.crm("stage", id="C1", stage="won"))
    assert "C1 is a complaint; stage takes a deal (D…)." in refused
    assert guild.scalar("SELECT stage FROM deal WHERE id = 1") == "lead"
    assert "Deal D1 on Acme Corp won" in shown(guild.crm("stage", id="D1", stage="won"))
    assert "There is no N1 that you can see" in shown(
        guild.crm("correct", action="delete", id="N1")
    )
    assert "doesn't say which record" in shown(guild.crm("correct", action="delete", id="1"))
    assert "Complaint C1 on Acme Corp resolved" in shown(guild.crm("resolve", id="1"))


def test_the_manager_role_gives_and_takes_back_only_what_it_gave(
    guild: DiscordGuild, postgres_url: str
) -> None:
    role = "SELECT role FROM person WHERE name = '{}'"
    guild.crm("help", user="ana", roles=(MANAGER_ROLE,))
    assert guild.scalar(role.format("Ana García")) == "manager"
    guild.crm("help", user="ana")  # the role was taken away in Discord
    assert guild.scalar(role.format("Ana García")) == "member"
    # Luis was made a manager by an administrator: Discord's roles do not undo that.
    guild.crm("help", user="luis")
    relevo(
        server_env(postgres_url, guild.fake, KEY),
        "people",
        "set",
        "Luis Pérez",
        "--role",
        "manager",
    )
    guild.crm("help", user="luis")
    assert guild.scalar(role.format("Luis Pérez")) == "manager"
    changes = guild.scalar(
        "SELECT string_agg(detail->>'to' || ' by ' || (detail->>'by'), ', ' ORDER BY id)"
        " FROM audit_event WHERE action = 'role.set'"
    )
    assert changes == "manager by discord role, member by discord role, manager by command line"


def test_lookups_are_ephemeral(guild: DiscordGuild) -> None:
    guild.crm("account", name="Acme Corp")
    assert guild.crm("whois", query="acme corp")["data"]["flags"] == 64


def test_autocomplete_offers_at_most_25_visible_accounts(guild: DiscordGuild) -> None:
    for n in range(30):
        guild.crm("account", name=f"Acme {n:02d}")
    guild.crm("account", name="Acme Hidden", visibility="private", user="luis")
    choices = guild.autocomplete("acme")
    assert 1 <= len(choices) <= 25
    assert all(c["name"].startswith("Acme ") for c in choices)
    assert "Acme Hidden" not in {c["name"] for c in choices}
    assert "Acme Hidden" in {c["name"] for c in guild.autocomplete("hidden", user="luis")}


def test_one_handover_takes_several_accounts(guild: DiscordGuild) -> None:
    for name in ("Acme Corp", "Globex", "Initech"):
        guild.crm("account", name=name)
    assert {c["name"] for c in guild.autocomplete("glob", sub="handover", option="account2")} == {
        "Globex"
    }
    handed = guild.crm(
        "handover", to=("user", "luis"), account="Acme Corp", account2="Globex", until="2030-02-01"
    )
    assert "Acme Corp" in shown(handed) and "Globex" in shown(handed)
    assert guild.scalar("SELECT count(*) FROM handover WHERE ended_at IS NULL") == 2
    assert "Initech" not in shown(handed)


def test_contacts_autocomplete_where_a_contact_is_asked_for(guild: DiscordGuild) -> None:
    guild.crm("account", name="Acme Corp")
    guild.crm("contact", name="María López", account="Acme Corp", role="CFO")
    guild.crm("account", name="Maria Shipping")
    assert guild.autocomplete("mari", option="with") == [
        {"name": "María López (Acme Corp)", "value": "María López"}
    ]
    both = {c["name"] for c in guild.autocomplete("mari", sub="whois", option="query")}
    assert both == {"Maria Shipping", "María López (Acme Corp)"}
    assert {c["name"] for c in guild.autocomplete("mari")} == {"Maria Shipping"}


def test_whois_a_colleague_renders_within_discord_s_limits(guild: DiscordGuild) -> None:
    guild.crm("whois", user="luis", query="acme")  # Luis is known from now on
    for word in ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India"):
        name = " ".join([word, *(f"{word}{k:02d}" for k in range(21))])[:200]
        guild.crm("account", name=name, tier="A")
        guild.crm(
            "agree",
            account=name,
            text="Deliver the very long promise " * 60,
            due="2026-11-20",
        )
    card = guild.crm("whois", user="luis", query="@ana")
    assert "Ana García (@ana) — colleague" in shown(card)
    assert "Accounts (9)" in shown(card)
    assert [b["label"] for b in buttons(card)][-3:] == [
        "Cover for them",
        "Hand over",
        "Their accounts",
    ]


def test_buttons_and_forms_write_to_the_hub(guild: DiscordGuild) -> None:
    guild.crm("account", name="Acme Corp")
    card = guild.crm("whois", query="acme corp")
    labels = [b["label"] for b in buttons(card)]
    assert labels[:4] == ["Log", "Agree", "Complaint", "Cover"]
    modal = guild.click(next(b for b in buttons(card) if b["label"] == "Log"), card)
    assert modal["type"] == 9
    fields = {
        c["components"][0]["custom_id"]: c["components"][0] for c in modal["data"]["components"]
    }
    assert fields["account"]["value"] == "Acme Corp"
    saved = guild.submit(
        modal,
        {"account": "Acme Corp", "kind": "visit", "text": "Plant tour; due friday with the CFO"},
    )
    assert "Logged visit" in shown(saved)
    assert guild.scalar("SELECT text FROM interaction") == "Plant tour; due friday with the CFO"

    cover = guild.click(next(b for b in buttons(card) if b["label"] == "Cover"), card, user="luis")
    assert cover["type"] == 9
    guild.crm("remind", when="today 7am", text="call the bank")
    day = guild.crm("mine")
    done = next(b for b in buttons(day) if b["label"].startswith("Done F"))  # names its task
    assert "done" in shown(guild.click(done, day)).lower()
    assert guild.scalar("SELECT status FROM task") == "done"


def test_the_more_button_pages_a_listing_and_a_timeline(guild: DiscordGuild) -> None:
    names = ("Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel")
    for name in (*names, "India", "Juliett", "Kilo", "Lima"):
        guild.crm("account", name=name)
    first = guild.crm("find", type="account")
    assert "12 results" in shown(first) and "Juliett" in shown(first)
    assert "Kilo" not in shown(first)
    more = next(b for b in buttons(first) if b["label"] == "More")
    second = guild.click(more, first)
    assert "page 2 of 2" in shown(second)
    assert "Kilo" in shown(second) and "Lima" in shown(second)
    assert "Alfa" not in shown(second)
    assert not [b for b in buttons(second) if b["label"] == "More"]
    # The same on a timeline, and the options that page it.
    for n in range(1, 13):
        guild.crm("log", account="Alfa", text=f"Call number {n}")
    history = guild.crm("timeline", account="Alfa")
    assert "page 1 of 2" in shown(history) and "Call number 12" in shown(history)
    later = guild.click(next(b for b in buttons(history) if b["label"] == "More"), history)
    assert "page 2 of 2" in shown(later) and "Call number 2" in shown(later)
    assert "page 2 of 2" in shown(guild.crm("timeline", account="Alfa", page=2))
    assert "page 2 of 2" in shown(guild.crm("find", type="account", page=2))


def test_close_says_an_agreement_was_kept_or_broken_as_the_line_would(
    guild: DiscordGuild,
) -> None:
    guild.crm("account", name="Acme Corp")
    guild.crm("agree", account="Acme Corp", text="Send the quote")
    missing = guild.crm("close", id="A9", outcome="broken", why="never sent")
    assert "You typed: broken A9 never sent" in shown(missing)
    assert "kept" in shown(guild.crm("close", id="A1", outcome="kept"))
    assert guild.scalar("SELECT state FROM agreement WHERE id = 1") == "kept"


def test_strangers_and_other_servers_get_a_refusal_and_no_data(guild: DiscordGuild) -> None:
    guild.crm("account", name="Acme Corp")
    dm = guild.crm("whois", guild=None, query="acme corp")
    other = guild.crm("whois", guild="1300000000000000999", query="acme corp")
    assert "not in direct messages" in shown(dm)
    assert "isn't set up for this server" in shown(other)
    assert "Acme" not in json.dumps([dm, other])
    assert guild.scalar("SELECT count(*) FROM chat_identity") == 1  # only Ana, from GUILD


def test_replies_never_carry_a_live_mention(guild: DiscordGuild) -> None:
    guild.crm("account", name="Acme Corp")
    typed = "ping @everyone @here <@1500000000000000002> <@&1400000000000000001> **bold**"
    guild.crm("log", account="Acme Corp", text=typed)
    assert guild.scalar("SELECT text FROM interaction") == typed  # stored exactly
    card = guild.crm("whois", query="acme corp")
    raw = json.dumps(card)
    for live in ("@everyone", "@here", "<@1500000000000000002>", "<@&1400000000000000001>"):
        assert live not in raw
    assert card["data"]["allowed_mentions"] == {"parse": []}


def test_slow_answers_are_deferred_and_follow_up(
    postgres_url: str, fake_discord: FakeDiscord, tmp_path
) -> None:
    env = server_env(postgres_url, fake_discord, KEY, DISCORD_ANSWER_BUDGET_SECONDS="0")
    server = WebServer(env, tmp_path / "web.log").start()
    try:
        guild = DiscordGuild(server.url, fake_discord, KEY, postgres_url)
        guild.reset()
        payload = guild.payload(
            2,
            {
                "id": "1",
                "name": "crm",
                "type": 1,
                "options": [{"type": 1, "name": "help", "options": []}],
            },
        )
        status, response = guild.post(payload)
        assert (status, response) == (200, {"type": 5, "data": {"flags": 64}})
        follow_up = fake_discord.wait_for("PATCH", "/webhooks/")
        assert follow_up.path.endswith(f"/{payload['token']}/messages/@original")
        assert "help" in shown(follow_up.body).lower()
        guild.engine.dispose()
    finally:
        server.stop()


def test_nudges_and_digests_go_out_through_discord(guild: DiscordGuild, postgres_url: str) -> None:
    guild.crm("account", name="Acme Corp", tier="A")
    guild.crm("deal", account="Acme Corp", title="Renewal 2027", amount="12000", stage="proposal")
    guild.crm("remind", when="today 7:00", text="call the bank")
    guild.crm("subscribe", channel=("channel", "1900000000000000003"), cadence="weekly")
    guild.fake.clear()
    env = server_env(postgres_url, guild.fake, KEY)
    nine_thirty = EPOCH.replace(hour=9, minute=30)  # the server's day, a Tuesday
    relevo(env, "run", "nudges", "--at", nine_thirty.isoformat())
    opened = guild.fake.wait_for("POST", "/users/@me/channels")
    assert opened.authorized and opened.body == {"recipient_id": "1500000000000000001"}
    dm = guild.fake.wait_for("POST", "/messages")
    assert "call the bank" in shown(dm.body)
    assert dm.body["allowed_mentions"] == {"parse": []}

    guild.fake.clear()
    relevo(env, "run", "digest", "--channel", "#1900000000000000003")
    posted = guild.fake.wait_for("POST", "/channels/1900000000000000003/messages")
    assert posted.authorized and isinstance(posted.body, bytes)  # multipart: JSON + the PNG
    assert b'name="payload_json"' in posted.body and b"\x89PNG\r\n\x1a\n" in posted.body
    assert b"attachment://" in posted.body and b"proposal" in posted.body.lower()


def _zephyr_and_a_public_place(guild: DiscordGuild) -> None:
    """Ana's private account, with a big deal past its close date (so it is at risk) and
    a high complaint, next to a public one with a small deal."""
    guild.crm("account", name="Zephyr Secret", tier="A", visibility="private")
    guild.crm(
        "deal",
        account="Zephyr Secret",
        title="Board deal",
        amount="999000",
        stage="proposal",
        close="2020-01-15",
    )
    guild.crm("complaint", account="Zephyr Secret", text="Outage", severity="high")
    guild.crm("account", name="Public Place", tier="B")
    guild.crm("deal", account="Public Place", title="Small deal", amount="1000", stage="proposal")


def test_answers_are_for_the_asker_alone(guild: DiscordGuild) -> None:
    _zephyr_and_a_public_place(guild)
    handed = guild.crm(
        "handover",
        to=("user", "luis"),
        account="Zephyr Secret",
        until="2030-02-01",
        note="Board approved the final price",
    )
    assert "Board approved" in shown(handed) and handed["data"].get("flags") == 64
    own = guild.crm("report", what="digest", user="carmen", roles=(MANAGER_ROLE,))
    assert "Zephyr Secret" in shown(own) and own["data"].get("flags") == 64


def test_a_shared_digest_is_the_channels_public_accounts_only(guild: DiscordGuild) -> None:
    _zephyr_and_a_public_place(guild)
    shared = guild.crm("report", what="digest", user="carmen", roles=(MANAGER_ROLE,), now=True)
    assert "flags" not in shared["data"]  # posted for everyone in the channel, as asked
    text = shown(shared)
    assert "Open pipeline\n1 deal · €1,000" in text
    assert "Zephyr" not in text and "999" not in text and "Outage" not in text
    assert "Public accounts only" in text


def test_a_question_s_choices_are_buttons_and_a_click_saves_the_one_picked(
    guild: DiscordGuild,
) -> None:
    guild.crm("account", name="Tyrell Systems")
    asked = guild.crm("account", name="tyrell", visibility="private")
    assert "Update Tyrell Systems, or create an account called tyrell?" in shown(asked)
    assert "Nothing was saved yet." in shown(asked)
    labels = [b["label"] for b in buttons(asked)]
    assert labels == ["Update Tyrell Systems", "Create an account called tyrell"], labels
    assert guild.scalar("SELECT count(*) FROM account") == 1
    assert guild.scalar("SELECT visibility FROM account") == "public"
    create = next(b for b in buttons(asked) if b["label"].startswith("Create"))
    created = guild.click(create, asked)
    assert "Created account tyrell" in shown(created), shown(created)
    assert guild.scalar("SELECT count(*) FROM account") == 2
    assert guild.scalar("SELECT visibility FROM account WHERE name = 'tyrell'") == "private"
    assert guild.scalar("SELECT visibility FROM account WHERE name = 'Tyrell Systems'") == "public"
