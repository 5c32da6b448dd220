"""The published schedule as rows for exports: one row per attendee per meeting, with times
in the event's time zone, the place, the other people and a conversation starter."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from matchmaker.models import Event, Meeting, MeetingSeat, Profile, User
from matchmaker.services import matching
from matchmaker.services.errors import Conflict, NotFound

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


@dataclass(frozen=True)
class Schedule:
    event: Event
    rows: list[ScheduleRow]


def meeting_key(event_id: int, meeting: Meeting) -> str:
    """Stable across exports and re-published runs: the event, the slot and the people."""
    people = "-".join(str(p) for p in sorted(s.profile_id for s in meeting.seats))
    return f"{event_id}-{meeting.slot_id}-{people}"


def published_schedule(
    session: Session, *, event_id: int, actor_id: int | None, attendee_email: str | None = None
) -> Schedule:
    """The event's published schedule, for its organisers (actor None: the command line),
    for everyone or for the attendee with this email; Conflict when nothing is published."""
    event = matching.load_event(session, event_id, actor_id)
    if event.published_run_id is None:
        raise Conflict(NOT_PUBLISHED)
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
    only = None
    if attendee_email is not None:
        only = session.scalar(
            sa.select(Profile.id)
            .join(User)
            .where(Profile.event_id == event.id, User.email == User.normalise_email(attendee_email))
        )
        if only is None:
            raise NotFound(f"{attendee_email} is not an attendee of {event.name}.")
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
                )
            )
    rows.sort(key=lambda r: (r.attendee.lower(), r.email, r.starts_at, r.location))
    return Schedule(event=event, rows=rows)
