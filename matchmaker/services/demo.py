"""The demo event: a realistic crowd generated with a fixed seed."""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from faker import Faker
from sqlalchemy.orm import Session

from matchmaker.models import Event, Location, Profile, ProfileIntent, Slot, Tag, User
from matchmaker.services.people.accounts import add_user, find_user_by_email
from matchmaker.services.setup.events import EventDetails, add_event
from matchmaker.services.setup.timetable import SlotSeries, series_times
from matchmaker.vocabulary import INTENTS, AttendeeFormat, Direction, MeetingKind

DEMO_SLUG = "demo"
ORGANISER = ("organiser@demo.test", "Demo Organiser", "organise-demo")
ATTENDEE = ("attendee@demo.test", "Demo Attendee", "attend-demo")

# Themes make the crowd realistic: people within a theme share words and tags.
THEMES: dict[str, dict[str, list[str]]] = {
    "data": {
        "tags": [
            "machine learning",
            "data engineering",
            "mlops",
            "statistics",
            "nlp",
            "llms",
        ],
        "work": [
            "training ranking models",
            "building data pipelines",
            "fine-tuning language models",
            "forecasting demand",
            "running experiments at scale",
        ],
        "titles": [
            "Data scientist",
            "ML engineer",
            "Data engineer",
            "Research scientist",
        ],
    },
    "web": {
        "tags": [
            "web development",
            "frontend",
            "accessibility",
            "django",
            "react",
            "design systems",
        ],
        "work": [
            "shipping accessible interfaces",
            "maintaining a design system",
            "scaling a Django monolith",
            "making pages fast on slow phones",
        ],
        "titles": [
            "Frontend developer",
            "Full-stack engineer",
            "UX engineer",
            "Web developer",
        ],
    },
    "infra": {
        "tags": ["devops", "kubernetes", "observability", "cloud", "security", "sre"],
        "work": [
            "running Kubernetes in production",
            "on-call and incident response",
            "hardening CI pipelines",
            "cutting cloud costs",
        ],
        "titles": ["SRE", "Platform engineer", "Security engineer", "DevOps lead"],
    },
    "product": {
        "tags": [
            "product management",
            "startups",
            "fundraising",
            "growth",
            "ux research",
        ],
        "work": [
            "finding product-market fit",
            "raising a seed round",
            "interviewing users",
            "growing a B2B SaaS",
        ],
        "titles": ["Founder", "Product manager", "Head of growth", "UX researcher"],
    },
    "community": {
        "tags": ["open source", "community", "education", "diversity", "documentation"],
        "work": [
            "maintaining an open-source library",
            "teaching Python to beginners",
            "organising meetups",
            "writing documentation people read",
        ],
        "titles": ["Maintainer", "Developer advocate", "Teacher", "Community manager"],
    },
}


# Second sentences of bios: composed from these, never filler text.
ASIDES = [
    "Lately I have been {other} too.",
    "Before that I spent three years {other}.",
    "I give talks on {mine} at local meetups.",
    "I mentor juniors who want to get into {tag}.",
    "Our team is small, so I also end up {other}.",
    "I am curious how other teams handle {tag}.",
    "I blog now and then about {mine}.",
]


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
        SlotSeries(day2, time(14, 0), time(15, 40), 20, 5, MeetingKind.ONE_TO_ONE),
        SlotSeries(day2, time(16, 0), time(17, 0), 60, 0, MeetingKind.GROUP),
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


def _profile(fake: Faker, rng: random.Random, event: Event, user: User, tags: dict) -> Profile:
    theme_name = rng.choice(sorted(THEMES))
    theme = THEMES[theme_name]
    other = THEMES[rng.choice(sorted(THEMES))]
    chosen = rng.sample(theme["tags"], k=rng.randint(2, 4)) + rng.sample(other["tags"], k=1)
    work = rng.sample(theme["work"], k=2)
    seeks = rng.sample(INTENTS, k=rng.randint(1, 2))
    offers = rng.sample([i for i in INTENTS if i not in seeks], k=rng.randint(1, 2))
    slots = [s for s in event.slots if rng.random() < 0.8]
    company = fake.company()
    shares = rng.random() < 0.6
    return Profile(
        event=event,
        user=user,
        name=user.name,
        headline=f"{rng.choice(theme['titles'])} at {company}",
        company=company,
        bio=f"I spend my days {work[0]} and {work[1]}. "
        + rng.choice(ASIDES).format(
            mine=work[0], other=rng.choice(other["work"]), tag=rng.choice(chosen)
        ),
        looking_for=f"People who know about {rng.choice(other['work'])}.",
        can_help=f"Happy to talk about {work[0]}.",
        format=rng.choice([*AttendeeFormat, AttendeeFormat.ANY]),
        max_meetings=rng.choice([None, None, 3, 4, 6]),
        share_contact=shares,
        # Those who share their contact details are in the directory too.
        listed=shares,
        tags=[
            tags.setdefault(name, Tag(event_id=event.id, name=name))
            for name in dict.fromkeys(chosen)
        ],
        intents=[ProfileIntent(direction=Direction.SEEKS, intent=i) for i in sorted(seeks)]
        + [ProfileIntent(direction=Direction.OFFERS, intent=i) for i in sorted(offers)],
        available_slots=slots,
        # Sign-ups spread over the three weeks before today, as a real call for attendees.
        created_at=datetime.now(UTC) - timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 23)),
        completed_at=datetime.now(UTC),
    )


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
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    email, name, password = ORGANISER
    organiser = find_user_by_email(session, email) or add_user(
        session, email=email, name=name, password=password, is_organiser=True
    )
    start = (today or date.today()) + timedelta(days=21)
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
        person = fake.name()
        local = "".join(ch for ch in person.lower().replace(" ", ".") if ch.isalnum() or ch == ".")
        users.append(User(email=f"{local}.{i}@example.org", name=person, is_organiser=False))
    session.add_all(users[1:])
    for user in users:
        session.add(_profile(fake, rng, event, user, tags))
    session.flush()
    return DemoResult(event=event, created=True, attendees=len(users))
