"""A Spanish-speaking person who types a line Relevo cannot read is told why in Spanish;
an English-speaking person typing the same line is still told in English. Console
transcripts (and the runner's replies), on SQLite and on PostgreSQL.

What the person types to fix it (a corrected line, an option key, an example) stays a line
the parser reads: in the reply's choice it is the line itself, untranslated.
"""

from __future__ import annotations

from conftest import Team

from hub.people import find_by_name, update_person

LUCIA = "Lucía Gómez"  # reads Relevo in Spanish
ANA = "Ana García"  # reads it in English


def spanish_team(team: Team) -> Team:
    team.add(LUCIA, department="Sales")
    with team.app.database.unit_of_work() as session:
        update_person(find_by_name(session, LUCIA), locale="es")
    team.run('account "Acme Corp" tier:A', by=ANA)
    return team


def test_an_unknown_verb_is_answered_in_the_reader_s_language(team: Team) -> None:
    spanish_team(team)
    out = team.run("hola acme", by=LUCIA)
    assert "No conozco el comando «hola»." in out, out
    assert "I don't know the command" not in out
    out = team.run("hola acme", by=ANA)
    assert "I don't know the command “hola”." in out, out


def test_a_misspelt_verb_offers_the_corrected_line_untranslated(team: Team) -> None:
    spanish_team(team)
    reply = team.reply("registar acme llamada Hablamos del precio", by=LUCIA)
    assert reply.title.startswith("No conozco el comando «registar»."), reply.title
    assert reply.locale == "es"
    # The corrected line is what the person runs: the Spanish verb, the rest as typed.
    assert [choice.command for choice in reply.choices] == [
        "registrar acme llamada Hablamos del precio"
    ]
    assert team.scalar("select count(*) from interaction") == 0
    english = team.reply("registar acme llamada Hablamos del precio", by=ANA)
    assert english.title.startswith("I don't know the command “registar”."), english.title


def test_help_for_a_command_that_does_not_exist(team: Team) -> None:
    spanish_team(team)
    assert "No hay ningún comando «volar»." in team.run("ayuda volar", by=LUCIA)
    assert "There is no command “volar”." in team.run("help volar", by=ANA)


def test_an_unknown_option_key_names_the_known_ones_spanish_first(team: Team) -> None:
    spanish_team(team)
    out = team.run("queja acme prioridad:alta Las facturas llegan dos veces", by=LUCIA)
    assert (
        "No conozco la opción «prioridad:»; aquí las opciones son gravedad: "
        "(en inglés severity:). Para dejar «prioridad:alta» en el texto, ponlo entre comillas."
    ) in out, out
    assert team.scalar("select count(*) from complaint") == 0
    out = team.run("queja acme prioridad:alta Las facturas llegan dos veces", by=ANA)
    assert (
        "I don't know the option “prioridad:”; the options here are severity: "
        "(in Spanish gravedad:). To keep “prioridad:alta” in the text, put it in quotes."
    ) in out, out


def test_a_misspelt_option_key_offers_the_corrected_line(team: Team) -> None:
    spanish_team(team)
    reply = team.reply("queja acme gravedda:alta Las facturas llegan dos veces", by=LUCIA)
    assert reply.title.startswith("No conozco la opción «gravedda:»."), reply.title
    assert [choice.command for choice in reply.choices] == [
        "queja acme gravedad:alta Las facturas llegan dos veces"
    ]
    english = team.reply("queja acme gravedda:alta Las facturas llegan dos veces", by=ANA)
    assert english.title.startswith("I don't know the option “gravedda:”."), english.title


def test_an_option_value_it_does_not_know(team: Team) -> None:
    spanish_team(team)
    out = team.run("queja acme gravedad:enorme Las facturas llegan dos veces", by=LUCIA)
    assert "gravedad: tiene que ser low/medium/high/critical, no «enorme»." in out, out
    out = team.run("cuenta acme visibilidad:secreta", by=LUCIA)
    assert "visibilidad: tiene que ser pública, equipo o privada, no «secreta»." in out, out
    out = team.run("complaint acme severity:huge Invoices arrive twice", by=ANA)
    assert "severity: must be one of low/medium/high/critical, not “huge”." in out, out


def test_an_option_given_twice(team: Team) -> None:
    spanish_team(team)
    out = team.run("queja acme gravedad:alta gravedad:baja Facturas dobles", by=LUCIA)
    assert "Has puesto severity: dos veces." not in out
    assert "Has puesto severity: dos veces (gravedad: es otro nombre de la misma opción)." in out
    out = team.run("queja acme severity:high severity:low Facturas dobles", by=LUCIA)
    assert "Has puesto severity: dos veces." in out, out
    out = team.run("complaint acme severity:high gravedad:baja Double invoices", by=ANA)
    assert "severity: is given twice (gravedad: is another name for it)." in out, out


def test_dates_it_cannot_read(team: Team) -> None:
    spanish_team(team)
    out = team.run("oportunidad acme Renovación cierre:cuandosea", by=LUCIA)
    assert "No entiendo «cuandosea» como fecha (prueba con cierre:2027-01-31)." in out, out
    out = team.run("recordar cuandosea llamar a María", by=LUCIA)
    assert "No encuentro una fecha al principio de «cuandosea llamar a María»." in out, out
    out = team.run("ausente cuandosea", by=LUCIA)
    assert "No entiendo «cuandosea» como dos fechas." in out, out
    assert team.scalar("select count(*) from deal") == 0
    out = team.run("deal acme Renewal close:whenever", by=ANA)
    assert "I couldn't read “whenever” as a date (try close:2027-01-31)." in out, out
    out = team.run("remind whenever call María", by=ANA)
    assert "I couldn't read a date at the start of “whenever call María”." in out, out


def test_an_amount_it_cannot_read(team: Team) -> None:
    spanish_team(team)
    out = team.run("oportunidad acme Renovación importe:muchos", by=LUCIA)
    assert "No entiendo «muchos» como importe (prueba con importe:48000 o importe:48k)." in out, out
    out = team.run("deal acme Renewal amount:lots", by=ANA)
    assert "I couldn't read “lots” as an amount (try amount:48000 or amount:48k)." in out, out


def test_a_missing_account_or_text(team: Team) -> None:
    spanish_team(team)
    assert "Pon primero el nombre de la cuenta." in team.run("registrar", by=LUCIA)
    out = team.run("registrar acme", by=LUCIA)
    assert "¿Qué ha pasado con acme? Añade unas palabras después de la cuenta." in out, out
    out = team.run("quién", by=LUCIA)
    assert "¿Quién o qué cuenta? Por ejemplo: quién acme" in out, out
    assert "Name the account first." in team.run("log", by=ANA)
    out = team.run("log acme", by=ANA)
    assert "What happened with acme? Add a few words after the account." in out, out


def test_an_id_of_the_wrong_kind_or_no_id(team: Team) -> None:
    spanish_team(team)
    out = team.run("hecho D3", by=LUCIA)
    assert "D3 es una oportunidad; done es para un seguimiento (F…)." in out, out
    out = team.run("hecho mañana", by=LUCIA)
    assert "«mañana» no es un id; los id son así: F12, 12 o #12." in out, out
    out = team.run("borrar", by=LUCIA)
    assert "¿Qué registro? Escribe su id tal como aparece en las respuestas:" in out, out
    out = team.run("done D3", by=ANA)
    assert "D3 is a deal; done takes a follow-up (F…)." in out, out


def test_a_line_too_long_counts_in_the_reader_s_numbers(team: Team) -> None:
    spanish_team(team)
    line = "registrar acme " + "x" * 100_000
    out = team.run(line, by=LUCIA)
    assert "Esa línea tiene 100.015 caracteres; el máximo es 100.000." in out, out[:300]
    out = team.run(line, by=ANA)
    assert "That line is 100,015 characters long; the limit is 100,000." in out, out[:300]
