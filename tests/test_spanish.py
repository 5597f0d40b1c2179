"""The /crm language in Spanish (issue 21): every verb, option key and option value has a
Spanish name that reads as the English one, accents optional.

The replies are still English; what is read is the same command either way.
"""

from __future__ import annotations

import pytest
from test_parser import read

from commands.parser import VERBS, line_writes
from commands.types import Help, Usage, Whois
from commands.verbs import VERB_ALIASES, bare

NAMES = ("acme", "Acme Corp")

# (Spanish, English): the same command.
SAME_COMMAND = [
    ("quién acme", "whois acme"),
    ("quien acme", "whois acme"),
    ("QUIÉN ES acme", "whois acme"),
    ("quién es María López", "whois María López"),
    ("quien es @ana", "whois @ana"),
    ("buscar factura tipo:queja estado:abierta", "find factura type:complaint status:open"),
    (
        "buscar tipo:cuentas dueño:@ana nivel:A pagina:2",
        "find type:account owner:@ana tier:A page:2",
    ),
    ("buscar tipo:oportunidades etapa:negociacion", "find type:deals stage:negotiation"),
    ("buscar tipo:interacciones propietaria:@ana", "find type:interaction owner:@ana"),
    ("buscar tipo:cuentas responsable:@ana", "find type:account owner:@ana"),
    (
        "historial acme tipo:quejas desde:2026-01-01",
        "timeline acme type:complaint since:2026-01-01",
    ),
    ("cronologia acme página:3", "timeline acme page:3"),
    (
        'cuenta "Acme Corp" nivel:A dominio:acme.com visibilidad:privada estado:activa',
        'account "Acme Corp" tier:A domain:acme.com visibility:private status:active',
    ),
    (
        "cuenta acme alias:ACME equipo:Ventas canal:#acme propietario:@luis",
        "account acme alias:ACME team:Ventas channel:#acme owner:@luis",
    ),
    (
        "cuenta acme visibilidad:pública estado:baja",
        "account acme visibility:public status:churned",
    ),
    ("cuenta acme visibilidad:equipo nueva:sí", "account acme visibility:team new:yes"),
    ("cuenta acme renombrar:Acme Holding", "account acme rename:Acme Holding"),
    (
        'contacto acme "María López" rol:"decisora" cargo:CFO correo:maria@acme.com '
        "teléfono:+34 611 222 333",
        'contact acme "María López" role:"decisora" title:CFO email:maria@acme.com '
        "phone:+34 611 222 333",
    ),
    ("contacto acme Ana telefono:600111222", "contact acme Ana phone:600111222"),
    ("registrar acme llamada Confirmó la renovación", "log acme call Confirmó la renovación"),
    (
        "acuerdo acme Enviar la oferta para el viernes",
        "agree acme Enviar la oferta para el viernes",
    ),
    ("acuerdo acme Enviar la oferta vence el viernes", "agree acme Enviar la oferta due friday"),
    ("acuerdo acme Enviar la oferta hasta el viernes", "agree acme Enviar la oferta due friday"),
    ("cumplido A7", "kept A7"),
    (
        "incumplido A7 el transportista perdió las piezas",
        "broken A7 el transportista perdió las piezas",
    ),
    ("queja acme Portal lento gravedad:alta", "complaint acme Portal lento severity:high"),
    ("queja acme Portal caído gravedad:crítica", "complaint acme Portal caído severity:critical"),
    ("queja acme Portal caído gravedad:critica", "complaint acme Portal caído severity:critical"),
    ("queja acme Detalle gravedad:baja", "complaint acme Detalle severity:low"),
    ("queja acme Detalle gravedad:media", "complaint acme Detalle severity:medium"),
    ("resolver C3 Abono enviado", "resolve C3 Abono enviado"),
    (
        "oportunidad acme Renovación 2027 importe:48.000 € etapa:propuesta cierre:2027-01-31",
        "deal acme Renovación 2027 amount:48.000 € stage:proposal close:2027-01-31",
    ),
    ("oportunidad acme Piloto etapa:nuevo", "deal acme Piloto stage:lead"),
    ("oportunidad acme Piloto etapa:cualificada", "deal acme Piloto stage:qualified"),
    ("oportunidad acme Piloto etapa:negociación", "deal acme Piloto stage:negotiation"),
    ("etapa D7 negociación", "stage D7 negotiation"),
    ("etapa D7 propuesta", "stage D7 proposal"),
    ("ganada D7", "won D7"),
    ("perdida D7 se fueron con la competencia", "lost D7 se fueron con la competencia"),
    ("recordar mañana llamar a María sobre acme", "remind mañana llamar a María sobre acme"),
    ("hecho F5", "done F5"),
    ("posponer F5 1h", "snooze F5 1h"),
    ("traspasar acme a @luis hasta el viernes", "handover acme to @luis until friday"),
    ("ausente mañana al viernes cubre @luis", "away tomorrow to friday cover @luis"),
    ("ausente cancelar", "away cancel"),
    ("vuelvo", "back"),
    ("lo-mío", "mine"),
    ("lo-mio", "mine"),
    ("lo mío", "mine"),
    ("mío", "mine"),
    ("mio", "mine"),
    ("resumen", "digest"),
    ("resumen ahora", "digest now"),
    ("suscribir #ventas semanal", "subscribe #ventas weekly"),
    ("suscribir #ventas diario", "subscribe #ventas daily"),
    ("desuscribir #ventas", "unsubscribe #ventas"),
    ("darse-de-baja #ventas", "unsubscribe #ventas"),
    ("darse de baja #ventas", "unsubscribe #ventas"),
    ("deshacer", "undo"),
    ("deshacer U17", "undo U17"),
    ("editar A7 vence:el viernes", "edit A7 due:friday"),
    ("editar C3 gravedad:alta", "edit C3 severity:high"),
    ("editar F5 cuándo:lunes 10h", "edit F5 when:lunes 10h"),
    ("editar N9 Llamé a Ana", "edit N9 Llamé a Ana"),
    ("borrar N9", "delete N9"),
    ("restaurar N9", "restore N9"),
    ("ayuda", "help"),
    ("ayuda buscar", "help find"),
    ("ayuda lo mío", "help mine"),
    ("help quién", "help whois"),
    ("/crm queja acme x", "complaint acme x"),
]


@pytest.mark.parametrize(("spanish", "english"), SAME_COMMAND)
def test_a_spanish_line_reads_as_the_english_one(spanish: str, english: str) -> None:
    mine, theirs = read(spanish, *NAMES), read(english, *NAMES)
    # Where the account was named differs (`queja ` vs `complaint `): the rest is equal.
    assert _without_around(mine) == _without_around(theirs)


def _without_around(command: object) -> object:
    fields = getattr(command, "__dataclass_fields__", {})
    values = {}
    for name in fields:
        value = getattr(command, name)
        if name == "around":
            continue
        if hasattr(value, "around"):
            value = (value.name, value.known)
        if isinstance(value, tuple):
            value = tuple((v.name, v.known) if hasattr(v, "around") else v for v in value)
        values[name] = value
    return type(command).__name__, values


def test_every_verb_has_a_spanish_name_and_every_name_a_verb() -> None:
    assert set(VERB_ALIASES.values()) == set(VERBS)
    assert not set(VERB_ALIASES) & set(VERBS)
    bares = [bare(alias) for alias in VERB_ALIASES]
    assert len(bares) == len(set(bares))  # with accents or without, one verb


@pytest.mark.parametrize("typed", ["Quién acme", "QUIEN acme", "quién acme", "quie\u0301n acme"])
def test_accents_and_case_are_optional(typed: str) -> None:
    assert read(typed, *NAMES) == Whois(query="acme")


def test_quien_es_keeps_an_account_called_es_alone() -> None:
    """Only "es" followed by more words is the question's: `quién es` asks about "es"."""
    assert read("quién es", *NAMES) == Whois(query="es")
    assert read("whois es acme", *NAMES) == Whois(query="es acme")


@pytest.mark.parametrize(
    ("typed", "corrected"),
    [
        ("buscr acme", "buscar acme"),
        ("quen es acme", "quién es acme"),
        ("recuerda mañana llamar", "recordar mañana llamar"),
        ("queja acme Portal lento gravedda:alta", "queja acme Portal lento gravedad:alta"),
        ("oportunidad acme Piloto importte:5000", "oportunidad acme Piloto importe:5000"),
        ("ayuda buscr", "ayuda buscar"),
    ],
)
def test_did_you_mean_knows_the_spanish_names(typed: str, corrected: str) -> None:
    with pytest.raises(Usage) as unknown:
        read(typed, *NAMES)
    assert unknown.value.suggestion == corrected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("queja acme x gravedad:urgente", "severity: must be one of low/medium/high/critical"),
        ("etapa D7 ganadísima", "Say which stage"),
        ("suscribir #ventas mensual", "Say daily or weekly after the channel."),
        ("cuenta acme visibilidad:secreta", "visibility: must be public, team or private"),
        ("queja acme x severity:high gravedad:alta", "severity: is given twice (gravedad:"),
    ],
)
def test_a_spanish_value_nobody_knows_is_refused_like_an_english_one(
    typed: str, message: str
) -> None:
    with pytest.raises(Usage) as refused:
        read(typed, *NAMES)
    assert message in refused.value.message


def test_whether_a_line_writes_is_known_from_its_spanish_verb() -> None:
    assert not line_writes("quién es acme")
    assert not line_writes("lo mío")
    assert line_writes("queja acme x")
    assert line_writes("darse de baja #ventas")
    assert isinstance(read("ayuda"), Help)


# -- an option nobody knows -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "known"),
    [
        ("queja acme Portal lento foo:bar", "severity: (in Spanish gravedad:)"),
        ("complaint acme Portal slow gravity:high", "severity: (in Spanish gravedad:)"),
        (
            "buscar factura color:rojo",
            "type:, owner:, tier:, status:, stage:, industry:, country:, size:, source:, page: "
            "(in Spanish",
        ),
        ("cuenta acme segmento:pymes", "tier:, owner:, domain:, visibility:"),
        (
            "oportunidad acme Piloto moneda:EUR",
            "amount:, stage:, close:, source:, campaign: (in Spanish importe:",
        ),
        ("contacto acme Ana empresa:Acme", "role:, title:, email:, phone: (in Spanish rol:"),
        ("editar N9 texto:hola", "due:, when:, severity: (in Spanish vence:, cuándo:, gravedad:)"),
        ("historial acme hasta:2026-12-01", "type:, since:, page:"),
        ("complaint acme Portal down stage:lead", "severity:"),  # another command's key
        ('complaint acme Portal down ref:"A 12"', "severity:"),
    ],
)
def test_an_option_nobody_knows_is_refused_naming_the_known_ones(typed: str, known: str) -> None:
    with pytest.raises(Usage) as refused:
        read(typed, *NAMES)
    assert "I don't know the option “" in refused.value.message
    assert f"the options here are {known}" in refused.value.message
    assert "put it in quotes" in refused.value.message
    assert refused.value.topic is not None  # the command's usage follows


@pytest.mark.parametrize(
    "text",
    [
        "note: call back",  # nothing right after the colon
        "re: renewal",
        "re:renewal",  # a key of two letters
        "meeting at 10:30",  # digits
        "10h:30 sharp",
        "see https://acme.com/status and http://x.io",  # a slash after the colon
        "file:///tmp/x",
        "ok:) fine",
        r"C:\tmp\x",
        '"foo:bar" in quotes',
        "a2b:c",
    ],
)
def test_colons_in_free_text_stay_text(text: str) -> None:
    cmd = read(f"complaint acme {text}", *NAMES)
    assert getattr(cmd, "text", None) == text


@pytest.mark.parametrize(
    "verb", ["log acme", "agree acme", "remind mañana", "lost D7", "resolve C3"]
)
def test_a_command_without_options_keeps_every_colon_in_its_text(verb: str) -> None:
    cmd = read(f"{verb} llamar foo:bar nota:mañana", *NAMES)
    assert any("foo:bar nota:mañana" in str(v) for v in vars(cmd).values())
