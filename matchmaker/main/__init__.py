"""The public pages."""

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, render_template
from sqlalchemy.exc import SQLAlchemyError

from matchmaker.errors import RETRY_SECONDS
from matchmaker.extensions import csrf, db
from matchmaker.runner import queues

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
