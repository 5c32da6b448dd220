"""With REDIS_URL set, a run goes to an RQ queue and a real `rq worker` process executes it."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.models import MatchRun
from matchmaker.runner import queues
from tests import factories
from tests.conftest import REDIS_URL


@pytest.fixture
def queue_name(redis_server):
    name = f"matchmaker-test-{uuid.uuid4().hex}"
    yield name
    for key in redis_server.scan_iter(match=f"*{name}*"):
        redis_server.delete(key)


def _worker(database_url: str, queue: str) -> subprocess.CompletedProcess:
    """A real worker that takes every job in the queue, then stops (--burst)."""
    rq = Path(sys.executable).with_name("rq")
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        MATCHMAKER_ENV="development",
        SECRET_KEY="test-secret-key",
    )
    return subprocess.run(
        [str(rq), "worker", "--burst", "--url", REDIS_URL]
        + [f"{queue}-{kind.name}" for kind in queues.KINDS],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_a_run_queued_in_redis_is_done_by_an_rq_worker(database_url, queue_name):
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": REDIS_URL,
            "MATCHMAKER_QUEUE": queue_name,
        }
    )
    with app.app_context():
        ev, _ = factories.matchable_event(db.session)
        client = app.test_client()
        factories.login(client, "org@example.org")

        response = client.post(f"/organiser/events/{ev.id}/runs")
        queued = db.session.scalars(sa.select(MatchRun)).one()
        status_before = queued.status
        worker = _worker(database_url, queue_name)
        db.session.expire_all()
        run = db.session.scalars(sa.select(MatchRun)).one()
        result = (run.status, run.progress, (run.metrics or {}).get("attendees"), run.error)
        db.session.remove()
        db.engine.dispose()

    assert response.status_code == 302
    assert status_before == "queued"
    assert worker.returncode == 0, worker.stderr
    assert "Successfully completed" in worker.stdout + worker.stderr, worker.stdout
    assert result == ("done", 100, 8, "")
