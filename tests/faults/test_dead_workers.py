"""A worker dies in the middle of a run (kill -9 of the gunicorn worker running it in thread
mode, or of RQ's work-horse): the run is failed within 90 seconds, never left "running" for
the run time-out, and the next run starts and finishes."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import MatchRun
from matchmaker.runner import queues
from matchmaker.services.core import jobs
from tests import factories
from tests.conftest import REDIS_URL
from tests.web.live import Client, serve

PEOPLE = 600  # with the semantic channel the run spends seconds reading what profiles mean


def _big_event(session):
    ev, _ = factories.matchable_event(session, people=PEOPLE, one_to_one_slots=4, tables=60)
    session.commit()
    return ev.id


def _status(client: Client, event_id: int, run_id: int) -> dict:
    code, body = client.request(f"/organiser/events/{event_id}/runs/{run_id}/status")
    assert code == 200, body
    return json.loads(body)


def _start_run(client: Client, event_id: int) -> int:
    token = client.token(f"/organiser/events/{event_id}/runs")
    code, _ = client.request(f"/organiser/events/{event_id}/runs", {"csrf_token": token})
    assert code == 302
    return db.session.scalar(sa.select(sa.func.max(MatchRun.id)))


def _wait_for(predicate, seconds: float, every: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := predicate():
            return found
        time.sleep(every)
    return None


def _kill_mid_run(base: str, event_id: int, kill, seconds: float) -> tuple[dict, float, dict]:
    """Start a run, `kill()` once it is running, wait up to `seconds` for it to be failed,
    then start the next one: (the failed status or {}, seconds it took, the next's status)."""
    organiser = Client(base)
    organiser.login("org@example.org")
    run_id = _start_run(organiser, event_id)
    running = _wait_for(lambda: _status(organiser, event_id, run_id)["status"] == "running", 60)
    assert running, _status(organiser, event_id, run_id)
    kill()
    killed = time.monotonic()
    failed = _wait_for(
        lambda: (s := _status(organiser, event_id, run_id))["status"] == "failed" and s,
        seconds,
        every=1,
    )
    took = time.monotonic() - killed
    next_run = _start_run(organiser, event_id)
    _wait_for(lambda: _status(organiser, event_id, next_run)["status"] in ("done", "failed"), 120)
    return failed or {}, took, _status(organiser, event_id, next_run)


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_a_gunicorn_worker_killed_mid_run_fails_the_run_within_90_s(database_url, session):
    event_id = _big_event(session)
    servers = serve(
        database_url, workers=1, env={"MATCHMAKER_SEMANTIC": "on", "MATCHMAKER_SWEEP_SECONDS": "5"}
    )
    base = next(servers)
    try:

        def kill() -> None:
            (worker,) = _children(serve.process.pid)
            os.kill(worker, signal.SIGKILL)

        failed, took, final = _kill_mid_run(base, event_id, kill, 90)
    finally:
        for _ in servers:
            pass
    assert failed.get("error") == jobs.WORKER_STOPPED
    assert took < 90
    assert final["status"] == "done", final


@pytest.fixture
def rq_worker(redis_server, database_url):
    """`rq worker` serving the four queues of a prefix of its own; (prefix, process)."""
    import uuid

    prefix = f"matchmaker-faults-{uuid.uuid4().hex}"
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        MATCHMAKER_ENV="development",
        SECRET_KEY="test-secret-key",
        MATCHMAKER_SEMANTIC="on",
        MATCHMAKER_QUEUE=prefix,
        REDIS_URL=REDIS_URL,
    )
    rq = Path(sys.executable).with_name("rq")
    names = [f"{prefix}-{kind.name}" for kind in queues.KINDS]
    process = subprocess.Popen(
        [str(rq), "worker", "--url", REDIS_URL, *names],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield prefix, process
    process.send_signal(signal.SIGTERM)
    process.wait(30)
    for key in redis_server.scan_iter(match=f"*{prefix}*"):
        redis_server.delete(key)


def test_an_rq_work_horse_killed_mid_run_fails_the_run_from_what_rq_reports(
    database_url, session, rq_worker
):
    prefix, worker = rq_worker
    event_id = _big_event(session)
    servers = serve(database_url, env={"REDIS_URL": REDIS_URL, "MATCHMAKER_QUEUE": prefix})
    base = next(servers)
    try:

        def kill() -> None:
            horse = _wait_for(lambda: _children(worker.pid), 10)
            os.kill(horse[0], signal.SIGKILL)

        failed, took, final = _kill_mid_run(base, event_id, kill, 90)
    finally:
        for _ in servers:
            pass
    assert failed.get("error", "").startswith("The queue reported that this failed:")
    assert took < 30  # RQ tells at once; the heartbeat would take a minute
    assert final["status"] == "done", final
