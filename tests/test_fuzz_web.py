"""Hostile requests to `relevo serve web`, correctly signed or authenticated: Slack's
events endpoint, Discord's interactions endpoint and the intakes answer every one with a
2xx or 4xx, log no traceback and never leave a half-written record behind."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

import pytest
from discord_harness import DiscordGuild, command_data
from discord_harness import server_env as discord_env
from hostile import fuzz, hostile_text, json_garbage, mutated, ran, unstorable_text
from hypothesis import given
from hypothesis import strategies as st
from nacl.signing import SigningKey
from slack_harness import FORM_SECRET, SECRET, TEAM, TOKEN, SlackTeam
from slack_harness import server_env as slack_env
from sqlalchemy import Engine, text

from benchmarks.fake_discord import FakeDiscord
from benchmarks.fake_slack import FakeSlack
from benchmarks.slack_requests import trigger_id, user_ref
from benchmarks.webserver import WebServer

KEY = SigningKey.generate()
MAIL_SECRET = "mail-secret-for-fuzzing"
RECORDS = ("account", "contact", "interaction", "agreement", "complaint", "deal", "task")
# What an intake writes in its one transaction (the owner's notice is sent after it).
INTAKE_WRITES = (*RECORDS, "inbound_email", "audit_event", "search_outbox")


@pytest.fixture(scope="module")
def fakes() -> tuple[FakeSlack, FakeDiscord]:
    slack, discord = FakeSlack(TEAM).start(), FakeDiscord("discord-bot-token-secret").start()
    yield slack, discord
    slack.stop()
    discord.stop()


@pytest.fixture(scope="module")
def server(postgres_url: str, fakes: tuple[FakeSlack, FakeDiscord], tmp_path_factory) -> WebServer:
    slack, discord = fakes
    env = {
        **slack_env(postgres_url, slack),
        **discord_env(postgres_url, discord, KEY),
        "RELEVO_INTAKE_FORMS": f"website:{FORM_SECRET},email:{MAIL_SECRET}",
    }
    web = WebServer(env, tmp_path_factory.mktemp("fuzz") / "web.log").start()
    yield web
    web.stop()


@pytest.fixture
def slack(server: WebServer, fakes: tuple[FakeSlack, FakeDiscord], postgres_url: str) -> SlackTeam:
    team = SlackTeam(server.url, fakes[0], postgres_url)
    team.reset()
    team.crm("U0ANA", 'account "Acme Corp"')
    yield team
    settle(team.engine)
    assert_clean(server, team.engine)
    team.engine.dispose()


@pytest.fixture
def guild(
    server: WebServer, fakes: tuple[FakeSlack, FakeDiscord], postgres_url: str
) -> DiscordGuild:
    crew = DiscordGuild(server.url, fakes[1], KEY, postgres_url)
    crew.reset()
    crew.crm("account", name="Acme Corp")
    yield crew
    assert_clean(server, crew.engine)
    crew.engine.dispose()


def settle(engine: Engine, tables: tuple[str, ...] = ("audit_event",), quiet: float = 1.0) -> None:
    """Wait until work done after the answer (Slack's lazy listeners, the lead's DM to
    its owner) stops writing to `tables`."""
    deadline = time.monotonic() + 30
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        now = counts(engine, tables)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.05)


def half_written(engine: Engine) -> list[str]:
    """Records without the audit row their own transaction writes with them."""
    problems = []
    with engine.connect() as connection:
        for table in RECORDS:
            orphans = connection.execute(
                text(
                    f"SELECT count(*) FROM {table} r WHERE NOT EXISTS (SELECT 1 FROM "
                    f"audit_event a WHERE a.entity = '{table}' AND a.entity_id = r.id)"
                )
            ).scalar()
            if orphans:
                problems.append(f"{orphans} {table} rows without their audit row")
    return problems


def assert_clean(server: WebServer, engine: Engine) -> None:
    log = server.log()
    assert "Traceback" not in log, log[-4000:]
    assert TOKEN not in log and SECRET not in log and FORM_SECRET not in log
    assert MAIL_SECRET not in log
    assert half_written(engine) == []


def counts(engine: Engine, tables: tuple[str, ...]) -> dict[str, int]:
    with engine.connect() as connection:
        return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}


def answered(status: int) -> bool:
    """A 2xx or a 4xx: never a server error."""
    return 200 <= status < 300 or 400 <= status < 500


# -- Slack ---------------------------------------------------------------------------------


def form_values() -> st.SearchStrategy[str | bytes]:
    """What a form field can carry: hostile text, or any bytes (invalid UTF-8 included)."""
    return st.one_of(hostile_text(max_size=60), st.binary(max_size=24))


def slash_body(slack: SlackTeam) -> st.SearchStrategy[str]:
    base = urllib.parse.parse_qs(
        slack.sender.command_body("U0ANA", "whois acme", response_url=slack.fake.response_url("x"))
    )
    fields = {k: v[0] for k, v in base.items()}
    change = st.tuples(
        st.sampled_from(sorted(fields)), st.sampled_from(["drop", "set", "set"]), form_values()
    )

    def build(changes: list[tuple[str, str, str | bytes]], verb: str, typed: str) -> str:
        out: dict[str, str | bytes] = {
            **fields,
            "text": f"{verb} {typed}",
            "trigger_id": trigger_id(),
        }
        for name, how, value in changes:
            if how == "drop":
                out.pop(name, None)
            else:
                out[name] = value
        # Bytes (not always UTF-8) go as they are, percent-encoded.
        return urllib.parse.urlencode(out, errors="surrogatepass")

    verbs = st.sampled_from(["log acme note", "agree acme", "complaint acme", "whois", "find"])
    return st.builds(build, st.lists(change, max_size=3), verbs, hostile_text() | unstorable_text())


def interaction_payloads() -> st.SearchStrategy[Any]:
    user = user_ref("U0ANA", TEAM)
    team = {"id": TEAM, "domain": "test"}
    button = {
        "type": "block_actions",
        "team": team,
        "user": user,
        "api_app_id": "A0RELEVO",
        "trigger_id": "1.1.x",
        "response_url": "http://127.0.0.1:9/nowhere",
        "actions": [{"action_id": "crm:run:reply.0", "value": "whois acme", "type": "button"}],
    }
    form_button = {
        **button,
        "actions": [{"action_id": "crm:form:reply.0", "value": "log acme ", "type": "button"}],
    }
    submission = {
        "type": "view_submission",
        "team": team,
        "user": user,
        "api_app_id": "A0RELEVO",
        "trigger_id": "1.1.x",
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": "crm:log",
            "private_metadata": "{}",
            "state": {"values": {"text": {"text": {"type": "plain_text_input", "value": "x"}}}},
        },
    }
    suggestion = {
        "type": "block_suggestion",
        "team": team,
        "user": user,
        "api_app_id": "A0RELEVO",
        "action_id": "crm:account",
        "block_id": "account",
        "value": "acme",
    }
    shortcut = {
        "type": "message_action",
        "callback_id": "save_to_crm",
        "team": team,
        "user": user,
        "trigger_id": "1.1.x",
        "channel": {"id": "C0GENERAL"},
        "message": {"text": "hello", "user": "U0ANA", "ts": "1.1"},
    }
    shapes = [button, form_button, submission, suggestion, shortcut]
    return st.one_of(
        *[mutated(shape, keys=("type", "view", "actions", "message")) for shape in shapes],
        json_garbage(),
    )


@fuzz(60)
@given(data=st.data())
def test_slash_commands_with_hostile_fields_are_answered_without_a_crash(
    slack: SlackTeam, data: st.DataObject
) -> None:
    ran("Slack /crm form bodies")
    body = data.draw(slash_body(slack))
    answer = slack.sender.post(body, "application/x-www-form-urlencoded")
    assert answered(answer.status), (answer, body[:300])


@fuzz(60)
@given(payload=interaction_payloads())
def test_interaction_payloads_with_garbage_are_answered_without_a_crash(
    slack: SlackTeam, payload: Any
) -> None:
    ran("Slack interaction payloads")
    answer = slack.sender.post(
        urllib.parse.urlencode({"payload": json.dumps(payload)}),
        "application/x-www-form-urlencoded",
    )
    assert answered(answer.status), (answer, payload)


@fuzz(40)
@given(body=json_garbage() | mutated({"type": "event_callback", "team_id": TEAM, "event": {}}))
def test_event_bodies_with_garbage_are_answered_without_a_crash(
    slack: SlackTeam, body: Any
) -> None:
    ran("Slack event bodies")
    answer = slack.sender.post(json.dumps(body), "application/json")
    assert answered(answer.status), (answer, body)


# -- Discord -------------------------------------------------------------------------------


def discord_payloads(guild: DiscordGuild) -> st.SearchStrategy[Any]:
    def command(sub: str, typed: str) -> dict[str, Any]:
        options = {"account": "Acme Corp", "text": typed}
        if sub == "whois":
            options = {"query": typed}
        return guild.payload(2, command_data(sub, options))

    commands = st.builds(
        command,
        st.sampled_from(["log", "agree", "complaint", "whois"]),
        hostile_text() | unstorable_text(),
    )
    click = guild.payload(3, {"custom_id": "crm:run:whois acme", "component_type": 2})
    form = guild.payload(3, {"custom_id": "crm:form:log acme ", "component_type": 2})
    modal = guild.payload(
        5,
        {
            "custom_id": "crm:modal:log",
            "components": [
                {"type": 1, "components": [{"type": 4, "custom_id": "text", "value": "x"}]}
            ],
        },
    )
    autocomplete = guild.payload(
        4,
        {
            "name": "crm",
            "type": 1,
            "options": [
                {
                    "type": 1,
                    "name": "log",
                    "options": [{"type": 3, "name": "account", "value": "ac", "focused": True}],
                }
            ],
        },
    )
    shapes = [click, form, modal, autocomplete, command("log", "x")]
    return st.one_of(
        commands,
        *[mutated(shape, keys=("data", "member", "guild_id", "type")) for shape in shapes],
        st.builds(
            lambda shape, data: {**shape, "data": data},
            st.sampled_from(shapes),
            mutated(command("log", "x")["data"], keys=("options", "custom_id", "components")),
        ),
        json_garbage(),
    )


@fuzz(80)
@given(data=st.data())
def test_discord_interactions_with_hostile_payloads_are_answered_without_a_crash(
    guild: DiscordGuild, data: st.DataObject
) -> None:
    ran("Discord interaction payloads")
    payload = data.draw(discord_payloads(guild))
    status, response = guild.post(payload)
    assert answered(status), (status, response, payload)
    if status == 200 and isinstance(response, dict) and response.get("type") == 4:
        assert response["data"]["allowed_mentions"] == {"parse": []}


# -- intakes -------------------------------------------------------------------------------


def post(url: str, body: bytes, content_type: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": content_type, **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


LEAD = {
    "name": "Bill Lumbergh",
    "email": "bill@initrode.example",
    "company": "Initrode",
    "phone": "+1 555 0142",
    "title": "VP",
    "message": "We need 40 seats.",
    "country": "US",
}
MAIL = {
    "FromFull": {"Email": "maria@acme.example", "Name": "María López"},
    "From": "maria@acme.example",
    "Subject": "Re: Renewal",
    "TextBody": "We accept.",
    "HtmlBody": "<p>We accept.</p>",
    "MessageID": "m-1",
    "Headers": [{"Name": "Message-ID", "Value": "<m-1@acme.example>"}],
}


def unique_address(domain: str) -> st.SearchStrategy[str]:
    return st.builds(lambda: f"x{uuid.uuid4().hex[:8]}@{domain}")


def lead_bodies() -> st.SearchStrategy[tuple[bytes, str]]:
    fields = {key: hostile_text(max_size=60) | unstorable_text() for key in LEAD}
    fields["message"] = hostile_text() | unstorable_text()  # long ones too
    hostile_lead = st.fixed_dictionaries(
        {**fields, "email": unique_address("initrode.example")},
        optional={"website": hostile_text(max_size=300), "_token": st.just("x")},
    )
    as_json = st.one_of(hostile_lead, hostile_lead, mutated(LEAD), json_garbage()).map(
        lambda body: (json.dumps(body).encode(), "application/json")
    )
    as_form = st.dictionaries(st.sampled_from([*LEAD, "_x"]), form_values(), max_size=7).map(
        lambda fields: (
            urllib.parse.urlencode(fields, errors="surrogatepass").encode(),
            "application/x-www-form-urlencoded",
        )
    )
    raw = st.tuples(st.binary(max_size=200), st.sampled_from(["application/json", "text/plain"]))
    return st.one_of(as_json, as_json, as_form, raw)


def mail_bodies() -> st.SearchStrategy[tuple[bytes, str]]:
    hostile_mail = st.fixed_dictionaries(
        {
            "From": st.sampled_from(["María <maria@acme.example>", "maria@acme.example"])
            | unique_address("elsewhere.example")
            | hostile_text(max_size=40),
            "Subject": hostile_text() | unstorable_text(),
            "TextBody": hostile_text() | unstorable_text(),
            "MessageID": unique_address("mail.example") | hostile_text(max_size=40),
        },
        optional={"HtmlBody": hostile_text(), "Headers": json_garbage()},
    )
    return st.one_of(hostile_mail, hostile_mail, mutated(MAIL), json_garbage()).map(
        lambda body: (json.dumps(body).encode(), "application/json")
    )


@pytest.fixture
def intake(server: WebServer, slack: SlackTeam) -> SlackTeam:
    slack.crm("U0ANA", 'contact "Acme Corp" "María López" email:maria@acme.example')
    return slack


@fuzz(60)
@given(body=lead_bodies())
def test_web_form_leads_with_hostile_bodies_get_201_or_4xx_and_nothing_partial(
    server: WebServer, intake: SlackTeam, body: tuple[bytes, str]
) -> None:
    ran("intake /intake/form bodies")
    before = counts(intake.engine, INTAKE_WRITES)
    last = intake.scalar("SELECT coalesce(max(id), 0) FROM interaction")
    status = post(
        f"{server.url}/intake/form",
        body[0],
        body[1],
        {"X-Relevo-Form": "website", "X-Relevo-Token": FORM_SECRET},
    )
    ran(f"  /intake/form answered {status}")
    assert status == 201 or 400 <= status < 500, (status, body)
    if status != 201:
        assert counts(intake.engine, INTAKE_WRITES) == before
    else:
        # The lead is written before the 201 (its owner's notice, sent after, writes only
        # `delivery`): exactly one web interaction, holding the lead's words.
        with intake.engine.connect() as connection:
            written = connection.execute(
                text("SELECT source, text FROM interaction WHERE id > :last"), {"last": last}
            ).all()
        assert [source for source, _ in written] == ["web"], (written, body)
        sent = json.loads(body[0]) if body[1] == "application/json" else {}
        if isinstance(sent.get("message"), str) and sent["message"].strip():
            assert sent["message"].strip() in written[0].text, (written, body)


@fuzz(60)
@given(body=mail_bodies())
def test_inbound_mail_with_hostile_bodies_gets_2xx_or_4xx_and_nothing_partial(
    server: WebServer, intake: SlackTeam, body: tuple[bytes, str]
) -> None:
    ran("intake /intake/email bodies")
    before = counts(intake.engine, INTAKE_WRITES)
    status = post(f"{server.url}/intake/email", body[0], body[1], {"X-Relevo-Token": MAIL_SECRET})
    ran(f"  /intake/email answered {status}")
    assert status in (200, 201) or 400 <= status < 500, (status, body)
    if status >= 400:
        assert counts(intake.engine, INTAKE_WRITES) == before
