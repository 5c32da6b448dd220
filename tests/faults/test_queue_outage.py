"""The queue is down (REDIS_URL at a closed port, or no worker thread can be started): starting
a run or an export answers the 503 page and leaves no row behind (so the next try is not
refused as "already under way"), profile saves succeed and their embedding is caught up
later, mail waits in the outbox and leaves once the queue is back, and /healthz says so."""

import threading

import pytest
import sqlalchemy as sa

from matchmaker.errors import QUEUE_DOWN
from matchmaker.extensions import db
from matchmaker.models import ExportJob, MatchRun, OutgoingMail, Profile
from matchmaker.runner import sweep
from matchmaker.services.planning import embeddings
from tests import factories
from tests.conftest import test_app
from tests.fakes import RecordingMailer

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def rq_app(database_url):
    """The app in RQ mode with its Redis at a port where nothing listens."""
    yield from test_app(
        database_url,
        REDIS_URL=CLOSED_PORT,
        MATCHMAKER_SEMANTIC=True,
        MATCHMAKER_JOBS_INLINE=False,
    )


@pytest.fixture
def queue_down(request, monkeypatch):
    """(app, take_it_down): the app in RQ mode with Redis at a closed port, or in thread mode
    in a process that (once `take_it_down()` is called) can start no more threads."""
    if request.param == "rq":
        return request.getfixturevalue("rq_app"), lambda: None
    app = request.getfixturevalue("app")
    app.config["MATCHMAKER_JOBS_INLINE"] = False

    def refuse(self):
        raise RuntimeError("can't start new thread")

    def take_it_down():
        monkeypatch.setattr(threading.Thread, "start", refuse)
        monkeypatch.setattr("matchmaker.runner.queues._executors", {})

    return app, take_it_down


def _assert_503(response):
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert QUEUE_DOWN in response.get_data(as_text=True)
    assert "Matching has started" not in response.get_data(as_text=True)


@pytest.mark.parametrize("queue_down", ["rq", "threads"], indirect=True)
def test_starting_a_run_while_the_queue_is_down_answers_503_and_leaves_no_run(queue_down):
    app, take_it_down = queue_down
    session = db.session
    ev, _ = factories.matchable_event(session)
    client = app.test_client()
    factories.login(client, "org@example.org")
    url = f"/organiser/events/{ev.id}/runs"
    take_it_down()

    first, second = client.post(url), client.post(url)

    _assert_503(first)
    _assert_503(second)  # not 409 "already under way"
    assert session.scalar(sa.select(sa.func.count(MatchRun.id))) == 0


@pytest.mark.parametrize("queue_down", ["rq", "threads"], indirect=True)
def test_starting_an_export_while_the_queue_is_down_answers_503_and_leaves_no_job(queue_down):
    app, take_it_down = queue_down
    session = db.session
    ev, _ = factories.published_event(session)
    client = app.test_client()
    factories.login(client, "org@example.org")
    take_it_down()

    response = client.post(f"/organiser/events/{ev.id}/exports/attendees-pdf")

    _assert_503(response)
    assert session.scalar(sa.select(sa.func.count(ExportJob.id))) == 0


def test_a_profile_saved_while_the_queue_is_down_is_saved_and_embedded_later(rq_app):
    session = db.session
    ev, profiles = factories.matchable_event(session)
    client = rq_app.test_client()
    factories.login(client, "person0@example.org")
    slots = [str(s.id) for s in ev.slots]
    session.execute(sa.delete(embeddings.ProfileVector))
    session.commit()

    response = client.post(
        f"/events/{ev.slug}/profile",
        data={"name": "Person Zero", "interests": "rust, compilers", "format": "any",
              "available_slots": slots, "max_meetings": "3"},
    )  # fmt: skip

    saved = session.get(Profile, profiles[0].id)
    session.refresh(saved)
    assert response.status_code == 302
    assert saved.name == "Person Zero"
    # The sweep finds it (with every other profile that has no vector yet) once the queue is
    # back, oldest save last: this one was saved last.
    assert embeddings.profiles_to_embed(session)[-1] == saved.id


def test_mail_written_while_the_queue_is_down_leaves_once_it_is_back(rq_app):
    session = db.session
    email = "olga@example.org"
    factories.organiser(session, email=email)

    response = rq_app.test_client().post("/password/forgot", data={"email": email})
    waiting = session.execute(sa.select(OutgoingMail.to, OutgoingMail.status)).all()
    rq_app.config.update(REDIS_URL=None, MATCHMAKER_JOBS_INLINE=True)
    rq_app.extensions["mailer"] = recorder = RecordingMailer()
    found = sweep.sweep(rq_app)

    assert response.status_code == 302
    assert [tuple(row) for row in waiting] == [(email, "queued")]
    assert found["mail_due"] == 1
    assert [m.to for m in recorder.sent] == [email]
    assert session.scalars(sa.select(OutgoingMail.status)).all() == ["sent"]


def test_the_health_check_reports_the_queue(rq_app):
    health = rq_app.test_client().get("/healthz")

    assert health.status_code == 200
    assert health.get_json() == {
        "status": "degraded",
        "app": "ok",
        "database": "ok",
        "queue": "ConnectionError",
    }
