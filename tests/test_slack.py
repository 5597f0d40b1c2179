"""The Slack adapter, driven the way Slack drives it: a real server, signed requests,
and a fake Web API that records what the bot posts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fake_slack import FakeSlack
from slack_harness import TEAM, SlackTeam, buttons, limit_problems, server_env, shown
from webserver import WebServer


@pytest.fixture(scope="module")
def fake_slack() -> FakeSlack:
    fake = FakeSlack(TEAM).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def slack_server(postgres_url: str, fake_slack: FakeSlack, tmp_path_factory) -> WebServer:
    log = tmp_path_factory.mktemp("slack") / "web.log"
    server = WebServer(server_env(postgres_url, fake_slack), log).start()
    yield server
    server.stop()


@pytest.fixture
def slack(slack_server: WebServer, fake_slack: FakeSlack, postgres_url: str) -> SlackTeam:
    team = SlackTeam(slack_server.url, fake_slack, postgres_url)
    team.reset()
    yield team
    assert limit_problems(fake_slack) == []
    assert "Traceback" not in slack_server.log(), slack_server.log()[-3000:]
    team.engine.dispose()


def test_whois_answers_ephemerally_with_the_card(slack: SlackTeam) -> None:
    slack.crm("U0ANA", 'account "Acme Corp" tier:A')
    reply = slack.crm("U0ANA", "whois acme corp")
    assert reply["response_type"] == "ephemeral"
    assert "Acme Corp" in shown(reply)
    assert "Ana García" in shown(reply)
    assert [b["text"]["text"] for b in buttons(reply)] == ["Log", "Agree", "Complaint", "Cover"]


EVERY_COMMAND = [
    # (line, what the reply must say)
    ('account "Acme Corp" tier:A domain:acme.example channel:#C0ACME', "Created account Acme Corp"),
    ('contact "Acme Corp" "María López" role:"decision maker" email:maria@acme.example',
     "Added María López"),
    ("whois maria@acme.example", "María López — contact at Acme Corp"),
    ("find maría", "María López"),
    ('log "Acme Corp" call Talked about the renewal with María', "Logged call"),
    ('agree "Acme Corp" Send the revised quote due 2030-01-15', "Agreement #1 recorded"),
    ('complaint "Acme Corp" Invoice sent twice severity:high', "Complaint #1 opened"),
    ("resolve 1 Credit note issued", "Complaint #1 on Acme Corp resolved"),
    ('deal "Acme Corp" "Renewal 2027" amount:12000 stage:proposal close:2030-03-01',
     "Renewal 2027"),
    ("stage 1 negotiation", "negotiation"),
    ("won 1", "won"),
    ('deal "Acme Corp" "Add-on" amount:500', "Add-on"),
    ("lost 2 budget cut", "lost"),
    ('remind tomorrow 9am call María back about "Acme Corp"', "call María back"),
    ("snooze 1 2030-02-01", "moved to Fri 01 Feb 2030"),
    ("done 1", "Done"),
    ('handover "Acme Corp" to <@U0LUIS|luis> until 2030-02-01 Ana is on leave', "Luis Pérez"),
    (f"away today {date.today() + timedelta(days=3)} cover <@U0LUIS|luis>", "Luis Pérez"),
    ("back", "back"),
    ("mine", "Your day, Ana García"),
    ("subscribe <#C0SALES|sales> weekly", "C0SALES"),
    ("digest", "Pipeline"),
    ("unsubscribe <#C0SALES|sales>", "C0SALES"),
    ("help log", "log"),
]


def test_every_command_of_the_spec_over_the_slash_command(slack: SlackTeam) -> None:
    slack.make_manager("U0ANA")  # digest needs no manager, but sees everything as one
    for line, expected in EVERY_COMMAND:
        reply = slack.crm("U0ANA", line)
        assert expected.lower() in shown(reply).lower(), (line, shown(reply))
        assert "went wrong" not in shown(reply), line
    assert slack.scalar("SELECT count(*) FROM interaction") == 1
    assert slack.scalar("SELECT stage FROM deal WHERE id = 1") == "won"
    assert slack.scalar("SELECT lost_reason FROM deal WHERE id = 2") == "budget cut"
    assert slack.scalar("SELECT status FROM task WHERE id = 1") == "done"
    handed = slack.scalar(
        "SELECT p.name FROM handover h JOIN person p ON p.id = h.to_id ORDER BY h.id LIMIT 1"
    )
    assert handed == "Luis Pérez"
    # Every write is recorded as the real person who made it, never "the bot".
    assert slack.scalar(
        "SELECT count(*) FROM audit_event a JOIN person p ON p.id = a.actor_id "
        "WHERE p.name = 'Ana García'"
    ) >= 10


def test_a_person_is_created_from_their_slack_profile_once(slack: SlackTeam) -> None:
    slack.fake.add_user("U0ZOE", "Zoe Martin", tz="America/New_York", locale="es-ES",
                        email="Zoe@Example.com")
    slack.crm("U0ZOE", "help")
    slack.crm("U0ZOE", "mine")
    assert slack.scalar("SELECT count(*) FROM person WHERE name = 'Zoe Martin'") == 1
    assert slack.scalar("SELECT tz FROM person WHERE name = 'Zoe Martin'") == "America/New_York"
    assert slack.scalar("SELECT locale FROM person WHERE name = 'Zoe Martin'") == "es"
    assert slack.scalar("SELECT email FROM person WHERE name = 'Zoe Martin'") == "zoe@example.com"
    assert len(slack.fake.recorded("users.info")) == 1  # cached after the first use


def test_writes_to_an_account_with_a_linked_channel_are_posted_there(slack: SlackTeam) -> None:
    slack.crm("U0ANA", 'account "Acme Corp" channel:<#C0ACME|acme>')
    reply = slack.crm("U0ANA", 'log "Acme Corp" meeting Kick-off with the new CFO')
    assert "Logged meeting" in shown(reply)
    posted = slack.fake.wait_for("chat.postMessage")
    assert posted[0]["channel"] == "C0ACME"
    assert "Kick-off with the new CFO" in shown(posted[0])
    assert "by Ana García" in shown(posted[0])


def test_bare_crm_opens_the_forms_menu(slack: SlackTeam) -> None:
    answer, _name = slack.send_command("U0ANA", "")
    assert answer.status == 200
    opened = slack.fake.wait_for("views.open")
    assert opened[0]["view"]["callback_id"] == "crm:menu"
    assert {b["value"] for b in buttons(opened[0])} == {"log ", "agree ", "complaint ",
                                                         "handover "}
