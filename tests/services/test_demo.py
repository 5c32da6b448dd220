from datetime import date

import pytest
import sqlalchemy as sa

from matchmaker.models import Event, Profile, User
from matchmaker.services import demo
from matchmaker.services.people import accounts


def test_seed_demo_creates_event_logins_and_varied_crowd(session):
    result = demo.seed_demo(session, attendees=200, today=date(2030, 1, 1))

    event = result.event
    assert (result.created, result.attendees, event.slug) == (True, 200, "demo")
    assert {s.format for s in event.slots} == {"one_to_one", "group"}
    assert sum(loc.capacity == 2 for loc in event.locations) == 40
    assert session.scalar(sa.select(sa.func.count(Profile.id))) == 200
    formats = set(session.scalars(sa.select(Profile.format)))
    assert formats == {"one_to_one", "group", "any"}
    assert accounts.authenticate(
        session, email=demo.ORGANISER[0], password=demo.ORGANISER[2]
    ).is_organiser
    assert accounts.authenticate(
        session, email=demo.ATTENDEE[0], password=demo.ATTENDEE[2]
    ).profiles


def test_seed_demo_twice_keeps_the_first(session):
    demo.seed_demo(session, attendees=20)

    again = demo.seed_demo(session, attendees=50)

    assert (again.created, again.attendees) == (False, 20)
    assert session.scalar(sa.select(sa.func.count(Event.id))) == 1
    assert session.scalar(sa.select(sa.func.count(User.id))) == 21


def test_seed_demo_is_deterministic(session):
    demo.seed_demo(session, attendees=30, seed=5)
    first = [
        (p.name, p.headline, [t.name for t in p.tags])
        for p in session.scalars(sa.select(Profile).order_by(Profile.id))
    ]

    assert first[1] != first[2]
    assert len({name for name, _, _ in first}) >= 29


def test_demo_profiles_read_like_people_not_filler(session):
    from faker.providers.lorem.la import Provider as Latin

    demo.seed_demo(session, attendees=60, today=date(2030, 1, 1))

    bios = session.scalars(sa.select(Profile.bio)).all()
    latin = set(Latin.word_list) - {"a", "in", "at", "et"}
    words = {w.strip(".,").lower() for bio in bios for w in bio.split()}
    assert words & latin == set()
    assert all(bio.startswith("I spend my days ") and bio.count(".") == 2 for bio in bios)
    profiles = session.scalars(sa.select(Profile)).all()
    assert all(p.headline.endswith(f" at {p.company}") for p in profiles)


def test_a_seed_that_fails_half_way_leaves_nothing(session, monkeypatch):
    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "_profile", broken)

    with pytest.raises(RuntimeError, match="disk full"):
        demo.seed_demo(session, attendees=20)
    session.rollback()

    assert session.scalar(sa.select(sa.func.count(Event.id))) == 0
    assert session.scalar(sa.select(sa.func.count(User.id))) == 0
