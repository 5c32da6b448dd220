"""The German and French catalogues (matchmaker/translations) for what is written outside a
request: mail and exports. No Flask: services and exporters both read it; pages go through
Flask-Babel (`i18n.py`), which reads the same catalogues."""

import functools
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Text:
    """A message marked for translation (`N_`), with the values of its %(name)s places and,
    for a count, its plural (`plural`, also marked; the count in `values["num"]`): shown in
    the reader's language where it is shown (`i18n.said`); `str()` gives the English."""

    template: str
    values: dict = field(default_factory=dict)
    plural: str | None = None

    def __str__(self) -> str:
        return self.words(NullTranslations())

    def words(self, catalogue: NullTranslations) -> str:
        """The message in `catalogue`'s language, filled."""
        # Both forms are messages of their own (N_ marks one string); German and French
        # take the plural where English does, but for 0 in French (a near miss, kept).
        one = self.plural is None or self.values["num"] == 1
        said = catalogue.gettext(self.template if one else self.plural)
        return said % self.values if self.values else said
