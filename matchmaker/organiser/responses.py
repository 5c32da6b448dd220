"""How attendees answer the published introductions, and the deadline for answers."""

from datetime import UTC, datetime

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from matchmaker.extensions import db
from matchmaker.organiser import bp
from matchmaker.organiser.forms import ResponseDeadlineForm
from matchmaker.services.errors import Invalid
from matchmaker.services.introductions import deadline
from matchmaker.web import show_errors


@bp.route("/events/<int:event_id>/responses", methods=["GET", "POST"])
def responses(event_id: int):
    event = g.event
    form = ResponseDeadlineForm()
    if request.method == "GET":
        form.deadline.data = event.response_deadline
        form.after_deadline.data = event.after_deadline
    elif form.validate_on_submit():
        try:
            deadline.set_response_deadline(
                db.session,
                event=event,
                deadline=form.deadline.data,
                after_deadline=form.after_deadline.data,
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("The response deadline is saved."), "success")
            return redirect(url_for(".responses", event_id=event_id))
    figures = deadline.response_figures(db.session, event=event, now=datetime.now(UTC))
    status = 400 if form.errors else 200
    return render_template(
        "organiser/responses.html", event=event, form=form, figures=figures
    ), status
