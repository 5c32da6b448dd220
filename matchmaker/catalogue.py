"""The German and French catalogues (matchmaker/translations) for what is written outside a
request: mail and exports. No Flask: services and exporters both read it; pages go through
Flask-Babel (`i18n.py`), which reads the same catalogues."""

import functools
from pathlib import Path

from babel.support import NullTranslations, Translations

from matchmaker.written import ENGLISH

TRANSLATIONS = Path(__file__).parent / "translations"


def N_(text: str) -> str:
    """Marks a message for translation where it is written (extracted by pybabel); it is
    translated where it is shown, in the reader's language."""
    return text


@functools.cache
def translations(language: str | None) -> NullTranslations:
    """The catalogue of `language` (English, or one not installed: the messages as written)."""
    if not language or language == ENGLISH:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [language])


def say(language: str | None, text: str, **values) -> str:
    """`text` in `language`, its %(name)s filled."""
    said = translations(language).gettext(text)
    return said % values if values else said
