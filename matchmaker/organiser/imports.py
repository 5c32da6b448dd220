"""Importing attendees from a CSV file: upload, preview every row, confirm."""

from datetime import UTC, datetime

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker import throttle
from matchmaker.extensions import db
from matchmaker.mailer import current_mailer
from matchmaker.organiser import bp
from matchmaker.organiser.forms import ImportForm
from matchmaker.services.errors import Invalid
from matchmaker.services.setup import imports
from matchmaker.web import claim_link, external_url, invitation_limits, show_errors


@bp.route("/events/<int:event_id>/import", methods=["GET", "POST"])
@throttle.per_person(throttle.UPLOADS_PER_ORGANISER)
def import_attendees(event_id: int):
    event = g.event
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            found = imports.parse_import(
                db.session,
                event=event,
                actor_id=current_user.id,
                data=upload.read(imports.MAX_BYTES + 1),
                filename=upload.filename or "",
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            return redirect(url_for(".import_preview", event_id=event_id, import_id=found.id))
    status = 400 if form.errors else 200
    page = render_template("organiser/import.html", event=event, form=form, columns=imports.COLUMNS)
    return page, status


@bp.get("/events/<int:event_id>/import/<int:import_id>")
def import_preview(event_id: int, import_id: int):
    found = imports.get_import(
        db.session,
        event=g.event,
        import_id=import_id,
    )
    allowed = imports.allowance(
        db.session, user=current_user, limits=invitation_limits(), now=datetime.now(UTC)
    )
    return render_template(
        "organiser/import_preview.html", event=g.event, found=found, allowed=allowed
    )


@bp.post("/events/<int:event_id>/import/<int:import_id>/confirm")
def confirm_import(event_id: int, import_id: int):
    applied = imports.apply_import(
        db.session,
        event=g.event,
        import_id=import_id,
        now=datetime.now(UTC),
        mailer=current_mailer(),
        claim_link=claim_link,
        join_link=external_url("attendee.join", token=g.event.join_token),
        limits=invitation_limits(),
    )
    flash(
        _(
            "Imported: %(invited)d invited, %(updated)d updated; invitations sent: %(sent)d.",
            invited=applied.created,
            updated=applied.updated,
            sent=applied.mailed,
        ),
        "success",
    )
    return redirect(url_for(".attendees", event_id=event_id))
