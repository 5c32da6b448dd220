"""Languages: English, German and French. The language is the one the person chose (kept on
their account, or for the visit before they log in), else the best their browser asks for;
dates, times, numbers and lists are written for it by Babel (CLDR)."""

import re
from datetime import date, datetime

from babel import lists, numbers
from flask import Flask, request, session
from flask_babel import Babel, get_locale, get_translations, gettext

from matchmaker.catalogue import Text
from matchmaker.matcher_words import said_again
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


def number(value: float, digits: int | None = None) -> str:
    """A number with the reader's separators (and exactly `digits` after the point, if
    given)."""
    shape = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
    return numbers.format_decimal(value, format=shape, locale=_locale())


def listed(items) -> str:
    """Items as a list in words ("Ana, Bo and Cy", "Ana, Bo und Cy")."""
    items = [str(i) for i in items]
    return lists.format_list(items, locale=_locale()) if items else ""


_PAGE_OF = re.compile(r"page (\d+) of (\d+)")


def phase_said(phase: str | None) -> str:
    """A background job's phase (marked where the job writes it) in the reader's language."""
    if not phase:
        return ""
    if found := _PAGE_OF.fullmatch(phase):
        return gettext("page %(done)s of %(total)s", done=found[1], total=found[2])
    return gettext(phase)


def row_said(row: dict) -> str:
    """Why an import's line is rejected or left as it is, in the reader's language (a list
    read before the reasons were kept as messages keeps its English)."""
    if row.get("reasons"):
        return "; ".join(said(Text(template, values)) for template, values in row["reasons"])
    return gettext(row["reason"]) if row.get("reason") else ""


def reasons_said(lines) -> list[str]:
    """The matcher's reasons or starters in the reader's language (`matcher_words`)."""
    catalogue, language = get_translations(), _locale()
    return [said_again(line, catalogue, language) for line in lines or ()]


def status_said(status: dict) -> dict:
    """A job's status for its page's progress bar, the phase in the reader's language."""
    return {**status, "phase": phase_said(status.get("phase"))}


def said(error) -> str:
    """A service's error or `catalogue.Text` in the reader's language (its template
    translated, then filled)."""
    if isinstance(error, Text):
        return error.words(get_translations(), _locale())
    return gettext(error.template, **error.values)


def said_each(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """A service's field messages in the reader's language (those written as they are
    marked; a message filled in by the service stays as it was written)."""
    return {
        field: [said(m) if isinstance(m, Text) else gettext(m) for m in messages]
        for field, messages in errors.items()
    }


def init_i18n(app: Flask) -> None:
    """Babel on the app, its filters for templates, and the chooser's languages."""
    babel.init_app(app, locale_selector=select_locale)
    # Whitespace inside {% trans %} is one space: a re-wrapped template keeps its messages.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.filters.update(
        written=written,
        number=number,
        listed=listed,
        phase=phase_said,
        said=said,
        row_said=row_said,
        reasons_said=reasons_said,
    )
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, current_language=_locale)
