"""A Spanish person's writes are answered in Spanish, typed in the console, on SQLite and
PostgreSQL: titles, fields, notes, questions and buttons; an English person's are not."""

from __future__ import annotations

from datetime import timedelta

from conftest import EPOCH, Team

from hub.clock import FixedClock
from hub.people import find_by_name, update_person

LUCIA = "Lucía Gómez"


def spanish_team(team: Team) -> Team:
    team.add(LUCIA, department="Sales")
    with team.app.database.unit_of_work() as session:
        update_person(find_by_name(session, LUCIA), locale="es")
    return team


def es(team: Team, line: str) -> str:
    return team.run(line, by=LUCIA)


def test_accounts_and_contacts_in_spanish(team: Team) -> None:
    spanish_team(team)
    out = es(team, 'cuenta "Acme Corp" nivel:A dominio:acme.com alias:ACME visibilidad:equipo')
    assert out.startswith("✓ Cuenta Acme Corp creada"), out
    assert "Responsable: Lucía Gómez" in out
    assert "Nivel:       A" in out and "Visibilidad: equipo" in out
    created = team.reply("cuenta Globex", by=LUCIA)
    assert [a.label for a in created.actions] == ["Añadir contacto", "Registrar"]
    assert [a.command for a in created.actions] == ["contact Globex ", "log Globex "]

    assert es(team, "cuenta acme nivel:B").startswith("✓ Cuenta Acme Corp actualizada")
    assert "ya está así; no se ha cambiado nada" in es(team, "cuenta acme nivel:B")
    out = es(team, "cuenta Acme Corp nueva:sí")
    assert "Ya hay una cuenta llamada Acme Corp." in out
    assert "Para actualizarla, vuelve a enviar la línea sin nueva:sí." in out
    assert "(No se ha guardado nada.)" in out

    es(team, "cuenta Tyrell")
    es(team, "cuenta Tyrell Systems")
    out = es(team, "cuenta Tyrel nivel:A")
    assert "«Tyrel» se parece a 2 cuentas: ¿actualizar una o crear una cuenta llamada Tyrel?" in out
    assert "1. Actualizar Tyrell → cuenta Tyrell nivel:A" in out
    # The choice is still a line the parser reads.
    assert "3. Crear una cuenta llamada Tyrel → cuenta Tyrel nivel:A new:yes" in out

    out = es(team, 'contacto acme "María López" rol:"decision maker"')
    assert "✓ Contacto María López (decision maker) añadido a Acme Corp" in out
    out = es(team, 'contacto acme "María López" cargo:CFO')
    assert "✓ Contacto María López de Acme Corp actualizado" in out
    assert "María López de Acme Corp ya está así." in es(team, 'contacto acme "María López"')


def test_log_agree_complaint_and_resolve_in_spanish(team: Team) -> None:
    spanish_team(team)
    es(team, 'cuenta "Acme Corp" alias:ACME')
    es(team, 'contacto acme "María López"')
    out = es(team, "registrar acme llamada Hablamos de precios con maría lópez")
    assert "✓ Registro N1 en Acme Corp: llamada con María López" in out
    logged = team.reply("registrar acme reunión Demo con Pedro", by=LUCIA)
    assert logged.title == "Registro N2 en Acme Corp: reunión"
    assert logged.notes == (
        "Acme Corp no tiene ningún contacto llamado «Pedro», así que se queda en el texto.",
    )
    assert [a.label for a in logged.actions] == ["Añadir seguimiento"]

    thursday = EPOCH.date() + timedelta(days=9)  # EPOCH is a Tuesday
    out = es(team, f"acuerdo acme Enviar presupuesto due {thursday:%d/%m/%Y}")
    assert "✓ Acuerdo A1 registrado en Acme Corp, vence jue 3 dic" in out
    out = es(team, "acuerdo acme Enviar contrato due next fridy")
    assert "No he podido leer «next fridy» como fecha" in out
    assert "✓ Acuerdo A1 de Acme Corp cumplido" in es(team, "cumplido A1")
    out = es(team, "incumplido A2 se nos pasó")
    assert "✓ Acuerdo A2 de Acme Corp incumplido" in out and "Motivo: se nos pasó" in out

    complaint = team.reply("queja acme Facturas duplicadas gravedad:alta", by=LUCIA)
    assert complaint.title == "Queja C1 abierta en Acme Corp (alta)"
    assert [(f.label, f.value) for f in complaint.fields] == [
        ("Resolver antes de", "mañana 10:00"),
        ("SLA", "24 h"),
    ]
    assert [(a.label, a.command) for a in complaint.actions] == [("Resolver", "resolve C1 ")]
    out = es(team, "resolver C1 Abonado")
    assert "✓ Queja C1 de Acme Corp resuelta" in out
    assert "Abierta durante 0 min, dentro de su SLA. Nota: Abonado" in out


def test_deals_in_spanish_money_and_stages(team: Team, clock: FixedClock) -> None:
    spanish_team(team)
    es(team, 'cuenta "Acme Corp" alias:ACME')
    close = EPOCH.date() + timedelta(days=21)
    out = es(
        team,
        f"oportunidad acme Renovación 2027 importe:48k€ etapa:propuesta cierre:{close:%d/%m/%Y}",
    )
    assert "✓ Oportunidad D1 abierta en Acme Corp: Renovación 2027" in out
    assert "Etapa:   propuesta" in out
    assert "Importe: 48.000\u00a0€" in out  # a no-break space, as Spanish writes it
    assert "Cierre:  mar 15 dic" in out
    opened = team.reply("oportunidad acme Piloto importe:5k€", by=LUCIA)
    assert [a.label for a in opened.actions] == ["Siguiente etapa", "Ganada", "Perdida"]
    assert [a.command for a in opened.actions] == ["stage D2 ", "won D2", "lost D2 "]

    clock.set(clock.now() + timedelta(days=2))
    out = es(team, "etapa D1 negociación")
    assert "✓ Oportunidad D1 de Acme Corp movida de propuesta a negociación" in out
    out = es(team, "ganada D1")
    assert "✓ Oportunidad D1 de Acme Corp ganada" in out
    assert "Etapas hasta ahora: propuesta → negociación → ganada" in out
    out = es(team, "perdida D2 se fueron con la competencia")
    assert "✓ Oportunidad D2 de Acme Corp perdida" in out
    assert "Motivo: se fueron con la competencia" in out and "5.000\u00a0€" in out


def test_subscriptions_in_spanish(team: Team) -> None:
    spanish_team(team)
    out = es(team, "resumen ahora")
    assert "(Aún no hay ningún canal suscrito: suscribir #canal semanal)" in out
    out = es(team, "suscribir #ventas semanal")
    assert "✓ #ventas recibirá a partir de ahora el resumen semanal del embudo" in out
    out = es(team, "suscribir #ventas diario")
    assert "✓ #ventas recibe ahora el resumen diario del embudo" in out
    out = es(team, "resumen ahora")
    assert "Canales suscritos: #ventas. Los resúmenes se publican allí." in out
    assert "✓ #ventas ya no recibirá resúmenes" in es(team, "desuscribir #ventas")


def test_follow_ups_and_my_day_in_spanish(team: Team, clock: FixedClock) -> None:
    spanish_team(team)
    es(team, 'cuenta "Acme Corp" alias:ACME')
    out = es(team, "recordar mañana a las 11 llamar a María about Acme Corp")
    assert "✓ Seguimiento F1 para ti sobre Acme Corp, mañana 11:00" in out
    reminded = team.reply("recordar el jueves enviar contrato para @luis", by=LUCIA)
    assert reminded.title == "Seguimiento F2 para Luis Pérez, jue 26 nov 09:00"
    assert [(a.label, a.command) for a in reminded.actions] == [
        ("Hecho", "done F2"),
        ("Posponer", "snooze F2 tomorrow"),
    ]
    out = es(team, "recordar mañana llamar a Pedro about umbrela")
    assert "No conozco ninguna cuenta llamada «umbrela»: ¿guardo el recordatorio sin cuenta?" in out
    assert '1. Guardarlo sin cuenta → recordar mañana "llamar a Pedro about umbrela"' in out

    assert "✓ Seguimiento F1 movido a lun 30 nov 09:00" in es(team, "posponer F1 el lunes")
    es(team, "queja acme El portal no carga gravedad:crítica")
    es(team, "recordar hoy a las 11 revisar la oferta")
    clock.set(clock.now() + timedelta(hours=5))
    day = es(team, "lo mío")
    assert day.startswith("Tu día, Lucía Gómez"), day
    assert "Seguimientos pendientes\n  • F3 hoy 11:00 revisar la oferta [vencido]" in day
    assert "Próximos\n  • F1 lun 30 nov 09:00 llamar a María — Acme Corp" in day
    assert "Acuerdos que vencen\n  Ningún acuerdo vence esta semana." in day
    assert "C1 Acme Corp: El portal no carga — crítica, abierta hace 5 h [SLA incumplido]" in day
    assert "Cuentas tuyas o que cubres\n  • Acme Corp (nivel B)" in day
    assert "✓ Seguimiento F1 hecho" in es(team, "hecho F1")


def test_corrections_in_spanish(team: Team) -> None:
    spanish_team(team)
    es(team, "cuenta Acme")
    es(team, "registrar acme llamada Hablamos de la renovación")
    es(team, "registrar acme nota Demo el lunes")
    edited = team.reply("editar N1 Hablamos de descuentos", by=LUCIA)
    assert edited.title == "Se ha editado N1 (Acme)"
    assert edited.notes == ("¿Te lo has pensado mejor? Con deshacer vuelve a estar como antes.",)
    out = es(team, "borrar N2")
    assert "✓ Se ha borrado N2 de Acme" in out
    assert "deshacer lo recupera ahora, y un admin más adelante con restaurar." in out
    undone = team.reply("deshacer", by=LUCIA)
    assert undone.title == "Deshecho: Se ha borrado N2 de Acme"
    assert undone.text == "Todo lo que escribió vuelve a estar como antes."
    assert [(a.label, a.command) for a in undone.actions] == [("Deshacer el anterior", "undo")]
    assert "✓ Deshecho: Se ha editado N1 (Acme)" in es(team, "undo")
    assert "✓ Se ha editado N1 (Acme)" in es(team, "edit N1 Hablamos de precios")
    assert "✓ Se ha borrado N2 de Acme" in es(team, "delete N2")
    team.add("Sofía Navarro", role="admin")
    with team.app.database.unit_of_work() as session:
        update_person(find_by_name(session, "Sofía Navarro"), locale="es")
    out = team.run("restaurar N2", by="Sofía Navarro")
    assert "✓ Se ha restaurado N2 tal como estaba al borrarlo" in out


def test_an_english_person_s_writes_read_as_before(team: Team, clock: FixedClock) -> None:
    spanish_team(team)
    ana = "Ana García"
    created = team.reply("account Acme alias:ACME", by=ana)
    assert created.title == "Created account Acme"
    assert [(f.label, f.value) for f in created.fields] == [
        ("Owner", "Ana García"),
        ("Tier", "B"),
        ("Visibility", "public"),
    ]
    assert [a.label for a in created.actions] == ["Add a contact", "Log"]
    assert "✓ Logged call N1 on Acme" in team.run("log acme call Spoke", by=ana)
    assert "✓ Agreement A1 recorded on Acme, due tomorrow" in team.run(
        "agree acme Send it due tomorrow", by=ana
    )
    assert "✓ Agreement A1 on Acme kept" in team.run("kept A1", by=ana)
    out = team.run("complaint acme Down severity:critical", by=ana)
    assert "✓ Complaint C1 opened on Acme (critical)" in out and "Resolve by: today 14:00" in out
    out = team.run("deal acme Renewal amount:€48k stage:proposal", by=ana)
    assert "Stage:  proposal" in out and "Amount: €48,000" in out
    assert "moved from proposal to negotiation" in team.run("stage D1 negotiation", by=ana)
    out = team.run("remind tomorrow call them about Acme", by=ana)
    assert "✓ Follow-up F1 for you about Acme, tomorrow 09:00" in out
    clock.set(clock.now() + timedelta(days=2))
    day = team.run("mine", by=ana)
    assert day.startswith("Your day, Ana García")
    assert "F1 yesterday 09:00 call them — Acme [overdue]" in day
    assert "[SLA breached]" in day and "critical, open 2 days" in day
    assert "✓ Edited N1 (Acme)" in team.run("edit N1 Spoke twice", by=ana)
    assert "✓ Undone: Edited N1 (Acme)" in team.run("undo", by=ana)
