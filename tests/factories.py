"""Test data made through the services, so that tests start from states users can reach. Each
factory is a unit of work of its own, as a request would be: it commits what it made."""

from datetime import date, datetime, time

import sqlalchemy as sa

from matchmaker.models import Profile
from matchmaker.services.people import attendance, signups
from matchmaker.services.setup import events, timetable
from tests.fakes import RecordingMailer

PASSWORD = "correct horse battery"
EVENT_DAY = date(2030, 5, 14)


SECRET = "factories"  # signs the confirmation links the factories follow


def sign_up(session, *, email, name, join_token=None):
    """An account made as people make one: signed up, then confirmed on the page its mailed
    link opens, where its password is chosen."""
    links = []
    signups.begin_sign_up(
        session,
        email=email,
        name=name,
        join_token=join_token,
        secret=SECRET,
        mailer=RecordingMailer(),
        links=signups.Links(
            confirm=lambda token: links.append(token) or f"https://meet.test/confirm/{token}",
            login="https://meet.test/login",
            forgot="https://meet.test/forgot",
        ),
    )
    user, _ = signups.confirm_sign_up(
        session, token=links[0], secret=SECRET, name=name, password=PASSWORD
    )
    session.commit()
    return user


def organiser(session, email="org@example.org", name="Olga Organiser"):
    return sign_up(session, email=email, name=name)


def event(session, owner, name="PyCon Test", **changes):
    details = dict(
        name=name,
        starts_on=EVENT_DAY,
        ends_on=EVENT_DAY,
        timezone="Europe/Berlin",
        venue="Hall A",
    )
    details.update(changes)
    made = events.create_event(
        session, organiser_id=owner.id, details=events.EventDetails(**details)
    )
    session.commit()
    return made


def slot(session, ev, start=time(10, 0), end=time(10, 20), format="one_to_one", day=EVENT_DAY):
    made = timetable.add_slot(
        session,
        event=ev,
        starts_at=datetime.combine(day, start),
        ends_at=datetime.combine(day, end),
        format=format,
    )
    session.commit()
    return made


def attendee(session, ev, email="ana@example.org", name="Ana Attendee"):
    """A new attendee account that has joined `ev` through its link; returns the profile."""
    user = sign_up(session, email=email, name=name, join_token=ev.join_token)
    return session.scalar(
        sa.select(Profile).where(Profile.event_id == ev.id, Profile.user_id == user.id)
    )


def login(client, email, password=PASSWORD):
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


TOPICS = [
    ("Data engineer", "pipelines, airflow and data quality in python", ["data", "python"]),
    ("Web developer", "django apps, htmx front ends and web accessibility", ["web", "django"]),
    ("ML researcher", "machine learning models, pytorch training and evaluation", ["ml", "data"]),
    ("Security lead", "application security, threat models and supply chain", ["security"]),
]


def filled_profile(session, ev, k, *, email=None, name=None, **changes):
    """Attendee number k of `ev` with a filled-in profile (free in every slot by default)."""
    profile = attendee(
        session, ev, email=email or f"person{k}@example.org", name=name or f"Person {k}"
    )
    headline, bio, tags = TOPICS[k % len(TOPICS)]
    data = dict(
        name=profile.name,
        headline=headline,
        bio=f"I work on {bio}. Project {k}.",
        interests=tuple(tags),
        seeks=("knowledge",),
        offers=("collaboration",),
        available_slot_ids=tuple(s.id for s in ev.slots),
    )
    data.update(changes)
    saved = attendance.save_profile(
        session, slug=ev.slug, user_id=profile.user_id, data=attendance.ProfileData(**data)
    )
    session.commit()
    return saved


def matchable_event(
    session, owner=None, *, people=8, one_to_one_slots=3, group_slots=1, tables=4, rooms=2
):
    """An event with one-to-one and group slots, tables and rooms, and `people` filled profiles."""
    owner = owner or organiser(session)
    ev = event(session, owner)
    for k in range(one_to_one_slots):
        slot(session, ev, start=time(9 + k, 0), end=time(9 + k, 20))
    for k in range(group_slots):
        slot(session, ev, start=time(13 + k, 0), end=time(13 + k, 45), format="group")
    if tables:
        timetable.add_locations(session, event=ev, name="Table", capacity=2, count=tables)
    if rooms:
        timetable.add_locations(session, event=ev, name="Room", capacity=4, count=rooms)
    session.commit()
    profiles = [filled_profile(session, ev, k) for k in range(people)]
    session.refresh(ev)
    return ev, profiles


PUBLISHED_AT = datetime(2030, 5, 1, 12, 0).astimezone()


def published_event(session, owner=None, *, mailer=None, **shape):
    """A matchable event (see `matchable_event`) whose first run is finished and published;
    returns (event, profiles)."""
    from datetime import timedelta

    from matchmaker.services.planning import matching, publishing
    from tests.fakes import RecordingMailer

    ev, profiles = matchable_event(session, owner, **shape)
    run = matching.start_run(
        session, event=ev, actor_id=None, now=PUBLISHED_AT, timeout=timedelta(hours=1)
    )
    matching.execute_run(session, run_id=run.id)
    publishing.publish_run(
        session,
        event=ev,
        run_id=run.id,
        now=PUBLISHED_AT,
        mailer=mailer or RecordingMailer(),
        schedule_link="https://meet.example.org/events",
    )
    session.commit()
    session.refresh(ev)
    return ev, profiles
