"""Languages: English, German and French. The language is the one the person chose (kept on
their account, or for the visit before they log in), else the best their browser asks for;
dates, times, numbers and lists are written for it by Babel (CLDR)."""

from datetime import date, datetime

from babel import lists, numbers
from flask import Flask, request, session
from flask_babel import Babel, get_locale, gettext

from matchmaker.written import written as written_in

LANGUAGES = {"en": "English", "de": "Deutsch", "fr": "Français"}
DEFAULT = "en"
SESSION_KEY = "language"

babel = Babel()


def select_locale() -> str:
    """The language of this request: the account's, else the visit's, else the browser's."""
    from flask_login import current_user

    if request and not request.path.startswith("/api/"):
        if current_user and current_user.is_authenticated:
            if current_user.language in LANGUAGES:
                return current_user.language
    return language_without_account()


def language_without_account() -> str:
    """The language chosen for this visit, else the browser's: what a page that must not
    read the database (the database is down) is written in."""
    if not request:
        return DEFAULT
    if not request.path.startswith("/api/"):
        chosen = session.get(SESSION_KEY)
        if chosen in LANGUAGES:
            return chosen
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT)


def _locale() -> str:
    return str(get_locale() or DEFAULT)


def written(value: date | datetime, form: str = "day") -> str:
    """A date or time as the reader's language writes it (`matchmaker/written.py`)."""
    return written_in(value, form, _locale())


def number(value: float) -> str:
    """A number with the reader's separators."""
    return numbers.format_decimal(value, locale=_locale())


def listed(items) -> str:
    """Items as a list in words ("Ana, Bo and Cy", "Ana, Bo und Cy")."""
    items = [str(i) for i in items]
    return lists.format_list(items, locale=_locale()) if items else ""


def said(error) -> str:
    """A service's error in the reader's language (its template translated, then filled)."""
    return gettext(error.template, **error.values)


def said_each(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """A service's field messages in the reader's language (those written as they are
    marked; a message filled in by the service stays as it was written)."""
    return {field: [gettext(m) for m in messages] for field, messages in errors.items()}


def init_i18n(app: Flask) -> None:
    """Babel on the app, its filters for templates, and the chooser's languages."""
    babel.init_app(app, locale_selector=select_locale)
    # Whitespace inside {% trans %} is one space: a re-wrapped template keeps its messages.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.filters.update(written=written, number=number, listed=listed)
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, current_language=_locale)
