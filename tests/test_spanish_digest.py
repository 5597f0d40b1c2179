"""What the clock sends, in its reader's language (issue 21), on SQLite and PostgreSQL: a
channel's digest and its chart in the channel's (`suscribir #ventas semanal idioma:es`),
else in the hub's (RELEVO_LOCALE); a person's nudge and notices in theirs. Set up through
the console, sent by the clock's courier to a recording transport."""

from __future__ import annotations

import re
import struct
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from conftest import EPOCH, MADRID, Team
from matplotlib.figure import Figure
from matplotlib.text import Text
from scheduling import Recorder, courier

from bot.bootstrap import App
from hub.people import find_by_name, update_person

MONDAY = datetime(2026, 11, 30, 9, 2, tzinfo=MADRID)  # the weekly digest's slot, + 2 min
WEDNESDAY = datetime(2026, 11, 25, 9, 2, tzinfo=MADRID)  # the daily nudge's
# The chart's English words: none of them may be left in a Spanish channel's chart.
ENGLISH = {
    "open", "pipeline", "deal", "deals", "this", "week", "day", "won", "lost", "in", "out",
    "lead", "qualified", "proposal", "negotiation",
}  # fmt: skip


def speaks_spanish(app: App, name: str) -> None:
    with app.database.unit_of_work() as session:
        update_person(find_by_name(session, name), locale="es")


def pipeline(team: Team) -> None:
    """Acme's open deals (one past its close date) and a complaint over SLA by Monday."""
    ana = "Ana García"
    team.run('account "Acme Corp" tier:A', by=ana)
    team.run("deal acme Renewal amount:40000 stage:negotiation close:2026-11-27", by=ana)
    team.run("deal acme Pilot amount:10000", by=ana)
    team.run("complaint acme Invoices duplicated severity:high", by=ana)


@pytest.fixture
def charts(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The texts of every chart the courier draws (title, labels, ticks, legend), read
    from the figure just before it is saved as the PNG it sends."""
    drawn: list[list[str]] = []
    save = Figure.savefig

    def reading(figure: Figure, *args: Any, **kwargs: Any) -> None:
        drawn.append([t.get_text() for t in figure.findobj(Text) if t.get_text().strip()])
        save(figure, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", reading)
    return drawn


def words(texts: list[str]) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", " ".join(texts))}


def test_a_spanish_channel_gets_its_digest_in_spanish_and_an_english_one_in_english(
    app: App, team: Team, charts: list[list[str]]
) -> None:
    pipeline(team)
    carmen = "Carmen Vidal"
    out = team.run("suscribir #ventas semanal idioma:es", by=carmen)
    assert "#ventas will now receive the weekly pipeline digest" in out
    team.run("subscribe #sales weekly", by=carmen)
    assert team.scalar("SELECT locale FROM subscription WHERE channel = '#ventas'") == "es"
    assert team.scalar("SELECT locale FROM subscription WHERE channel = '#sales'") is None

    recorder = Recorder()
    results = courier(app, recorder).digests(MONDAY)
    assert [(r.recipient, r.outcome) for r in results] == [
        ("console:#ventas", "sent"),
        ("console:#sales", "sent"),
    ]

    [ventas] = recorder.to("#ventas")
    assert ventas.reply.locale == "es"
    assert ventas.reply.title == (
        "Resumen semanal del embudo — semana del lun 23 nov al dom 29 nov 2026"
    )
    assert ventas.reply.text == "Resumen programado del lun 30 nov 09:00"
    text = ventas.text
    for said in (
        "2 oportunidades · 50.000\u00a0€",
        "Movimientos de la semana:       2 nuevas (50.000\u00a0€)",
        "Previsión de noviembre de 2026:",
        "Previsión de diciembre de 2026:",
        "Cierres previstos en noviembre de 2026",
        "D1 Acme Corp: Renewal — negociación · 40.000\u00a0€ · cierra vie 27 nov",
        "Ganadas esta semana",
        "Tasa de éxito (90 días):",
        "ninguna cerrada",
        "nuevas: 1, resueltas: 0, abiertas: 1 (1 con el SLA vencido)",
        "Embudo abierto por etapa",
        "negociación: 1 oportunidad · 40.000\u00a0€ · ponderado 30.000\u00a0€ · "
        "esta semana: +1 entran, −0 salen",
        "cualificada: 0 oportunidades · 0\u00a0€",
        "Requiere atención",
        "Acme Corp: Invoices duplicated — alta, SLA vencido hace",
        "Acme Corp: Renewal — negociación, debía cerrarse el 27 nov",
        "Solo cuentas públicas",
    ):
        assert said in text, said
    for english in ("Weekly", "Open pipeline", "deals", "weighted", "this week", "Needs a"):
        assert english not in text, english
    # Buttons speak Spanish; the lines they run stay runnable.
    actions = [a for section in ventas.reply.sections for i in section.items for a in i.actions]
    assert {(a.label, a.command) for a in actions} >= {
        ("Resolver", "resolve C1 "),
        ("Etapa", "stage D1 "),
        ("Perdida", "lost D1 "),
    }
    [chart] = ventas.attachments
    assert chart.title == "Embudo de ventas"
    assert chart.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", chart.content[16:24]) == (800, 420)

    # The English channel's digest is as it always was.
    [sales] = recorder.to("#sales")
    assert sales.reply.locale == "en"
    assert sales.reply.title == "Weekly pipeline digest — week of Mon 23 Nov to Sun 29 Nov 2026"
    assert "negotiation: 1 deal · €40,000 · weighted €30,000 · this week: +1 in, −0 out" in (
        sales.text
    )
    assert "Acme Corp: Renewal — negotiation, was to close 27 Nov" in sales.text
    assert sales.attachments[0].title == "Pipeline funnel"

    # The charts, read before they were saved: the Spanish one has no English word left.
    spanish, english = charts
    assert not words(spanish) & ENGLISH, words(spanish) & ENGLISH
    assert {"embudo", "oportunidades", "semana", "ganadas", "perdidas"} <= words(spanish)
    assert {"nueva", "cualificada", "propuesta", "negociación", "entran", "salen"} <= words(spanish)
    assert "Embudo abierto: 50.000\u00a0€ en 2 oportunidades — esta semana" in " ".join(spanish)
    assert any(t.startswith("Open pipeline €50,000 in 2 deals — this week") for t in english)
    assert {"negotiation", "lead", "in", "out"} <= words(english)


def test_a_channel_without_a_language_gets_the_hubs(
    app: App, team: Team, charts: list[list[str]]
) -> None:
    pipeline(team)
    team.run("subscribe #ventas daily", by="Carmen Vidal")
    team.run("subscribe #sales daily language:english", by="Carmen Vidal")
    assert team.scalar("SELECT locale FROM subscription WHERE channel = '#sales'") == "en"
    recorder = Recorder()
    scheduler = courier(app, recorder)
    scheduler.settings = replace(app.settings, locale="es")  # RELEVO_LOCALE=es
    scheduler.digests(MONDAY)
    [ventas] = recorder.to("#ventas")
    assert ventas.reply.title == "Resumen diario del embudo — vie 27 nov a dom 29 nov 2026"
    assert "Movimientos del periodo:" in ventas.text
    [sales] = recorder.to("#sales")
    assert sales.reply.title == "Daily pipeline digest — Fri 27 Nov to Sun 29 Nov 2026"
    spanish, english = charts
    assert "en el día" in " ".join(spanish) and not words(spanish) & ENGLISH
    assert "this day" in " ".join(english)


def test_a_language_no_digest_is_written_in_is_refused(team: Team) -> None:
    out = team.run("subscribe #ventes weekly language:fr", by="Carmen Vidal")
    assert "I don't write digests in “fr”" in out
    assert team.scalar("SELECT count(*) FROM subscription") == 0
    speaks_spanish(team.app, "Carmen Vidal")
    out = team.run("suscribir #ventes semanal idioma:francés", by="Carmen Vidal")
    assert "No escribo resúmenes en «francés»: di idioma:es o idioma:en." in out
    # Said again without a language, a channel keeps the one it had.
    team.run("suscribir #ventas semanal idioma:español", by="Carmen Vidal")
    team.run("suscribir #ventas diario", by="Carmen Vidal")
    assert team.scalar("SELECT cadence || ' ' || locale FROM subscription") == "daily es"


def test_a_spanish_speaker_gets_the_daily_nudge_in_spanish(app: App, team: Team) -> None:
    speaks_spanish(app, "Luis Pérez")
    team.run('account "Acme Corp" tier:A', by="Luis Pérez")
    team.run('remind tomorrow call Pedro about "Acme Corp"', by="Luis Pérez")
    team.run('remind tomorrow call María about "Acme Corp"', by="Ana García")
    team.run("agree acme Send the licence keys due tomorrow", by="Luis Pérez")

    recorder = Recorder()
    courier(app, recorder).nudges(WEDNESDAY)
    [luis] = recorder.to("dm:Luis Pérez")
    assert luis.reply.locale == "es"
    assert luis.reply.title == "Buenos días, Luis: tu día"
    assert [s.title for s in luis.reply.sections] == [
        "Seguimientos pendientes",
        "Acuerdos que vencen",
    ]
    assert "Acme Corp: Send the licence keys — vence hoy" in luis.text
    task = luis.reply.sections[0].items[0]
    assert [(a.label, a.command) for a in task.actions] == [
        ("Hecho", "done F1"),
        ("Posponer", "snooze F1 tomorrow"),
        ("Registrar", 'log "Acme Corp" '),
    ]
    assert [(a.label, a.command) for a in luis.reply.actions] == [("Mi día", "mine")]
    assert "Good morning" not in luis.text and "Follow-ups due" not in luis.text

    [ana] = recorder.to("dm:Ana García")  # her nudge, the same morning, is English
    assert ana.reply.locale == "en"
    assert ana.reply.title == "Good morning, Ana: your day"
    assert [s.title for s in ana.reply.sections] == ["Follow-ups due"]
    assert [a.label for a in ana.reply.sections[0].items[0].actions] == ["Done", "Snooze", "Log"]


def test_a_spanish_speaker_hears_of_a_colleagues_doing_in_spanish(app: App, team: Team) -> None:
    speaks_spanish(app, "Luis Pérez")
    team.run('account "Acme Corp" tier:A', by="Ana García")
    team.run("handover acme to @luis until friday she knows the renewal", by="Ana García")
    team.run('remind tomorrow call Pedro about "Acme Corp" for @luis', by="Ana García")

    recorder = Recorder()
    courier(app, recorder).notices(EPOCH + timedelta(minutes=2))
    said = [(s.where, s.reply.title, s.reply.text, s.reply.locale) for s in recorder.sent]
    assert said == [
        (
            "dm:Luis Pérez",
            "Ahora llevas Acme Corp (de Ana García) hasta vie 27 nov",
            "she knows the renewal",  # what she wrote stays as she wrote it
            "es",
        ),
        (
            "dm:Luis Pérez",
            "Ana García te ha asignado el seguimiento F1, mañana 09:00 — Acme Corp",
            "call Pedro",
            "es",
        ),
    ]
    assert [a.label for a in recorder.sent[1].reply.actions] == ["Hecho", "Posponer"]

    # At the period's end, each side hears of it in their own language.
    saturday = datetime(2026, 11, 28, 9, 0, tzinfo=MADRID)
    ended = Recorder()
    courier(app, ended).notices(saturday)
    titles = {s.where: s.reply.title for s in ended.sent}
    assert titles == {
        "dm:Luis Pérez": "Acme Corp: el traspaso de Ana García terminó ayer; vuelve a Ana García",
        "dm:Ana García": "Acme Corp: back with you; Luis Pérez held it until yesterday",
    }
