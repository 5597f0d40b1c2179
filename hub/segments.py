"""Segmentation values in the hub's vocabulary: an account's industry, country, region,
size band, revenue and lead source and campaign, a deal's source and campaign.

Whatever writes them (a `/crm` line, an import row, a web form) reads them through these
functions, so a report groups "Retail" and "retail", "Spain" and "ES", "120" and
"51-200" as one segment. A value that cannot be one is refused (`Invalid`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from babel import Locale

from hub.errors import Invalid
from hub.i18n import _, current
from hub.text import fold

# Employees, smallest band first; a number is put in its band.
SIZE_BANDS = ("1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+")
_BAND_TOPS = (10, 50, 200, 1000, 5000)

LIMITS = {"industry": 80, "region": 80, "source": 60, "campaign": 120}

# Names people and CRMs write for a country that are not its name in English or Spanish.
_COUNTRY_NAMES = {
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "u.s.": "US",
    "united states of america": "US",
    "america": "US",
    "eeuu": "US",
    "ee.uu.": "US",
    "ee. uu.": "US",
    "holland": "NL",
    "the netherlands": "NL",
}


@cache
def _countries() -> dict[str, str]:
    """Folded country name (English, Spanish) or code → ISO 3166-1 alpha-2 code."""
    known: dict[str, str] = {}
    for tag in ("en", "es"):
        for code, name in Locale.parse(tag).territories.items():
            if len(code) == 2 and code.isalpha():
                known.setdefault(fold(name), code)
                known.setdefault(code.lower(), code)
    for name, code in _COUNTRY_NAMES.items():
        known.setdefault(fold(name), code)
    return known


def country_code(text: str | None) -> str | None:
    """`ES` for "ES", "es", "Spain", "España", "espana"; None for nothing typed."""
    text = " ".join((text or "").split())
    if not text:
        return None
    code = _countries().get(fold(text))
    if code is None:
        raise Invalid(
            _(
                "I don't know the country “{typed}”; use its two-letter code, e.g. ES or US.",
                typed=text,
            )
        )
    return code


def country_name(code: str) -> str:
    """The country's name in the reader's language ("Spain", "España"), else its code."""
    tag = "es_ES" if current() == "es" else "en"
    return str(Locale.parse(tag).territories.get(code, code))


def size_band(text: str | None) -> str | None:
    """The band of a size as typed: a band ("51-200", "51 – 200", "5000+") or a number of
    employees ("120", "1,200", "1.200") put in its band."""
    typed = " ".join((text or "").split())
    text = typed.replace(" ", "").replace("–", "-").replace("—", "-")
    if not text:
        return None
    if text in SIZE_BANDS:
        return text
    low = re.fullmatch(r"(\d[\d.,]*)(?:\+|-\d[\d.,]*)?", text)
    if low is not None:
        count = int(re.sub(r"[.,]", "", low.group(1)))
        if count > 0 or text.endswith("+"):
            return next(
                (band for band, top in zip(SIZE_BANDS, _BAND_TOPS, strict=False) if count <= top),
                SIZE_BANDS[-1],
            )
    raise Invalid(
        _(
            "size: must be a number of employees or one of {bands}, not “{typed}”.",
            bands=", ".join(SIZE_BANDS),
            typed=typed,
        )
    )


def source_name(text: str | None) -> str | None:
    """A lead source as reports group it: lower-case, one space between words, CRM
    constants read as words ("ORGANIC_SEARCH" → "organic search")."""
    return _limited("source", " ".join((text or "").replace("_", " ").split()).lower() or None)


def industry_name(text: str | None) -> str | None:
    """An industry as reports group it, the way a lead source is ("COMPUTER_SOFTWARE",
    "Computer software" → "computer software")."""
    return _limited("industry", " ".join((text or "").replace("_", " ").split()).lower() or None)


def free_text(what: str, text: str | None) -> str | None:
    """A region or a campaign: as typed, spaces tidied."""
    return _limited(what, " ".join((text or "").split()) or None)


def revenue_amount(amount: Decimal | None) -> Decimal | None:
    if amount is not None and amount < 0:
        raise Invalid(_("An account's revenue can't be negative."))
    return amount


def _limited(what: str, value: str | None) -> str | None:
    limit = LIMITS[what]
    if value is not None and len(value) > limit:
        raise Invalid(_("{what}: is limited to {limit} characters.", what=what, limit=str(limit)))
    return value
