"""The public pages, and the addresses other systems post to."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from matchmaker import throttle
from matchmaker.errors import RETRY_SECONDS
from matchmaker.extensions import csrf, db
from matchmaker.i18n import LANGUAGES, SESSION_KEY
from matchmaker.models import Event
from matchmaker.runner import queues
from matchmaker.services.introductions import ticket_shop
from matchmaker.web import pretix_shop, safe_next, ticket_context

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    return render_template("main/home.html")


@bp.get("/healthz")
@csrf.exempt
def health():
    """For load balancers: 200 when the app and its database answer, else 503; the queue
    is reported too, but a web process without it still serves pages (200, "degraded")."""
    try:
        db.session.execute(sa.text("SELECT 1"))
        db.session.rollback()
    except SQLAlchemyError as error:
        db.session.remove()
        body = {
            "status": "unavailable",
            "app": "ok",
            "database": type(error).__name__,
            "queue": queues.health(current_app),
        }
        return jsonify(body), 503, {"Retry-After": str(RETRY_SECONDS)}
    queue = queues.health(current_app)
    status = "ok" if queue == "ok" else "degraded"
    return jsonify(status=status, app="ok", database="ok", queue=queue)


@bp.post("/hooks/pretix/<token>")
@csrf.exempt
@throttle.per_address(throttle.PRETIX_WEBHOOKS_PER_ADDRESS)
def pretix_webhook(token: str):
    """pretix tells of a change of an order: read it again and bring its people in step.
    2xx when done or not ours to do; an error otherwise, so that pretix tries again."""
    connection = ticket_shop.connection_for_webhook(db.session, token=token)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(error="The body is not a JSON object."), 400
    event = db.session.get(Event, connection.event_id)
    synced = ticket_shop.on_webhook(
        db.session,
        connection=connection,
        payload=payload,
        shop=pretix_shop(connection),
        ctx=ticket_context(event, None),
    )
    return jsonify(done=synced is not None, result=connection.last_result if synced else "")


@bp.post("/language")
def choose_language():
    """The language chosen in the footer: for this visit, and on the account when logged in
    (its messages are written in it too)."""
    chosen = request.form.get("language", "")
    if chosen in LANGUAGES:
        session[SESSION_KEY] = chosen
        if current_user.is_authenticated:
            current_user.language = chosen
    return redirect(_back() or url_for("main.home"))


def _back() -> str | None:
    """The page the chooser was on (the browser's Referer, same site only: the pages carry
    no copy of their own address, which would differ between two that must look alike)."""
    back = urlsplit(request.referrer or "")
    if back.netloc != request.host:
        return None
    return safe_next(back.path + (f"?{back.query}" if back.query else ""))
