"""Did you mean: the known verb closest to an unknown one (`whoise` → `whois`).

A word people use for a command (`reminder`, `search`, `close`) maps to it directly;
otherwise a verb within a small edit distance (a letter missing, extra, wrong or two
swapped; two of those for longer words) is offered. Nothing close, no suggestion.
"""

from __future__ import annotations

from collections.abc import Collection

SYNONYMS = {
    "reminder": "remind",
    "reminders": "remind",
    "remindme": "remind",
    "followup": "remind",
    "follow-up": "remind",
    "task": "remind",
    "todo": "remind",
    "recordar": "remind",
    "recuerda": "remind",
    "recuérdame": "remind",
    "search": "find",
    "buscar": "find",
    "busca": "find",
    "who": "whois",
    "show": "whois",
    "lookup": "whois",
    "card": "whois",
    "quien": "whois",
    "quién": "whois",
    "note": "log",
    "registrar": "log",
    "agreement": "agree",
    "promise": "agree",
    "acuerdo": "agree",
    "complain": "complaint",
    "issue": "complaint",
    "queja": "complaint",
    "reclamación": "complaint",
    "close": "resolve",
    "solve": "resolve",
    "resolved": "resolve",
    "resolver": "resolve",
    "opportunity": "deal",
    "opp": "deal",
    "win": "won",
    "lose": "lost",
    "finish": "done",
    "complete": "done",
    "finished": "done",
    "hecho": "done",
    "postpone": "snooze",
    "later": "snooze",
    "posponer": "snooze",
    "handoff": "handover",
    "transfer": "handover",
    "vacation": "away",
    "holiday": "away",
    "ooo": "away",
    "today": "mine",
    "ayuda": "help",
}


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


def closest_verb(word: str, verbs: Collection[str]) -> str | None:
    """The verb `word` most likely meant, or None when none is close enough."""
    word = word.lower()
    if word in SYNONYMS and SYNONYMS[word] in verbs:
        return SYNONYMS[word]
    if len(word) < 2:
        return None
    allowed = 1 if len(word) <= 5 else 2
    scored = sorted((distance(word, verb), i, verb) for i, verb in enumerate(verbs))
    best = [(d, verb) for d, _, verb in scored if d <= allowed]
    if not best:
        return None
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None  # two verbs as close as each other: don't guess
    return best[0][1]
