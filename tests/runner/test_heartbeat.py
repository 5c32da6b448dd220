"""A held job's row beats at once and every few seconds; a released one no longer does; and
a job whose heartbeat went silent is failed by the next look (the sweep)."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from matchmaker.models import MatchRun
from matchmaker.runner import sweep
from matchmaker.runner.heartbeat import Heartbeat
from matchmaker.services.core import jobs
from matchmaker.services.planning import matching
from tests import factories


def _queued_run(session):
    ev, _ = factories.matchable_event(session)
    run = matching.start_run(
        session, event=ev, actor_id=None, now=datetime.now(UTC), timeout=timedelta(minutes=30)
    )
    session.commit()
    return run.id


def _heartbeat_of(session, run_id):
    session.expire_all()
    return session.scalar(sa.select(MatchRun.heartbeat_at).where(MatchRun.id == run_id))


def test_holding_a_job_beats_its_row_at_once_and_releasing_it_stops(app, session):
    run_id = _queued_run(session)
    heartbeat = Heartbeat()

    heartbeat.hold(app, MatchRun, run_id)
    first = _heartbeat_of(session, run_id)
    heartbeat.release(MatchRun, run_id)

    assert first is not None
    assert heartbeat.held() == 0


def test_the_sweep_fails_a_job_whose_heartbeat_is_a_minute_old(app, session):
    run_id = _queued_run(session)
    run = session.get(MatchRun, run_id)
    run.status, run.heartbeat_at = "running", datetime.now(UTC) - timedelta(seconds=61)
    session.commit()

    found = sweep.sweep(app)

    session.expire_all()
    run = session.get(MatchRun, run_id)
    assert found["stale_runs"] == 1
    assert (run.status, run.error) == ("failed", jobs.WORKER_STOPPED)
