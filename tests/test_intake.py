from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import EPOCH, Team
from scheduling import Recorder
from sqlalchemy import text

from benchmarks.webserver import WebServer
from bot import cli
from bot.schedule import build_courier
from bot.schedule.transport import Transports
from hub.clock import FixedClock
from hub.inbound import Assignment
from hub.people import find_by_name, update_person
from integrations.intake import Lead, LeadIntake, parse_eml
from integrations.web import sign

FORM_SECRET = "form-s3cret"
MAIL_SECRET = "mail-s3cret"
WRITES = ("account", "contact", "interaction", "inbound_email", "delivery", "audit_event")


@pytest.fixture
def server(team: Team, tmp_path) -> Iterator[WebServer]:
    env = {
        "RELEVO_DATABASE_URL": team.app.settings.database_url,
        "RELEVO_TIMEZONE": "Europe/Madrid",
        "RELEVO_INTAKE_FORMS": f"website:{FORM_SECRET},email:{MAIL_SECRET}",
        "RELEVO_INTAKE_OWNERS": "Ana García,@luis",
    }
    web = WebServer(env, tmp_path / "web.log").start()
    yield web
    web.stop()


def post(
    url: str, body: bytes, headers: dict[str, str], *, json_body: bool = True
) -> tuple[int, Any]:
    kind = "application/json" if json_body else "application/x-www-form-urlencoded"
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": kind, **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def flat(text: str) -> str:
    return " ".join(text.split())


def owner_of(team: Team, email: str) -> object:
    """Who owns the account of the contact with this e-mail address."""
    return team.scalar(
        "SELECT p.name FROM contact c JOIN account a ON a.id = c.account_id "
        "JOIN person p ON p.id = a.owner_id WHERE c.email = :email",
        email=email,
    )


def written(team: Team) -> dict[str, object]:
    return {table: team.scalar(f"SELECT count(*) FROM {table}") for table in WRITES}


def test_web_form_leads_are_logged_assigned_and_announced(team: Team, server: WebServer) -> None:
    first = json.dumps(
        {
            "name": "Bill Lumbergh",
            "email": "bill@initrode.example",
            "company": "Initrode",
            "phone": "+1 555 0142",
            "message": "We need 40 seats before January.",
            "country": "US",
        }
    ).encode()
    status, lead = post(
        f"{server.url}/intake/form",
        first,
        {"X-Relevo-Form": "website", "X-Relevo-Token": FORM_SECRET},
    )
    # A form's token sits in a public page: the answer tells its caller nothing about the
    # hub (whether the company is a customer, who owns it).
    assert (status, lead) == (201, {"status": "received"})

    second = urllib.parse.urlencode(
        {
            "first_name": "Milton",
            "last_name": "Waddams",
            "email": "milton@gmail.com",
            "comments": "Do you have red staplers?",
        }
    ).encode()
    status, other = post(
        f"{server.url}/intake/form?form=website",
        second,
        {"X-Relevo-Signature": sign(FORM_SECRET, second)},
        json_body=False,
    )
    assert (status, other) == (201, {"status": "received"})
    # Round-robin: the next one in the pool.
    assert owner_of(team, "milton@gmail.com") == "Luis Pérez"
    assert owner_of(team, "bill@initrode.example") == "Ana García"

    # A new lead's account is its owner's (and managers') until they share it.
    assert "Initrode" not in team.run("whois initrode", by="Marta Ruiz")
    card = flat(team.run("whois initrode", by="Carmen Vidal"))
    assert "Owner: Ana García" in card and "Status: prospect" in card
    assert "Bill Lumbergh" in card and "bill@initrode.example" in card
    assert "web with Bill Lumbergh (Ana García): Web form “website”: Bill Lumbergh" in card
    assert "We need 40 seats before January." in card and "country: US" in card
    assert "Do you have red staplers?" in flat(team.run("whois Milton Waddams", by="Luis Pérez"))
    ana = team.scalar("SELECT id FROM person WHERE name = 'Ana García'")
    # The owner is told at once (a DM; here the console, Ana has no chat identity), once.
    for _ in range(100):
        sent = team.scalar(
            "SELECT count(*) FROM delivery WHERE kind = 'lead' AND recipient = :who "
            "AND period = :interaction AND status = 'sent'",
            who=f"person:{ana}",
            interaction=str(team.scalar("SELECT id FROM interaction WHERE text LIKE '%40 seats%'")),
        )
        if sent:
            break
        time.sleep(0.05)
    assert sent == 1

    again = json.dumps(
        {"name": "Bill Lumbergh", "email": "bill@initrode.example", "message": "Any news?"}
    ).encode()
    status, repeat = post(
        f"{server.url}/intake/form", again, {"Authorization": f"Bearer {FORM_SECRET}"}
    )
    assert status == 401  # two forms configured: the request must say which
    status, repeat = post(f"{server.url}/intake/form?form=website&token={FORM_SECRET}", again, {})
    assert (status, repeat) == (201, {"status": "received"})
    assert team.scalar("SELECT count(*) FROM contact WHERE email = 'bill@initrode.example'") == 1
    assert team.scalar("SELECT count(*) FROM account WHERE name = 'Initrode'") == 1
    assert owner_of(team, "bill@initrode.example") == "Ana García"

    html_form = urllib.parse.urlencode(
        {"_token": FORM_SECRET, "email": "peter@initech.example", "company": "Initech"}
    ).encode()
    status, plain = post(f"{server.url}/intake/form?form=website", html_form, {}, json_body=False)
    assert (status, plain) == (201, {"status": "received"})
    assert team.scalar("SELECT count(*) FROM account WHERE name = 'Initech'") == 1
    assert "_token" not in str(team.scalar("SELECT text FROM interaction ORDER BY id DESC"))


def test_bad_tokens_and_signatures_get_401_and_write_nothing(team: Team, server: WebServer) -> None:
    before = written(team)
    lead = json.dumps({"name": "Eve", "email": "eve@evil.example"}).encode()
    mail = json.dumps({"from": "eve@evil.example", "subject": "hi", "text": "x"}).encode()
    attempts = [
        ("/intake/form", lead, {"X-Relevo-Form": "website", "X-Relevo-Token": "wrong"}),
        ("/intake/form", lead, {"X-Relevo-Form": "website"}),
        ("/intake/form", lead, {"X-Relevo-Form": "nope", "X-Relevo-Token": FORM_SECRET}),
        ("/intake/form", lead, {"X-Relevo-Form": "website", "X-Relevo-Signature": "sha256=00"}),
        (
            "/intake/form",
            lead,
            {"X-Relevo-Form": "website", "X-Relevo-Signature": sign(FORM_SECRET, lead + b" ")},
        ),
        ("/intake/form", lead, {"X-Relevo-Form": "email", "X-Relevo-Token": FORM_SECRET}),
        ("/intake/email", mail, {"X-Relevo-Token": FORM_SECRET}),
        ("/intake/email", mail, {"X-Relevo-Signature": sign(FORM_SECRET, mail)}),
        ("/intake/email", mail, {}),
        # A secret proves one source and opens only its own door: the website's token
        # (public in the page) cannot forge mail, and the mail secret cannot create leads.
        ("/intake/email", mail, {"X-Relevo-Form": "website", "X-Relevo-Token": FORM_SECRET}),
        (
            "/intake/email",
            mail,
            {"X-Relevo-Form": "website", "X-Relevo-Signature": sign(FORM_SECRET, mail)},
        ),
        ("/intake/form", lead, {"X-Relevo-Form": "email", "X-Relevo-Token": MAIL_SECRET}),
        ("/intake/form?form=email", lead, {"X-Relevo-Signature": sign(MAIL_SECRET, lead)}),
    ]
    for path, body, headers in attempts:
        status, answer = post(server.url + path, body, headers)
        assert status == 401, (path, headers, answer)
    assert written(team) == before


POSTMARK = {
    "FromName": "María López",
    "From": "maria@acme.com",
    "FromFull": {"Email": "Maria@Acme.com", "Name": "María López"},
    "To": "inbox@relevo.example",
    "Subject": "Re: Renewal quote",
    "MessageID": "73e6d360-66eb-11e1-8e72-a8904824019b",
    "TextBody": "",
    "HtmlBody": (
        "<html><body><p>Hi Ana,</p><p>We <b>accept</b> the renewal quote.</p>"
        "<p>On Mon, Nov 23, 2026 at 10:00 AM Ana García &lt;ana@relevo.example&gt; wrote:</p>"
        "<blockquote><p>Here is the quote for 2027.</p></blockquote></body></html>"
    ),
    "Headers": [{"Name": "Message-ID", "Value": "<73e6d360@mail.acme.com>"}],
}


def test_inbound_email_is_logged_once_and_unknown_senders_wait_in_triage(
    team: Team, server: WebServer
) -> None:
    team.run("account Acme domain:acme.com", by="Ana García")
    team.run('contact acme "María López" role:buyer email:maria@acme.com', by="Ana García")
    body = json.dumps(POSTMARK).encode()
    headers = {"X-Relevo-Signature": sign(MAIL_SECRET, body)}
    status, answer = post(f"{server.url}/intake/email", body, headers)
    assert status == 201, answer
    assert answer["status"] == "logged" and answer["account"] == "Acme"
    status, again = post(f"{server.url}/intake/email", body, headers)
    assert status == 200 and again["status"] == "duplicate"
    assert team.scalar("SELECT count(*) FROM interaction WHERE kind = 'email'") == 1

    card = flat(team.run("whois acme", by="Luis Pérez"))
    assert "email with María López (Ana García): Re: Renewal quote" in card
    assert "We **accept** the renewal quote." in card
    assert "Here is the quote for 2027" not in card and "wrote:" not in card
    assert team.scalar("SELECT source FROM interaction") == "email"

    stranger = json.dumps(
        {
            "from": "Wile E. Coyote <wile@acme-rockets.example>",
            "subject": "Bulk order of rockets",
            "text": "Please call me about 300 rockets.\n\n> old quoted text",
            "message_id": "<rocket-1@acme-rockets.example>",
        }
    ).encode()
    status, answer = post(f"{server.url}/intake/email", stranger, {"X-Relevo-Token": MAIL_SECRET})
    assert status == 201 and answer["status"] == "triage"
    assert team.scalar("SELECT count(*) FROM interaction") == 1
    found = flat(team.run("find rockets", by="Carmen Vidal"))
    assert "Triage: e-mail from unknown senders" in found
    assert "Wile E. Coyote <wile@acme-rockets.example>: Bulk order of rockets" in found
    assert "Triage" not in team.run("find rockets", by="Luis Pérez")
    assert "Bulk order of rockets" in team.run("find type:triage", by="Carmen Vidal")


EML = """\
From: =?utf-8?q?Mar=C3=ADa_L=C3=B3pez?= <maria@acme.com>
To: ana@relevo.example
Subject: Signed contract
Message-ID: <contract-42@mail.acme.com>
Date: Tue, 24 Nov 2026 09:30:00 +0100
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Attached is the signed contract.

Un saludo,
María

On Mon, Nov 23, 2026 at 10:00 AM Ana García <ana@relevo.example> wrote:
> Could you send the signed contract?
--b1
Content-Type: text/html; charset=utf-8

<p>Attached is the signed contract.</p>
--b1--
"""


def test_eml_files_are_imported_once(
    team: Team, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    team.run("account Acme domain:acme.com", by="Ana García")
    team.run('contact acme "María López" email:maria@acme.com', by="Ana García")
    path = tmp_path / "contract.eml"
    path.write_text(EML, encoding="utf-8")
    message = parse_eml(path.read_bytes())
    assert message.sender == "maria@acme.com" and message.sender_name == "María López"
    assert message.message_id == "contract-42@mail.acme.com"
    monkeypatch.setenv("RELEVO_DATABASE_URL", team.app.settings.database_url)
    assert cli.main(["import", "eml", str(path), str(path)]) == 0
    out = capsys.readouterr().out
    assert "logged on Acme as interaction N1" in out
    assert "already received (same Message-ID)" in out
    card = flat(team.run("whois acme", by="Ana García"))
    assert "email with María López (Ana García): Signed contract Attached is the signed" in card
    assert "Could you send" not in card


def test_assignment_rules_come_before_the_round_robin(team: Team) -> None:
    courier = build_courier(team.app)
    intake = LeadIntake(
        database=team.app.database,
        settings=team.app.settings,
        clock=team.app.runner.clock,
        notifier=courier,
        assignment=Assignment.from_env(
            {
                "RELEVO_INTAKE_RULES": "country=es:@marta; email=*@*.de:Carmen Vidal",
                "RELEVO_INTAKE_OWNERS": "@luis",
            }
        ),
    )
    spanish = intake.receive(
        Lead.from_fields(
            {"email": "pepa@tienda.example", "company": "Tienda", "country": "ES"}, form="web"
        )
    )
    german = intake.receive(Lead.from_fields({"email": "k@firma.de"}, form="web"))
    other = intake.receive(Lead.from_fields({"email": "jo@else.example"}, form="web"))
    assert (spanish.owner, german.owner, other.owner) == (
        "Marta Ruiz",
        "Carmen Vidal",
        "Luis Pérez",
    )
    with pytest.raises(Exception, match="valid e-mail"):
        Lead.from_fields({"name": "No Mail"}, form="web")


def test_a_lead_in_the_owner_s_quiet_hours_waits_until_they_are_over(
    team: Team, clock: FixedClock
) -> None:
    with team.app.database.unit_of_work() as session:
        update_person(find_by_name(session, "Luis Pérez"), quiet_hours="20:00-08:00")
    recorder = Recorder()
    courier = build_courier(team.app, transports=Transports(fallback=recorder))
    intake = LeadIntake(
        database=team.app.database,
        settings=team.app.settings,
        clock=clock,
        notifier=courier,
        assignment=Assignment.from_env({"RELEVO_INTAKE_OWNERS": "@luis"}),
    )
    madrid = ZoneInfo("Europe/Madrid")
    clock.set(datetime(2026, 11, 24, 22, 30, tzinfo=madrid))
    intake.receive(Lead.from_fields({"email": "jo@else.example", "name": "Jo"}, form="web"))
    assert recorder.sent == []  # 22:30 in Madrid: Luis's quiet hours
    for hour, minute in ((1, 0), (7, 59)):
        courier.run_pass(datetime(2026, 11, 25, hour, minute, tzinfo=madrid))
    assert recorder.sent == []
    for minute in (0, 2):  # the first pass after 08:00 sends it, the next one nothing more
        courier.run_pass(datetime(2026, 11, 25, 8, minute, tzinfo=madrid))
    [notice] = recorder.to("dm:Luis Pérez")
    assert notice.reply.title == "New web lead for else.example: Jo"
    assert "jo@else.example" in notice.text
    # Out of quiet hours, a lead's notice goes at once.
    clock.set(datetime(2026, 11, 25, 10, 0, tzinfo=madrid))
    intake.receive(Lead.from_fields({"email": "al@other.example", "name": "Al"}, form="web"))
    assert len(recorder.to("dm:Luis Pérez")) == 2


# -- what an anonymous sender, or a colleague, cannot steer ---------------------------------


@pytest.fixture
def marta_s_pool(team: Team, tmp_path) -> Iterator[WebServer]:
    """The web server with every new lead assigned to Marta (Service): she may not read
    Ana's team or private accounts, nor may Luis (Sales) read the private one."""
    env = {
        "RELEVO_DATABASE_URL": team.app.settings.database_url,
        "RELEVO_TIMEZONE": "Europe/Madrid",
        "RELEVO_INTAKE_FORMS": f"website:{FORM_SECRET},email:{MAIL_SECRET}",
        "RELEVO_INTAKE_OWNERS": "@marta",
    }
    for line in (
        'account "Acme Corp" alias:ACME domain:acme.com status:active',
        'account "Zephyr Secret" alias:ZEPH domain:zephyrsecret.com visibility:private',
        'account "Teamonly Holdings" alias:TMO visibility:team',
        'contact "Zephyr Secret" "Quentin Hale" email:quentin@zephyrsecret.com',
        'account "Nodomain Ltd" visibility:private',
        'contact "Nodomain Ltd" "Rosa Vega" email:rosa@shared.example',
    ):
        assert "✓" in team.run(line, by="Ana García"), line
    web = WebServer(env, tmp_path / "web.log").start()
    yield web
    web.stop()


def lead(server: WebServer, **fields: str) -> tuple[int, Any]:
    body = json.dumps(fields).encode()
    headers = {"X-Relevo-Form": "website", "X-Relevo-Token": FORM_SECRET}
    return post(f"{server.url}/intake/form", body, headers)


def account_row(team: Team, name: str) -> tuple[object, ...]:
    with team.app.database.engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT p.name, a.status, a.domain, a.visibility FROM account a "
                "JOIN person p ON p.id = a.owner_id WHERE a.name = :name"
            ),
            {"name": name},
        ).one()
    return tuple(row)


def test_a_web_lead_naming_an_account_never_changes_or_reveals_it(
    team: Team, marta_s_pool: WebServer
) -> None:
    before = {
        name: account_row(team, name)
        for name in ("Acme Corp", "Zephyr Secret", "Teamonly Holdings")
    }
    answers = [
        lead(marta_s_pool, company=company, email=email, name="New Person")
        for company, email in (
            ("ACME", "new.person@example.org"),  # Acme Corp's alias
            ("ZEPH", "x@another.example"),  # a private account's alias
            ("TMO", "y@third.example"),  # a team account's alias
            ("Zephyr Secret", "z@fourth.example"),  # a private account's name
            ("Brand New", "w@fifth.example"),  # nothing of the hub's
        )
    ]
    # Every answer the same, whatever the company names: the form's token is public.
    assert answers == [(201, {"status": "received"})] * 5
    assert {name: account_row(team, name) for name in before} == before
    assert "Zephyr Secret" in team.run('whois "Zephyr Secret"', by="Ana García")
    # Each lead made an account of its own, for Marta, named so it cannot be mistaken.
    with team.app.database.engine.connect() as connection:
        made = (
            connection.execute(
                text(
                    "SELECT a.name FROM account a JOIN person p ON p.id = a.owner_id "
                    "WHERE p.name = 'Marta Ruiz' ORDER BY a.id"
                )
            )
            .scalars()
            .all()
        )
    assert made == [
        "ACME (example.org)",
        "ZEPH (another.example)",
        "TMO (third.example)",
        "Zephyr Secret (fourth.example)",
        "Brand New",
    ]
    assert account_row(team, "Brand New") == ("Marta Ruiz", "prospect", "fifth.example", "private")


def test_a_contact_added_elsewhere_cannot_capture_a_customer_s_mail_or_leads(
    team: Team, marta_s_pool: WebServer, clock: FixedClock
) -> None:
    clock.set(EPOCH + timedelta(hours=1))  # Marta's contacts are the newer ones
    for line in (
        'account "Eve Co"',
        'contact "Eve Co" "Q H" email:quentin@zephyrsecret.com',
        'contact "Eve Co" "R V" email:rosa@shared.example',
    ):
        assert "✓" in team.run(line, by="Marta Ruiz"), line
    mail = json.dumps(
        {
            "from": "Quentin Hale <quentin@zephyrsecret.com>",
            "subject": "Board approved",
            "text": "The final price is 41.5M.",
            "message_id": "<board-1@zephyrsecret.com>",
        }
    ).encode()
    status, answer = post(f"{marta_s_pool.url}/intake/email", mail, {"X-Relevo-Token": MAIL_SECRET})
    assert (status, answer["status"], answer["account"]) == (201, "logged", "Zephyr Secret")
    assert "41.5M" not in team.run('whois "Eve Co"', by="Marta Ruiz")
    assert "41.5M" in team.run('whois "Zephyr Secret"', by="Ana García")

    # A lead from the address, even naming Marta's account, lands on the customer's.
    assert lead(marta_s_pool, company="Eve Co", email="quentin@zephyrsecret.com") == (
        201,
        {"status": "received"},
    )
    where = team.scalar(
        "SELECT a.name FROM interaction i JOIN account a ON a.id = i.account_id "
        "WHERE i.source = 'web'"
    )
    assert where == "Zephyr Secret"
    assert "Web form" not in team.run('whois "Eve Co"', by="Marta Ruiz")

    # An address two accounts claim, neither by its domain, belongs to neither: the
    # e-mail waits in triage for a manager to file.
    shared = json.dumps(
        {
            "from": "rosa@shared.example",
            "subject": "Our budget",
            "text": "We can spend 80k.",
            "message_id": "<budget-1@shared.example>",
        }
    ).encode()
    status, answer = post(
        f"{marta_s_pool.url}/intake/email", shared, {"X-Relevo-Token": MAIL_SECRET}
    )
    assert (status, answer["status"]) == (201, "triage")
    assert "80k" not in team.run('whois "Eve Co"', by="Marta Ruiz")
    assert "Our budget" in team.run("find type:triage", by="Carmen Vidal")


def test_a_probing_lead_shows_a_member_the_same_whether_a_hidden_domain_exists(
    team: Team, marta_s_pool: WebServer
) -> None:
    def luis_sees() -> list[str]:
        return [team.run(line, by="Luis Pérez") for line in ("find probe", "mine", "find prospect")]

    seen = luis_sees()
    assert lead(marta_s_pool, email="probe@zephyrsecret.com", name="Probe")[0] == 201
    assert luis_sees() == seen  # on Ana's private account
    assert lead(marta_s_pool, email="probe@nobody-has-this.example", name="Probe")[0] == 201
    assert luis_sees() == seen  # a new account, Marta's alone until she shares it


def test_a_lead_whose_names_grow_when_folded_is_kept(team: Team, marta_s_pool: WebServer) -> None:
    """Names are stored with a folded key that can be longer than the name ("ﷺ" folds to
    eighteen characters): such a lead is kept, its names shortened, and never a 500."""
    status, answer = lead(marta_s_pool, company="ﷺ" * 20, name="가" * 150, email="o@odd.example")
    assert (status, answer) == (201, {"status": "received"})
    assert team.scalar("SELECT count(*) FROM interaction WHERE text LIKE '%o@odd.example%'") == 1
    status, _answer = lead(marta_s_pool, website="İ" * 200 + ".com", email="w@odd.example")
    assert status == 422  # a website longer than any domain, once lowercased
    assert "Traceback" not in marta_s_pool.log()
