"""People to reconnect with: those an attendee rated well at earlier events who are at this
one too."""

import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.models import (
    Event,
    MatchRun,
    Meeting,
    MeetingSeat,
    Profile,
)


@dataclass(frozen=True)
class Reconnect:
    name: str
    met_at: str
    rating: int


@functools.cache
def _earlier_profiles() -> sa.Select:
    """The user's profiles at other events that began no later than this one (built once)."""
    return (
        sa.select(Profile.id)
        .join(Event, Event.id == Profile.event_id)
        .where(
            Profile.user_id == sa.bindparam("user_id"),
            Profile.event_id != sa.bindparam("event_id"),
            Event.starts_on <= sa.bindparam("on"),
        )
    )


def reconnect_here(session: Session, profile: Profile) -> list[Reconnect]:
    """People at this event whom the attendee rated 4 or 5 at an earlier event."""
    earlier = session.scalars(
        _earlier_profiles(),
        {"user_id": profile.user_id, "event_id": profile.event_id, "on": profile.event.starts_on},
    ).all()
    if not earlier:  # most people: their first event here
        return []
    mine = sa.orm.aliased(MeetingSeat)
    theirs = sa.orm.aliased(MeetingSeat)
    them, here = sa.orm.aliased(Profile), sa.orm.aliased(Profile)
    rows = session.execute(
        sa.select(here.name, Event.name, mine.rating)
        .select_from(mine)
        .join(Meeting, Meeting.id == mine.meeting_id)
        .join(MatchRun, MatchRun.id == Meeting.run_id)
        .join(Event, Event.published_run_id == MatchRun.id)
        .join(theirs, (theirs.meeting_id == Meeting.id) & (theirs.profile_id != mine.profile_id))
        .join(them, them.id == theirs.profile_id)
        .join(here, (here.user_id == them.user_id) & (here.event_id == profile.event_id))
        .where(
            mine.profile_id.in_(earlier),
            mine.rating >= 4,
            Meeting.cancelled_at.is_(None),
            Event.id != profile.event_id,
            Event.starts_on <= profile.event.starts_on,
        )
        .order_by(mine.rating.desc(), here.name)
    ).all()
    found: dict[str, Reconnect] = {}
    for name, event_name, rating in rows:
        found.setdefault(name, Reconnect(name=name, met_at=event_name, rating=rating))
    return list(found.values())
