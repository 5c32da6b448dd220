"""Downloads of the published schedule for organisers."""

from flask import render_template, request
from flask_login import current_user

from matchmaker.exports import pdf
from matchmaker.exports.csv import schedule_csv
from matchmaker.exports.ical import schedule_ics
from matchmaker.extensions import db
from matchmaker.organiser import bp
from matchmaker.services import exports, matching
from matchmaker.web import calendar_host, download


def _schedule(event_id: int):
    return exports.published_schedule(db.session, event_id=event_id, actor_id=current_user.id)


@bp.get("/events/<int:event_id>/exports")
def exports_page(event_id: int):
    event = matching.load_event(db.session, event_id, current_user.id)
    return render_template("organiser/exports.html", event=event)


@bp.get("/events/<int:event_id>/exports/schedule.csv")
def export_csv(event_id: int):
    return download(schedule_csv(_schedule(event_id), bom=request.args.get("bom") == "1"))


@bp.get("/events/<int:event_id>/exports/attendees.pdf")
def export_attendees_pdf(event_id: int):
    large = request.args.get("large") == "1"
    return download(pdf.attendees_pdf(_schedule(event_id), large_print=large))


@bp.get("/events/<int:event_id>/exports/locations.pdf")
def export_locations_pdf(event_id: int):
    return download(pdf.locations_pdf(_schedule(event_id)))


@bp.get("/events/<int:event_id>/exports/grid.pdf")
def export_grid_pdf(event_id: int):
    return download(pdf.grid_pdf(_schedule(event_id)))


@bp.get("/events/<int:event_id>/exports/schedule.ics")
def export_ics(event_id: int):
    return download(schedule_ics(_schedule(event_id), host=calendar_host(), per_person=False))
