"""The words of the `/crm` language besides the verbs' own: their Spanish names, the
Spanish names of options and of their values, and "did you mean" for a word no verb or
option has (`whoise` → `whois`).

Every Spanish word is an alias: it maps to the English word the parser reads, so the
language has one grammar and one table of verbs (`commands.parser.VERBS`). Aliases are
read in any case and with or without accents (`quién`, `quien`, `QUIEN`); one with
hyphens may be typed with spaces (`lo mío`, `darse de baja`).

A word people use for a command (`reminder`, `search`, `close`) maps to it directly;
otherwise a verb within a small edit distance (a letter missing, extra, wrong or two
swapped; two of those for longer words) is offered. Nothing close, no suggestion.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Mapping, Sequence


def bare(word: str) -> str:
    """`word` as aliases are looked up: case-folded, without accents (`Quién` → `quien`)."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


# The Spanish name of each verb (the first one is the one shown), and a few more forms.
VERB_ALIASES: dict[str, str] = {
    "quién": "whois",
    "buscar": "find",
    "historial": "timeline",
    "cronología": "timeline",
    "cuenta": "account",
    "contacto": "contact",
    "registrar": "log",
    "acuerdo": "agree",
    "cumplido": "kept",
    "cumplida": "kept",
    "incumplido": "broken",
    "incumplida": "broken",
    "queja": "complaint",
    "resolver": "resolve",
    "oportunidad": "deal",
    "etapa": "stage",
    "ganada": "won",
    "ganado": "won",
    "perdida": "lost",
    "perdido": "lost",
    "recordar": "remind",
    "hecho": "done",
    "hecha": "done",
    "posponer": "snooze",
    "traspasar": "handover",
    "ausente": "away",
    "vuelvo": "back",
    "lo-mío": "mine",
    "mío": "mine",
    "resumen": "digest",
    "informe": "report",
    "suscribir": "subscribe",
    "desuscribir": "unsubscribe",
    "darse-de-baja": "unsubscribe",
    "deshacer": "undo",
    "editar": "edit",
    "corregir": "edit",
    "borrar": "delete",
    "eliminar": "delete",
    "restaurar": "restore",
    "ayuda": "help",
}
_VERB_BY_BARE = {bare(alias): verb for alias, verb in VERB_ALIASES.items()}
LONGEST_ALIAS = max(alias.count("-") + 1 for alias in VERB_ALIASES)  # in words

# Spanish option keys: each maps to the key the parser reads.
OPTION_ALIASES: dict[str, str] = {
    "tipo": "type",
    "dueño": "owner",
    "dueña": "owner",
    "propietario": "owner",
    "propietaria": "owner",
    "responsable": "owner",
    "nivel": "tier",
    "estado": "status",
    "etapa": "stage",
    "página": "page",
    "desde": "since",
    "hasta": "until",
    "dominio": "domain",
    "visibilidad": "visibility",
    "equipo": "team",
    "departamento": "department",
    "canal": "channel",
    "renombrar": "rename",
    "nueva": "new",
    "nuevo": "new",
    "rol": "role",
    "cargo": "title",
    "correo": "email",
    "teléfono": "phone",
    "tel": "phone",
    "móvil": "phone",
    "gravedad": "severity",
    "importe": "amount",
    "cierre": "close",
    "vence": "due",
    "cuándo": "when",
    "idioma": "language",
    "lengua": "language",
    # An account's segmentation, a deal's source and campaign.
    "sector": "industry",
    "industria": "industry",
    "país": "country",
    "región": "region",
    "zona": "region",
    "tamaño": "size",
    "empleados": "size",
    "facturación": "revenue",
    "ingresos": "revenue",
    "origen": "source",
    "fuente": "source",
    "campaña": "campaign",
    # How a report groups its rows (`informe segmentos por:país`).
    "por": "by",
}
_KEY_BY_BARE = {bare(alias): key for alias, key in OPTION_ALIASES.items()}


def _with_plurals(words: Mapping[str, str]) -> dict[str, str]:
    """`words` (bare) and their plurals: `queja` → `quejas`, `interaccion` → `interacciones`."""
    plurals = {word + ("s" if word[-1] in "aeiou" else "es"): m for word, m in words.items()}
    return {**words, **plurals}


def _bare_keys(words: Mapping[str, str]) -> dict[str, str]:
    return {bare(word): meaning for word, meaning in words.items()}


# Spanish option values, by the option they are a value of: each maps to the value the
# parser reads (`gravedad:alta` is `severity:high`).
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "severity": _bare_keys(
        {
            "baja": "low",
            "bajo": "low",
            "media": "medium",
            "medio": "medium",
            "alta": "high",
            "alto": "high",
            "crítica": "critical",
            "crítico": "critical",
        }
    ),
    "stage": _bare_keys(
        {
            "nuevo": "lead",
            "nueva": "lead",
            "cualificada": "qualified",
            "cualificado": "qualified",
            "calificada": "qualified",
            "propuesta": "proposal",
            "negociación": "negotiation",
            "ganada": "won",
            "ganado": "won",
            "perdida": "lost",
            "perdido": "lost",
        }
    ),
    "visibility": _bare_keys(
        {
            "pública": "public",
            "público": "public",
            "equipo": "team",
            "privada": "private",
            "privado": "private",
        }
    ),
    "type": _with_plurals(
        _bare_keys(
            {
                "cuenta": "account",
                "contacto": "contact",
                "interacción": "interaction",
                "acuerdo": "agreement",
                "queja": "complaint",
                "oportunidad": "deal",
                "traspaso": "handover",
                "triaje": "triage",
            }
        )
    ),
    # An account's (prospect/active/paused/churned), a complaint's (open/resolved), an
    # agreement's (open/kept/broken).
    "status": _bare_keys(
        {
            "prospecto": "prospect",
            "potencial": "prospect",
            "activa": "active",
            "activo": "active",
            "pausada": "paused",
            "pausado": "paused",
            "baja": "churned",
            "perdida": "churned",
            "perdido": "churned",
            "abierta": "open",
            "abierto": "open",
            "resuelta": "resolved",
            "resuelto": "resolved",
            "cumplido": "kept",
            "cumplida": "kept",
            "incumplido": "broken",
            "incumplida": "broken",
        }
    ),
    "new": {"si": "yes"},
    # A grouped report's groupings (`por:sector` is `by:industry`): the Spanish names of
    # the options they group by.
    "by": _bare_keys(
        {
            alias: key
            for alias, key in OPTION_ALIASES.items()
            if key in ("tier", "industry", "country", "region", "size")
        }
    ),
    # A digest channel's language (`subscribe #ventas semanal idioma:es`).
    "language": _bare_keys(
        {
            "español": "es",
            "castellano": "es",
            "spanish": "es",
            "inglés": "en",
            "english": "en",
        }
    ),
}
# The reports `report` names, by their Spanish names (`informe embudo`).
REPORT_ALIASES: dict[str, str] = _bare_keys(
    {
        "embudo": "pipeline",
        "previsión": "forecast",
        "vendedores": "sellers",
        "comerciales": "sellers",
        "segmentos": "segments",
        "orígenes": "sources",
        "fuentes": "sources",
        "quejas": "complaints",
        "riesgo": "risk",
    }
)
# Words some verbs read after their id or channel: `subscribe #ventas semanal`,
# `digest ahora`.
WORD_ALIASES: dict[str, str] = {
    "semanal": "weekly",
    "diario": "daily",
    "diaria": "daily",
    "ahora": "now",
}


def verb_alias(words: Sequence[str]) -> tuple[str, int] | None:
    """The verb a line's first words name in Spanish, and how many words name it
    (`lo mío` is two, like `lo-mío`); None when they are no verb's Spanish name."""
    for n in range(min(LONGEST_ALIAS, len(words)), 0, -1):
        verb = _VERB_BY_BARE.get("-".join(bare(w) for w in words[:n]))
        if verb is not None:
            return verb, n
    return None


def option_key(key: str) -> str:
    """The key the parser reads for a typed one: `gravedad` → `severity`, `tier` → `tier`."""
    return _KEY_BY_BARE.get(bare(key), key.lower())


def option_value(key: str, value: str) -> str:
    """The value the parser reads for a typed value of option `key` (`alta` is `high`
    for `severity`); any other value as typed."""
    return VALUE_ALIASES.get(key, {}).get(bare(value), value)


def word_alias(word: str) -> str:
    """An English word some verb reads after its arguments, for a Spanish one."""
    return WORD_ALIASES.get(bare(word), word)


def report_alias(word: str) -> str:
    """The report a word names (`embudo` is `pipeline`); any other word as typed."""
    return REPORT_ALIASES.get(bare(word), word.lower())


def spanish_keys(keys: Collection[str]) -> dict[str, str]:
    """The Spanish keys of options `keys`, each with the key it is another name for."""
    return {alias: key for alias, key in OPTION_ALIASES.items() if key in keys}


# Words people use for a command that are no name of it: the line with the command's
# name is offered. A Spanish one offers the Spanish name.
SYNONYMS = {
    "reminder": "remind",
    "reminders": "remind",
    "remindme": "remind",
    "followup": "remind",
    "follow-up": "remind",
    "task": "remind",
    "todo": "remind",
    "recuerda": "recordar",
    "recuérdame": "recordar",
    "recordatorio": "recordar",
    "search": "find",
    "busca": "buscar",
    "who": "whois",
    "show": "whois",
    "lookup": "whois",
    "card": "whois",
    "note": "log",
    "agreement": "agree",
    "promise": "agree",
    "complain": "complaint",
    "issue": "complaint",
    "reclamación": "queja",
    "close": "resolve",
    "solve": "resolve",
    "resolved": "resolve",
    "opportunity": "deal",
    "opp": "deal",
    "win": "won",
    "lose": "lost",
    "finish": "done",
    "complete": "done",
    "finished": "done",
    "postpone": "snooze",
    "later": "snooze",
    "handoff": "handover",
    "transfer": "handover",
    "vacation": "away",
    "holiday": "away",
    "ooo": "away",
    "today": "mine",
}
_SYNONYM_BY_BARE = {bare(word): meant for word, meant in SYNONYMS.items()}


def distance(a: str, b: str) -> int:
    """Edits from `a` to `b`: insert, delete, replace, or swap two neighbours."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def closest_verb(
    word: str, verbs: Collection[str], meaning: Mapping[str, str] | None = None
) -> str | None:
    """The verb `word` most likely meant, or None when none is close enough. `meaning`
    maps another name of a verb (a Spanish alias) to the verb: two names as close as
    each other are no doubt when they name the same verb."""
    meaning = meaning or {}
    word = bare(word)
    synonym = _SYNONYM_BY_BARE.get(word)
    if synonym is not None and synonym in verbs:
        return synonym
    if len(word) < 2:
        return None
    allowed = 1 if len(word) <= 5 else 2
    scored = sorted((distance(word, bare(verb)), i, verb) for i, verb in enumerate(verbs))
    best = [(d, verb) for d, _, verb in scored if d <= allowed]
    if not best:
        return None
    tied = {meaning.get(verb, verb) for d, verb in best if d == best[0][0]}
    if len(tied) > 1:
        return None  # two verbs as close as each other: don't guess
    return best[0][1]
