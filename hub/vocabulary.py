"""The hub's vocabulary: how a domain, a name, an e-mail address, a phone number and a
choice are written, whichever door they come in by.

A `/crm` line, a CSV row, a web lead and an inbound e-mail all go through these, so that
`https://www.Acme.com/pricing` typed in chat, `acme.com` in a HubSpot export and a lead
from someone@acme.com name one company. Stored values are the normalised ones; what a
sender wrote is kept as they wrote it only in free text.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

from hub.errors import Invalid
from hub.i18n import _
from hub.text import fold

MAX_NAME = 200  # an account's or contact's name, and its folded key
MAX_DOMAIN = 253  # the longest DNS name
MAX_EMAIL = 254  # RFC 5321's longest path
MAX_PHONE = 60

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def normalise_domain(value: str | None) -> str | None:
    """The domain a website, a URL or a bare domain names, as the hub stores it.

    "https://www.Acme.com/path", "acme.com." and "ACME.COM:443" are all "acme.com": the
    scheme, user, port, path, query, a trailing dot and one leading "www." go, and case
    is folded. None when nothing is left.
    """
    if not value:
        return None
    host = _SCHEME.sub("", value.strip().lower())
    host = re.split(r"[/?#\s]", host, maxsplit=1)[0]
    host = host.rpartition("@")[2].partition(":")[0].rstrip(".")
    return host.removeprefix("www.") or None


def normalise_email(value: str | None) -> str | None:
    """An e-mail address as the hub stores and compares it: trimmed, lowercased."""
    if value is None:
        return None
    return value.strip().lower() or None


def looks_like_email(address: str) -> bool:
    """Something@somewhere.tld, no spaces: what a form or a file must give as an address."""
    return bool(_EMAIL.fullmatch(address))


def email_domain(address: str) -> str | None:
    """The domain of an e-mail address, normalised like any other domain."""
    return normalise_domain(address.strip().rpartition("@")[2])


def normalise_phone(value: str | None) -> str | None:
    """A phone number as written, its white space folded to single spaces."""
    if value is None:
        return None
    return " ".join(value.split()) or None


# A phone number however it is spelt: `+34 600 111 222`, `0034-600-111-222`, `(600) 111 222`.
_PHONE_SPELLING = re.compile(r"^(?:\+|00)?[\d\s().\-/]+$")
# Shapes of a date (2026-11-20, 20/11/2026), which are digits and separators too.
_DATE_SHAPE = re.compile(r"^\d{1,4}[-./]\d{1,2}[-./]\d{1,4}$")
PHONE_MIN_DIGITS = 7  # fewer digits are a number in a text, not a phone number
PHONE_MAX_DIGITS = 15  # the longest number E.164 allows


def phone_digits(value: str | None) -> str:
    """A phone number's digits, the international prefix "00" dropped: what two
    spellings of one number have in common ("+34 600 111 222" and "0034600111222")."""
    digits = re.sub(r"\D", "", value or "")
    return digits[2:] if (value or "").lstrip().startswith("00") else digits


def phone_query(text: str) -> str | None:
    """The digits to look for when `text` reads as a phone number, else None.

    A national trunk "0" is dropped too ("07700 900123" is "+44 7700 900123" at home), and
    the digits match any phone number that contains them: "600 111 222" finds
    "+34 600 111 222".
    """
    typed = " ".join(text.split())
    if not _PHONE_SPELLING.match(typed) or _DATE_SHAPE.match(typed):
        return None
    digits = phone_digits(typed)
    if not typed.startswith(("+", "00")) and digits.startswith("0"):
        digits = digits[1:]
    if not PHONE_MIN_DIGITS <= len(digits) <= PHONE_MAX_DIGITS:
        return None
    return digits


def phone_keys(phone: str | None) -> list[str]:
    """What a phone number is found by in the search index: its digits and every tail of
    them of PHONE_MIN_DIGITS or more, so that the number as dialled at home, without the
    country code, matches too (a search engine matches a word's start, not its end)."""
    digits = phone_digits(phone)[: PHONE_MAX_DIGITS + 3]
    return [digits[i:] for i in range(max(len(digits) - PHONE_MIN_DIGITS + 1, 0))]


def clean_name(name: str) -> str:
    """A name as stored: its white space folded to single spaces."""
    return " ".join(name.split())


def name_key(name: str) -> str:
    """The lookup and uniqueness key of a name (see `hub.text.fold`)."""
    return fold(name)


def fitting(name: str, limit: int = MAX_NAME) -> str:
    """`name` cut so that it and its folded key (which can be longer: "ß" is "ss") fit
    in `limit` characters: a sender's odd name is shortened, never a reason to drop them."""
    name = clean_name(name)[:limit]
    while len(fold(name)) > limit:
        name = name[:-1]
    return name


def choices(kinds: type[enum.StrEnum] | Iterable[str]) -> str:
    """The allowed values of an enum (or any list), as shown in a refusal: "a/b/c"."""
    return "/".join(str(k.value if isinstance(k, enum.Enum) else k) for k in kinds)


def is_choice(value: str, kinds: type[enum.StrEnum]) -> bool:
    return value in {k.value for k in kinds}


def check_choice(label: str, value: str | None, kinds: type[enum.StrEnum]) -> None:
    """Refuse `value` unless it is one of `kinds` (None passes: nothing to check)."""
    if value is not None and not is_choice(value, kinds):
        raise Invalid(
            _(
                "{label} must be one of {choices}, not “{value}”.",
                label=_(label),
                choices=choices(kinds),
                value=value,
            )
        )
