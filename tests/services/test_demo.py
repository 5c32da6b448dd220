from datetime import date

import pytest
import sqlalchemy as sa

from matchmaker.models import Event, Location, Profile, Slot, User
from matchmaker.services import demo
from matchmaker.services.people import accounts


def test_seed_demo_creates_event_logins_and_varied_crowd(session):
    result = demo.seed_demo(session, attendees=200, today=date(2030, 1, 1))

    event = result.event
    assert (result.created, result.attendees, event.slug) == (True, 200, "demo")
    assert {s.format for s in event.slots} == {"one_to_one", "group"}
    assert sum(loc.capacity == 2 for loc in event.locations) == 40
    assert session.scalar(
        sa.select(sa.func.count(Profile.id)).where(Profile.event_id == event.id)
    ) == 200  # fmt: skip
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
    assert session.scalar(sa.select(sa.func.count(Event.id))) == 2  # and the past meetup
    assert session.scalar(sa.select(sa.func.count(User.id))) == 21


def _seeded(session) -> list[tuple]:
    """What a seed made, row by row (without salts, secrets and clock times), read from the
    database: objects still in memory keep their lists in the order they were built, those
    the garbage collector took are read back in the relationships' order."""
    session.expire_all()
    rows: list[tuple] = [
        (e.slug, e.name, e.venue, e.timezone, e.starts_on, e.max_meetings)
        for e in session.scalars(sa.select(Event).order_by(Event.id))
    ]
    rows += [
        (s.starts_at, s.ends_at, s.format)
        for s in session.scalars(sa.select(Slot).order_by(Slot.id))
    ]
    rows += [
        (loc.name, loc.capacity)
        for loc in session.scalars(sa.select(Location).order_by(Location.id))
    ]
    rows += [
        (u.email, u.name, u.is_organiser)
        for u in session.scalars(sa.select(User).order_by(User.id))
    ]
    rows += [
        (p.name, p.headline, p.company, p.bio, p.looking_for, p.can_help, p.format,
         p.max_meetings, [t.name for t in p.tags], sorted((i.direction, i.intent) for i in p.intents),
         [s.starts_at for s in p.available_slots])
        for p in session.scalars(sa.select(Profile).order_by(Profile.id))
    ]  # fmt: skip
    return rows


def test_seed_demo_is_deterministic(session, another_database):
    demo.seed_demo(session, attendees=30, seed=5, today=date(2030, 1, 1))
    first = _seeded(session)
    with another_database() as other:
        demo.seed_demo(other, attendees=30, seed=5, today=date(2030, 1, 1))
        second = _seeded(other)
    with another_database() as other:
        demo.seed_demo(other, attendees=30, seed=6, today=date(2030, 1, 1))
        reseeded = _seeded(other)

    # every profile is compared: the conference's 30 and the past meetup's 8
    assert sum(1 for row in first if len(row) == 11) == 38
    assert first == second
    assert first != reseeded


def test_demo_profiles_read_like_people_not_filler(session):
    from faker.providers.lorem.la import Provider as Latin

    demo.seed_demo(session, attendees=60, today=date(2030, 1, 1))

    bios = session.scalars(sa.select(Profile.bio)).all()
    latin = set(Latin.word_list) - {"a", "in", "at", "et"}
    words = {w.strip(".,").lower() for bio in bios for w in bio.split()}
    assert words & latin == set()
    assert all(bio.count(".") >= 2 and bio.endswith(".") for bio in bios)  # two sentences
    profiles = session.scalars(sa.select(Profile)).all()
    assert all(p.company and p.company not in p.headline for p in profiles)


def test_a_seed_that_fails_half_way_leaves_nothing(session, monkeypatch):
    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "_profile", broken)

    with pytest.raises(RuntimeError, match="disk full"):
        demo.seed_demo(session, attendees=20)
    session.rollback()

    assert session.scalar(sa.select(sa.func.count(Event.id))) == 0
    assert session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_the_demo_reads_like_a_real_event(session):
    from matchmaker.services.people.connections import my_connections

    result = demo.seed_demo(session, attendees=220, today=date(2030, 1, 1))
    event = result.event
    profiles = session.scalars(sa.select(Profile).where(Profile.event_id == event.id)).all()
    names = [p.name for p in profiles]

    assert len(set(names)) == len(names)  # nobody twice
    assert not [n for n in names if n.split()[0].rstrip(".") in ("Dr", "Mr", "Mrs", "Miss", "Ms")]
    assert all(p.company not in p.headline for p in profiles)
    assert len({p.looking_for for p in profiles}) > 150  # written, not one template
    assert sum(p.bio.startswith(("I", "At", "Most")) for p in profiles) > 100  # first person
    assert event.starts_on.weekday() == 1 and event.ends_on.weekday() == 2  # Tuesday, Wednesday
    groups = [s for s in event.slots if s.format == "group"]
    assert groups and all(s.starts_at.hour == 12 for s in groups)  # lunch time
    met = my_connections(session, user_id=accounts.find_user_by_email(session, demo.ATTENDEE[0]).id)
    assert len(met) >= 2 and any(c.shares_contact for c in met)
    assert all(c.event == "PyNetworking Evening Meetup" for c in met)


def test_the_demo_keeps_clear_of_christmas():
    assert demo._weekday_ahead(date(2026, 12, 7), 21) == date(2027, 1, 12)  # a Tuesday
    assert demo._weekday_ahead(date(2030, 3, 1), 21) == date(2030, 3, 26)
