"""The published schedule as rows for exports: one row per attendee per meeting, with times
in the event's time zone, the place, the other people and a conversation starter."""

import functools
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager

from matchmaker.exports.schedule import Schedule, ScheduleRow
from matchmaker.models import Event, Location, Meeting, MeetingSeat, Profile, Slot, User
from matchmaker.models.event import location_code
from matchmaker.services.core import reads
from matchmaker.services.core.calendar_ids import key_of
from matchmaker.services.errors import Conflict, NotFound
from matchmaker.services.introductions.deadline import settle_if_due
from matchmaker.services.introductions.reading import to_reader
from matchmaker.services.people.attendance import get_own_profile, profile_and_event

NOT_PUBLISHED = "Nothing is published for this event yet: publish a matching run first."


def published_schedule(
    session: Session,
    *,
    event: Event,
    now: datetime,
    attendee_email: str | None = None,
    language: str | None = None,
) -> Schedule:
    """The event's published schedule, for everyone or for the attendee with this email,
    for a reader of `language` (None: English); Conflict when nothing is published."""
    settle_if_due(session, event, now)
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
    rows = _rows(session, event, only, include_cancelled=False)
    return Schedule(event=event, rows=rows, language=language)


def own_schedule(session: Session, *, slug: str, user_id: int, now: datetime) -> Schedule:
    """An attendee's own published meetings (none before anything is published)."""
    profile = profile_and_event(session, slug=slug, user_id=user_id)
    settle_if_due(session, profile.event, now)
    return Schedule(
        profile.event, _rows(session, profile.event, profile.id, include_cancelled=True)
    )


def feed_schedule(session: Session, *, token: str, now: datetime) -> Schedule:
    """The schedule behind a calendar feed's secret address, cancelled meetings included so
    that calendars remove them; NotFound for an unknown or revoked address."""
    profile = session.scalar(_feed_profile(), {"token": token}) if token else None
    if profile is None:
        raise NotFound("This calendar address is not valid (it may have been replaced).")
    settle_if_due(session, profile.event, now)
    rows = _rows(session, profile.event, profile.id, include_cancelled=True)
    return Schedule(profile.event, rows, language=profile.user.language)  # the account's


def calendar_token(session: Session, *, slug: str, user_id: int, renew: bool = False) -> str:
    """The secret of the attendee's calendar feed, made on first use; `renew` replaces it, and
    the old address stops working."""
    profile = get_own_profile(session, slug=slug, user_id=user_id)
    if profile.calendar_token is None or renew:
        # Made when the calendar page is first read: in a transaction of its own then, and
        # only if no other request made one at the same moment.
        made = sa.update(Profile).where(Profile.id == profile.id)
        if not renew:
            made = made.where(Profile.calendar_token.is_(None))
        with reads.writing(session) as writer:
            writer.execute(made.values(calendar_token=secrets.token_urlsafe(24)))
        session.refresh(profile, attribute_names=["calendar_token"])
    return profile.calendar_token


@functools.cache
def _feed_profile() -> sa.Select:
    """The profile, with its event, behind a calendar feed's secret: built once."""
    return (
        sa.select(Profile)
        .join(Event)
        .join(User, User.id == Profile.user_id)
        .where(Profile.calendar_token == sa.bindparam("token"))
        .options(contains_eager(Profile.event), contains_eager(Profile.user))
    )


@functools.cache
def _rows_query(include_cancelled: bool, only: bool) -> sa.Select:
    """The statement of `_rows`, built once for each shape: everyone seated in the published
    run's meetings (or in those of the profile `profile_id`), with the meeting, in seat order."""
    chosen = sa.select(Meeting.id).where(Meeting.run_id == sa.bindparam("run_id"))
    if not include_cancelled:
        chosen = chosen.where(Meeting.cancelled_at.is_(None))
    if only:
        mine = sa.select(MeetingSeat.meeting_id).where(
            MeetingSeat.profile_id == sa.bindparam("profile_id")
        )
        chosen = chosen.where(Meeting.id.in_(mine))
    return (
        sa.select(
            MeetingSeat.meeting_id, MeetingSeat.profile_id, Profile.name, User.email,
            Meeting.kind, Meeting.topic, Meeting.starters, Meeting.cancelled_at,
            Meeting.calendar_uid, Meeting.sequence, Meeting.slot_id, Slot.starts_at, Slot.ends_at,
            Location.name.label("place"), Location.id.label("location_id"),
        )
        .join(Meeting, Meeting.id == MeetingSeat.meeting_id)
        .join(Slot, Slot.id == Meeting.slot_id)
        .join(Location, Location.id == Meeting.location_id)
        .join(Profile, Profile.id == MeetingSeat.profile_id)
        .join(User, User.id == Profile.user_id)
        .where(MeetingSeat.meeting_id.in_(chosen))
        .order_by(MeetingSeat.meeting_id, MeetingSeat.position)
    )  # fmt: skip


def _rows(
    session: Session, event: Event, only: int | None, *, include_cancelled: bool
) -> list[ScheduleRow]:
    """Each (person, meeting) of the published plan, or only this profile's, in one query
    whatever the size: everyone seated in the meetings, with their meeting."""
    if event.published_run_id is None:
        return []
    params = {"run_id": event.published_run_id}
    if only is not None:
        params["profile_id"] = only
    seated: dict[int, list] = {}
    for seat in session.execute(_rows_query(include_cancelled, only is not None), params):
        seated.setdefault(seat.meeting_id, []).append(seat)
    rows = []
    zone = event.zone
    for seats in seated.values():
        meeting = seats[0]
        key = key_of(event, meeting.calendar_uid, meeting.slot_id, [s.profile_id for s in seats])
        for seat in seats:
            if only is not None and seat.profile_id != only:
                continue
            others = [s.name for s in seats if s is not seat]
            rows.append(
                ScheduleRow(
                    meeting_key=key,
                    attendee=seat.name,
                    email=seat.email,
                    starts_at=meeting.starts_at.replace(tzinfo=zone),
                    ends_at=meeting.ends_at.replace(tzinfo=zone),
                    location=meeting.place,
                    kind=meeting.kind,
                    others=tuple(others),
                    topic=meeting.topic,
                    starter=next(
                        iter(to_reader(meeting.starters, meeting.kind, seat.name, others)), ""
                    ),
                    cancelled=meeting.cancelled_at is not None,
                    sequence=meeting.sequence,
                    location_code=location_code(meeting.location_id),
                )
            )
    rows.sort(key=lambda r: (r.attendee.lower(), r.email, r.starts_at, r.location))
    return rows
