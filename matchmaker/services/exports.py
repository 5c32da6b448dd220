"""The published schedule as rows for exports: one row per attendee per meeting, with times
in the event's time zone, the place, the other people and a conversation starter."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from matchmaker.models import Event, Meeting, MeetingSeat, Profile, User
from matchmaker.services import matching
from matchmaker.services.attendance import get_own_profile
from matchmaker.services.errors import Conflict, NotFound
from matchmaker.services.introductions import settle_if_due

NOT_PUBLISHED = "Nothing is published for this event yet: publish a matching run first."


@dataclass(frozen=True)
class ScheduleRow:
    """One attendee's view of one meeting."""

    meeting_key: str  # the same meeting gets the same key in every export of every run
    attendee: str
    email: str
    starts_at: datetime  # aware, in the event's time zone
    ends_at: datetime
    location: str
    kind: str
    others: tuple[str, ...]
    topic: str
    starter: str
    cancelled: bool = False


@dataclass(frozen=True)
class Schedule:
    event: Event
    rows: list[ScheduleRow]


def meeting_key(event_id: int, meeting: Meeting) -> str:
    """Stable across exports and re-published runs: the event, the slot and the people (or
    the key frozen when its people changed)."""
    if meeting.calendar_uid:
        return meeting.calendar_uid
    people = "-".join(str(p) for p in sorted(s.profile_id for s in meeting.seats))
    return f"{event_id}-{meeting.slot_id}-{people}"


def published_schedule(
    session: Session, *, event_id: int, actor_id: int | None, attendee_email: str | None = None
) -> Schedule:
    """The event's published schedule, for its organisers (actor None: the command line),
    for everyone or for the attendee with this email; Conflict when nothing is published."""
    event = matching.load_event(session, event_id, actor_id)
    settle_if_due(session, event, datetime.now(UTC))
    if event.published_run_id is None:
        raise Conflict(NOT_PUBLISHED)
    only = None
    if attendee_email is not None:
        only = session.scalar(
            sa.select(Profile.id)
            .join(User)
            .where(Profile.event_id == event.id, User.email == User.normalise_email(attendee_email))
        )
        if only is None:
            raise NotFound(f"{attendee_email} is not an attendee of {event.name}.")
    return Schedule(event=event, rows=_rows(session, event, only, include_cancelled=False))


def own_schedule(session: Session, *, slug: str, user_id: int) -> Schedule:
    """An attendee's own published meetings (none before anything is published)."""
    profile = get_own_profile(session, slug=slug, user_id=user_id)
    settle_if_due(session, profile.event, datetime.now(UTC))
    return Schedule(
        profile.event, _rows(session, profile.event, profile.id, include_cancelled=True)
    )


def feed_schedule(session: Session, *, token: str) -> Schedule:
    """The schedule behind a calendar feed's secret address, cancelled meetings included so
    that calendars remove them; NotFound for an unknown or revoked address."""
    profile = session.scalar(sa.select(Profile).where(Profile.calendar_token == token))
    if profile is None or not token:
        raise NotFound("This calendar address is not valid (it may have been replaced).")
    settle_if_due(session, profile.event, datetime.now(UTC))
    return Schedule(
        profile.event, _rows(session, profile.event, profile.id, include_cancelled=True)
    )


def calendar_token(session: Session, *, slug: str, user_id: int, renew: bool = False) -> str:
    """The secret of the attendee's calendar feed, made on first use; `renew` replaces it, and
    the old address stops working."""
    profile = get_own_profile(session, slug=slug, user_id=user_id)
    if profile.calendar_token is None or renew:
        profile.calendar_token = secrets.token_urlsafe(24)
        session.commit()
    return profile.calendar_token


def _rows(
    session: Session, event: Event, only: int | None, *, include_cancelled: bool
) -> list[ScheduleRow]:
    if event.published_run_id is None:
        return []
    query = (
        sa.select(Meeting)
        .where(Meeting.run_id == event.published_run_id)
        .options(
            selectinload(Meeting.slot),
            selectinload(Meeting.location),
            selectinload(Meeting.seats)
            .selectinload(MeetingSeat.profile)
            .selectinload(Profile.user),
        )
    )
    if not include_cancelled:
        query = query.where(Meeting.cancelled_at.is_(None))
    if only is not None:
        query = query.join(MeetingSeat).where(MeetingSeat.profile_id == only)
    rows = []
    zone = event.zone
    for meeting in session.scalars(query):
        for seat in meeting.seats:
            if only is not None and seat.profile_id != only:
                continue
            rows.append(
                ScheduleRow(
                    meeting_key=meeting_key(event.id, meeting),
                    attendee=seat.profile.name,
                    email=seat.profile.user.email,
                    starts_at=meeting.slot.starts_at.replace(tzinfo=zone),
                    ends_at=meeting.slot.ends_at.replace(tzinfo=zone),
                    location=meeting.location.name,
                    kind=meeting.kind,
                    others=tuple(s.profile.name for s in meeting.seats if s is not seat),
                    topic=meeting.topic,
                    starter=(meeting.starters or [""])[0],
                    cancelled=meeting.cancelled_at is not None,
                )
            )
    rows.sort(key=lambda r: (r.attendee.lower(), r.email, r.starts_at, r.location))
    return rows
