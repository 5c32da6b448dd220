"""Clean error pages, and service errors turned into HTTP answers."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import SecurityError

from matchmaker.services.errors import ServiceError

TITLES = {
    400: "Bad request",
    403: "Not yours",
    404: "Page not found",
    405: "Not allowed",
    409: "Conflict",
    410: "Closed",
    413: "Too large",
    500: "Something went wrong",
}


def render_error(status: int, message: str | None = None):
    return render_template(
        "errors/error.html",
        status=status,
        title=TITLES.get(status, "Error"),
        message=message,
    ), status


def render_bare_error(status: int, message: str, headers: dict | None = None):
    """An error page that touches neither the database nor the URL map."""
    page = render_template(
        "errors/bare.html", status=status, title=TITLES.get(status, "Error"), message=message
    )
    return page, status, headers or {}


def register(app: Flask) -> None:
    for status in TITLES:
        app.register_error_handler(status, lambda e, s=status: render_error(s))

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
        return render_error(error.status, error.message)
