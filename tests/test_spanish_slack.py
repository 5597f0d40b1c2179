"""Spanish in Slack and in the console: what the adapters write themselves (Block Kit's
"… and 2 more", the forms menu, a form's error, a refusal, the console's question and
"Next:") is in the reader's language, and an English reader's is unchanged.

Slack is driven the way Slack drives it (a real server, signed requests, a fake Web API);
the console through the `team` fixture, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import Team
from slack_harness import (
    FORM_SECRET,
    SECRET,
    TOKEN,
    SlackTeam,
    buttons,
    limit_problems,
    live_parts,
    server_env,
    shown,
)
from sqlalchemy import text

from benchmarks.fake_slack import FakeSlack
from benchmarks.webserver import WebServer
from bot.announce import announcement
from bot.bootstrap import bootstrap
from bot.config import Config
from bot.console import Console
from bot.render_text import render
from commands.reply import Action, Item, Reply, Section
from hub.clock import FixedClock
from hub.people import find_by_name, update_person
from hub.settings import Settings

# -- Slack ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack("T0TEAM").start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def slack_server(postgres_url: str, fake_slack: FakeSlack, tmp_path_factory) -> Iterator[WebServer]:
    log = tmp_path_factory.mktemp("slack-es") / "web.log"
    server = WebServer(server_env(postgres_url, fake_slack), log).start()
    yield server
    server.stop()


@pytest.fixture
def slack(slack_server: WebServer, fake_slack: FakeSlack, postgres_url: str) -> Iterator[SlackTeam]:
    team = SlackTeam(slack_server.url, fake_slack, postgres_url)
    team.reset()
    # Lucía's Slack is in Spanish (Spain): Relevo has never seen her before.
    fake_slack.add_user("U0LUCIA", "Lucía Gómez", locale="es-ES")
    yield team
    assert limit_problems(fake_slack) == []
    assert live_parts(fake_slack) == []
    log = slack_server.log()
    assert "Traceback" not in log, log[-3000:]
    assert TOKEN not in log and SECRET not in log and FORM_SECRET not in log
    team.engine.dispose()


def acme_with_ten_contacts(slack: SlackTeam) -> None:
    """Acme's card shows eight contacts and says how many more there are."""
    slack.crm("U0ANA", 'account "Acme Corp" tier:A')
    for n in range(10):
        slack.crm("U0ANA", f'contact "Acme Corp" "Contacto {n}"')


def make_spanish(slack: SlackTeam, user_id: str) -> None:
    """A person already known whose language is set to Spanish (as `people` would)."""
    slack.crm(user_id, "help")  # first use: the Person exists from here on
    with slack.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE person SET locale = 'es' WHERE id = (SELECT person_id "
                "FROM chat_identity WHERE external_id = :user)"
            ),
            {"user": user_id},
        )


def test_a_slack_user_whose_slack_is_in_spanish_reads_spanish_from_the_first_command(
    slack: SlackTeam,
) -> None:
    acme_with_ten_contacts(slack)
    card = slack.crm("U0LUCIA", "quién acme")  # the first thing Lucía ever types
    assert "Acme Corp" in shown(card)
    assert "… y 2 más" in shown(card)  # Block Kit's own words
    assert "and 2 more" not in shown(card)
    assert slack.scalar("SELECT locale FROM person WHERE name = 'Lucía Gómez'") == "es"
    # Her follow-up's day, in her words; Ana's in English.
    assert "hoy 08:00" in shown(
        slack.crm("U0LUCIA", 'remind today 8am call María about "Acme Corp"')
    )
    assert "today 08:00" in shown(
        slack.crm("U0ANA", 'remind today 8am call Pepe about "Acme Corp"')
    )


def test_a_spanish_person_s_card_has_spanish_labels_and_an_english_one_s_is_unchanged(
    slack: SlackTeam,
) -> None:
    acme_with_ten_contacts(slack)
    make_spanish(slack, "U0LUIS")
    spanish = slack.crm("U0LUIS", "quién acme")
    english = slack.crm("U0ANA", "whois acme")
    assert "… y 2 más" in shown(spanish) and "more" not in shown(spanish)
    assert "… and 2 more" in shown(english) and "más" not in shown(english)
    # The buttons still run the same commands, whoever reads them.
    verbs = ["log", "agree", "complaint", "handover", "account", "timeline"]
    assert [b["value"].split()[0] for b in buttons(spanish)] == verbs
    assert [b["value"].split()[0] for b in buttons(english)] == verbs


def test_bare_crm_opens_the_forms_menu_in_the_person_s_language(slack: SlackTeam) -> None:
    slack.send_command("U0LUCIA", "")
    menu = slack.fake.wait_for("views.open")[0]["view"]
    assert "¿Qué quieres registrar?" in shown({"view": menu})
    assert "O escribe /crm ayuda para ver todos los comandos." in shown({"view": menu})
    assert menu["close"]["text"] == "Cerrar"
    assert {b["value"] for b in buttons({"view": menu})} == {
        "log ",
        "agree ",
        "complaint ",
        "handover ",
        "account ",
    }
    slack.fake.clear()
    slack.send_command("U0ANA", "")
    menu = slack.fake.wait_for("views.open")[0]["view"]
    assert "What would you like to record?" in shown({"view": menu})
    assert menu["close"]["text"] == "Close"


def test_a_form_without_an_account_says_so_in_the_person_s_language(slack: SlackTeam) -> None:
    slack.crm("U0LUCIA", "help")  # Lucía is known, in Spanish
    empty = {
        "account": {"crm:account": {"type": "external_select", "selected_option": None}},
        "text": {"text": {"type": "plain_text_input", "value": "¿Texto perdido?"}},
    }
    answer = slack.submit("U0LUCIA", {"type": "modal", "callback_id": "crm:log"}, empty)
    assert answer.json() == {
        "response_action": "errors",
        "errors": {"account": "Elige una cuenta de la lista."},
    }
    answer = slack.submit("U0ANA", {"type": "modal", "callback_id": "crm:log"}, empty)
    assert answer.json()["errors"] == {"account": "Pick an account from the list."}
    assert slack.scalar("SELECT count(*) FROM interaction") == 0


def test_app_home_is_in_the_person_s_language(slack: SlackTeam) -> None:
    slack.crm("U0ANA", 'account "Acme Corp" tier:A')
    slack.crm("U0LUCIA", 'remind today 8am call María about "Acme Corp"')
    slack.fake.clear()
    opened = {"type": "app_home_opened", "tab": "home", "event_ts": "1764000000.1"}
    assert slack.sender.event({**opened, "user": "U0LUCIA", "channel": "D0LUCIA"}).status == 200
    published = slack.fake.wait_for("views.publish")[0]
    assert published["user_id"] == "U0LUCIA" and published["view"]["type"] == "home"
    assert "hoy 08:00 call María" in shown(published)
    assert "today" not in shown(published)


def test_a_guest_is_refused_in_the_language_of_their_slack(slack: SlackTeam) -> None:
    slack.fake.add_user("U0GUEST", "Invitada Externa", locale="es-ES", is_restricted=True)
    slack.fake.add_user("U0VISIT", "Visiting Guest", is_restricted=True)
    refused = shown(slack.crm("U0GUEST", "quién acme"))
    assert "los invitados no pueden usarlo" in refused and "guests" not in refused
    assert "guests can't use it" in shown(slack.crm("U0VISIT", "whois acme"))
    assert slack.scalar("SELECT count(*) FROM person WHERE name = 'Invitada Externa'") == 0


def test_a_spanish_person_s_write_is_announced_in_the_hub_s_language(slack: SlackTeam) -> None:
    slack.crm("U0ANA", 'account "Acme Corp" channel:<#C0ACME|acme>')
    slack.crm("U0LUCIA", 'log "Acme Corp" meeting Reunión de arranque')
    posted = slack.fake.wait_for("chat.postMessage")[0]
    assert posted["channel"] == "C0ACME"
    assert "Reunión de arranque" in shown(posted)
    assert "by Lucía Gómez" in shown(posted)  # this hub's language is English


# -- The console ---------------------------------------------------------------------------


def spanish(team: Team, name: str) -> None:
    team.add(name)
    with team.app.database.unit_of_work() as session:
        update_person(find_by_name(session, name), locale="es")


def test_a_spanish_reader_s_console_question_and_numbers_are_in_spanish(team: Team) -> None:
    spanish(team, "Lucía Gómez")
    team.run("account Acme Corp", by="Ana García")
    team.run("account Acme Labs", by="Ana García")
    out = team.run("registrar acme call Demo", by="Lucía Gómez")
    assert "Escribe 1 o 2 para elegir, o escribe la línea que querías." in out, out
    out = team.run("3", by="Lucía Gómez")
    assert "No hay opción 3: escribe 1 o 2, o la línea que querías." in out, out
    out = team.run("2", by="Lucía Gómez")
    assert team.scalar("SELECT count(*) FROM interaction") == 1, out
    out = team.run("2", by="Lucía Gómez")
    assert "No hay ninguna pregunta esperando respuesta, así que 2 no elige nada." in out
    assert "Escribe un comando, o ayuda para verlos todos." in out
    # Ana reads the same console in English, as before.
    assert "There is no question waiting for an answer" in team.run("1", by="Ana García")


def test_a_spanish_reader_s_card_in_the_console(team: Team) -> None:
    spanish(team, "Lucía Gómez")
    team.run('account "Acme Corp" tier:A', by="Ana García")
    for n in range(10):
        team.run(f'contact "Acme Corp" "Contacto {n}"', by="Ana García")
    card = team.run("quién acme", by="Lucía Gómez")
    assert "  … y 2 más" in card, card
    assert '\nSiguiente: log "Acme Corp"…' in card
    card = team.run("whois acme", by="Ana García")
    assert "  … and 2 more" in card and '\nNext: log "Acme Corp"…' in card


def test_the_text_renderer_writes_its_own_words_in_the_reply_s_language() -> None:
    reply = Reply(
        title="Hola",
        sections=(Section("Contactos", (Item("Ana"),), more=3),),
        choices=(Action("Usar Acme Corp", 'log "Acme Corp" call'),) * 7,
        actions=(Action("Registrar", 'log "Acme Corp" '),),
        notes=("Has escrito: quién acme", "Nada guardado"),
        locale="es",
    )
    out = render(reply)
    assert "Escribe un número del 1 al 7 para elegir, o escribe la línea que querías." in out
    assert "  … y 3 más" in out
    assert 'Siguiente: log "Acme Corp"…' in out
    assert "\nHas escrito: quién acme" in out  # what was typed, shown as typed
    assert "  (Nada guardado)" in out
    english = render(Reply(title="Hi", sections=(Section("Contacts", (), more=3),)))
    assert english == "Hi"  # an empty section with nothing to say stays out
    english = render(Reply(title="Hi", sections=(Section("Contacts", (Item("Ana"),), more=3),)))
    assert english.endswith("  … and 3 more")


def test_a_hub_in_spanish_announces_an_english_speaker_s_write_in_spanish(
    database_url: str, clock: FixedClock
) -> None:
    settings = Settings(database_url=database_url, timezone="Europe/Madrid", locale="es")
    app = bootstrap(Config(settings=settings), clock=clock, migrate=False, configure_logs=False)
    try:
        team = Team(app)
        team.add("Ana García")
        with app.database.unit_of_work() as session:
            update_person(find_by_name(session, "Ana García"), locale="en")
        team.run('account "Acme Corp" channel:#C0ACME', by="Ana García")
        ana = Console(app=app, person_name="Ana García")
        reply = app.runner.run('log "Acme Corp" call Renewal', person_id=ana.person_id)
        assert reply.locale == "en" and reply.channel
        shared = announcement(app, reply, ana.person_id)
        assert shared is not None and shared.locale == "es"
        assert shared.notes == ("por Ana García",)
    finally:
        app.database.dispose()
