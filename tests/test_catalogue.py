"""Every text a person reads has a Spanish translation with the same placeholders.

The texts are what `scripts/i18n update` extracts from the code (marked with `_`,
`ngettext`, `pgettext`, `N_`); the translations are hub/locale/es/LC_MESSAGES/relevo.po.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "commands", "hub", "integrations", "search")
Key = tuple[str, str | None]  # the English text (the singular of a plural) and its context


def _marked() -> dict[Key, tuple[str, ...]]:
    """Each marked text of the code, as its forms (one, or singular and plural)."""
    found: dict[Key, tuple[str, ...]] = {}
    for package in PACKAGES:
        for filename, _line, message, _notes, context in extract_from_dir(
            str(ROOT / package), method_map=[("**.py", "python")]
        ):
            forms = tuple(message) if isinstance(message, tuple) else (message,)
            assert all(forms), f"{package}/{filename}: an empty text is marked"
            found[(forms[0], context)] = forms
    return found


def _spanish() -> Catalog:
    with (ROOT / "hub/locale/es/LC_MESSAGES/relevo.po").open("rb") as po:
        return read_po(po)


def _fields(text: str) -> set[str]:
    return {
        name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name
    }


def _translations(catalog: Catalog) -> Iterator[tuple[Key, tuple[str, ...], tuple[str, ...]]]:
    for message in catalog:
        if not message.id:
            continue  # the header
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        yield (ids[0], message.context), ids, strs


MARKED = _marked()
SPANISH = _spanish()


def test_the_code_marks_its_texts_for_translation() -> None:
    assert ("today", None) in MARKED  # the extraction itself works (keywords and paths)


@pytest.mark.parametrize("key", sorted(MARKED, key=str), ids=lambda key: key[0][:40])
def test_every_marked_text_has_a_spanish_translation(key: Key) -> None:
    message = SPANISH.get(key[0], context=key[1])
    assert message is not None, f"{key[0]!r} is not in the Spanish catalogue: scripts/i18n update"
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    assert all(strings), f"{key[0]!r} has no Spanish translation"
    assert not message.fuzzy, f"{key[0]!r} is marked fuzzy: check its translation"
    forms = MARKED[key]
    assert (message.id if isinstance(message.id, tuple) else (message.id,)) == forms


def test_spanish_translations_keep_the_english_placeholders() -> None:
    differ = []
    for key, ids, strs in _translations(SPANISH):
        wanted = set().union(*map(_fields, ids))
        for translated in filter(None, strs):
            got = _fields(translated)
            # A plural's singular may say "one" instead of {n}; nothing else may go missing.
            allowed_missing = {"n"} if len(ids) > 1 else set()
            if got - wanted or (wanted - got) - allowed_missing:
                differ.append(f"{key[0]!r}: {sorted(wanted)} vs {translated!r}")
    assert not differ, "\n".join(differ)


def test_the_spanish_catalogue_holds_only_texts_the_code_uses() -> None:
    unused = [key[0] for key, _ids, _strs in _translations(SPANISH) if key not in MARKED]
    assert not unused, f"no longer in the code (scripts/i18n update drops them): {unused}"
