"""The German and French catalogues (matchmaker/translations) for what is written outside a
request: mail and exports. No Flask: services and exporters both read it; pages go through
Flask-Babel (`i18n.py`), which reads the same catalogues."""

import functools
from datetime import datetime
from pathlib import Path

from babel.support import NullTranslations, Translations

from matchmaker.written import ENGLISH, written

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


class Text(str):
    """A message marked for translation (`N_`), with the values of its %(name)s places and,
    for a count, its plural (`plural`, also marked; the count in `values["num"]`). As a
    string it is the English, so it goes wherever text goes (JSON, logs, comparisons); where
    it is shown, `i18n.said` gives it in the reader's language. A time among the values is
    written as that language writes a weekday and a time."""

    template: str
    values: dict
    plural: str | None

    def __new__(cls, template: str, values: dict | None = None, plural: str | None = None):
        values = values or {}
        made = super().__new__(cls, _filled(NullTranslations(), template, values, plural, ENGLISH))
        made.template, made.values, made.plural = template, values, plural
        return made

    def words(self, catalogue: NullTranslations, language: str | None = None) -> str:
        """The message in `catalogue`'s language (`language`), filled."""
        return _filled(catalogue, self.template, self.values, self.plural, language)


def _filled(catalogue, template: str, values: dict, plural: str | None, language) -> str:
    # Both forms are messages of their own (N_ marks one string); German and French take the
    # plural where English does, but for 0 in French (a near miss, kept).
    one = plural is None or values["num"] == 1
    said = catalogue.gettext(template if one else plural)
    if not values:
        return said
    shown = {
        key: written(value, "weekday_clock", language) if isinstance(value, datetime)
        else value.words(catalogue, language) if isinstance(value, Text)
        else value
        for key, value in values.items()
    }  # fmt: skip
    return said % shown
