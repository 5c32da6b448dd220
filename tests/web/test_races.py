"""Real concurrent requests against gunicorn (two workers, four threads each) on PostgreSQL:
each race ends in one defined outcome, never a 500, never a half-written row."""

import os
import re

import pytest
import sqlalchemy as sa

from matchmaker.models import Event, Profile, Tag, User
from tests import factories
from tests.web.live import Client, _at_once

pytestmark = pytest.mark.skipif(
    not os.environ.get("MATCHMAKER_TEST_DATABASE_URL"),
    reason="races are run against PostgreSQL (CI's second pass)",
)
RACERS = 4


def test_one_email_signed_up_four_times_at_once_makes_one_account(server, session):
    clients = [Client(server) for _ in range(RACERS)]
    tokens = [c.token("/signup") for c in clients]
    form = {"name": "Olga", "email": "olga@example.org", "password": factories.PASSWORD,
            "confirm": factories.PASSWORD}  # fmt: skip

    results = _at_once(
        [
            lambda c=c, t=t: c.request("/signup", {**form, "csrf_token": t})
            for c, t in zip(clients, tokens, strict=True)
        ]  # fmt: skip
    )

    assert [status for status, _ in results] == [200] * RACERS
    assert all("Check your mail" in page for _, page in results)
    assert session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_joining_four_times_at_once_makes_one_profile(server, session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    other = factories.event(session, owner, name="Other")
    factories.attendee(session, other, email="ana@example.org")
    client = Client(server)
    client.login("ana@example.org")
    join = f"/join/{ev.join_token}"
    token = client.token(join)

    results = _at_once([lambda: client.request(join, {"csrf_token": token})] * RACERS)

    assert [status for status, _ in results] == [302] * RACERS
    session.expire_all()
    assert (
        session.scalar(sa.select(sa.func.count(Profile.id)).where(Profile.event_id == ev.id)) == 1
    )


def _profile_form(slot_ids, name, interests, headline="") -> dict:
    return {"name": name, "headline": headline, "interests": interests, "format": "any",
            "available_slots": slot_ids}  # fmt: skip


def test_four_people_adding_the_same_new_tag_at_once_share_one_tag(server, session):
    ev, people = factories.matchable_event(session, people=RACERS)
    slug, slots = ev.slug, [s.id for s in ev.slots]
    clients = []
    for k in range(RACERS):
        client = Client(server)
        client.login(f"person{k}@example.org")
        clients.append((client, client.token(f"/events/{ev.slug}/profile")))

    results = _at_once(
        [
            lambda c=c, t=t, k=k: c.request(
                f"/events/{slug}/profile",
                {**_profile_form(slots, f"Person {k}", "brand new topic, data"), "csrf_token": t},
            )
            for k, (c, t) in enumerate(clients)
        ]  # fmt: skip
    )

    errors = [re.findall(r'class="error"[^>]*>([^<]+)<', page) for _, page in results]
    assert [status for status, _ in results] == [302] * RACERS, errors
    session.expire_all()
    tag = session.scalars(sa.select(Tag).where(Tag.name == "brand new topic")).one()
    holders = session.scalar(
        sa.select(sa.func.count()).select_from(Profile).join(Profile.tags).where(Tag.id == tag.id)
    )
    assert holders == RACERS


def test_four_saves_of_one_profile_at_once_leave_one_whole_version(server, session):
    ev, people = factories.matchable_event(session, people=1)
    slug, slots = ev.slug, [s.id for s in ev.slots]
    client = Client(server)
    client.login("person0@example.org")
    token = client.token(f"/events/{ev.slug}/profile")
    versions = [(f"Headline {k}", f"topic{k}, shared{k}") for k in range(RACERS)]

    results = _at_once(
        [
            lambda h=h, i=i: client.request(
                f"/events/{slug}/profile",
                {**_profile_form(slots, "Person 0", i, h), "csrf_token": token},
            )
            for h, i in versions
        ]  # fmt: skip
    )

    assert [status for status, _ in results] == [302] * RACERS
    session.expire_all()
    profile = session.get(Profile, people[0].id)
    k = int(profile.headline.split()[-1])
    assert sorted(t.name for t in profile.tags) == sorted([f"topic{k}", f"shared{k}"])


def test_four_events_of_one_name_created_at_once_get_four_addresses(server, session):
    factories.organiser(session)
    client = Client(server)
    client.login("org@example.org")
    token = client.token("/organiser/events/new")
    form = {"name": "Same Name Conf", "timezone": "UTC", "starts_on": "2030-05-14",
            "ends_on": "2030-05-14", "max_meetings": "6", "group_size_min": "3",
            "group_size_max": "6", "requests_per_person": "5", "tables_kept_free": "0",
            "meetings_kept_free": "0",
            "reminder_minutes": "10",
            "morning_check": "y",
            "csrf_token": token}  # fmt: skip

    results = _at_once([lambda: client.request("/organiser/events/new", form)] * RACERS)

    assert [status for status, _ in results] == [302] * RACERS
    slugs = sorted(session.scalars(sa.select(Event.slug)))
    assert len(set(slugs)) == RACERS
    assert slugs[0] == "same-name-conf"
