"""Clean error pages, and service errors turned into HTTP answers."""

from flask import Flask, current_app, render_template
from flask_babel import force_locale, gettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import (
    DataError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, SecurityError

from matchmaker import problems
from matchmaker.exports.pdf import FontsMissing
from matchmaker.extensions import db
from matchmaker.i18n import language_without_account, said, said_each
from matchmaker.runner.queues import QueueUnavailable
from matchmaker.services.errors import (
    Conflict,
    Forbidden,
    Gone,
    Invalid,
    NotFound,
    ServiceError,
    Unavailable,
)
from matchmaker.vocabulary import N_

TITLES = {
    400: N_("Bad request"),
    403: N_("Not yours"),
    404: N_("Page not found"),
    405: N_("Not allowed"),
    409: N_("Conflict"),
    410: N_("Closed"),
    413: N_("Too large"),
    429: N_("Too many at once"),
    500: N_("Something went wrong"),
    502: N_("Another service did not answer"),
    503: N_("Not available right now"),
}
RETRY_SECONDS = 30
DATABASE_DOWN = (
    "matchmaker cannot reach its database right now. Please try again in a minute: "
    "nothing you sent was lost or half-saved."
)
QUEUE_DOWN = (
    "Background work (matching runs, printed schedules) is unavailable right now, so nothing "
    "was started. Please try again in a minute."
)
RACE = (
    "Someone else changed this at the same moment. Reload the page to see the latest, "
    "then try again."
)


# The answer each kind of service error gets (the nearest kind in its class's ancestry).
STATUS_OF = {
    NotFound: 404,
    Forbidden: 403,
    Conflict: 409,
    Gone: 410,
    Invalid: 400,
    Unavailable: 502,
}


def status_of(error: ServiceError) -> int:
    """The HTTP status a service error is answered with (400 for any other kind)."""
    return next((STATUS_OF[k] for k in type(error).__mro__ if k in STATUS_OF), 400)


def render_error(status: int, message: str | None = None, errors: dict | None = None):
    """The error page, or for the API the same as problem details (`matchmaker/problems.py`)."""
    if problems.wants_problem():
        return problems.problem(status, message, errors=errors), status
    return render_template(
        "errors/error.html",
        status=status,
        title=gettext(TITLES.get(status, "Error")),
        message=message,
    ), status


def render_bare_error(status: int, message: str, headers: dict | None = None):
    """An error page that touches neither the database nor the URL map: rendered without the
    app's context processors (Flask-Login's would look up the logged-in user)."""
    if problems.wants_problem():
        return problems.problem(status, message), status, headers or {}
    with force_locale(language_without_account()):
        page = current_app.jinja_env.get_template("errors/bare.html").render(
            status=status, title=gettext(TITLES.get(status, "Error")), message=message
        )
    return page, status, headers or {}


def _rollback() -> None:
    """End a failed transaction, so that the error page itself can read the database."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.remove()


def _http_error(error: HTTPException, status: int):
    """An HTTP error's page; under the API, problem details with the error's own words and
    headers (a 405's Allow)."""
    if problems.wants_problem():
        return problems.from_http_error(error)
    return render_error(status)


def register(app: Flask) -> None:
    for status in TITLES:
        if status not in (429, 500, 503):  # 429: the limiter answers with its own page
            app.register_error_handler(status, lambda e, s=status: _http_error(e, s))

    @app.errorhandler(500)
    def server_error(_error):
        _rollback()
        try:
            return render_error(500)
        except Exception:  # noqa: BLE001 - the page of last resort must always render
            app.logger.exception("The error page failed too")
            return render_bare_error(500, "Sorry, that did not work. Please try again.")

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error):
        app.logger.error("Database unavailable: %s", error)
        _rollback()
        return render_bare_error(503, DATABASE_DOWN, {"Retry-After": str(RETRY_SECONDS)})

    @app.errorhandler(QueueUnavailable)
    def queue_unavailable(error):
        app.logger.error("Queue unavailable: %s", error)
        page, status = render_error(503, QUEUE_DOWN)
        return page, status, {"Retry-After": str(RETRY_SECONDS)}

    @app.errorhandler(FontsMissing)
    def fonts_missing(error):
        app.logger.error("%s", error)
        return render_error(503, "Printed schedules are not available on this server yet.")

    @app.errorhandler(DataError)
    def out_of_range(error):
        # A value the database cannot hold (an id beyond its integers, text with NUL) that
        # reached it through a query string or a form: the request was bad, not the server.
        app.logger.warning("A value the database cannot hold: %s", error.orig)
        _rollback()
        return render_error(400, "A value in the request is out of range or is not text.")

    @app.errorhandler(IntegrityError)
    @app.errorhandler(StaleDataError)
    def race(error):
        app.logger.warning("A concurrent change: %s", error)
        _rollback()
        return render_error(409, RACE)

    @app.errorhandler(SecurityError)
    def unknown_host(_error: SecurityError):
        # Routing never ran, so the normal page (which builds links) cannot be drawn.
        return render_bare_error(400, "This site does not answer to that host name.")

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError):
        return render_error(
            400,
            "The form had expired or came from elsewhere. Go back, reload the page "
            "and send it again: what you typed is still there when you go back.",
        )

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        errors = getattr(error, "errors", None)
        return render_error(status_of(error), said(error), errors and said_each(errors))
