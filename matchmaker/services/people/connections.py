"""Connections: the people an attendee met, kept after the event. A one-to-one counts once
either of the two says "we met" (and neither says the other did not come); a group meetup
connects the members who each said "we met". Contact details show only when both people of
the meeting chose to share theirs."""

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from matchmaker.exports.contacts import Connection
from matchmaker.models import Event, MatchRun, Meeting, MeetingSeat, Profile
from matchmaker.vocabulary import MeetingKind, Outcome


def _met(meeting: Meeting, mine: MeetingSeat, theirs: MeetingSeat) -> bool:
    said = {mine.outcome, theirs.outcome}
    if meeting.kind == MeetingKind.GROUP:
        return mine.outcome == theirs.outcome == Outcome.MET
    return Outcome.MET in said and Outcome.NO_SHOW not in said


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
            if theirs is mine or other.user_id == user_id or not _met(meeting, mine, theirs):
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
            )
    return sorted(found.values(), key=lambda c: (-c.met_on.toordinal(), c.name.lower()))
