"""Small helpers shared by the blueprints' views."""

import io
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import (
    Response,
    abort,
    current_app,
    g,
    render_template,
    request,
    send_file,
    session,
)
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

from matchmaker import boundary
from matchmaker.exports import Export
from matchmaker.extensions import db, login_manager
from matchmaker.i18n import said_each
from matchmaker.links import external_url
from matchmaker.mailer import current_mailer
from matchmaker.models import Event
from matchmaker.pretix_api import PretixShop
from matchmaker.runner.queues import QueueUnavailable
from matchmaker.services.core import access, reads, revisions
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Invalid
from matchmaker.services.introductions import ticket_shop
from matchmaker.services.people import passwords, signups
from matchmaker.services.setup import imports

ROW_ID_MAX = 2**31 - 1


def row_id_arg(value: str) -> int:
    """A row id from a query string (`request.args.get(name, type=row_id_arg)`): one beyond
    what the database holds reads as absent, like one that is not a number."""
    number = int(value)
    if not 0 < number <= ROW_ID_MAX:
        raise ValueError(f"{value} is not a row id")
    return number


def show_errors(form: FlaskForm, error: Invalid, aliases: dict[str, str] | None = None) -> None:
    """Put a service's field errors beside the form's fields (or on the form if none fits)."""
    for field_name, messages in said_each(error.errors).items():
        field = getattr(form, (aliases or {}).get(field_name, field_name), None)
        if field is None:
            form.form_errors.extend(messages)
        else:
            field.errors = list(field.errors) + messages


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def kept_fragment(
    event: Event, key: Hashable, template: str, context: Callable[[], dict]
) -> Markup:
    """A part of a page rendered once per change of the event (`services/core/revisions.py`) and
    kept: only for parts without forms (their CSRF tokens are each session's) and with nothing
    that differs between the people allowed to see it. `context()` runs only when rendering.
    Kept once per language: the words are the reader's."""

    def render() -> Markup:
        # Jinja escaped everything while rendering the template: the result is HTML already.
        return Markup(render_template(template, **context()))  # nosec B704

    return revisions.remembered(event, ("fragment", template, key, str(get_locale())), render)


READING = ("GET", "HEAD", "OPTIONS")


def read_without_transaction_on_get() -> None:
    """A before-request hook, ahead of any query (the user's included): a GET reads in
    autocommit and cannot write (`services/core/reads.py`); what a page must write when a
    time has passed (answers settled at the deadline) runs in a transaction of its own."""
    if request.method in READING:
        try:
            reads.read_without_transaction(db.session)
        except (OperationalError, InterfaceError):
            # The database does not answer: the page meets that on its first query, and
            # answers as it should (503, or the health check's own report).
            db.session.rollback()


def commit_what_the_request_wrote(response: Response) -> Response:
    """An after-request hook, the request's one commit: a write that succeeded (a status
    below 400) is committed, and then its mail sent and its jobs started; any other is rolled
    back. A commit that fails is answered like the same error raised by the view."""
    if request.method in READING:
        return response
    if response.status_code >= 400:
        boundary.discard()
        return response
    try:
        boundary.commit()
    except (SQLAlchemyError, QueueUnavailable) as error:
        # The work was not done (or its job was withdrawn when the queue did not answer).
        boundary.discard()
        session.pop("_flashes", None)  # what they said was done was not
        return current_app.make_response(current_app.handle_user_exception(error))
    return response


def require_organiser():
    """A before-request hook: log in first, and be an organiser."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_organiser:
        abort(403)
    return None


def load_organised_event() -> None:
    """A before-request hook after `require_organiser`: the event named in the URL, loaded
    and checked once per request as `g.event` (NotFound unless the user organises it)."""
    event_id = (request.view_args or {}).get("event_id")
    if event_id is not None:
        g.event = access.organised_event(db.session, event_id=event_id, actor_id=current_user.id)


def begin_sign_up(form, *, join_token: str | None) -> None:
    """Start a sign-up from a filled form (organiser, or attendee through a join link)."""
    signups.begin_sign_up(
        db.session,
        email=form.email.data,
        name=form.name.data,
        join_token=join_token,
        secret=current_app.secret_key,
        mailer=current_mailer(),
        links=signups.Links(
            confirm=lambda token: external_url("auth.confirm_sign_up", token=token),
            login=external_url("auth.login"),
            forgot=external_url("auth.forgot_password"),
        ),
        language=str(get_locale()),
    )


def claim_link(user) -> str:
    """The link in an invitation with which a new account is claimed (a password chosen)."""
    token = passwords.claim_token(user, secret=current_app.secret_key)
    return external_url("auth.claim_account", token=token)


def invitation_limits() -> imports.InvitationLimits:
    """How many invitations an organiser may send a day, from the configuration."""
    config = current_app.config
    return imports.InvitationLimits(
        per_day=config["MATCHMAKER_INVITATIONS_PER_DAY"],
        per_day_new=config["MATCHMAKER_INVITATIONS_PER_DAY_NEW"],
        new_days=config["MATCHMAKER_NEW_ORGANISER_DAYS"],
    )


def pretix_shop(connection) -> PretixShop:
    """The pretix event a connection names, read with its token."""
    return PretixShop(
        base_url=connection.base_url,
        organizer=connection.organizer_slug,
        event=connection.event_slug,
        token=connection.api_token,
        allow_private=current_app.config["MATCHMAKER_WEBHOOKS_ALLOW_PRIVATE"],
    )


def ticket_context(event: Event, actor_id: int | None) -> ticket_shop.Context:
    """What inviting the people of a ticket shop's orders needs (mail, links, limits)."""
    return ticket_shop.Context(
        actor_id=actor_id,
        now=datetime.now(UTC),
        mailer=current_mailer(),
        claim_link=claim_link,
        join_link=external_url("attendee.join", token=event.join_token),
        limits=invitation_limits(),
        notice=Notice(current_mailer(), external_url("attendee.introductions", slug=event.slug)),
    )


def calendar_host() -> str:
    """The host name in calendar UIDs: the site's own."""
    base = current_app.config["MATCHMAKER_BASE_URL"] or request.host_url
    return base.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]


def download(export: Export) -> Response:
    """A file to save: Flask writes its Content-Disposition (any file name, quoted as needed).
    Every download here is someone's own or their event's data: no cache keeps a copy."""
    response = send_file(io.BytesIO(export.data), as_attachment=True, download_name=export.filename)
    response.content_type = export.content_type  # with its charset, as the exporter wrote it
    response.headers["Cache-Control"] = "no-store"
    return response
