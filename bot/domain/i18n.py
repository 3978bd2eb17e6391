"""The team's language: every sentence Parley writes in Slack for the team goes through `_` or `ngettext`.

The catalogue is chosen once per process (`PARLEY_LOCALE`, installed by the composition root with
`use`). English needs none: the source strings are the English text, byte for byte. Replies to
customers are never translated here: the drafters follow the post's language.

Catalogues are package data (`bot/locales/<locale>/LC_MESSAGES/parley.mo`), compiled from the `.po`
files beside them; docs/translations.md says how to add a language.
"""

from __future__ import annotations

import gettext
from importlib import resources

DOMAIN = "parley"
SOURCE_LOCALE = "en"

_active: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a constant for extraction; it is translated where it is shown, with `_`."""
    return message


def available() -> tuple[str, ...]:
    """The locales Parley can speak: English and every bundled catalogue."""
    bundled = resources.files("bot") / "locales"
    found = sorted(p.name for p in bundled.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file())
    return (SOURCE_LOCALE, *found)


def catalogue(locale: str) -> gettext.NullTranslations:
    """The bundled catalogue for `locale`; raises LookupError for a language Parley does not speak."""
    if locale == SOURCE_LOCALE:
        return gettext.NullTranslations()
    if locale not in available():
        raise LookupError(f"no catalogue for {locale!r}; available: {', '.join(available())}")
    path = resources.files("bot") / "locales" / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as data:
        return gettext.GNUTranslations(data)


def use(translations: gettext.NullTranslations) -> None:
    """Speak this language from now on (once per process, at start-up; tests switch back)."""
    global _active  # noqa: PLW0603  the process's one language, like gettext.install, but not in builtins
    _active = translations


def use_locale(locale: str) -> None:
    use(catalogue(locale))
