"""The event's ticket shop (pretix): connect it, map its questions to profile fields, import
its orders' attendees now; its webhooks keep them in step after that."""

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from matchmaker import throttle
from matchmaker.extensions import db
from matchmaker.organiser import bp
from matchmaker.organiser.forms import PretixForm
from matchmaker.services.errors import Invalid
from matchmaker.services.introductions import ticket_shop
from matchmaker.web import external_url, pretix_shop, show_errors, ticket_context


def _page(form: PretixForm, status: int = 200, result: ticket_shop.Synced | None = None):
    event = g.event
    connection = ticket_shop.connection_of(db.session, event)
    hook = (
        external_url("main.pretix_webhook", token=connection.webhook_token) if connection else None
    )
    page = render_template(
        "organiser/pretix.html",
        event=event,
        form=form,
        connection=connection,
        hook=hook,
        fields=ticket_shop.FIELDS,
        result=result,
    )
    return page, status, {"Cache-Control": "no-store"}


def _saved_form() -> PretixForm:
    """The connection form showing what is saved (never the token)."""
    connection = ticket_shop.connection_of(db.session, g.event)
    form = PretixForm(formdata=None)
    if connection:
        form.base_url.data = connection.base_url
        form.organizer.data = connection.organizer_slug
        form.event_slug.data = connection.event_slug
        form.count_pending.data = connection.count_pending
    return form


@bp.get("/events/<int:event_id>/pretix")
def pretix_page(event_id: int):
    return _page(_saved_form())


@bp.post("/events/<int:event_id>/pretix")
@throttle.per_person(throttle.TICKET_SHOP_CHANGES)
def connect_pretix(event_id: int):
    form = PretixForm()
    if form.validate_on_submit():
        try:
            ticket_shop.connect(
                db.session,
                event=g.event,
                base_url=form.base_url.data,
                organizer=form.organizer.data,
                event_slug=form.event_slug.data,
                token=form.token.data,
                count_pending=bool(form.count_pending.data),
                allow_private=current_app.config["MATCHMAKER_WEBHOOKS_ALLOW_PRIVATE"],
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("The event is connected to pretix. Now read its questions, or import its "
                    "orders."), "success")  # fmt: skip
            return redirect(url_for(".pretix_page", event_id=event_id))
    return _page(form, 400)


@bp.post("/events/<int:event_id>/pretix/questions")
@throttle.per_person(throttle.TICKET_SHOP_CHANGES)
def pretix_questions(event_id: int):
    connection = ticket_shop.connection_of(db.session, g.event)
    if connection is None:
        flash(_(ticket_shop.NOT_CONNECTED), "error")
        return redirect(url_for(".pretix_page", event_id=event_id))
    found = ticket_shop.load_questions(db.session, event=g.event, shop=pretix_shop(connection))
    flash(ngettext("pretix has %(num)d question with an identifier: choose what it fills.",
                   "pretix has %(num)d questions with an identifier: choose what each fills.",
                   len(found)),
          "success")  # fmt: skip
    return redirect(url_for(".pretix_page", event_id=event_id))


@bp.post("/events/<int:event_id>/pretix/mapping")
def pretix_mapping(event_id: int):
    mapping = {
        key.removeprefix("q-"): value for key, value in request.form.items() if key.startswith("q-")
    }
    ticket_shop.save_mapping(db.session, event=g.event, mapping=mapping)
    flash(_("Saved: the next import and every webhook fill these fields."), "success")
    return redirect(url_for(".pretix_page", event_id=event_id))


@bp.post("/events/<int:event_id>/pretix/import")
@throttle.per_person(throttle.UPLOADS_PER_ORGANISER)
def pretix_import(event_id: int):
    event = g.event
    connection = ticket_shop.connection_of(db.session, event)
    if connection is None:
        flash(_(ticket_shop.NOT_CONNECTED), "error")
        return redirect(url_for(".pretix_page", event_id=event_id))
    synced = ticket_shop.import_orders(
        db.session,
        event=event,
        shop=pretix_shop(connection),
        ctx=ticket_context(event, current_user.id),
    )
    flash(_("Imported from pretix: %(result)s", result=synced.summary()), "success")
    return _page(_saved_form(), result=synced)


@bp.post("/events/<int:event_id>/pretix/disconnect")
def disconnect_pretix(event_id: int):
    ticket_shop.disconnect(db.session, event=g.event)
    flash(_("The event is no longer connected to pretix; its attendees stay."), "success")
    return redirect(url_for(".pretix_page", event_id=event_id))
