"""Help, usage errors, forms and the runner's failure notes in the reader's language.

A Spanish reader's `help` (or `ayuda`) lists the commands by their Spanish names, with
usage lines and examples written with the words the parser reads in Spanish, so every
line the help shows can be typed as it is; an English reader's help is unchanged.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

import pytest
from conftest import EPOCH, MADRID, Team

from bot.slack import limits as slack_limits
from bot.slack.forms import Prefill, view
from commands import parser
from commands.dates import DateReader
from commands.forms import FORMS, LINE, LOG, command_from
from commands.handlers.help import help_reply
from commands.help import TOPICS, Topic, topics
from commands.parser import parse, read_verb
from commands.types import AccountRef, Command
from commands.verbs import (
    VERB_ALIASES,
    WORD_ALIASES,
    bare,
    option_key,
    option_value,
    spanish_keys,
)
from hub import i18n
from hub.people import find_by_name, update_person
from hub.text import fold

SPANISH = "Lucía Gómez"


def _spanish_help() -> dict[str, Topic]:
    with i18n.reading_in("es"):
        return topics()


ES = _spanish_help()


@pytest.fixture
def lucia(team: Team) -> Team:
    team.add(SPANISH)
    with team.app.database.unit_of_work() as session:
        update_person(find_by_name(session, SPANISH), locale="es")
    team.run('account "Acme Corp" tier:A domain:acme.com', by="Ana García")
    return team


# --- Through the console -------------------------------------------------------------


def test_ayuda_lists_every_command_by_its_spanish_name(lucia: Team) -> None:
    out = lucia.run("ayuda", by=SPANISH)
    assert out.startswith("Relevo: comandos de /crm\n"), out
    assert "\nComandos\n" in out
    assert "  • quién <cuenta, contacto o @compañero> — Todo sobre un cliente" in out
    assert "  • registrar <cuenta> [llamada/correo/reunión/chat/web/visita] <texto>" in out
    assert "  • lo mío — Tu día:" in out
    assert "ayuda <comando> muestra ejemplos." in out
    assert "whois <" not in out and "log <account>" not in out
    # One line per command, in the order of the English help.
    shown = [line for line in out.splitlines() if line.startswith("  • ")]
    assert len(shown) == len(TOPICS)
    # `help` typed in English answers in the reader's language too.
    assert lucia.run("help", by=SPANISH) == out


def test_ayuda_registrar_shows_the_spanish_usage_and_examples(lucia: Team) -> None:
    out = lucia.run("ayuda registrar", by=SPANISH)
    assert out.splitlines()[0] == (
        "registrar <cuenta> [llamada/correo/reunión/chat/web/visita] <texto> [con <contacto>]"
    )
    assert "Registra una interacción en el historial de la cuenta." in out
    assert "\nEjemplos\n" in out
    assert (
        "  • registrar acme llamada Quedamos en enviar la nueva lista de precios con María López"
        in out
    )
    assert lucia.run("help log", by=SPANISH) == out
    assert lucia.run("ayuda lo mío", by=SPANISH).startswith("lo mío\nTu día:")


def test_an_example_from_the_spanish_help_runs_as_shown(lucia: Team) -> None:
    example = next(e for e in ES["log"].examples if "con María López" in e)
    lucia.run('contact "Acme Corp" "María López"', by="Ana García")
    out = lucia.run(example, by=SPANISH)
    assert "N1" in out, out
    assert lucia.scalar("SELECT kind FROM interaction") == "call"


def test_a_usage_error_shows_the_spanish_help_of_its_command(lucia: Team) -> None:
    out = lucia.run("registrar acme", by=SPANISH)
    assert "\nUso: registrar <cuenta> [llamada/correo/reunión/chat/web/visita]" in out, out
    assert "\nEjemplos\n" in out
    assert "(No se ha guardado nada.)" in out
    assert "Has escrito: registrar acme" in out
    assert lucia.scalar("SELECT count(*) FROM interaction") == 0


def test_an_unknown_command_offers_the_corrected_line_in_spanish(lucia: Team) -> None:
    reply = lucia.reply("registar acme llamada Hablamos", by=SPANISH)
    assert "¿Querías decir: registrar acme llamada Hablamos?" in reply.title, reply.title
    assert [c.label for c in reply.choices] == ["Ejecutar la línea corregida"]
    assert reply.choices[0].command == "registrar acme llamada Hablamos"


def test_an_unknown_account_is_asked_about_in_spanish(lucia: Team) -> None:
    reply = lucia.reply("registrar acmee llamada Hablamos del precio", by=SPANISH)
    assert reply.title == "No conozco ninguna cuenta llamada «acmee».", reply.title
    assert reply.text == "¿Querías decir alguna de estas?"
    assert [c.label for c in reply.choices] == ["Usar Acme Corp"]
    assert reply.choices[0].command == 'registrar "Acme Corp" llamada Hablamos del precio'
    assert reply.notes == (
        "Aún no se ha guardado nada.",
        "Has escrito: registrar acmee llamada Hablamos del precio",
    )
    reply = lucia.reply("registrar initech llamada Hola", by=SPANISH)
    assert reply.text == "Créala primero con: account initech"
    assert [a.label for a in reply.actions] == ["Crearla"]
    assert reply.actions[0].command == "account initech"


def test_a_form_is_labelled_and_checked_in_spanish(lucia: Team) -> None:
    with i18n.reading_in("es"):
        modal = view(LOG, Prefill(account="Acme Corp"), {})
    assert modal["title"]["text"] == "Registrar interacción"
    assert modal["submit"]["text"] == "Registrar"
    labels = [block["label"]["text"] for block in modal["blocks"] if "label" in block]
    assert labels == ["Cuenta", "Cómo", "Qué ha pasado"]
    # The same form read by an English speaker is the English one.
    assert view(LOG, Prefill(account="Acme Corp"), {})["title"]["text"] == "Log an interaction"

    build, typed = command_from(FORMS[LOG], {"account": "Acme Corp", "kind": "call", "text": ""})
    lucia.run("ayuda", by=SPANISH)  # opens her console
    person = lucia.consoles[SPANISH]
    reply = lucia.app.runner.execute(build, typed=typed, person_id=person.person_id, source="slack")
    assert reply.title == "Rellena: Qué ha pasado.", reply.title
    assert reply.text.startswith("Uso: registrar <cuenta>")
    build, typed = command_from(FORMS[LOG], {"account": "Acme Corp", "kind": "fax", "text": "Hola"})
    reply = lucia.app.runner.execute(build, typed=typed, person_id=person.person_id, source="slack")
    assert reply.title == (
        "Cómo: tiene que ser call/email/meeting/chat/web/visit/note, no «fax»."
    ), reply.title


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_spanish_form_fits_slack_and_discord(name: str) -> None:
    with i18n.reading_in("es"):
        form = FORMS[name]
    assert form.title != FORMS[name].title or name == LINE
    assert len(form.title) <= slack_limits.VIEW_TITLE, form.title
    assert len(form.submit) <= slack_limits.VIEW_BUTTON, form.submit
    assert all(len(field.label) <= 45 for field in form.fields)  # Discord's text input


def test_english_help_and_failures_are_unchanged(lucia: Team) -> None:
    out = lucia.run("help", by="Ana García")
    assert out.startswith("Relevo: /crm commands\n\nCommands\n  • whois <account, contact or")
    assert 'Quote names with spaces: contact "Acme Corp" "María López".' in out
    assert lucia.run("help log", by="Ana García").startswith(
        "log <account> [call/email/meeting/chat/web/visit] <text> [with <contact>]\n"
    )
    out = lucia.run("log acme", by="Ana García")
    assert "\nUsage: log <account>" in out and "\nExamples\n" in out
    assert "(Nothing was saved.)" in out and "You typed: log acme" in out
    for line in TOPICS["log"].examples:
        assert f"  • {line}" in lucia.run("help log", by="Ana García")


# --- The Spanish help only shows words the parser reads --------------------------------


def _first_spanish_name(verb: str) -> str:
    return next(alias for alias, meant in VERB_ALIASES.items() if meant == verb)


def _verb_at(words: Sequence[str]) -> tuple[str | None, int]:
    return read_verb(list(words))


@pytest.mark.parametrize("verb", sorted(TOPICS))
def test_every_command_word_of_the_spanish_help_is_a_spanish_verb_the_parser_reads(
    verb: str,
) -> None:
    topic = ES[verb]
    for usage in topic.usage.split(" | "):  # away … | away cancel
        words = usage.split()
        read, n = _verb_at(words)
        assert read == verb, f"{usage!r} does not start with a verb for {verb}"
        shown = "-".join(bare(w) for w in words[:n])
        assert shown == bare(_first_spanish_name(verb)), usage
    for example in topic.examples:
        assert _verb_at(example.split())[0] == verb, example
    if verb == "help":
        assert _verb_at(topic.examples[0].split()[1:])[0] in TOPICS


_OPTION = re.compile(r"\[(\w+):([^\]]*)\]")


def _options(usage: str) -> dict[str, str]:
    return dict(_OPTION.findall(usage))


@pytest.mark.parametrize("verb", sorted(TOPICS))
def test_the_spanish_usage_lines_name_options_and_values_as_the_parser_reads_them(
    verb: str,
) -> None:
    english, spanish = _options(TOPICS[verb].usage), _options(ES[verb].usage)
    assert sorted(map(option_key, spanish)) == sorted(english), ES[verb].usage
    for key, values in spanish.items():
        meant = option_key(key)
        if spanish_keys({meant}):  # the option has a Spanish name: that is the one shown
            assert key in spanish_keys({meant}), key
        if "/" in values:  # a list of the values it takes
            read = [option_value(meant, value) for value in values.split("/")]
            assert read == english[meant].split("/"), key
        elif re.fullmatch(r"[a-záéíóúñ]+", values):
            assert option_value(meant, values) == english[meant], key


_ALTERNATIVES = re.compile(r"(?<![:\w/])([a-záéíóúñ]+(?:/[a-záéíóúñ]+)+)")
# The words some verbs read in a fixed place, and the English word each is read as.
_WORDS = {
    **{word: meant for word, meant in parser.KINDS.items()},
    **parser.OVERLAP_WORDS,
    **WORD_ALIASES,
    **{word: "anyway" for word in parser.ANYWAY},
    **{word: "cancel" for word in parser.CANCEL_WORDS},
}


@pytest.mark.parametrize("verb", sorted(TOPICS))
def test_the_spanish_usage_lines_offer_words_the_parser_reads(verb: str) -> None:
    english, spanish = TOPICS[verb].usage, ES[verb].usage
    lists = _ALTERNATIVES.findall(english), _ALTERNATIVES.findall(spanish)
    assert len(lists[0]) == len(lists[1]), spanish
    for typed, meant in zip(*reversed(lists), strict=True):
        assert [_WORDS.get(bare(w), w) for w in typed.split("/")] == meant.split("/"), typed
    for word in ("anyway", "now", "cancel"):  # a word on its own
        if re.search(rf"\b{word}\b", english):
            assert any(_WORDS.get(bare(w)) == word for w in re.findall(r"\w+", spanish)), word


class _Names:
    def __init__(self, *names: str, people: Sequence[str] = ()) -> None:
        self.keys = {fold(n) for n in names}
        self.people = {fold(n) for n in people}

    def longest_prefix(self, words: Sequence[str]) -> int:
        hits = [n for n in range(1, len(words) + 1) if fold(" ".join(words[:n])) in self.keys]
        return max(hits, default=0)

    def longest_person_prefix(self, words: Sequence[str]) -> int:
        hits = [n for n in range(1, len(words) + 1) if fold(" ".join(words[:n])) in self.people]
        return max(hits, default=0)


def _read(line: str, locale: str) -> Command:
    names = _Names("Acme", "Acme Corp", "Globex", "Pied Piper", people=("Marta Ruiz",))
    return parse(line, names=names, dates=DateReader(now=EPOCH, tz=MADRID, locale=locale))


# What a person writes in their own words (the example's text, note, title, channel...).
_WRITTEN = {"text", "text_without_contact", "note", "reason", "title", "role", "channel", "query"}


def _meaning(command: object) -> object:
    """What a command does, without the words a person wrote in it."""
    if isinstance(command, AccountRef):
        return command.name.casefold()
    if isinstance(command, tuple):
        return tuple(map(_meaning, command))
    if not dataclasses.is_dataclass(command) or isinstance(command, type):
        return command
    return (
        type(command).__name__,
        {
            f.name: bool(getattr(command, f.name))
            if f.name in _WRITTEN
            else _meaning(getattr(command, f.name))
            for f in dataclasses.fields(command)
            if f.name != "around"
        },
    )


@pytest.mark.parametrize("verb", sorted(TOPICS))
def test_each_spanish_example_does_what_its_english_example_does(verb: str) -> None:
    pairs = zip(TOPICS[verb].examples, ES[verb].examples, strict=True)
    for english, spanish in pairs:
        assert _meaning(_read(spanish, "es")) == _meaning(_read(english, "en")), spanish


def test_the_spanish_help_notes_example_parses() -> None:
    with i18n.reading_in("es"):
        note = help_reply(None).notes[0]
    line = re.search(r"(contacto \"Acme Corp\" \"María López\")", note)
    assert line is not None, note
    assert type(_read(line.group(1), "es")).__name__ == "SaveContact"
