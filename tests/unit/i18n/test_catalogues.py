"""Every text the team reads is in every catalogue, translated for real, and the compiled `.mo`
Parley loads at run time says exactly what its `.po` says."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.app.settings import Settings
from bot.domain import i18n

ROOT = Path(__file__).resolve().parents[3]
LOCALES = ROOT / "bot" / "locales"
TRANSLATED = [locale for locale in i18n.available() if locale != i18n.SOURCE_LOCALE]
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _source_texts() -> set[str | tuple[str, ...]]:
    """What `make translations` extracts: every `_`, `N_` and `ngettext` in the product."""
    found: set[str | tuple[str, ...]] = set()
    for folder in ("blocks", "handlers", "bot"):
        for _file, _line, message, _comments, _context in extract_from_dir(ROOT / folder):
            found.add(message if isinstance(message, str) else tuple(message))
    return found


def _po(locale: str) -> Path:
    return LOCALES / locale / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def test_italian_is_bundled() -> None:
    assert "it" in TRANSLATED


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_text_is_translated(locale: str) -> None:
    with _po(locale).open("rb") as data:
        catalogue = read_po(data)
    translated = {}
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else tuple(message.id)
        assert not message.fuzzy, f"fuzzy in {locale}: {key!r}"
        strings = [message.string] if isinstance(message.string, str) else list(message.string or ())
        assert all(strings), f"untranslated in {locale}: {key!r}"
        source = [key] if isinstance(key, str) else list(key)
        for text in strings:  # the same placeholders, or .format() raises KeyError at run time
            assert set(_PLACEHOLDER.findall(text)) == set(_PLACEHOLDER.findall(source[-1])), (key, text)
        translated[key] = strings
    missing = sorted(map(str, _source_texts() - translated.keys()))
    assert not missing, f"{locale} misses {len(missing)} texts (run `make translations`): {missing[:5]}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_the_compiled_catalogue_is_up_to_date(locale: str) -> None:
    with _po(locale).open("rb") as data:
        catalogue = read_po(data)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    expected = gettext.GNUTranslations(compiled)
    shipped = i18n.catalogue(locale)
    assert isinstance(shipped, gettext.GNUTranslations)
    assert shipped._catalog == expected._catalog, "the .mo is stale: run `make translations`"  # type: ignore[attr-defined]


def test_english_is_the_source_text_itself() -> None:
    i18n.use_locale("en")
    assert i18n._("Approve") == "Approve"
    assert i18n.ngettext("{count} open case", "{count} open cases", 2) == "{count} open cases"


def test_italian_plurals() -> None:
    i18n.use_locale("it")
    assert i18n.ngettext("{count} open case", "{count} open cases", 1) == "{count} caso aperto"
    assert i18n.ngettext("{count} open case", "{count} open cases", 3) == "{count} casi aperti"


def test_the_locale_setting() -> None:
    assert Settings.from_env({}).locale == "en"
    assert Settings.from_env({"PARLEY_LOCALE": "it"}).locale == "it"
    problems = Settings.from_env({"PARLEY_LOCALE": "klingon"}).problems
    assert any("PARLEY_LOCALE" in p and "en, it" in p for p in problems), problems


def test_an_unknown_locale_is_refused() -> None:
    with pytest.raises(LookupError):
        i18n.catalogue("klingon")
