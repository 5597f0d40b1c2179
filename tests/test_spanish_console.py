"""Console transcripts in Spanish (issue 21), on SQLite and PostgreSQL: every command of
the README's /crm table through its Spanish name, and the record each one saves.

Everyone here writes Spanish (`people set --locale es`), so the replies are Spanish too:
titles, cards, questions, errors and help, with Spanish dates and money.
"""

from __future__ import annotations

from conftest import Team

from hub.clock import FixedClock
from hub.models import Person


def spanish_team(team: Team) -> Team:
    """The usual team and an admin, every one of them with Spanish as their language."""
    team.add("Sofía Navarro", role="admin", department="Operations")
    with team.app.database.unit_of_work() as session:
        for person in session.query(Person):
            person.locale = "es"
    return team


def test_every_command_of_the_table_through_its_spanish_name(team: Team, clock: FixedClock) -> None:
    spanish_team(team)
    ana, luis, marta, carmen, sofia = (
        "Ana García",
        "Luis Pérez",
        "Marta Ruiz",
        "Carmen Vidal",
        "Sofía Navarro",
    )
    # account: cuenta, with Spanish keys and values.
    out = team.run(
        'cuenta "Acme Corp" nivel:A dominio:acme.com visibilidad:pública estado:activa alias:ACME',
        by=ana,
    )
    assert "Cuenta Acme Corp creada" in out and "Visibilidad: pública" in out
    assert team.scalar(
        "select tier || ' ' || visibility || ' ' || status || ' ' || domain from account"
    ) == ("A public active acme.com")
    out = team.run("cuenta acme nivel:B equipo:Ventas canal:#acme", by=ana)
    assert "Cuenta Acme Corp actualizada" in out and "nivel → B" in out
    assert team.scalar("select tier || ' ' || department || ' ' || channel from account") == (
        "B Ventas #acme"
    )
    team.run("cuenta Umbrella visibilidad:privada nueva:sí", by=ana)
    assert team.scalar("select visibility from account where name = 'Umbrella'") == "private"
    assert "visibilidad → equipo" in team.run("cuenta umbrella visibilidad:equipo", by=ana)
    team.run("cuenta umbrella visibilidad:privada", by=ana)
    team.run("cuenta umbrella renombrar:Umbrella Health", by=ana)
    assert team.scalar("select count(*) from account where name = 'Umbrella Health'") == 1

    # contact: contacto, with rol:, cargo:, correo:, teléfono:.
    out = team.run(
        'contacto acme "María López" rol:decisora cargo:CFO correo:maria@acme.com '
        "teléfono:+34 611 222 333",
        by=ana,
    )
    assert "Contacto María López (decisora) añadido a Acme Corp" in out
    assert team.scalar(
        "select role || '|' || title || '|' || email || '|' || phone from contact"
    ) == ("decisora|CFO|maria@acme.com|+34 611 222 333")

    # log: registrar.
    out = team.run("registrar acme llamada ayer Confirmó la renovación con María López", by=ana)
    assert "Registro N1 en Acme Corp: llamada con María López" in out
    assert "Cuándo: ayer 12:00" in out
    assert team.scalar("select kind || '|' || text from interaction") == (
        "call|Confirmó la renovación"
    )

    # agree / kept / broken: acuerdo, cumplido, incumplido.
    out = team.run("acuerdo acme Enviar la oferta revisada para el viernes", by=ana)
    assert "Acuerdo A1 registrado en Acme Corp, vence vie 27 nov" in out
    team.run("acuerdo acme Facturas por centro de coste", by=ana)
    assert "Acuerdo A1 de Acme Corp cumplido" in team.run("cumplido A1", by=ana)
    assert "Acuerdo A2 de Acme Corp incumplido" in team.run("incumplido A2 el ERP no puede", by=ana)
    states = team.scalar("select count(*) from agreement where state in ('kept', 'broken')")
    assert states == 2

    # complaint / resolve: queja (gravedad:alta is severity high), resolver.
    out = team.run("queja acme Facturas duplicadas gravedad:alta", by=marta)
    assert "Queja C1 abierta en Acme Corp (alta)" in out and "SLA:" in out
    assert team.scalar("select severity || '|' || text from complaint") == (
        "high|Facturas duplicadas"
    )
    assert "Queja C1 de Acme Corp resuelta" in team.run("resolver C1 Abono enviado", by=marta)
    assert team.scalar("select status from complaint") == "resolved"

    # deal / stage / won / lost: oportunidad, etapa, ganada, perdida.
    out = team.run(
        "oportunidad acme Renovación 2027 importe:48.000 € etapa:propuesta cierre:2027-01-31",
        by=ana,
    )
    assert "Oportunidad D1 abierta en Acme Corp: Renovación 2027" in out
    assert "Importe: 48.000\u00a0€" in out and "Cierre:  dom 31 ene 2027" in out
    assert team.scalar("select stage || '|' || currency || '|' || title from deal") == (
        "proposal|EUR|Renovación 2027"
    )
    assert float(team.scalar("select amount from deal")) == 48000  # type: ignore[arg-type]
    assert str(team.scalar("select close_on from deal"))[:10] == "2027-01-31"
    assert "movida de propuesta a negociación" in team.run("etapa D1 negociación", by=ana)
    assert "Oportunidad D1 de Acme Corp ganada" in team.run("ganada D1", by=ana)
    team.run("oportunidad acme Piloto importe:5k etapa:cualificada", by=ana)
    assert team.scalar("select stage from deal where id = 2") == "qualified"
    assert "Oportunidad D2 de Acme Corp perdida" in team.run(
        "perdida D2 eligieron otra opción", by=ana
    )
    assert [team.scalar(f"select stage from deal where id = {n}") for n in (1, 2)] == [
        "won",
        "lost",
    ]

    # remind / snooze / done: recordar, posponer, hecho.
    out = team.run("recordar mañana a las 10 llamar a María sobre acme", by=ana)
    assert "Seguimiento F1 para ti sobre Acme Corp, mañana 10:00" in out
    assert "Seguimiento F1 movido a lun 30 nov 09:00" in team.run("posponer F1 el lunes", by=ana)
    assert "Seguimiento F1 hecho" in team.run("hecho F1", by=ana)
    assert team.scalar("select text from task where done_at is not null") == "llamar a María"

    # whois: quién / quien es, an account, a contact, a colleague.
    card = team.run("quién es acme", by=ana)
    assert card.startswith("Acme Corp") and "María López — decisora, CFO" in card
    assert "Responsable:" in card and "Últimos acuerdos" in card and "[incumplido]" in card
    assert team.run("quien es acme", by=ana) == card
    assert team.run("QUIÉN acme", by=ana) == card
    assert team.run("quien es María López", by=ana).startswith("María López — contacto en Acme")
    assert team.run("quién es @luis", by=ana).startswith("Luis Pérez (@luis) — colega")

    # find and timeline: buscar, historial, with tipo:, estado:, etapa:, página:, desde:.
    out = team.run("buscar renovación tipo:interacción", by=ana)
    assert "1 resultado para «renovación»" in out and "N1 interacción" in out
    assert "C1 queja" in team.run("buscar tipo:quejas estado:resuelta", by=ana)
    assert "D1 oportunidad" in team.run("buscar tipo:oportunidad etapa:ganada página:1", by=ana)
    out = team.run("historial acme tipo:oportunidades desde:2026-01-01", by=ana)
    assert "Acme Corp — oportunidades desde" in out and "propuesta → negociación" in out

    # handover: traspasar … a @luis hasta el viernes.
    out = team.run("traspasar acme a @luis hasta el viernes conoce la renovación", by=ana)
    assert "1 cuenta traspasada a Luis Pérez hasta vie 27 nov" in out
    assert team.scalar("select note from handover") == "conoce la renovación"

    # away / away cancel / back: ausente, ausente cancelar, vuelvo.
    out = team.run("ausente mañana al viernes cubre @marta", by=ana)
    assert "Estarás ausente de mañana a vie 27 nov" in out
    assert team.scalar("select count(*) from absence") == 1
    assert "Ausencia cancelada" in team.run("ausente cancelar", by=ana)
    team.run("ausente hoy al viernes cubre @marta", by=ana)
    assert "¡Hola de nuevo!" in team.run("vuelvo", by=ana)
    assert "no estabas ausente" in team.run("vuelvo", by=ana)

    # mine: lo mío, lo-mio, mío.
    mine = team.run("lo mío", by=luis)
    assert mine.startswith("Tu día, Luis Pérez") and "Novedades para ti" in mine
    assert "te la traspasó Ana García hasta vie 27 nov" in mine
    assert team.run("lo-mio", by=luis).startswith("Tu día, Luis Pérez")
    assert team.run("mio", by=luis).startswith("Tu día, Luis Pérez")

    # digest / subscribe / unsubscribe: resumen, suscribir … semanal, darse de baja.
    assert "Resumen semanal del embudo" in team.run("resumen", by=carmen)
    out = team.run("suscribir #ventas semanal", by=carmen)
    assert "#ventas recibirá a partir de ahora el resumen semanal" in out
    assert "recibe ahora el resumen diario" in team.run("suscribir #ventas diario", by=carmen)
    assert team.scalar("select cadence from subscription") == "daily"
    assert "Canales suscritos: #ventas" in team.run("resumen ahora", by=carmen)
    assert "ya no recibirá resúmenes" in team.run("darse de baja #ventas", by=carmen)
    assert team.scalar("select count(*) from subscription") == 0

    # edit / delete / restore / undo: editar, borrar, restaurar, deshacer.
    team.run("registrar acme nota Borrador", by=ana)
    assert "Se ha editado N2" in team.run("editar N2 Nota corregida", by=ana)
    assert team.scalar("select text from interaction where id = 2") == "Nota corregida"
    assert "Se ha borrado N2 de Acme Corp" in team.run("borrar N2", by=ana)
    assert team.scalar("select count(*) from interaction where id = 2") == 0
    assert "Se ha restaurado N2" in team.run("restaurar N2", by=sofia)
    assert team.scalar("select text from interaction where id = 2") == "Nota corregida"
    team.run("queja acme Portal lento", by=ana)
    assert team.scalar("select count(*) from complaint") == 2
    assert "Deshecho: Queja C2 abierta" in team.run("deshacer", by=ana)
    assert team.scalar("select count(*) from complaint") == 1

    # help: ayuda, ayuda <comando>.
    assert team.run("ayuda", by=ana).startswith("Relevo: comandos de /crm")
    assert team.run("ayuda buscar", by=ana).startswith("buscar [texto]")
    assert team.run("ayuda quién", by=ana).startswith("quién <cuenta")


def test_gravedad_alta_is_the_severity_and_an_unknown_key_saves_nothing(team: Team) -> None:
    """The issue's case: `gravedad:alta` used to end up in the complaint's text with
    severity medium; `foo:bar` in any command with options did the same."""
    spanish_team(team)
    team.run("cuenta Acme", by="Ana García")
    out = team.run("queja acme Portal caído gravedad:critica", by="Ana García")
    assert "Queja C1 abierta en Acme (crítica)" in out
    assert team.scalar("select severity || '|' || text from complaint") == "critical|Portal caído"

    for line in (
        "queja acme Portal lento foo:bar",
        "complaint acme Portal slow impact:high",
        "oportunidad acme Piloto moneda:EUR",
        "cuenta acme segmento:pymes",
        "contacto acme Ana empresa:Acme",
    ):
        out = team.run(line, by="Ana García")
        assert "No conozco la opción «" in out and "aquí las opciones son" in out, line
        assert "No se ha guardado nada." in out, line
    assert team.scalar("select count(*) from complaint") == 1
    assert team.scalar("select count(*) from deal") == 0
    assert team.scalar("select count(*) from contact") == 0
    # Quoted, or in a command without options, the word is text as typed.
    team.run('queja acme "Portal lento foo:bar"', by="Ana García")
    assert team.scalar("select text from complaint where id = 2") == "Portal lento foo:bar"
    team.run("registrar acme nota ver foo:bar y https://acme.com a las 10:30", by="Ana García")
    assert (
        team.scalar("select text from interaction") == "ver foo:bar y https://acme.com a las 10:30"
    )


def test_a_misspelt_spanish_command_or_key_offers_the_corrected_line(team: Team) -> None:
    spanish_team(team)
    team.run("cuenta Acme", by="Ana García")
    reply = team.reply("buscr acme", by="Ana García")
    assert [a.command for a in reply.choices] == ["buscar acme"]
    out = team.run("queja acme Portal lento gravedda:alta", by="Ana García")
    assert "¿Querías decir: queja acme Portal lento gravedad:alta?" in out
    assert team.scalar("select count(*) from complaint") == 0
    out = team.run("1", by="Ana García")
    assert "Queja C1 abierta en Acme (alta)" in out


def test_a_spanish_account_line_that_partly_matches_asks_in_its_own_words(team: Team) -> None:
    spanish_team(team)
    team.run('cuenta "Tyrell Systems"', by="Ana García")
    reply = team.reply("cuenta tyrell visibilidad:privada", by="Ana García")
    assert [a.command for a in reply.choices] == [
        'cuenta "Tyrell Systems" visibilidad:privada',
        "cuenta tyrell visibilidad:privada new:yes",
    ]
    assert "¿Actualizar Tyrell Systems o crear una cuenta llamada tyrell?" in team.run(
        "cuenta tyrell visibilidad:privada", by="Ana García"
    )
    assert "Cuenta Tyrell Systems actualizada" in team.run("1", by="Ana García")
    assert team.scalar("select visibility from account") == "private"
