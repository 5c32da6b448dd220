"""Matching runs: start one, watch its progress, review its plan, publish it."""

from datetime import UTC, datetime

from flask import current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker import runner
from matchmaker.boundary import after_commit
from matchmaker.extensions import db
from matchmaker.i18n import status_said
from matchmaker.models import MatchRun
from matchmaker.organiser import bp
from matchmaker.runner import dispatch_run, run_timeout
from matchmaker.services.core import jobs, reads
from matchmaker.services.errors import Invalid
from matchmaker.services.planning import matching, publishing, review
from matchmaker.web import external_url, kept_fragment, row_id_arg


def _now() -> datetime:
    return datetime.now(UTC)


def begin_run(event, actor_id: int) -> MatchRun:
    """Record a run of the event and hand it to the queue once the request commits (the
    organiser's page and the API start runs alike)."""
    run = matching.start_run(
        db.session, event=event, actor_id=actor_id, now=_now(), timeout=run_timeout(current_app)
    )
    run_id = run.id
    after_commit(lambda: dispatch_run(run_id))
    return run


def publish(event, run_id: int | None) -> MatchRun:
    """Make a finished run the event's schedule; its attendees are told by the announcement
    job started once the request commits (so that this answers at once)."""
    published = publishing.publish_run(
        db.session,
        event=event,
        run_id=run_id,
        now=_now(),
        mailer=None,
        schedule_link=external_url("attendee.introductions", slug=event.slug),
    )
    published_id = published.run.id
    after_commit(lambda: runner.dispatch_announcement(published_id))
    return published.run


def fail_stale(event_id: int) -> None:
    """A run whose worker was lost shows as failed as soon as anyone looks at it (a page
    reads without a transaction: this write is one of its own)."""
    with reads.writing(db.session) as writer:
        runner.fail_stale(writer, MatchRun, event_id=event_id)


@bp.get("/events/<int:event_id>/runs")
def runs(event_id: int):
    event = g.event
    fail_stale(event.id)
    listed = matching.list_runs(db.session, event=event)
    return render_template("organiser/runs.html", event=event, runs=listed, problems={})


@bp.post("/events/<int:event_id>/runs")
def start_run(event_id: int):
    try:
        run = begin_run(g.event, current_user.id)
    except Invalid as error:
        event = g.event
        listed = matching.list_runs(db.session, event=event)
        page = render_template(
            "organiser/runs.html", event=event, runs=listed, problems=error.errors
        )
        return page, 400
    flash(_("Matching has started. This page shows its progress."), "info")
    return redirect(url_for(".run", event_id=event_id, run_id=run.id))


@bp.get("/events/<int:event_id>/runs/compare")
def compare_runs(event_id: int):
    first, second = (
        request.args.get("first", type=row_id_arg),
        request.args.get("second", type=row_id_arg),
    )
    if first is None or second is None:
        flash(_("Choose two runs to compare."), "error")
        return redirect(url_for(".runs", event_id=event_id))
    comparison = review.compare_runs(db.session, event=g.event, first_id=first, second_id=second)
    return render_template(
        "organiser/compare.html", event=comparison.first.event, comparison=comparison
    )


@bp.get("/events/<int:event_id>/runs/<int:run_id>")
def run(event_id: int, run_id: int):
    found = review.review_run(
        db.session,
        event=g.event,
        run_id=run_id,
        slot_id=request.args.get("slot", type=row_id_arg),
    )
    event = found.run.event
    figures = None
    if found.run.is_done:
        context = dict(event=event, run=found.run, review=found)
        figures = kept_fragment(event, run_id, "organiser/_run_figures.html", lambda: context)
    return render_template("organiser/run.html", event=event, review=found, figures=figures)


@bp.get("/events/<int:event_id>/runs/<int:run_id>/status")
def run_status(event_id: int, run_id: int):
    fail_stale(event_id)
    found = matching.get_run(db.session, event=g.event, run_id=run_id)
    return jsonify(status_said(jobs.status_of(found)))


@bp.get("/events/<int:event_id>/runs/<int:run_id>/publish")
def confirm_publish(event_id: int, run_id: int):
    preview = publishing.preview_publish(db.session, event=g.event, run_id=run_id)
    return render_template("organiser/publish.html", event=g.event, preview=preview)


@bp.post("/events/<int:event_id>/runs/<int:run_id>/publish")
def publish_run(event_id: int, run_id: int):
    published_id = publish(g.event, run_id).id
    flash(
        _(
            "Run %(run)s is now the event's schedule. Each attendee whose meetings changed is "
            "being sent one message saying what changed for them.",
            run=published_id,
        ),
        "success",
    )
    return redirect(url_for(".run", event_id=event_id, run_id=run_id))
