"""Ids of one event in the address of another answer 404 (every role against every route is
in test_route_table.py)."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from matchmaker.models import User
from matchmaker.services import imports, matching, pair_rules, timetable
from tests import factories

ROUTES = [
    ("get", "/organiser/events/{e}"),
    ("get", "/organiser/events/{e}/edit"),
    ("post", "/organiser/events/{e}/edit"),
    ("post", "/organiser/events/{e}/join-link"),
    ("get", "/organiser/events/{e}/slots/new"),
    ("post", "/organiser/events/{e}/slots/new"),
    ("get", "/organiser/events/{e}/slots/generate"),
    ("post", "/organiser/events/{e}/slots/generate"),
    ("get", "/organiser/events/{e}/slots/{s}/edit"),
    ("post", "/organiser/events/{e}/slots/{s}/edit"),
    ("post", "/organiser/events/{e}/slots/{s}/delete"),
    ("get", "/organiser/events/{e}/locations/new"),
    ("post", "/organiser/events/{e}/locations/new"),
    ("get", "/organiser/events/{e}/locations/{loc}/edit"),
    ("post", "/organiser/events/{e}/locations/{loc}/edit"),
    ("post", "/organiser/events/{e}/locations/{loc}/delete"),
    ("get", "/organiser/events/{e}/attendees"),
    ("get", "/organiser/events/{e}/attendees/{p}"),
    ("get", "/organiser/events/{e}/runs"),
    ("post", "/organiser/events/{e}/runs"),
    ("get", "/organiser/events/{e}/runs/{r}"),
    ("get", "/organiser/events/{e}/runs/compare?first={r}&second={r}"),
    ("get", "/organiser/events/{e}/runs/{r}/status"),
    ("post", "/organiser/events/{e}/runs/{r}/publish"),
    ("get", "/organiser/events/{e}/pairs"),
    ("post", "/organiser/events/{e}/pairs"),
    ("post", "/organiser/events/{e}/pairs/{rule}/delete"),
    ("get", "/organiser/events/{e}/import"),
    ("post", "/organiser/events/{e}/import"),
    ("get", "/organiser/events/{e}/import/{imp}"),
    ("post", "/organiser/events/{e}/import/{imp}/confirm"),
    ("get", "/organiser/events/{e}/meetings/{m}"),
    ("post", "/organiser/events/{e}/meetings/{m}"),
    ("post", "/organiser/events/{e}/meetings/{m}/cancel"),
]


@pytest.fixture
def world(session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    slot = factories.slot(session, ev)
    [table] = timetable.add_locations(
        session, event_id=ev.id, actor_id=owner.id, name="Table", capacity=2
    )
    profile = factories.attendee(session, ev, email="ana@example.org")
    for k in range(2):
        factories.filled_profile(session, ev, k)
    run = matching.start_run(
        session,
        event_id=ev.id,
        actor_id=owner.id,
        now=datetime.now(UTC),
        timeout=timedelta(hours=1),
    )
    matching.execute_run(session, run_id=run.id)
    people = matching.matched_profiles(session, event_id=ev.id)
    rule = pair_rules.set_pair_rule(
        session,
        event_id=ev.id,
        actor_id=owner.id,
        profile_id=people[0].id,
        other_id=people[1].id,
        rule="apart",
    )
    factories.organiser(session, email="other@example.org")
    upload = imports.parse_import(
        session,
        event_id=ev.id,
        actor_id=owner.id,
        data=b"name,email\nZed,zed@example.org\n",
        filename="x.csv",
    )
    return {
        "imp": upload.id,
        "m": matching.run_meetings(session, run_id=run.id)[0].id,
        "rule": rule.id,
        "r": run.id,
        "e": ev.id,
        "s": slot.id,
        "loc": table.id,
        "p": profile.id,
        "token": ev.join_token,
    }


def _call(client, method, path, ids):
    return getattr(client, method)(path.format(**ids), data={})


@pytest.mark.parametrize(
    "method,path",
    [
        r
        for r in ROUTES
        if any(f"{{{k}}}" in r[1] for k in ("s", "loc", "p", "r", "rule", "m", "imp"))
    ],
)
def test_ids_from_another_event_are_404(client, session, world, method, path):
    owner = session.scalars(sa.select(User).where(User.email == "org@example.org")).one()
    mine = factories.event(session, owner, name="Mine too")
    factories.login(client, owner.email)

    response = _call(client, method, path, dict(world, e=mine.id))

    assert response.status_code == 404


def test_missing_event_is_404(client, session, world):
    factories.login(client, "other@example.org")

    assert client.get("/organiser/events/9999").status_code == 404
