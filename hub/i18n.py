"""Every text a person reads, in the reader's language: gettext catalogues managed with Babel.

Code writes the English text as the message id and marks it with `_`, `ngettext`,
`pgettext` or `N_` (for a text defined before anyone reads it), so `scripts/i18n`
extracts it into `hub/locale/relevo.pot`. A language is a catalogue,
`hub/locale/<lang>/LC_MESSAGES/relevo.po`, compiled to `.mo` when Relevo is installed.
English needs none: its texts are the message ids.

Whose language a text is in is the *reading* locale of this context (`reading_in`): the
runner sets it to the asking person's for every `/crm` line, the scheduler to the
recipient's or the channel's. Placeholders are named, `{name}`, and filled after the
translation, so a translator may move them.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

DOMAIN = "relevo"
LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT = "en"
LOCALES = ("en", "es")
# Discord and Slack name their languages with a region ("es-ES", "es_419"): the language
# is what comes before it.
_reading: ContextVar[str] = ContextVar("relevo_reading_locale", default=DEFAULT)


def language(tag: str | None) -> str | None:
    """The supported language of a locale tag ("es-ES" → "es"), else None."""
    lang = (tag or "").replace("_", "-").split("-")[0].lower()
    return lang if lang in LOCALES else None


@cache
def translations(locale: str) -> gettext.NullTranslations:
    if locale == DEFAULT:
        return gettext.NullTranslations()
    compiled = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not compiled.exists():
        raise RuntimeError(
            f"The {locale} catalogue is not compiled ({compiled}); run scripts/i18n compile."
        )
    with compiled.open("rb") as file:
        return gettext.GNUTranslations(file)


def current() -> str:
    """The language texts are written in here and now."""
    return _reading.get()


@contextmanager
def reading_in(locale: str | None) -> Iterator[str]:
    """Texts made inside are in `locale` (a tag like "es-ES" works; unknown → English)."""
    lang = language(locale) or DEFAULT
    token = _reading.set(lang)
    try:
        yield lang
    finally:
        _reading.reset(token)


def read_as(locale: str | None) -> None:
    """Switch the reading language until the enclosing `reading_in` ends: for code that
    learns whose texts it writes only once inside (the runner, once the person is read)."""
    if locale is not None:
        _reading.set(language(locale) or DEFAULT)


def _fill(text: str, fields: dict[str, object]) -> str:
    return text.format(**fields) if fields else text


def _(message: str, /, **fields: object) -> str:
    """`message` in the reader's language, its `{placeholders}` filled from `fields`."""
    return _fill(translations(current()).gettext(message), fields)


def ngettext(singular: str, plural: str, n: int, /, **fields: object) -> str:
    """The form for `n` in the reader's language; `{n}` is filled with `n`."""
    return _fill(translations(current()).ngettext(singular, plural, n), {"n": n, **fields})


def pgettext(context: str, message: str, /, **fields: object) -> str:
    """`message` where the same English words need telling apart (a button, a date pattern)."""
    return _fill(translations(current()).pgettext(context, message), fields)


def N_(message: str, /) -> str:
    """Marks a text for the catalogue without translating it yet (translate it with `_`)."""
    return message


def _babel_locale() -> str:
    return "es_ES" if current() == "es" else "en"


def day_text(value: date, *, year: bool = False) -> str:
    """A calendar day as the reader writes it: 'Thu 03 Dec', 'jue 3 dic' (with the year)."""
    pattern = (
        pgettext("date pattern", "EEE dd MMM yyyy")
        if year
        else pgettext("date pattern", "EEE dd MMM")
    )
    return format_date(value, pattern, locale=_babel_locale())


def short_day_text(value: date, *, year: bool = False) -> str:
    """A day in a dense line: '03 Dec', '3 dic' (with the year: '01 Jan 2020')."""
    pattern = (
        pgettext("date pattern", "dd MMM yyyy") if year else pgettext("date pattern", "dd MMM")
    )
    return format_date(value, pattern, locale=_babel_locale())


def month_text(value: date) -> str:
    """The month `value` falls in, with its year: 'November 2026', 'noviembre de 2026'."""
    return format_date(value, pgettext("date pattern", "LLLL yyyy"), locale=_babel_locale())


def number_text(value: int | Decimal, *, places: int = 3) -> str:
    """'1,250,000.5' in English, '1.250.000,5' in Spanish (up to `places` decimals)."""
    return format_decimal(value, format="#,##0." + "#" * places, locale=_babel_locale())


def money_text(amount: Decimal, currency: str | None) -> str:
    """'€48,000', '48.000 €', '€1,250,000.50': cents only when there are any."""
    locale = Locale.parse(_babel_locale())
    if not currency:
        return format_decimal(amount, format="#,##0.##", locale=locale)
    pattern = locale.currency_formats["standard"].pattern
    if amount == amount.to_integral_value():
        pattern = pattern.replace(".00", "")
    return format_currency(amount, currency, format=pattern, currency_digits=False, locale=locale)


def percent_text(fraction: float) -> str:
    """'25%' in English, '25 %' in Spanish (a fraction: 0.25 is 25 %)."""
    return format_percent(fraction, locale=_babel_locale())
