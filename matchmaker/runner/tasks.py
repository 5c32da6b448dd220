"""The jobs themselves, as an RQ worker or a thread of the executor calls them: each runs in an
app context at low priority, holds its row's heartbeat while it works, and records its own
outcome."""

import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, current_app, g

from matchmaker import outbound
from matchmaker.engine import embedder as semantic
from matchmaker.extensions import db
from matchmaker.links import external_url
from matchmaker.models import ExportJob, MatchRun
from matchmaker.runner.heartbeat import heartbeat
from matchmaker.runner.transports import transport
from matchmaker.services.core import outbox, webhooks
from matchmaker.services.introductions import event_day
from matchmaker.services.people import follow_up
from matchmaker.services.planning import embeddings, matching, publishing
from matchmaker.services.schedules import export_jobs

_worker_app: Flask | None = None
IN_JOB = "in_job"  # set on a job's app context (`g`)


def semantic_model(app: Flask):
    """The embedding model when the semantic channel is on and installed, else None (with a
    warning in the log, once)."""
    if not app.config["MATCHMAKER_SEMANTIC"]:
        return None
    model = semantic.load_embedder()
    if model is None and not getattr(app, "_semantic_warned", False):
        app.logger.warning("semantic channel off: %s", semantic.why_not_loaded())
        app._semantic_warned = True
    return model


def _lower_priority() -> None:
    """Let web requests go first: on Linux a thread has its own nice value, and the engine's
    worker threads started from it inherit it."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):  # not Linux, or not allowed: run at normal priority
        pass


def _in_app(app: Flask | None, work: Callable, held: tuple[type, int] | None = None) -> None:
    """Run `work(session)` at low priority in `app` (in an RQ worker: an app built once from
    its environment), with the app current and the row `held` beating while it works."""
    global _worker_app
    if app is None:
        if _worker_app is None:
            from matchmaker import create_app

            _worker_app = create_app()
        app = _worker_app
    _lower_priority()
    if held:
        heartbeat().hold(app, *held)
    try:
        with app.app_context():
            g.setdefault(IN_JOB, True)
            try:
                work(db.session)
            finally:
                db.session.remove()
            if g.pop("webhooks_due", False):  # what the job's changes told, sent now
                from matchmaker.runner import dispatch_webhooks

                dispatch_webhooks()
    finally:
        if held:
            heartbeat().release(*held)


def execute_run_job(run_id: int, app: Flask | None = None) -> None:
    """The job that executes a matching run."""
    _in_app(
        app,
        lambda session: matching.execute_run(
            session, run_id=run_id, embedder=semantic_model(current_app)
        ),
        held=(MatchRun, run_id),
    )


def execute_export_job(job_id: int, app: Flask | None = None) -> None:
    """The job that makes an export."""
    _in_app(
        app,
        lambda session: export_jobs.execute_export(session, job_id=job_id),
        held=(ExportJob, job_id),
    )


def execute_embedding_job(profile_id: int, app: Flask | None = None) -> None:
    """The job that computes a saved profile's embedding."""

    def work(session) -> None:
        if model := semantic_model(current_app):
            embeddings.embed_saved_profile(session, profile_id=profile_id, embedder=model)

    _in_app(app, work)


def deliver_mail_job(app: Flask | None = None) -> None:
    """The job that sends every message that is due."""
    _in_app(app, _deliver)


def _deliver(session) -> None:
    outbox.deliver_due(session, transport(), clock=lambda: datetime.now(UTC))


def deliver_webhooks_job(app: Flask | None = None) -> None:
    """The job that sends every webhook delivery that is due."""

    def work(session) -> None:
        webhooks.deliver_due(
            session,
            outbound.post,
            clock=lambda: datetime.now(UTC),
            allow_private=current_app.config["MATCHMAKER_WEBHOOKS_ALLOW_PRIVATE"],
        )

    _in_app(app, work)


def announce_job(run_id: int, app: Flask | None = None) -> None:
    """The job that tells the attendees of a just-published run what changed for them (one
    message each, written to the outbox), then sends what is due."""

    def work(session) -> None:
        run = session.get(MatchRun, run_id)
        if run is None:
            return
        link = external_url("attendee.introductions", slug=run.event.slug)
        mailer = outbox.Outbox(session(), on_commit=lambda: None)
        publishing.announce(
            session, run=run, mailer=mailer, schedule_link=link, now=datetime.now(UTC)
        )
        session.commit()
        _deliver(session)

    _in_app(app, work)


def event_day_job(app: Flask | None = None) -> None:
    """The job that writes what is due on and after event days, each once (reminders, the
    morning's questions, follow-ups, next steps), then sends what is due."""

    def work(session) -> None:
        mailer = outbox.Outbox(session(), on_commit=lambda: None)
        links = event_day.Links(
            meeting=lambda slug, meeting_id: external_url(
                "attendee.introduction", slug=slug, meeting_id=meeting_id
            ),
            day_check=lambda token: external_url("attendee.day_check", token=token),
        )
        now = datetime.now(UTC)
        event_day.send_reminders(session, now=now, mailer=mailer, links=links)
        session.commit()
        event_day.send_morning_checks(session, now=now, mailer=mailer, links=links)
        session.commit()
        connections = external_url("attendee.connections")
        follow_up.send_follow_ups(session, now=now, mailer=mailer, link=connections)
        session.commit()
        follow_up.send_next_step_reminders(session, now=now, mailer=mailer, link=connections)
        session.commit()
        _deliver(session)

    _in_app(app, work)
