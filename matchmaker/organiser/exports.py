"""Downloads of the published schedule for organisers."""

from datetime import UTC, datetime

from flask import abort, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from matchmaker.exports import Export, pdf
from matchmaker.exports.csv import schedule_csv
from matchmaker.exports.ical import schedule_ics
from matchmaker.extensions import db
from matchmaker.organiser import bp
from matchmaker.runner import dispatch_export
from matchmaker.services.schedules import export_jobs, published
from matchmaker.web import calendar_host, download


def _schedule(event_id: int):
    return published.published_schedule(db.session, event=g.event)


@bp.get("/events/<int:event_id>/exports")
def exports_page(event_id: int):
    event = g.event
    return render_template("organiser/exports.html", event=event)


@bp.get("/events/<int:event_id>/exports/schedule.csv")
def export_csv(event_id: int):
    return download(schedule_csv(_schedule(event_id), bom=request.args.get("bom") == "1"))


@bp.post("/events/<int:event_id>/exports/attendees-pdf")
def start_attendees_pdf(event_id: int):
    """The whole event's attendee PDF is made outside the request; its page follows it."""
    job = export_jobs.start_export(
        db.session,
        event=g.event,
        actor_id=current_user.id,
        large_print=request.form.get("large") == "1",
        now=datetime.now(UTC),
    )
    dispatch_export(job.id)
    return redirect(url_for(".export_job", event_id=event_id, job_id=job.id))


def _job(event_id: int, job_id: int):
    return export_jobs.get_export(
        db.session,
        event=g.event,
        job_id=job_id,
    )


@bp.get("/events/<int:event_id>/exports/jobs/<int:job_id>")
def export_job(event_id: int, job_id: int):
    job = _job(event_id, job_id)
    event = g.event
    return render_template("organiser/export_job.html", event=event, job=job)


@bp.get("/events/<int:event_id>/exports/jobs/<int:job_id>/status")
def export_job_status(event_id: int, job_id: int):
    job = _job(event_id, job_id)
    return jsonify(status=job.status, progress=job.progress, phase=job.phase, error=job.error)


@bp.get("/events/<int:event_id>/exports/jobs/<int:job_id>/file")
def export_job_file(event_id: int, job_id: int):
    job = _job(event_id, job_id)
    if job.data is None:
        abort(404)
    return download(Export(job.data, "application/pdf", job.filename))


@bp.get("/events/<int:event_id>/exports/locations.pdf")
def export_locations_pdf(event_id: int):
    return download(pdf.locations_pdf(_schedule(event_id)))


@bp.get("/events/<int:event_id>/exports/grid.pdf")
def export_grid_pdf(event_id: int):
    return download(pdf.grid_pdf(_schedule(event_id)))


@bp.get("/events/<int:event_id>/exports/schedule.ics")
def export_ics(event_id: int):
    return download(schedule_ics(_schedule(event_id), host=calendar_host(), per_person=False))
