"""Connections: the people an attendee met, kept after the event. Two people of a meeting
(one-to-one or a group's) are connected once each of them said "we met": what the other
answered otherwise never shows. Contact details show only when both people of the meeting
chose to share theirs."""

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from matchmaker.exports.contacts import Connection
from matchmaker.models import Event, MatchRun, Meeting, MeetingSeat, Profile
from matchmaker.vocabulary import Outcome


def _met(mine: MeetingSeat, theirs: MeetingSeat) -> bool:
    """Both said "we met": nothing else the other answered shows anywhere (were a one-sided
    "met" enough, its absence would tell that the other reported a no-show)."""
    return mine.outcome == theirs.outcome == Outcome.MET


def my_connections(session: Session, *, user_id: int) -> list[Connection]:
    """The people the user met at any event's published schedule, most recent first, one
    entry per person."""
    seats = session.scalars(
        sa.select(MeetingSeat)
        .join(Profile, Profile.id == MeetingSeat.profile_id)
        .join(Meeting, Meeting.id == MeetingSeat.meeting_id)
        .join(MatchRun, MatchRun.id == Meeting.run_id)
        .join(Event, Event.published_run_id == MatchRun.id)
        .where(Profile.user_id == user_id, Meeting.cancelled_at.is_(None))
        .options(
            selectinload(MeetingSeat.profile).selectinload(Profile.event),
            selectinload(MeetingSeat.meeting).selectinload(Meeting.slot),
            selectinload(MeetingSeat.meeting)
            .selectinload(Meeting.seats)
            .selectinload(MeetingSeat.profile)
            .selectinload(Profile.user),
        )
    ).all()
    found: dict[int, Connection] = {}
    order = sorted(seats, key=lambda s: s.meeting.slot.starts_at, reverse=True)
    for mine in order:
        meeting = mine.meeting
        for theirs in meeting.seats:
            other = theirs.profile
            if theirs is mine or other.user_id == user_id or not _met(mine, theirs):
                continue
            shared = mine.profile.share_contact and other.share_contact
            known = found.get(other.user_id)
            if known is not None and (known.shares_contact or not shared):
                continue
            found[other.user_id] = Connection(
                user_id=other.user_id,
                name=other.name,
                headline=other.headline,
                company=other.company,
                event=mine.profile.event.name,
                met_on=meeting.slot.starts_at.date(),
                email=other.user.email if shared else None,
                links=tuple(other.links.split()) if shared and other.links else (),
                my_rating=mine.rating if known is None else known.my_rating,
                event_id=mine.profile.event_id,
            )
    return sorted(found.values(), key=lambda c: (-c.met_on.toordinal(), c.name.lower()))
