"""Where a matching run executes, outside the request: a thread of this process by default
(development, one machine), or an RQ queue served by `rq worker` processes when REDIS_URL is
set (which may run on other machines that reach the same database and Redis)."""

import os
import threading
from datetime import timedelta

from flask import Flask, current_app

from matchmaker.engine import embedder as semantic
from matchmaker.extensions import db
from matchmaker.services.planning import embeddings, matching
from matchmaker.services.schedules import export_jobs

_threads: list[threading.Thread] = []
_worker_app: Flask | None = None


def run_timeout(app: Flask) -> timedelta:
    """How long a run may stay queued or running before it counts as lost."""
    return timedelta(minutes=app.config["MATCHMAKER_RUN_TIMEOUT_MINUTES"])


def dispatch_run(run_id: int) -> None:
    """Hand a recorded matching run to the queue, or to a thread of this process."""
    _dispatch(execute_run_job, run_id)


def dispatch_embedding(profile_id: int) -> None:
    """Compute a saved profile's sentence embedding outside the request (when the semantic
    channel is on)."""
    if current_app.config["MATCHMAKER_SEMANTIC"]:
        _dispatch(execute_embedding_job, profile_id)


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


def dispatch_export(job_id: int) -> None:
    """Hand a recorded export to the queue, or to a thread of this process."""
    _dispatch(execute_export_job, job_id)


def _dispatch(job, row_id: int) -> None:
    app = current_app._get_current_object()
    if url := app.config.get("REDIS_URL"):
        from redis import Redis
        from rq import Queue

        queue = Queue(app.config["MATCHMAKER_QUEUE"], connection=Redis.from_url(url))
        seconds = int(run_timeout(app).total_seconds())
        queue.enqueue(job, row_id, job_timeout=seconds, result_ttl=3600)
        return
    thread = threading.Thread(
        target=job, args=(row_id, app), name=f"{job.__name__}-{row_id}", daemon=True
    )
    _threads.append(thread)
    thread.start()


def wait_for_threads(seconds: float = 60) -> None:
    """Wait for this process's run threads to finish (tests, and a clean shutdown)."""
    while _threads:
        _threads.pop().join(seconds)


def _lower_priority() -> None:
    """Let web requests go first: on Linux a thread has its own nice value, and the engine's
    worker threads started from it inherit it."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):  # not Linux, or not allowed: run at normal priority
        pass


def _in_app(app: Flask | None, work) -> None:
    """Run `work(session)` at low priority in `app` (in a worker: an app built once from its
    environment), with the app current."""
    global _worker_app
    if app is None:
        if _worker_app is None:
            from matchmaker import create_app

            _worker_app = create_app()
        app = _worker_app
    _lower_priority()
    with app.app_context():
        try:
            work(db.session)
        finally:
            db.session.remove()


def execute_run_job(run_id: int, app: Flask | None = None) -> None:
    """The job (RQ or thread) that executes a matching run."""
    _in_app(
        app,
        lambda session: matching.execute_run(
            session, run_id=run_id, embedder=semantic_model(current_app)
        ),
    )


def execute_embedding_job(profile_id: int, app: Flask | None = None) -> None:
    """The job (RQ or thread) that computes a saved profile's embedding."""

    def work(session) -> None:
        if model := semantic_model(current_app):
            embeddings.embed_saved_profile(session, profile_id=profile_id, embedder=model)

    _in_app(app, work)


def execute_export_job(job_id: int, app: Flask | None = None) -> None:
    """The job (RQ or thread) that makes an export."""
    _in_app(app, lambda session: export_jobs.execute_export(session, job_id=job_id))
