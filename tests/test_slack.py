"""The Slack adapter, driven the way Slack drives it: a real server, signed requests,
and a fake Web API that records what the bot posts."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import timedelta

import pytest
from conftest import EPOCH
from processes import relevo
from slack_harness import (
    FORM_SECRET,
    SECRET,
    TEAM,
    TOKEN,
    SlackTeam,
    buttons,
    limit_problems,
    live_parts,
    server_env,
    shown,
)

from benchmarks.fake_slack import FakeSlack
from benchmarks.webserver import WebServer


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
    assert live_parts(fake_slack) == []
    log = slack_server.log()
    assert "Traceback" not in log, log[-3000:]
    # Secrets never reach the logs, whatever happened in the test.
    assert TOKEN not in log and SECRET not in log and FORM_SECRET not in log
    team.engine.dispose()


def test_whois_answers_ephemerally_with_the_card(slack: SlackTeam) -> None:
    slack.crm("U0ANA", 'account "Acme Corp" tier:A')
    reply = slack.crm("U0ANA", "whois acme corp")
    assert reply["response_type"] == "ephemeral"
    assert "Acme Corp" in shown(reply)
    assert "Ana García" in shown(reply)
    assert [b["text"]["text"] for b in buttons(reply)] == [
        "Log",
        "Agree",
        "Complaint",
        "Cover",
        "Segment",
        "Whole history",
    ]


WORDS = ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India")


def long_name(word: str) -> str:
    """A name near the longest allowed, like no other account's."""
    return " ".join([word, *(f"{word}{k:02d}" for k in range(21))])[:200]


def test_whois_a_colleague_renders_within_slack_s_limits(slack: SlackTeam) -> None:
    slack.crm("U0LUIS", "mine")  # Luis is known from now on
    names = [long_name(word) for word in WORDS]
    for name in names:  # Ana's book at its wordiest
        slack.crm("U0ANA", f'account "{name}" tier:A')
        slack.crm("U0ANA", f'agree "{name}" {"Deliver the long promise " * 70} due 2026-11-20')
    note = "n" * 3000
    slack.crm("U0ANA", f'handover "{names[0]}" to <@U0LUIS|luis> until 2026-12-18 {note}')
    reply = slack.crm("U0LUIS", "whois <@U0ANA|ana>")
    assert reply["response_type"] == "ephemeral"
    assert "Ana García (@ana) — colleague" in shown(reply)
    assert "Accounts (8)" in shown(reply)  # the ninth is Luis's until the 18th
    assert [b["text"]["text"] for b in buttons(reply)][-3:] == [
        "Cover for them",
        "Hand over",
        "Their accounts",
    ]


EVERY_COMMAND = [
    # (line, what the reply must say)
    ('account "Acme Corp" tier:A domain:acme.example channel:#C0ACME', "Created account Acme Corp"),
    (
        'contact "Acme Corp" "María López" role:"decision maker" email:maria@acme.example',
        "Added María López",
    ),
    ("whois maria@acme.example", "María López — contact at Acme Corp"),
    ("find maría", "María López"),
    ('log "Acme Corp" call Talked about the renewal with María', "Logged call"),
    ('agree "Acme Corp" Send the revised quote due 2030-01-15', "Agreement A1 recorded"),
    ('complaint "Acme Corp" Invoice sent twice severity:high', "Complaint C1 opened"),
    ("resolve 1 Credit note issued", "Complaint C1 on Acme Corp resolved"),
    (
        'deal "Acme Corp" "Renewal 2027" amount:12000 stage:proposal close:2030-03-01',
        "Renewal 2027",
    ),
    ("stage 1 negotiation", "negotiation"),
    ("won 1", "won"),
    ('deal "Acme Corp" "Add-on" amount:500', "Add-on"),
    ("lost 2 budget cut", "lost"),
    ('remind tomorrow 9am call María back about "Acme Corp"', "call María back"),
    ("snooze 1 2030-02-01", "moved to Fri 01 Feb 2030"),
    ("done 1", "Done"),
    ('handover "Acme Corp" to <@U0LUIS|luis> until 2030-02-01 Ana is on leave', "Luis Pérez"),
    (f"away today {EPOCH.date() + timedelta(days=3)} cover <@U0LUIS|luis>", "Luis Pérez"),
    ("back", "back"),
    ("mine", "Your day, Ana García"),
    ("subscribe <#C0SALES|sales> weekly", "C0SALES"),
    ("digest", "Pipeline"),
    # Every report, its tables within Block Kit's limits (the harness checks them).
    ("report complaints", "By severity"),
    ("report pipeline this year", "Pipeline"),
    ("report forecast", "Forecast"),
    ("report sellers", "By seller"),
    ("report segments by:tier", "Segments"),
    ("report sources", "Sources"),
    ("report risk", "Risk"),
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
    assert (
        slack.scalar(
            "SELECT count(*) FROM audit_event a JOIN person p ON p.id = a.actor_id "
            "WHERE p.name = 'Ana García'"
        )
        >= 10
    )


def test_a_person_is_created_from_their_slack_profile_once(slack: SlackTeam) -> None:
    slack.fake.add_user(
        "U0ZOE", "Zoe Martin", tz="America/New_York", locale="es-ES", email="Zoe@Example.com"
    )
    slack.crm("U0ZOE", "help")
    slack.crm("U0ZOE", "mine")
    assert slack.scalar("SELECT count(*) FROM person WHERE name = 'Zoe Martin'") == 1
    assert slack.scalar("SELECT tz FROM person WHERE name = 'Zoe Martin'") == "America/New_York"
    assert slack.scalar("SELECT locale FROM person WHERE name = 'Zoe Martin'") == "es"
    assert slack.scalar("SELECT email FROM person WHERE name = 'Zoe Martin'") == "zoe@example.com"
    assert len(slack.fake.recorded("users.info")) == 1  # cached after the first use


def test_people_link_makes_a_slack_user_the_member_e_mail_could_not_match(
    slack: SlackTeam, postgres_url: str
) -> None:
    env = server_env(postgres_url, slack.fake)
    relevo(env, "people", "set", "Ana García", "--email", "ana@corp.example")
    # Her second account's profile has another address: linked before its first use...
    slack.fake.add_user("U0ANA2", "Ana G", email="ana.g@home.example")
    out = relevo(env, "people", "link", "@ana", "--slack", "U0ANA2")
    assert out.strip() == "Slack user U0ANA2 (T0TEAM) is Ana García (@ana)."
    assert "Your day, Ana García" in shown(slack.crm("U0ANA2", "mine"))
    # ...or after it: a user who became someone new is moved to the right member.
    slack.fake.add_user("U0BEA", "Bea", email="bea@home.example")
    slack.crm("U0BEA", "mine")
    out = relevo(env, "people", "link", "Ana García", "--slack", "U0BEA")
    assert "It was Bea (@bea) until now, who keeps what they wrote." in out
    assert "Your day, Ana García" in shown(slack.crm("U0BEA", "mine"))
    assert slack.scalar("SELECT count(*) FROM audit_event WHERE action = 'person.link'") == 2


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
    assert {b["value"] for b in buttons(opened[0])} == {
        "log ",
        "agree ",
        "complaint ",
        "handover ",
        "account ",
    }


def test_forged_and_stale_requests_get_401_and_do_nothing(slack: SlackTeam) -> None:
    body = slack.sender.command_body(
        "U0ANA", 'account "Forged Inc"', response_url=slack.fake.response_url("forged")
    )
    forged = slack.sender.post(body, "application/x-www-form-urlencoded", secret="not-the-secret")
    stale = slack.sender.post(
        body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 6 * 60
    )
    assert (forged.status, stale.status) == (401, 401)
    time.sleep(0.5)  # whatever would have run after an ack has had time to run
    assert slack.fake.recorded("response_url") == []
    assert slack.fake.recorded("users.info") == []
    assert slack.scalar("SELECT count(*) FROM account") == 0
    assert slack.scalar("SELECT count(*) FROM person") == 0


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({"is_restricted": True}, "guests can't use it"),
        ({"is_ultra_restricted": True}, "guests can't use it"),
        ({"deleted": True}, "deactivated"),
        ({"team_id": "T0STRANGER", "is_stranger": True}, "other organisations"),
    ],
)
def test_guests_strangers_and_deactivated_users_are_refused_without_data(
    slack: SlackTeam, profile: dict, message: str
) -> None:
    slack.crm("U0ANA", 'account "Acme Corp" tier:A')
    slack.fake.add_user("U0ODD", "Odd Visitor", **profile)
    for line in ("whois acme corp", 'log "Acme Corp" call sneaky', "find acme", "mine"):
        reply = slack.crm("U0ODD", line)
        assert message in shown(reply)
        assert "Acme" not in shown(reply)
    assert slack.scalar("SELECT count(*) FROM interaction") == 0
    assert slack.scalar("SELECT count(*) FROM person WHERE name = 'Odd Visitor'") == 0


def test_a_workspace_that_is_not_configured_gets_a_refusal(slack: SlackTeam) -> None:
    slack.crm("U0ANA", 'account "Acme Corp" tier:A')
    slack.fake.clear()
    answer, _name = slack.send_command("U0ANA", "whois acme corp", team_id="T0OTHER")
    assert answer.status == 200
    assert "isn't set up for this workspace" in shown(answer.json())
    assert "Acme" not in answer.body
    assert slack.fake.recorded("users.info") == []


def test_a_request_delivered_three_times_writes_once(slack: SlackTeam) -> None:
    slack.crm("U0ANA", 'account "Acme Corp" tier:A')
    body = slack.sender.command_body(
        "U0ANA", 'log "Acme Corp" call Renewal call', response_url=slack.fake.response_url("r")
    )
    for retry in (None, 1, 2):
        answer = slack.sender.post(body, "application/x-www-form-urlencoded", retry=retry)
        assert answer.status == 200
    slack.response("r")
    time.sleep(0.5)
    assert slack.scalar("SELECT count(*) FROM interaction") == 1
    answered = [a for a in slack.fake.recorded("response_url") if a["_name"] == "r"]
    assert len(answered) == 1  # the redeliveries are not answered a second time


def test_typed_mentions_come_back_inert(slack: SlackTeam) -> None:
    slack.crm("U0ANA", 'account "Acme Corp" tier:A')
    typed = "ping <!channel> <!here> <!everyone> <@U0LUIS|luis> <!subteam^S0SALES|@sales> &lt;b&gt;"
    slack.crm("U0ANA", f'log "Acme Corp" chat {typed}')
    stored = slack.scalar("SELECT text FROM interaction")
    assert stored == "ping @channel @here @everyone @luis @sales <b>"
    card = slack.crm("U0ANA", "whois acme corp")
    assert "ping @channel @here @everyone @luis @sales" in shown(card)
    for call in slack.fake.calls:
        raw = json.dumps(call.args)
        for live in ("<!channel>", "<!here>", "<!everyone>", "<@U", "<!subteam"):
            assert live not in raw, (call.method, live)


def _button(payload: dict, label: str) -> dict:
    return next(b for b in buttons(payload) if b["text"]["text"] == label)


def test_whois_buttons_open_prefilled_forms_that_write_to_the_hub(slack: SlackTeam) -> None:
    slack.crm("U0ANA", 'account "Acme Corp" tier:A')
    slack.crm("U0ANA", 'account "Acme Labs" tier:B')
    card = slack.crm("U0ANA", "whois acme corp")
    for label, callback in (
        ("Log", "crm:log"),
        ("Agree", "crm:agree"),
        ("Complaint", "crm:complaint"),
        ("Cover", "crm:handover"),
    ):
        slack.fake.clear()
        answer, _name = slack.click("U0ANA", _button(card, label))
        assert answer.status == 200
        view = slack.fake.wait_for("views.open")[0]["view"]
        assert view["callback_id"] == callback
        picker = view["blocks"][0]["element"]
        assert picker["type"] == "external_select"
        assert picker["initial_option"]["text"]["text"] == "Acme Corp"

    # The account picker's options come from search as the person types.
    options = slack.options("U0ANA", "acme")
    assert {o["text"]["text"] for o in options} == {"Acme Corp", "Acme Labs"}
    acme = next(o for o in options if o["text"]["text"] == "Acme Corp")

    log_form = {
        "type": "modal",
        "callback_id": "crm:log",
        "private_metadata": json.dumps({"channel": "C0GENERAL"}),
    }
    answer = slack.submit(
        "U0ANA",
        log_form,
        {
            "account": {"crm:account": {"type": "external_select", "selected_option": acme}},
            "kind": {"kind": {"type": "static_select", "selected_option": {"value": "visit"}}},
            "text": {
                "text": {
                    "type": "plain_text_input",
                    "value": "Visited the plant; quote due friday with María",
                }
            },
        },
    )
    assert answer.status == 200
    confirmed = slack.fake.wait_for("chat.postEphemeral")[0]
    assert confirmed["channel"] == "C0GENERAL" and confirmed["user"] == "U0ANA"
    assert "Logged visit" in shown(confirmed)
    # A form's text is kept exactly: "due friday" and "with María" stay words.
    assert slack.scalar("SELECT text FROM interaction") == (
        "Visited the plant; quote due friday with María"
    )

    agree_form = {"type": "modal", "callback_id": "crm:agree", "private_metadata": "{}"}
    slack.submit(
        "U0ANA",
        agree_form,
        {
            "account": {"crm:account": {"type": "external_select", "selected_option": acme}},
            "text": {"text": {"type": "plain_text_input", "value": "Send the quote"}},
            "due": {"due": {"type": "datepicker", "selected_date": "2030-01-15"}},
        },
    )
    dm = slack.fake.wait_for("chat.postMessage")[0]  # no channel known: a DM
    assert dm["channel"] == "U0ANA" and "Agreement A1" in shown(dm)
    assert str(slack.scalar("SELECT due_on FROM agreement")) == "2030-01-15"

    complaint_form = {"type": "modal", "callback_id": "crm:complaint", "private_metadata": "{}"}
    slack.submit(
        "U0ANA",
        complaint_form,
        {
            "account": {"crm:account": {"type": "external_select", "selected_option": acme}},
            "text": {"text": {"type": "plain_text_input", "value": "Late delivery"}},
            "severity": {
                "severity": {"type": "static_select", "selected_option": {"value": "critical"}}
            },
        },
    )
    handover_form = {"type": "modal", "callback_id": "crm:handover", "private_metadata": "{}"}
    slack.submit(
        "U0ANA",
        handover_form,
        {
            "account": {"crm:account": {"type": "external_select", "selected_option": acme}},
            "to": {"to": {"type": "users_select", "selected_user": "U0LUIS"}},
            "until": {"until": {"type": "datepicker", "selected_date": "2030-02-01"}},
            "note": {"note": {"type": "plain_text_input", "value": "Renewal is in March"}},
        },
    )
    slack.fake.wait_for("chat.postMessage", 3)
    assert slack.scalar("SELECT severity FROM complaint") == "critical"
    assert (
        slack.scalar("SELECT p.name FROM handover h JOIN person p ON p.id = h.to_id")
        == "Luis Pérez"
    )


def test_a_form_without_an_account_is_sent_back_with_an_error(slack: SlackTeam) -> None:
    answer = slack.submit(
        "U0ANA",
        {"type": "modal", "callback_id": "crm:log"},
        {
            "account": {"crm:account": {"type": "external_select", "selected_option": None}},
            "text": {"text": {"type": "plain_text_input", "value": "Lost text?"}},
        },
    )
    assert answer.json() == {
        "response_action": "errors",
        "errors": {"account": "Pick an account from the list."},
    }
    time.sleep(1)  # the lazy listener would have answered by now: it must not
    assert slack.fake.recorded("chat.postEphemeral") == []
    assert slack.fake.recorded("chat.postMessage") == []
    assert slack.scalar("SELECT count(*) FROM interaction") == 0


def test_account_options_respect_access_rules(slack: SlackTeam) -> None:
    slack.crm("U0ANA", 'account "Acme Secret" visibility:private')
    slack.crm("U0ANA", 'account "Acme Public"')
    assert {o["text"]["text"] for o in slack.options("U0LUIS", "acme")} == {"Acme Public"}
    assert {o["text"]["text"] for o in slack.options("U0ANA", "acme")} == {
        "Acme Public",
        "Acme Secret",
    }


def test_task_buttons_mark_done_and_snooze(slack: SlackTeam) -> None:
    slack.crm("U0ANA", "remind today 8am call the bank")
    slack.crm("U0ANA", "remind today 7am send the contract")
    day = slack.crm("U0ANA", "mine")
    done = [b for b in buttons(day) if b["text"]["text"] == "Done"]
    snooze = [b for b in buttons(day) if b["text"]["text"] == "Snooze"]
    assert len(done) == 2 and len(snooze) == 2
    _answer, name = slack.click("U0ANA", done[0])
    assert "done" in shown(slack.response(name))
    _answer, name = slack.click("U0ANA", snooze[1])
    assert "moved to" in shown(slack.response(name))
    assert slack.scalar("SELECT count(*) FROM task WHERE status = 'done'") == 1
    # A second click on the same Done button is not a second change.
    _answer, name = slack.click("U0ANA", done[0])
    assert "already" in shown(slack.response(name)).lower()


def test_save_to_crm_logs_a_slack_message_with_its_author_and_permalink(slack: SlackTeam) -> None:
    slack.crm("U0ANA", 'account "Acme Corp" tier:A')
    slack.fake.add_user("U0CUSTOMER", "Pat Buyer", team_id="T0ACME", is_stranger=True)
    shortcut = {
        "type": "message_action",
        "callback_id": "save_to_crm",
        "team": {"id": TEAM, "domain": "test"},
        "user": {"id": "U0ANA", "team_id": TEAM, "name": "ana"},
        "channel": {"id": "C0SHARED", "name": "acme-shared"},
        "message": {
            "type": "message",
            "user": "U0CUSTOMER",
            "ts": "1764000000.123456",
            "text": "We need the <https://acme.example/po|PO> fixed by <!here> Friday",
        },
        "message_ts": "1764000000.123456",
        "response_url": slack.fake.response_url("shortcut"),
        "trigger_id": "1.2.shortcut",
    }
    assert slack.sender.interaction(shortcut).status == 200
    view = slack.fake.wait_for("views.open")[0]["view"]
    assert view["callback_id"] == "crm:save_message"
    assert view["blocks"][2]["element"]["initial_value"] == (
        "We need the https://acme.example/po fixed by @here Friday"
    )
    acme = slack.options("U0ANA", "acme corp")[0]
    slack.submit(
        "U0ANA",
        view,
        {
            "account": {"crm:account": {"type": "external_select", "selected_option": acme}},
            "kind": {"kind": {"type": "static_select", "selected_option": {"value": "chat"}}},
            "text": {
                "text": {
                    "type": "plain_text_input",
                    "value": view["blocks"][2]["element"]["initial_value"],
                }
            },
        },
    )
    slack.fake.wait_for("chat.postEphemeral")
    saved = slack.scalar("SELECT text FROM interaction")
    assert saved.startswith("We need the https://acme.example/po fixed by @here Friday")
    assert "Slack message from Pat Buyer" in saved
    assert "https://test.slack.com/archives/C0SHARED/p1764000000123456" in saved
    assert slack.scalar("SELECT kind FROM interaction") == "chat"


def test_app_home_shows_my_day_when_opened(slack: SlackTeam) -> None:
    slack.crm("U0ANA", 'account "Acme Corp" tier:A')
    slack.crm("U0ANA", 'remind today 8am call María about "Acme Corp"')
    slack.fake.clear()
    answer = slack.sender.event(
        {
            "type": "app_home_opened",
            "user": "U0ANA",
            "tab": "home",
            "channel": "D0ANA",
            "event_ts": "1764000000.1",
        }
    )
    assert answer.status == 200
    published = slack.fake.wait_for("views.publish")[0]
    assert published["user_id"] == "U0ANA" and published["view"]["type"] == "home"
    assert "call María" in shown(published)
    assert "Acme Corp" in shown(published)


def test_rate_limited_web_api_calls_wait_and_retry(slack: SlackTeam) -> None:
    slack.crm("U0ANA", "help")
    slack.fake.clear()
    slack.fake.rate_limited["views.publish"] = 1
    slack.sender.event(
        {"type": "app_home_opened", "user": "U0ANA", "tab": "home", "event_ts": "1764000000.2"}
    )
    published = slack.fake.wait_for("views.publish", timeout=15)
    limited = [c for c in slack.fake.calls if c.method == "views.publish#429"]
    assert len(limited) == 1 and len(published) == 1
    ok = next(c for c in slack.fake.calls if c.method == "views.publish")
    assert ok.at - limited[0].at >= 0.9  # it waited for Retry-After: 1


def test_nudges_and_digests_go_out_through_slack(slack: SlackTeam, postgres_url: str) -> None:
    slack.crm("U0ANA", 'account "Acme Corp" tier:A')
    slack.crm("U0ANA", 'deal "Acme Corp" "Renewal 2027" amount:12000 stage:proposal')
    slack.crm("U0ANA", "remind today 7:00 call the bank")
    slack.crm("U0ANA", "subscribe <#C0SALES|sales> weekly")
    slack.fake.clear()
    env = server_env(postgres_url, slack.fake)
    nine_thirty = EPOCH.replace(hour=9, minute=30)  # the server's day, a Tuesday
    relevo(env, "run", "nudges", "--at", nine_thirty.isoformat())
    dm = slack.fake.wait_for("chat.postMessage")[0]
    assert dm["channel"] == "U0ANA" and "call the bank" in shown(dm)
    assert any(b["text"]["text"] == "Done" for b in buttons(dm))

    slack.fake.clear()
    relevo(env, "run", "digest", "--channel", "#C0SALES")
    posted = slack.fake.wait_for("chat.postMessage")[0]
    assert posted["channel"] == "C0SALES" and "proposal" in shown(posted).lower()
    slack.fake.wait_for("files.completeUploadExternal")
    upload = slack.fake.recorded("upload")[0]
    assert slack.fake.uploads[upload["file_id"]].startswith(b"\x89PNG\r\n\x1a\n")
    completed = slack.fake.recorded("files.completeUploadExternal")[0]
    assert completed["channel_id"] == "C0SALES"
    # Run again: each nudge and digest goes out once per period, however often it runs.
    slack.fake.clear()
    relevo(env, "run", "nudges", "--at", nine_thirty.isoformat())
    relevo(env, "run", "digest", "--channel", "#C0SALES")
    assert slack.fake.recorded("chat.postMessage") == []


def test_a_web_lead_reaches_its_owner_in_slack(slack: SlackTeam, slack_server: WebServer) -> None:
    slack.crm("U0ANA", "help")  # Ana has used Relevo from Slack: that is where she is
    slack.fake.clear()
    lead = json.dumps(
        {
            "name": "Bill Lumbergh",
            "email": "bill@initrode.example",
            "company": "Initrode",
            "message": "We need 40 seats.",
        }
    ).encode()
    request = urllib.request.Request(
        f"{slack_server.url}/intake/form",
        data=lead,
        headers={
            "Content-Type": "application/json",
            "X-Relevo-Form": "website",
            "X-Relevo-Token": FORM_SECRET,
        },
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 201
    dm = slack.fake.wait_for("chat.postMessage")[0]
    assert dm["channel"] == "U0ANA"
    assert "Initrode" in shown(dm) and "We need 40 seats." in shown(dm)


def test_a_question_s_choices_are_buttons_and_a_click_saves_the_one_picked(
    slack: SlackTeam,
) -> None:
    slack.crm("U0ANA", 'account "Tyrell Systems"')
    asked = slack.crm("U0ANA", "account tyrell visibility:private")
    assert "Update Tyrell Systems, or create an account called tyrell?" in shown(asked)
    assert "Nothing was saved yet." in shown(asked)
    labels = [b["text"]["text"] for b in buttons(asked)]
    assert labels == ["Update Tyrell Systems", "Create an account called tyrell"], labels
    # Asking saved nothing: no second account, Tyrell Systems still public.
    assert slack.scalar("SELECT count(*) FROM account") == 1
    assert slack.scalar("SELECT visibility FROM account") == "public"
    _answer, name = slack.click("U0ANA", _button(asked, "Update Tyrell Systems"))
    assert "Updated Tyrell Systems" in shown(slack.response(name))
    assert slack.scalar("SELECT count(*) FROM account") == 1
    assert slack.scalar("SELECT visibility FROM account") == "private"


def test_the_more_button_pages_a_listing(slack: SlackTeam) -> None:
    names = ("Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel")
    for name in (*names, "India", "Juliett", "Kilo", "Lima"):
        slack.crm("U0ANA", f"account {name}")
    first = slack.crm("U0ANA", "find type:account")
    assert "12 results" in shown(first) and "Juliett" in shown(first)
    assert "Kilo" not in shown(first)
    _answer, name = slack.click("U0ANA", _button(first, "More"))
    second = slack.response(name)
    assert "page 2 of 2" in shown(second)
    assert "Kilo" in shown(second) and "Lima" in shown(second)
    assert "Alfa" not in shown(second)
    assert "More" not in [b["text"]["text"] for b in buttons(second)]
