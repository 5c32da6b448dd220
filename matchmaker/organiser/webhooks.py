"""The event's webhooks: addresses told of its changes, their secrets, and the log of what
was delivered."""

from datetime import UTC, datetime

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from matchmaker import throttle
from matchmaker.extensions import db
from matchmaker.organiser import bp
from matchmaker.organiser.forms import WebhookForm
from matchmaker.services.core import webhooks
from matchmaker.services.errors import Invalid
from matchmaker.web import show_errors


def _page(form: WebhookForm, status: int = 200):
    event = g.event
    log = webhooks.delivery_log(db.session, event=event, page=request.args.get("page", 1, int))
    page = render_template(
        "organiser/webhooks.html",
        event=event,
        form=form,
        hooks=webhooks.list_webhooks(db.session, event=event),
        log=log,
    )
    return page, status, {"Cache-Control": "no-store"}


@bp.get("/events/<int:event_id>/webhooks")
def webhooks_page(event_id: int):
    return _page(WebhookForm())


@bp.post("/events/<int:event_id>/webhooks")
@throttle.per_person(throttle.WEBHOOK_CHANGES)
def add_webhook(event_id: int):
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            webhooks.add_webhook(
                db.session,
                event=g.event,
                url=form.url.data,
                kinds=form.kinds.data or [],
                allow_private=current_app.config["MATCHMAKER_WEBHOOKS_ALLOW_PRIVATE"],
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("The webhook is saved. Its secret is below: use it to check signatures."),
                  "success")  # fmt: skip
            return redirect(url_for(".webhooks_page", event_id=event_id))
    return _page(form, 400)


@bp.post("/events/<int:event_id>/webhooks/<int:webhook_id>/rotate")
@throttle.per_person(throttle.WEBHOOK_CHANGES)
def rotate_webhook_secret(event_id: int, webhook_id: int):
    webhooks.rotate_secret(db.session, event=g.event, webhook_id=webhook_id, now=datetime.now(UTC))
    flash(_("The secret is new. For a day, deliveries are signed with the old one too."), "success")
    return redirect(url_for(".webhooks_page", event_id=event_id))


@bp.post("/events/<int:event_id>/webhooks/<int:webhook_id>/remove")
def remove_webhook(event_id: int, webhook_id: int):
    webhooks.remove_webhook(db.session, event=g.event, webhook_id=webhook_id)
    flash(_("The webhook is removed: nothing more is sent to it."), "success")
    return redirect(url_for(".webhooks_page", event_id=event_id))
