"""What each process looks for every so often, so that nothing is left behind by a fault:
jobs whose worker stopped are failed, mail and webhook deliveries that are due (retries, or
what was written while the queue was down) are sent, publications never announced are
announced, embeddings that were never computed are caught up, and on and after event days
the reminders, morning questions, follow-ups and next steps due are written."""

import logging
import os
import threading
from datetime import UTC, datetime

from flask import Flask

from matchmaker import runner
from matchmaker.extensions import db
from matchmaker.models import ExportJob, MatchRun
from matchmaker.services.core import outbox, webhooks
from matchmaker.services.introductions import event_day
from matchmaker.services.people import follow_up
from matchmaker.services.planning import embeddings, publishing

log = logging.getLogger(__name__)
EMBEDDINGS_PER_SWEEP = 100
_started: set[int] = set()
_lock = threading.Lock()


def sweep(app: Flask) -> dict[str, int]:
    """One look (in `app`): returns what it found."""
    with app.app_context():
        try:
            found = {
                "stale_runs": runner.fail_stale(db.session, MatchRun, event_id=None),
                "stale_exports": runner.fail_stale(db.session, ExportJob, event_id=None),
                "mail_released": outbox.release_abandoned(db.session, now=datetime.now(UTC)),
                "webhooks_released": webhooks.release_abandoned(db.session, now=datetime.now(UTC)),
            }
            db.session.commit()
            found["mail_due"] = outbox.waiting_mail(db.session, now=datetime.now(UTC))
            found["webhooks_due"] = webhooks.waiting(db.session, now=datetime.now(UTC))
            found["embeddings"] = 0
            if app.config["MATCHMAKER_SEMANTIC"]:
                due = embeddings.profiles_to_embed(db.session, limit=EMBEDDINGS_PER_SWEEP)
                db.session.rollback()
                for profile_id in due:
                    runner.dispatch_embedding(profile_id)
                found["embeddings"] = len(due)
            unannounced = publishing.unannounced_runs(db.session)
            db.session.rollback()
            for run_id in unannounced:
                runner.dispatch_announcement(run_id)
            found["announcements"] = len(unannounced)
            now = datetime.now(UTC)
            found["event_days"] = event_day.events_under_way(db.session, now=now)
            found["follow_ups"] = follow_up.follow_ups_due(db.session, now=now)
            found["next_steps"] = follow_up.next_steps_due(db.session, now=now)
            db.session.rollback()
            if found["event_days"] or found["follow_ups"] or found["next_steps"]:
                runner.dispatch_event_day()
            if found["mail_due"]:
                runner.dispatch_mail()
            if found["webhooks_due"]:
                runner.dispatch_webhooks()
        finally:
            db.session.remove()
    return found


def start(app: Flask) -> None:
    """Sweep every MATCHMAKER_SWEEP_SECONDS in a thread of this process (once per process)."""
    seconds = app.config["MATCHMAKER_SWEEP_SECONDS"]
    if seconds <= 0 or os.getpid() in _started:
        return
    with _lock:
        if os.getpid() in _started:
            return
        _started.add(os.getpid())

    def loop() -> None:
        stop = threading.Event()
        while not stop.wait(seconds):
            try:
                sweep(app)
            except Exception as error:  # noqa: BLE001 - the next sweep tries again
                log.warning("sweep failed: %s", error)

    threading.Thread(target=loop, daemon=True, name="sweep").start()
