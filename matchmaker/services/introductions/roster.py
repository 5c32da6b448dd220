"""The organisers' roster of an event's attendees at any size: searched by name, email,
company or interest, filtered (no profile yet, no meeting, hidden, many declines), each with
their meetings and declines counted; and one person's page with their profile and their
meetings with where each answer stands (never their private notes or ratings)."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from matchmaker.catalogue import N_
from matchmaker.models import (
    Event,
    Location,
    Meeting,
    MeetingSeat,
    Profile,
    Slot,
    Tag,
    User,
    profile_tags,
)
from matchmaker.services.core.access import load_for_event
from matchmaker.services.errors import NotFound
from matchmaker.services.introductions.reading import status_of
from matchmaker.vocabulary import IntroductionStatus, Response

PER_PAGE = 100
NO_SUCH_ATTENDEE = "There is no such attendee at this event."
MANY_DECLINES = 3
SHOWS = {
    "": N_("Everyone"),
    "no-profile": N_("No profile yet"),
    "no-meeting": N_("Profile filled, no meeting"),
    "hidden": N_("Hidden from introductions"),
    "declines": N_("%(num)d or more declines"),
}


@dataclass(frozen=True)
class RosterRow:
    profile: Profile  # with its user and tags
    meetings: int  # of the published schedule, taking place, not declined
    declines: int


@dataclass(frozen=True)
class Roster:
    rows: list[RosterRow]
    total: int  # attendees of the event
    matching: int  # of them, those the search and filter keep
    page: int
    pages: int
    query: str
    show: str


def _counts(event: Event):
    """Per profile: meetings taking place and declines, in the published run."""
    taking_place = sa.and_(
        Meeting.cancelled_at.is_(None),
        MeetingSeat.response.not_in([Response.DECLINED, Response.DROPPED]),
    )
    return (
        sa.select(
            MeetingSeat.profile_id.label("profile_id"),
            sa.func.count().filter(taking_place).label("meetings"),
            sa.func.count().filter(MeetingSeat.response == Response.DECLINED).label("declines"),
        )
        .join(Meeting, Meeting.id == MeetingSeat.meeting_id)
        .where(Meeting.run_id == (event.published_run_id or -1))
        .group_by(MeetingSeat.profile_id)
        .subquery()
    )


def roster(
    session: Session,
    *,
    event: Event,
    page: int = 1,
    query: str = "",
    show: str = "",
    per_page: int | None = None,
    clamp: bool = True,
) -> Roster:
    """One page of the event's attendees by name, those matching `query` (every word in the
    name, email, company or an interest) and the filter `show` (a key of SHOWS). A page past
    the last is the last one, or empty without `clamp` (the API's paging)."""
    per_page = per_page or PER_PAGE
    query = " ".join(query.split())[:100]
    show = show if show in SHOWS else ""
    counts = _counts(event)
    meetings = sa.func.coalesce(counts.c.meetings, 0)
    declines = sa.func.coalesce(counts.c.declines, 0)
    where = [Profile.event_id == event.id]
    for word in query.casefold().split():
        like = f"%{word}%"
        interest = (
            sa.select(profile_tags.c.profile_id)
            .join(Tag, Tag.id == profile_tags.c.tag_id)
            .where(profile_tags.c.profile_id == Profile.id, sa.func.lower(Tag.name).like(like))
            .exists()
        )
        where.append(
            sa.or_(
                sa.func.lower(Profile.name).like(like),
                User.email.like(like),
                sa.func.lower(Profile.company).like(like),
                interest,
            )
        )
    if show == "no-profile":
        where.append(Profile.completed_at.is_(None))
    elif show == "no-meeting":
        where += [Profile.completed_at.is_not(None), meetings == 0]
    elif show == "hidden":
        where.append(Profile.hidden.is_(True))
    elif show == "declines":
        where.append(declines >= MANY_DECLINES)
    base = (
        sa.select(Profile, meetings.label("meetings"), declines.label("declines"))
        .join(User, User.id == Profile.user_id)
        .outerjoin(counts, counts.c.profile_id == Profile.id)
        .where(*where)
    )
    total = session.scalar(sa.select(sa.func.count(Profile.id)).where(Profile.event_id == event.id))
    matching = (
        session.scalar(sa.select(sa.func.count()).select_from(base.subquery()))
        if query or show
        else total
    )
    pages = max(1, -(-matching // per_page))
    page = min(max(page, 1), pages) if clamp else max(page, 1)
    found = session.execute(
        base.options(selectinload(Profile.tags), selectinload(Profile.user))
        .order_by(sa.func.lower(Profile.name), Profile.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    rows = [RosterRow(p, m, d) for p, m, d in found]
    return Roster(rows, total, matching, page, pages, query, show)


def roster_row(session: Session, *, event: Event, profile_id: int) -> RosterRow:
    """One attendee of the event as a line of its roster; NotFound for anyone else."""
    counts = _counts(event)
    found = session.execute(
        sa.select(
            Profile,
            sa.func.coalesce(counts.c.meetings, 0),
            sa.func.coalesce(counts.c.declines, 0),
        )
        .outerjoin(counts, counts.c.profile_id == Profile.id)
        .where(Profile.event_id == event.id, Profile.id == profile_id)
        .options(selectinload(Profile.tags), selectinload(Profile.user))
    ).first()
    if found is None:
        raise NotFound(NO_SUCH_ATTENDEE)
    return RosterRow(*found)


def with_details(session: Session, profiles: list[Profile]) -> list[Profile]:
    """The profiles with their intents and free slots loaded (two queries, not two each)."""
    if profiles:
        session.scalars(
            sa.select(Profile)
            .where(Profile.id.in_([p.id for p in profiles]))
            .options(selectinload(Profile.intents), selectinload(Profile.available_slots))
        ).all()
    return profiles


@dataclass(frozen=True)
class PersonMeeting:
    """One of the person's meetings, as their organisers see it."""

    meeting_id: int
    starts_at: datetime  # aware, in the event's time zone
    location: str
    kind: str
    others: tuple[str, ...]
    status: IntroductionStatus  # where their answer stands (what they see, in their words)
    checked_in: bool


@dataclass(frozen=True)
class Person:
    profile: Profile
    meetings: list[PersonMeeting]
    published: bool


def person(session: Session, *, event: Event, profile_id: int) -> Person:
    """One attendee of the event with their profile and their meetings in the published
    schedule, each with the status of their answer; NotFound for anyone else."""
    profile = load_for_event(session, Profile, profile_id, event_id=event.id,
                             missing=NO_SUCH_ATTENDEE)  # fmt: skip
    if event.published_run_id is None:
        return Person(profile, [], False)
    theirs = sa.orm.aliased(MeetingSeat)
    rows = session.execute(
        sa.select(
            Meeting.id, Meeting.kind, Meeting.cancelled_at, Slot.starts_at,
            Location.name.label("place"), MeetingSeat.response, MeetingSeat.checked_in_at,
            theirs.response.label("their_response"), Profile.name.label("other"),
        )
        .join(MeetingSeat, MeetingSeat.meeting_id == Meeting.id)
        .join(Slot, Slot.id == Meeting.slot_id)
        .join(Location, Location.id == Meeting.location_id)
        .outerjoin(theirs, (theirs.meeting_id == Meeting.id)
                   & (theirs.profile_id != MeetingSeat.profile_id))
        .outerjoin(Profile, Profile.id == theirs.profile_id)
        .where(Meeting.run_id == event.published_run_id, MeetingSeat.profile_id == profile.id)
        .order_by(Slot.starts_at, Meeting.id, Profile.name)
    ).all()  # fmt: skip
    by_meeting: dict[int, list] = {}
    for row in rows:
        by_meeting.setdefault(row.id, []).append(row)
    zone = event.zone
    meetings = [
        PersonMeeting(
            meeting_id=m,
            starts_at=found[0].starts_at.replace(tzinfo=zone),
            location=found[0].place,
            kind=found[0].kind,
            others=tuple(r.other for r in found if r.other),
            status=status_of(
                found[0].kind,
                found[0].cancelled_at is not None,
                found[0].response,
                [found[0].response, *(r.their_response for r in found if r.their_response)],
            ),
            checked_in=found[0].checked_in_at is not None,
        )  # fmt: skip
        for m, found in by_meeting.items()
    ]
    return Person(profile, meetings, True)
