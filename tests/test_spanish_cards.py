"""The read-side cards and covering in Spanish (issue 21): a Spanish-speaking person's
`quién`, `buscar`, `historial`, `traspasar`, `ausente` and `vuelvo` answer in Spanish,
with Spanish dates and money; an English speaker's answers stay English. Console
transcripts on SQLite and PostgreSQL, the clock on Tuesday 24 November 2026 at 10:00 in
Madrid."""

from __future__ import annotations

import re

from conftest import Team

from hub.clock import FixedClock
from hub.people import find_by_name, update_person

ANA, LUIS, LUCIA = "Ana García", "Luis Pérez", "Lucía Gómez"


def flat(card: str) -> str:
    """The card with its fields' alignment taken out: "Responsable: Ana García"."""
    return re.sub(r" {2,}", " ", card)


def spanish(team: Team, name: str = LUCIA) -> None:
    team.add(name)
    with team.app.database.unit_of_work() as session:
        person = find_by_name(session, name)
        assert person is not None
        update_person(person, locale="es")


def acme(team: Team) -> None:
    team.run('account "Acme Corp" tier:A domain:acme.com alias:ACME', by=ANA)
    team.run(
        'contact "Acme Corp" "María López" role:"decision maker" title:CFO email:maria@acme.com',
        by=ANA,
    )
    team.run("log acme call Talked pricing with maria lopez", by=ANA)
    team.run("agree acme Send revised quote due 2026-11-20", by=ANA)
    team.run("complaint acme Invoices arrive twice severity:critical", by=LUIS)
    team.run("deal Acme Corp Renewal 2027 amount:€48k stage:proposal close:2026-12-03", by=ANA)
    team.run("remind tomorrow 9am call María about Acme Corp", by=ANA)


def test_the_account_card_reads_in_spanish_and_stays_english_for_others(team: Team) -> None:
    spanish(team)
    acme(team)
    card = flat(team.run("quién acme", by=LUCIA))
    assert card.splitlines()[0] == "Acme Corp"
    for line in (
        "Responsable: Ana García",
        "Nivel: A",
        "Estado: activa",
        "Dominio: acme.com",
        "También conocida como: ACME",
        "Último contacto: hace 0 min",
        "Contactos\n • María López — decision maker, CFO · maria@acme.com",
        "Últimos acuerdos\n • A1 Send revised quote — vence vie 20 nov [vencido]",
        "Quejas abiertas\n • C1 Invoices arrive twice — crítica, abierta hace 0 min",
        "Oportunidades abiertas (48.000\u00a0€)",  # Babel: a no-break space before €
        "D1 Renewal 2027 — propuesta · 48.000\u00a0€ · cierra jue 3 dic · 50%",
        "Últimas interacciones\n • N1 hoy 10:00 llamada con María López (Ana García): Talked",
        "Próximo seguimiento\n • F1 mañana 09:00 — call María (Ana García)",
    ):
        assert line in card, (line, card)
    # The same card, read by an English speaker, is as it always was.
    english = flat(team.run("whois acme", by=LUIS))
    for line in (
        "Owner: Ana García",
        "A1 Send revised quote — due Fri 20 Nov [overdue]",
        "C1 Invoices arrive twice — critical, open 0 min",
        "Open deals (€48,000)",
        "D1 Renewal 2027 — proposal · €48,000 · closes Thu 03 Dec · 50%",
        "N1 today 10:00 call with María López (Ana García): Talked",
    ):
        assert line in english, (line, english)
    # Nothing by that name: told so in Spanish, with the Spanish command to create it.
    out = team.run("quién Initech", by=LUCIA)
    assert "No ves ninguna cuenta ni contacto llamado «Initech»." in out
    assert "créala con el comando «cuenta»" in out


def test_colleague_and_contact_cards_read_in_spanish(team: Team) -> None:
    spanish(team)
    acme(team)
    team.run("away 2026-11-24 to 2026-11-27 cover @luis", by=ANA)
    colleague = flat(team.run("quién @ana", by=LUCIA))
    assert colleague.startswith("Ana García (@ana) — colega\nUrgente hoy: 1 acuerdo pendiente")
    for line in (
        "Rol: miembro",
        "Departamento: Sales",
        "Zona horaria: Europe/Madrid — allí son las 10:00 (mar)",
        "Ausente: ahora, hasta vie 27 nov — le cubre Luis Pérez",
        "Última actividad: hace 0 min",
        "Cuentas (1)\n • Acme Corp — nivel A [urgente]",
        "A1 acuerdo que vence vie 20 nov: Send revised quote — Acme Corp [vencido]",
        "Traspasos\n No hay traspasos en curso.",
    ):
        assert line in colleague, (line, colleague)
    luis = flat(team.run("quién @luis", by=LUCIA))
    assert "Suplente de: Ana García hasta vie 27 nov" in luis, luis
    # Whoever answers for Acme meanwhile shows on its card too.
    card = flat(team.run("quién acme", by=LUCIA))
    assert "Responsable: Ana García — ausente hasta vie 27 nov, le cubre Luis Pérez" in card
    contact = flat(team.run('quién "María López"', by=LUCIA))
    assert contact.startswith("María López — contacto en Acme Corp")
    for line in (
        "Rol: decision maker",
        "Cargo: CFO",
        "Correo: maria@acme.com",
        "Cuenta\n • Acme Corp — responsable: Ana García — ausente hasta vie 27 nov, le cubre",
        "Con María López\n • N1 hoy 10:00 llamada (Ana García): Talked pricing",
    ):
        assert line in contact, (line, contact)
    assert flat(team.run("whois @ana", by=LUIS)).startswith("Ana García (@ana) — colleague")


def test_find_and_the_timeline_read_in_spanish(team: Team) -> None:
    spanish(team)
    acme(team)
    found = team.run("buscar renewal", by=LUCIA)
    assert found.startswith("1 resultado para «renewal»"), found
    assert "D1 oportunidad: " in found
    assert "1 result for “renewal”" in team.run("find renewal", by=LUIS)
    nothing = team.run("buscar zzzz", by=LUCIA)
    assert "No se ha encontrado nada para «zzzz»" in nothing
    assert "Prueba con menos palabras o escríbelo de otra forma." in nothing

    history = team.run("historial acme", by=LUCIA)
    assert history.startswith("Acme Corp — historial"), history
    for line in (
        "Lo más reciente primero · página 1 de 1 (4 entradas)",
        "A1 hoy 10:00 acuerdo (Ana García): Send revised quote — vence vie 20 nov"
        " [abierto] [vencido]",
        "C1 hoy 10:00 queja, crítica (Luis Pérez): Invoices arrive twice [abierta]",
        "D1 hoy 10:00 oportunidad Renewal 2027: abierta en propuesta (Ana García)",
        "N1 hoy 10:00 llamada con María López (Ana García): Talked pricing",
    ):
        assert line in history, (line, history)
    complaints = team.run("historial acme tipo:queja desde:2026-11-01", by=LUCIA)
    assert complaints.startswith("Acme Corp — quejas desde dom 1 nov"), complaints
    assert "(1 entrada)" in complaints
    assert team.run("timeline acme", by=LUIS).startswith("Acme Corp — history")


def test_handing_over_reads_in_spanish(team: Team, clock: FixedClock) -> None:
    spanish(team)
    team.run("cuenta Globex nivel:B", by=LUCIA)
    out = team.run("traspasar globex a @luis hasta viernes Renewal call on Thursday", by=LUCIA)
    assert "1 cuenta traspasada a Luis Pérez hasta vie 27 nov" in out, out
    assert "Nota:" in out
    assert "El traspaso termina solo cuando acabe vie 27 nov." in out
    card = flat(team.run("quién globex", by=LUCIA))
    assert "Responsable: Luis Pérez hasta vie 27 nov (traspasada por Lucía Gómez)" in card, card
    assert "Nota del traspaso: Renewal call on Thursday" in card
    english = flat(team.run("whois globex", by=LUIS))
    assert "Owner: Luis Pérez until Fri 27 Nov (handed over by Lucía Gómez)" in english
    history = team.run("historial globex", by=LUCIA)
    assert (
        "traspasada de Lucía Gómez a Luis Pérez hasta vie 27 nov (por Lucía Gómez):"
        " Renewal call on Thursday" in history
    ), history
    colleague = flat(team.run("quién @luis", by=LUCIA))
    assert "recibe: Globex de Lucía Gómez hasta vie 27 nov — “Renewal call" in colleague

    # To someone away today: asked, with who covers them.
    team.run("away 2026-11-24 to 2026-11-27 cover @luis", by=ANA)
    team.run("cuenta Initech", by=LUCIA)
    asked = team.run("traspasar initech a @ana hasta viernes", by=LUCIA)
    assert (
        "Ana García está ausente hasta vie 27 nov (le cubre Luis Pérez)."
        " ¿Traspasar de todos modos?" in asked
    ), asked


def test_away_and_back_read_in_spanish(team: Team) -> None:
    spanish(team)
    out = team.run("ausente mañana hasta 2026-11-27 cubre @luis", by=LUCIA)
    assert "Estarás ausente de mañana a vie 27 nov" in out, out
    assert "Luis Pérez verá tus cuentas y recibirá tus seguimientos mientras tanto." in out
    asked = team.run("ausente 2026-11-26 hasta 2026-11-30", by=LUCIA)
    assert (
        "Ya estás ausente de mañana a vie 27 nov, te cubre Luis Pérez."
        " ¿La sustituyo por una de jue 26 nov a lun 30 nov, o la amplío?" in asked
    ), asked
    out = team.run("vuelvo", by=LUCIA)
    assert "Hoy no estabas ausente: he cancelado tu ausencia de mañana a vie 27 nov" in out
    assert "Luis Pérez no te cubrirá en esas fechas." in out
    out = team.run("vuelvo", by=LUCIA)
    assert "Hoy no estabas ausente y no tienes ninguna ausencia prevista." in out
    out = team.run("ausente hoy hasta viernes", by=LUCIA)
    assert "Estarás ausente de hoy a vie 27 nov" in out, out
    assert "Sin suplente: tus seguimientos te esperan. Añade uno con cubre @nombre." in out
    out = team.run("vuelvo", by=LUCIA)
    assert "¡Hola de nuevo! Tus cuentas y seguimientos vuelven a ser tuyos." in out, out
    # An English speaker's absence is as it always was.
    out = team.run("away tomorrow to 2026-11-27 cover @ana", by=LUIS)
    assert "You're away tomorrow to Fri 27 Nov" in out, out
