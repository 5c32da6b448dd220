"""The demo: a two-day conference a few weeks ahead with a realistic crowd generated from a
fixed seed, and a past meetup where the demo attendee already met people (so that "we met",
ratings, connections and "people you enjoyed meeting are here too" can be tried)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.models import Event, Location, Profile, ProfileIntent, Slot, Tag, User
from matchmaker.services.demo_crowd import Crowd, ascii_local
from matchmaker.services.people.accounts import add_user, find_user_by_email
from matchmaker.services.planning import matching, publishing
from matchmaker.services.setup.events import EventDetails, add_event
from matchmaker.services.setup.timetable import SlotSeries, series_times
from matchmaker.vocabulary import INTENTS, AttendeeFormat, Direction, MeetingKind, Outcome, Response

DEMO_SLUG = "demo"
ORGANISER = ("organiser@demo.test", "Demo Organiser", "organise-demo")
ATTENDEE = ("attendee@demo.test", "Demo Attendee", "attend-demo")
# The demo attendee's own profile: what a newcomer reads first on their introductions.
DEMO_TEXT = {
    "headline": "Data engineer",
    "company": "Pinecone Data",
    "bio": "I build data pipelines at Pinecone Data and look after our Airflow set-up. "
    "Lately I have been moving our batch jobs to streaming.",
    "looking_for": "Someone who has run Kafka in production and can tell me what they wish "
    "they had known. A mentor in data engineering.",
    "can_help": "I can walk you through Airflow: what worked for us and what didn't.",
    "tags": ["data engineering", "machine learning", "python", "kafka"],
}
PAST_PEOPLE = 8  # the demo attendee and seven of the crowd were at the past meetup


@dataclass(frozen=True)
class DemoResult:
    event: Event
    created: bool
    attendees: int


def _demo_timetable(session: Session, event: Event) -> None:
    day1, day2 = event.starts_on, event.ends_on
    series = [
        SlotSeries(day1, time(10, 0), time(12, 30), 20, 5, MeetingKind.ONE_TO_ONE),
        SlotSeries(day1, time(12, 30), time(13, 30), 60, 0, MeetingKind.GROUP),
        SlotSeries(day2, time(10, 30), time(12, 10), 20, 5, MeetingKind.ONE_TO_ONE),
        SlotSeries(day2, time(12, 30), time(13, 30), 60, 0, MeetingKind.GROUP),
    ]
    for s in series:
        for starts_at, ends_at in series_times(s):
            label = "Lunch groups" if s.format == MeetingKind.GROUP else ""
            event.slots.append(
                Slot(starts_at=starts_at, ends_at=ends_at, format=s.format, label=label)
            )
    event.locations.extend(Location(name=f"Table {i}", capacity=2) for i in range(1, 41))
    event.locations.extend(Location(name=f"Room {c}", capacity=6) for c in "ABCDEFGH")
    # Room for requests to meet and late joiners once the plan is out.
    event.tables_kept_free = 4
    event.meetings_kept_free = 1
    session.flush()


def _profile(crowd: Crowd, event: Event, user: User, tags: dict, text: dict | None = None):
    """A filled-in profile of the crowd's for `user` (its texts given, or drawn)."""
    rng = crowd.rng
    seeks = rng.sample(INTENTS, k=rng.randint(1, 2))
    offers = rng.sample([i for i in INTENTS if i not in seeks], k=rng.randint(1, 2))
    text = text or crowd.person(seeks, offers)
    slots = [s for s in event.slots if rng.random() < 0.8]
    shares = rng.random() < 0.6
    return Profile(
        event=event,
        user=user,
        name=user.name,
        headline=text["headline"],
        company=text["company"],
        bio=text["bio"],
        looking_for=text["looking_for"],
        can_help=text["can_help"],
        format=rng.choice([*AttendeeFormat, AttendeeFormat.ANY]),
        max_meetings=rng.choice([None, None, 3, 4, 6]),
        share_contact=shares,
        # Those who share their contact details are in the directory too.
        listed=shares,
        tags=[tags.setdefault(name, Tag(event_id=event.id, name=name)) for name in text["tags"]],
        intents=[ProfileIntent(direction=Direction.SEEKS, intent=i) for i in sorted(seeks)]
        + [ProfileIntent(direction=Direction.OFFERS, intent=i) for i in sorted(offers)],
        available_slots=slots,
        # Sign-ups spread over the three weeks before today, as a real call for attendees.
        created_at=datetime.now(UTC) - timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 23)),
        completed_at=datetime.now(UTC),
    )


def _weekday_ahead(today: date, days: int) -> date:
    """The first Tuesday at least `days` after today, out of the Christmas and New Year
    holidays: a two-day event on weekdays when people are at work."""
    start = today + timedelta(days=days)
    if (start.month, start.day) >= (12, 18) or (start.month, start.day) <= (1, 6):
        start = date(start.year + (start.month == 12), 1, 7)
    return start + timedelta(days=(1 - start.weekday()) % 7)


def seed_demo(
    session: Session,
    *,
    attendees: int = 220,
    seed: int = 2026,
    today: date | None = None,
) -> DemoResult:
    """Create the demo event with its organiser, timetable and attendees, unless it exists."""
    existing = session.scalar(sa.select(Event).where(Event.slug == DEMO_SLUG))
    if existing is not None:
        count = session.scalar(
            sa.select(sa.func.count(Profile.id)).where(Profile.event_id == existing.id)
        )
        return DemoResult(event=existing, created=False, attendees=count)
    crowd = Crowd(seed)
    email, name, password = ORGANISER
    organiser = find_user_by_email(session, email) or add_user(
        session, email=email, name=name, password=password, is_organiser=True
    )
    start = _weekday_ahead(today or date.today(), 21)
    event = add_event(
        session,
        organiser_id=organiser.id,
        slug=DEMO_SLUG,
        details=EventDetails(
            name="PyNetworking Demo Conference",
            description="A two-day conference to show what matchmaker does.",
            venue="Congress Centre, Hall 2",
            timezone="Europe/Berlin",
            starts_on=start,
            ends_on=start + timedelta(days=1),
        ),
    )
    _demo_timetable(session, event)
    tags: dict[str, Tag] = {}
    email, name, password = ATTENDEE
    demo_attendee = find_user_by_email(session, email) or add_user(
        session, email=email, name=name, password=password, is_organiser=False
    )
    users = [demo_attendee]
    for i in range(1, attendees):
        person = crowd.name()
        users.append(
            User(email=f"{ascii_local(person)}.{i}@example.org", name=person, is_organiser=False)
        )
    session.add_all(users[1:])
    for user in users:
        session.add(
            _profile(crowd, event, user, tags, DEMO_TEXT if user is demo_attendee else None)
        )
    session.flush()
    _past_event(session, crowd, organiser, users[:PAST_PEOPLE], start)
    return DemoResult(event=event, created=True, attendees=len(users))


def _past_event(session: Session, crowd: Crowd, organiser: User, people: list[User], start) -> None:
    """A one-day meetup six weeks before the conference, matched and published, where the
    demo attendee met two or three of these people: both said "we met" and rated it, and most
    shared their details."""
    day = start - timedelta(days=42)
    event = add_event(
        session,
        organiser_id=organiser.id,
        slug=f"{DEMO_SLUG}-meetup",
        details=EventDetails(
            name="PyNetworking Evening Meetup",
            description="An evening meetup before the conference.",
            venue="Co-working space, Canal Street",
            timezone="Europe/Berlin",
            starts_on=day,
            ends_on=day,
        ),
    )
    event.slots.extend(
        Slot(
            starts_at=datetime.combine(day, time(18, 0)) + timedelta(minutes=25 * k),
            ends_at=datetime.combine(day, time(18, 20)) + timedelta(minutes=25 * k),
            format=MeetingKind.ONE_TO_ONE,
        )
        for k in range(3)
    )
    event.locations.extend(Location(name=f"Table {i}", capacity=2) for i in range(1, 5))
    session.flush()
    tags: dict[str, Tag] = {}
    for user in people:
        profile = _profile(
            crowd, event, user, tags, DEMO_TEXT if user.email == ATTENDEE[0] else None
        )
        profile.format, profile.available_slots = AttendeeFormat.ONE_TO_ONE, list(event.slots)
        profile.share_contact = profile.share_contact or user.email == ATTENDEE[0]
        session.add(profile)
    session.flush()
    then = datetime.combine(day, time(9, 0), tzinfo=UTC)
    run = matching.start_run(session, event=event, actor_id=organiser.id, now=then,
                             timeout=timedelta(hours=1))  # fmt: skip
    matching.execute_run(session, run_id=run.id)
    publishing.publish_run(session, event=event, run_id=run.id, now=then, mailer=None,
                           schedule_link="")  # fmt: skip
    run.announced_at = then  # it is history: nobody is told of it now
    for meeting in matching.run_meetings(session, run_id=run.id):
        for k, seat in enumerate(meeting.seats):
            seat.response, seat.outcome = Response.ACCEPTED, Outcome.MET
            seat.rating = (5, 4, 4, 3)[(meeting.id + k) % 4]
    session.flush()
