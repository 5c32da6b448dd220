"""Downloads of the published schedule for organisers, in the formats of the registry."""

from datetime import UTC, datetime

from flask import abort, g, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from matchmaker import runner
from matchmaker.boundary import after_commit
from matchmaker.exports import PDF, Export
from matchmaker.exports.formats import SCHEDULE_FORMATS, Options
from matchmaker.extensions import db
from matchmaker.i18n import status_said
from matchmaker.links import external_url
from matchmaker.models import ExportJob
from matchmaker.organiser import bp
from matchmaker.runner import dispatch_export
from matchmaker.services.core import jobs, reads
from matchmaker.services.schedules import export_jobs, published
from matchmaker.web import calendar_host, download


@bp.get("/events/<int:event_id>/exports")
def exports_page(event_id: int):
    return render_template("organiser/exports.html", event=g.event)


@bp.get("/events/<int:event_id>/exports/<format_id>")
def export_file(event_id: int, format_id: str):
    """The schedule as a file of one of the registry's formats (those made in a request)."""
    found = SCHEDULE_FORMATS.get(format_id)
    if found is None or found.in_background:
        abort(404)
    schedule = published.published_schedule(
        db.session, event=g.event, now=datetime.now(UTC), language=str(get_locale())
    )
    options = Options(
        host=calendar_host(),
        bom=request.args.get("bom") == "1",
        table_link=lambda code: external_url("attendee.at_table", slug=g.event.slug, code=code),
    )
    return download(found.build(schedule, options))


@bp.post("/events/<int:event_id>/exports/attendees-pdf")
def start_attendees_pdf(event_id: int):
    """The whole event's attendee PDF is made outside the request; its page follows it."""
    job = export_jobs.start_export(
        db.session,
        event=g.event,
        actor_id=current_user.id,
        large_print=request.form.get("large") == "1",
        now=datetime.now(UTC),
        language=str(get_locale()),
    )
    job_id = job.id
    after_commit(lambda: dispatch_export(job_id))
    return redirect(url_for(".export_job", event_id=event_id, job_id=job.id))


def _job(job_id: int):
    # An export whose worker was lost shows as failed as soon as anyone looks at it.
    with reads.writing(db.session) as writer:
        runner.fail_stale(writer, ExportJob, event_id=g.event.id)
    return export_jobs.get_export(db.session, event=g.event, job_id=job_id)


@bp.get("/events/<int:event_id>/exports/jobs/<int:job_id>")
def export_job(event_id: int, job_id: int):
    return render_template("organiser/export_job.html", event=g.event, job=_job(job_id))


@bp.get("/events/<int:event_id>/exports/jobs/<int:job_id>/status")
def export_job_status(event_id: int, job_id: int):
    job = _job(job_id)
    return jsonify(status_said(jobs.status_of(job)))


@bp.get("/events/<int:event_id>/exports/jobs/<int:job_id>/file")
def export_job_file(event_id: int, job_id: int):
    job = _job(job_id)
    if job.data is None:
        abort(404)
    return download(Export(job.data, PDF.content_type, job.filename))
