"""A burst of background work at once against gunicorn in thread mode: 30 whole-event PDFs
and 160 profile saves (each asking for an embedding). Nothing answers 500, the jobs wait
their turn in the bounded executor, and every one of them ends."""

import os
import re

import pytest
import sqlalchemy as sa

from matchmaker.extensions import db
from matchmaker.models import ExportJob
from tests import factories
from tests.web.live import Client, _at_once, serve

pytestmark = pytest.mark.skipif(
    not os.environ.get("MATCHMAKER_TEST_DATABASE_URL"),
    reason="bursts of concurrent writes are run against PostgreSQL (CI's second pass)",
)
PEOPLE = 16
SAVES_EACH = 10  # the most one person may save in a minute
EXPORTS = 30


def _save(client: Client, slug: str, k: int, n: int):
    _, page = client.request(f"/events/{slug}/profile")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    slots = re.findall(r'name="available_slots"[^>]*value="(\d+)"', page)
    data = {
        "csrf_token": token,
        "name": f"Person {k}",
        "headline": f"Engineer, save {n}",
        "interests": "python, data",
        "format": "any",
        "available_slots": slots,
        "max_meetings": "3",
    }
    return lambda: client.request(f"/events/{slug}/profile", data)


def test_30_exports_and_160_saves_at_once_all_end_without_a_500(database_url, session):
    ev, _ = factories.published_event(session, people=PEOPLE)
    event_id, slug = ev.id, ev.slug
    session.commit()
    servers = serve(
        database_url, env={"MATCHMAKER_SEMANTIC": "on", "MATCHMAKER_WORKER_THREADS": "2"}
    )
    base = next(servers)
    try:
        organiser = Client(base)
        organiser.login("org@example.org")
        token = organiser.token(f"/organiser/events/{event_id}/exports")
        calls = [
            lambda: organiser.request(
                f"/organiser/events/{event_id}/exports/attendees-pdf", {"csrf_token": token}
            )
            for _ in range(EXPORTS)
        ]
        for k in range(PEOPLE):
            person = Client(base)
            person.login(f"person{k}@example.org")
            calls += [_save(person, slug, k, n) for n in range(SAVES_EACH)]

        answers = _at_once(calls)

        def all_ended():
            db.session.expire_all()
            states = db.session.scalars(sa.select(ExportJob.status)).all()
            db.session.rollback()
            return len(states) == EXPORTS and set(states) == {"done"}

        from tests.faults.test_dead_workers import _wait_for

        ended = _wait_for(all_ended, 180, every=1)
    finally:
        for _ in servers:  # fails on any traceback in the server's log
            pass
    codes = sorted({code for code, _ in answers})
    assert codes == [302]
    assert ended
