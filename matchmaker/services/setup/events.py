"""Organisers create events, see only their own, and share a join link."""

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matchmaker.models import Event, EventOrganiser, Profile, User
from matchmaker.models.event import SLUG_MAX
from matchmaker.services.errors import Forbidden, Invalid


@dataclass(frozen=True)
class EventDetails:
    name: str
    starts_on: date
    ends_on: date
    timezone: str = "UTC"
    description: str = ""
    venue: str = ""
    join_closes_on: date | None = None
    max_meetings: int = 6
    group_size_min: int = 3
    group_size_max: int = 6
    requests_per_person: int = 5
    tables_kept_free: int = 0
    meetings_kept_free: int = 0
    reminder_minutes: int = 10
    morning_check: bool = True


@dataclass(frozen=True)
class EventFigures:
    attendees: int
    complete_profiles: int
    slots: int
    locations: int


def _check_details(details: EventDetails) -> None:
    errors: dict[str, list[str]] = {}
    if details.ends_on < details.starts_on:
        errors["ends_on"] = ["The last day must not be before the first day."]
    if details.join_closes_on and details.join_closes_on > details.ends_on:
        errors["join_closes_on"] = ["Signups must close by the last day of the event."]
    if details.group_size_max < details.group_size_min:
        errors["group_size_max"] = ["The largest group must not be smaller than the smallest."]
    if errors:
        raise Invalid(errors)


def slugify(text: str) -> str:
    """A URL-safe slug made from `text` (ASCII letters, digits and hyphens)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[: SLUG_MAX - 8].strip("-") or "event"


def _unique_slug(session: Session, name: str) -> str:
    base = slugify(name)
    taken = set(session.scalars(sa.select(Event.slug).where(Event.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def new_join_token() -> str:
    return secrets.token_urlsafe(16)


def create_event(
    session: Session,
    *,
    organiser_id: int,
    details: EventDetails,
    slug: str | None = None,
) -> Event:
    """Create an event organised by `organiser_id`. Events of one name created at the same
    moment get different addresses: each that loses the race tries the next free one."""
    attempts = 1 if slug is not None else 5
    for attempt in range(1, attempts + 1):
        try:
            with session.begin_nested():
                event = add_event(session, organiser_id=organiser_id, details=details, slug=slug)
        except IntegrityError:
            if attempt == attempts:
                raise
        else:
            return event


def add_event(
    session: Session,
    *,
    organiser_id: int,
    details: EventDetails,
    slug: str | None = None,
) -> Event:
    """Add an event organised by `organiser_id` (flush only: the caller commits)."""
    organiser = session.get(User, organiser_id)
    if organiser is None or not organiser.is_organiser:
        raise Forbidden("Only organisers can create events.")
    _check_details(details)
    if slug is not None and session.scalar(sa.select(Event.id).where(Event.slug == slug)):
        raise Invalid.field("slug", f"The address {slug!r} is taken.")
    event = Event(
        slug=slug or _unique_slug(session, details.name),
        join_token=new_join_token(),
        **details.__dict__,
    )
    event.organisers.append(EventOrganiser(user=organiser))
    session.add(event)
    session.flush()
    return event


def update_event(session: Session, *, event: Event, details: EventDetails) -> Event:
    """Change an event's details."""
    _check_details(details)
    for field, value in details.__dict__.items():
        setattr(event, field, value)
    session.flush()
    return event


def list_organised_events(session: Session, *, actor_id: int) -> list[Event]:
    """The events `actor_id` organises, soonest first."""
    return list(
        session.scalars(
            sa.select(Event)
            .join(EventOrganiser)
            .where(EventOrganiser.user_id == actor_id)
            .order_by(Event.starts_on, Event.id)
        )
    )


def reset_join_link(session: Session, *, event: Event) -> Event:
    """Give the event a new join link; the old one stops working."""
    event.join_token = new_join_token()
    session.flush()
    return event


def event_figures(session: Session, *, event: Event) -> EventFigures:
    """Counts the organiser's overview shows."""
    attendees, complete = session.execute(
        sa.select(sa.func.count(Profile.id), sa.func.count(Profile.completed_at)).where(
            Profile.event_id == event.id
        )
    ).one()
    return EventFigures(
        attendees=attendees,
        complete_profiles=complete,
        slots=len(event.slots),
        locations=len(event.locations),
    )


def attendee_by_text(session: Session, *, event: Event, text: str, field: str) -> int:
    """The profile id of the attendee of the event named by `text`: "Name (email)" as the
    page suggests it, an email address, or a name only one attendee has; Invalid naming
    `field`, with the closest names, otherwise."""
    text = " ".join(text.split())
    if match := re.fullmatch(r".*\(([^()\s]+@[^()\s]+)\)", text):
        text = match.group(1)
    people = (
        sa.select(Profile.id, Profile.name, User.email)
        .join(User)
        .where(Profile.event_id == event.id)
    )
    if "@" in text:
        found = session.execute(people.where(User.email == User.normalise_email(text))).all()
    else:
        found = session.execute(people.where(sa.func.lower(Profile.name) == text.casefold())).all()
    if len(found) == 1:
        return found[0].id
    if len(found) > 1:
        which = f"{found[0].email}, {found[1].email}"
        raise Invalid.field(
            field, f"{len(found)} attendees are called {text}: type the email of one ({which})."
        )
    close = session.execute(
        people.where(
            sa.or_(
                sa.func.lower(Profile.name).like(f"%{text.casefold()}%"),
                User.email.like(f"%{text.casefold()}%"),
            )
        )
        .order_by(sa.func.lower(Profile.name))
        .limit(3)
    ).all()
    hint = f" Did you mean {', '.join(f'{n} ({e})' for _, n, e in close)}?" if close else ""
    raise Invalid.field(field, f"No attendee of this event is {text!r}.{hint}")


def attendee_names(
    session: Session, *, event: Event, limit: int | None = None, ids: list[int] | None = None
) -> list[tuple]:
    """(profile id, name, email) of the attendees (at most `limit`; only `ids` when given),
    by name: for choosing people."""
    query = (
        sa.select(Profile.id, Profile.name, User.email)
        .join(User, User.id == Profile.user_id)
        .where(Profile.event_id == event.id)
        .order_by(sa.func.lower(Profile.name), Profile.id)
        .limit(limit)
    )
    if ids is not None:
        query = query.where(Profile.id.in_(ids))
    return list(session.execute(query).tuples())
