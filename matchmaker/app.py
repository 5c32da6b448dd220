"""The app factory: configuration, extensions, blueprints, commands and error pages."""

import os

import sqlalchemy as sa
from flask import Flask, session
from flask_babel import lazy_gettext
from flask_login import user_logged_in
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, UnicodeConverter

from matchmaker.config import engine_options, load_config, trusted_hosts
from matchmaker.extensions import csrf, db, limiter, login_manager, mail, migrate


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Flask app from defaults, the environment and `test_config`."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(load_config(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        engine_options(
            app.config["SQLALCHEMY_DATABASE_URI"], app.config["MATCHMAKER_DB_WAIT_SECONDS"]
        ),
    )

    if hops := app.config["MATCHMAKER_PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    register_extensions(app)
    from matchmaker.i18n import init_i18n

    init_i18n(app)
    register_vocabulary(app)
    register_converters(app)
    register_blueprints(app)
    register_commands(app)
    register_errors(app)
    return app


class RowId(IntegerConverter):
    """An id in a path: what a database integer column holds (a larger one is no page)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


class Text(UnicodeConverter):
    """A path segment without NUL, which no stored text holds (PostgreSQL refuses it)."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]")


def register_converters(app: Flask) -> None:
    """Paths that name a row nobody could have (an id beyond a database integer, text with
    NUL) find no route: 404, never a database error."""
    app.url_map.converters["int"] = RowId
    app.url_map.converters["default"] = Text
    app.url_map.converters["string"] = Text


def register_extensions(app: Flask) -> None:
    from matchmaker import models
    from matchmaker.services.core import (
        reads,
        revisions,  # noqa: F401  (counts each event's revision)
    )

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, os.pardir, "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    # Ahead of the limiters' own hooks: an absurd email never reaches a counter or a query.
    from matchmaker.throttle import refuse_long_email

    app.before_request_funcs.setdefault(None, []).insert(0, refuse_long_email)
    from matchmaker.web import commit_what_the_request_wrote, read_without_transaction_on_get

    app.before_request(read_without_transaction_on_get)
    app.after_request(commit_what_the_request_wrote)
    from matchmaker.runner import sweep

    app.before_request(lambda: sweep.start(app))
    mail.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please log in to see that page.")
    login_manager.login_message_category = "info"

    @app.teardown_request
    def end_reading(_error: BaseException | None) -> None:
        # A write was committed or rolled back after the request; a read had no transaction.
        reads.done_reading(db.session())

    @user_logged_in.connect_via(app)
    def rotate_csrf_token(_sender, **_extra) -> None:
        # A token seen before login (by anyone who shared the page) is useless after it.
        session.pop(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)

    # Built once, not per page as `session.get` would (docs/performance.md).
    user_by_id = sa.select(models.User).where(models.User.id == sa.bindparam("user_id"))

    @login_manager.user_loader
    def load_user(session_id: str):
        user_id = session_id.partition(":")[0]
        user = (
            db.session.execute(user_by_id, {"user_id": int(user_id)}).scalar_one_or_none()
            if user_id.isdigit()
            else None
        )
        if user is None or not user.matches_session(session_id):
            return None  # the password changed, or the user logged out, since it began
        return user


def register_vocabulary(app: Flask) -> None:
    """Templates read labels from the vocabulary (`label` filter) and compare with its enums."""
    from flask_babel import gettext

    from matchmaker import vocabulary

    def label(value: str, of) -> str:
        return gettext(vocabulary.label(value, of))

    def small_group(topic: str) -> str:
        if topic:
            return gettext("Small group on %(topic)s", topic=topic)
        return gettext(vocabulary.label(vocabulary.MeetingKind.GROUP, vocabulary.MeetingKind))

    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["small_group"] = small_group
    app.jinja_env.globals.update(vocabulary.template_globals())


def register_blueprints(app: Flask) -> None:
    from matchmaker.attendee import bp as attendee_bp
    from matchmaker.auth import bp as auth_bp
    from matchmaker.main import bp as main_bp
    from matchmaker.organiser import bp as organiser_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(organiser_bp, url_prefix="/organiser")
    app.register_blueprint(attendee_bp)
    from matchmaker.api.register import init_api

    init_api(app)


def register_commands(app: Flask) -> None:
    from matchmaker.cli import commands

    for command in commands:
        app.cli.add_command(command)


def register_errors(app: Flask) -> None:
    from matchmaker import errors, security

    errors.register(app)
    security.register(app)
