"""What an attendee reads of their introductions: the meetings proposed to them with who,
when, where, why and how to start, each with its status in their terms, and why they have
none when they have none."""

import functools
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager, load_only, selectinload

from matchmaker.catalogue import N_
from matchmaker.engine import explain
from matchmaker.models import (
    Event,
    Location,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    Profile,
    Slot,
    Tag,
    profile_tags,
)
from matchmaker.services.errors import NotFound
from matchmaker.services.introductions.deadline import settle_if_due
from matchmaker.services.introductions.reconnect import Reconnect, reconnect_here
from matchmaker.services.people.attendance import get_own_profile
from matchmaker.services.planning.adapter import person_key
from matchmaker.services.planning.refills import lock_run
from matchmaker.vocabulary import AttendeeFormat, IntroductionStatus, MeetingKind, Response


@dataclass(frozen=True)
class Person:
    """What an introduction shows of another attendee: their profile, never their answers."""

    name: str
    headline: str
    company: str
    interests: tuple[str, ...]
    looking_for: str
    can_help: str


@dataclass(frozen=True)
class Introduction:
    """One meeting as the attendee sees it, with their own private answer and notes."""

    meeting_id: int
    kind: str
    starts_at: datetime  # aware, in the event's time zone
    ends_at: datetime
    location: str
    people: tuple[Person, ...]
    topic: str
    reasons: tuple[str, ...]
    starters: tuple[str, ...]
    status: IntroductionStatus
    my_response: str
    outcome: str | None
    rating: int | None
    note: str
    has_begun: bool
    # The partner asked to meet the reader from the directory, with this note ("" for none);
    # None: the plan (or a refill) proposed it.
    request_note: str | None = None

    @property
    def takes_place(self) -> bool:
        return self.status in TAKING_PLACE

    @property
    def can_answer(self) -> bool:
        return self.kind == MeetingKind.ONE_TO_ONE and self.takes_place and not self.has_begun


TAKING_PLACE = (
    IntroductionStatus.PROPOSED,
    IntroductionStatus.ACCEPTED,
    IntroductionStatus.CONFIRMED,
    IntroductionStatus.GROUP,
)


@dataclass(frozen=True)
class Introductions:
    profile: Profile
    event: Event
    published: bool
    items: list[Introduction]
    why_none: str | None
    deadline: datetime | None
    reconnect: list[Reconnect]

    @property
    def taking_place(self) -> list[Introduction]:
        return [item for item in self.items if item.takes_place]


def status_of(kind: str, cancelled: bool, mine: str, responses: list[str]) -> IntroductionStatus:
    """What an introduction's status is for one person, from the meeting and the answers."""
    if kind == MeetingKind.GROUP:
        return IntroductionStatus.OFF if cancelled else IntroductionStatus.GROUP
    if mine in (Response.DECLINED, Response.DROPPED):
        return IntroductionStatus(mine)
    if cancelled:
        return IntroductionStatus.OFF
    if all(r == Response.ACCEPTED for r in responses):
        return IntroductionStatus.CONFIRMED
    if mine == Response.ACCEPTED:
        return IntroductionStatus.ACCEPTED
    return IntroductionStatus.PROPOSED


# Between interest names in one column: a control character, which no tag holds.
_TAG_SEPARATOR = "\x1f"


@functools.cache
def _items_query(one_meeting: bool, interests: bool) -> sa.Select:
    """The attendee's introductions as rows, built once (aliases are costly to build per
    request): a row per meeting and other person in it, for the user `user_id` in the
    published run of the event `slug` (and only the meeting `meeting_id`, if `one_meeting`)."""
    mine, theirs = sa.orm.aliased(MeetingSeat), sa.orm.aliased(MeetingSeat)
    other = sa.orm.aliased(Profile)
    tags = (
        sa.select(sa.func.aggregate_strings(Tag.name, _TAG_SEPARATOR))
        .join(profile_tags, profile_tags.c.tag_id == Tag.id)
        .where(profile_tags.c.profile_id == other.id)
        .scalar_subquery()
        if interests
        else sa.null()
    )
    # The note of the partner's request to meet the reader, when they asked for this one.
    asked = (
        sa.select(MeetingRequest.note)
        .where(MeetingRequest.meeting_id == Meeting.id, MeetingRequest.asked_id == mine.profile_id)
        .limit(1)
        .scalar_subquery()
    )
    query = (
        sa.select(
            Meeting.id, Meeting.kind, Meeting.topic, Meeting.reasons, Meeting.starters,
            Meeting.cancelled_at, Slot.starts_at, Slot.ends_at, Location.name.label("place"),
            mine.response, mine.outcome, mine.rating, mine.note,
            theirs.response.label("their_response"), theirs.position.label("their_position"),
            other.name, other.headline, other.company, other.looking_for, other.can_help,
            tags.label("tags"), asked.label("request_note"),
        )
        .select_from(mine)
        .join(Meeting, Meeting.id == mine.meeting_id)
        .join(Slot, Slot.id == Meeting.slot_id)
        .join(Location, Location.id == Meeting.location_id)
        .outerjoin(
            theirs, (theirs.meeting_id == Meeting.id) & (theirs.profile_id != mine.profile_id)
        )
        .outerjoin(other, other.id == theirs.profile_id)
    )  # fmt: skip
    me, here = sa.orm.aliased(Profile), sa.orm.aliased(Event)
    query = (
        query.join(me, me.id == mine.profile_id)
        .join(here, (here.id == me.event_id) & (here.published_run_id == Meeting.run_id))
        .where(me.user_id == sa.bindparam("user_id"), here.slug == sa.bindparam("slug"))
    )
    if one_meeting:
        query = query.where(Meeting.id == sa.bindparam("meeting_id"))
    return query


@functools.cache
def _page_query(one_meeting: bool, interests: bool) -> sa.Select:
    """What an attendee's introductions read, in one statement built once: their profile at
    the event `slug` with the event, whether they had a profile at an earlier event, and the
    rows of `_items_query` (none: one row with NULLs in their place)."""
    items = _items_query(one_meeting, interests).subquery()
    them, there = sa.orm.aliased(Profile), sa.orm.aliased(Event)
    earlier = (
        sa.select(them.id)
        .join(there, there.id == them.event_id)
        .where(
            them.user_id == Profile.user_id,
            them.event_id != Profile.event_id,
            there.starts_on <= Event.starts_on,
        )
        .exists()
    )
    return (
        sa.select(Profile, earlier.label("had_earlier"), items)
        .join(Event, Event.id == Profile.event_id)
        .outerjoin(items, sa.true())
        .where(Event.slug == sa.bindparam("slug"), Profile.user_id == sa.bindparam("user_id"))
        .options(
            load_only(
                Profile.event_id,
                Profile.user_id,
                Profile.name,
                Profile.format,
                Profile.hidden,
                Profile.completed_at,
                Profile.free_until,
            ),
            contains_eager(Profile.event).load_only(
                Event.slug,
                Event.name,
                Event.venue,
                Event.timezone,
                Event.starts_on,
                Event.ends_on,
                Event.published_run_id,
                Event.response_deadline,
                Event.responses_settled_at,
            ),
        )  # fmt: skip
        .order_by(items.c.id, items.c.their_position)
    )


def _read_page(
    session: Session, slug: str, user_id: int, now: datetime, meeting_id: int | None, full: bool
) -> tuple[Profile, bool, list]:
    """The attendee's profile (with its event), whether they had an earlier event, and the
    rows of their introductions, settled first if the deadline has passed."""
    values = {"slug": slug, "user_id": user_id}
    if meeting_id is not None:
        values["meeting_id"] = meeting_id
    query = _page_query(meeting_id is not None, full)
    rows = session.execute(query, values).all()
    if not rows:
        raise NotFound(N_("You have not joined this event. Use the join link the organisers sent."))
    profile = rows[0][0]
    if settle_if_due(session, profile.event, now):
        rows = session.execute(query, values).all()  # the answers the deadline settled
    return profile, rows[0].had_earlier, [row for row in rows if row.id is not None]


def _items_of(found, event: Event, now: datetime, reader: str) -> list[Introduction]:
    """Introductions from the rows of `_items_query`, in time order; a one-to-one's reasons
    and starters written to `reader` (the attendee's name: "you", and the partner by name)."""
    rows: dict[int, list] = {}
    for row in found:
        rows.setdefault(row.id, []).append(row)
    zone = event.zone
    items = []
    for meeting_rows in rows.values():
        m = meeting_rows[0]
        seats = [r for r in meeting_rows if r.their_response is not None]
        starts = m.starts_at.replace(tzinfo=zone)
        items.append(
            Introduction(
                meeting_id=m.id,
                kind=m.kind,
                starts_at=starts,
                ends_at=m.ends_at.replace(tzinfo=zone),
                location=m.place,
                people=tuple(
                    Person(
                        name=o.name,
                        headline=o.headline,
                        company=o.company,
                        interests=tuple(sorted(o.tags.split(_TAG_SEPARATOR))) if o.tags else (),
                        looking_for=o.looking_for,
                        can_help=o.can_help,
                    )
                    for o in seats
                ),  # fmt: skip
                topic=m.topic,
                reasons=tuple(to_reader(m.reasons, m.kind, reader, [s.name for s in seats])),
                starters=tuple(to_reader(m.starters, m.kind, reader, [s.name for s in seats])),
                status=status_of(
                    m.kind,
                    m.cancelled_at is not None,
                    m.response,
                    [m.response, *(o.their_response for o in seats)],
                ),  # fmt: skip
                my_response=m.response,
                outcome=m.outcome,
                rating=m.rating,
                note=m.note,
                has_begun=starts <= now,
                request_note=m.request_note,
            )
        )
    return sorted(items, key=lambda i: (i.starts_at, i.location, i.meeting_id))


def to_reader(lines, kind: str, reader: str, others: list[str]) -> list[str]:
    """A meeting's reasons or starters as `reader` reads them: a one-to-one's in the second
    person with the partner by name (`explain.for_reader`), a group's as they are."""
    if kind != MeetingKind.ONE_TO_ONE or len(others) != 1:
        return list(lines or [])
    return explain.for_reader(list(lines or []), reader, others[0])


def my_seats(session: Session, profile: Profile, meeting_id: int | None = None):
    event = profile.event
    if event.published_run_id is None:
        return []
    query = (
        sa.select(MeetingSeat)
        .join(Meeting)
        .where(Meeting.run_id == event.published_run_id, MeetingSeat.profile_id == profile.id)
        .options(
            selectinload(MeetingSeat.meeting).selectinload(Meeting.slot),
            selectinload(MeetingSeat.meeting).selectinload(Meeting.location),
            selectinload(MeetingSeat.meeting)
            .selectinload(Meeting.seats)
            .selectinload(MeetingSeat.profile)
            .selectinload(Profile.tags),
        )
        # As the database has them now, not as read earlier in the transaction (a decline
        # reads its meeting again once it holds the run's lock).
        .execution_options(populate_existing=True)
    )
    if meeting_id is not None:
        query = query.where(Meeting.id == meeting_id)
    return session.scalars(query).all()


def my_meeting(
    session: Session,
    *,
    slug: str,
    user_id: int,
    meeting_id: int,
    now: datetime,
    lock: bool = False,
) -> tuple[Profile, MeetingSeat, Meeting]:
    """The attendee's profile, their seat and the meeting (of the published plan), answers
    settled if the deadline has passed; NotFound for anyone else's. `lock`: first hold the
    run's lock, as declines and refills do."""
    profile = get_own_profile(session, slug=slug, user_id=user_id)
    event = profile.event
    settle_if_due(session, event, now)
    if lock and event.published_run_id is not None:
        lock_run(session, event.published_run_id)
    seats = my_seats(session, profile, meeting_id)
    if not seats:
        raise NotFound(N_("You have no such meeting at this event."))
    return profile, seats[0], seats[0].meeting


def my_introductions(
    session: Session, *, slug: str, user_id: int, now: datetime, full: bool = True
) -> Introductions:
    """The attendee's introductions at an event, by time; with none, why, in their terms.
    Without `full` (the schedule), no interests and no people to reconnect with."""
    profile, had_earlier, rows = _read_page(session, slug, user_id, now, None, full)
    event = profile.event
    items = _items_of(rows, event, now, profile.name)
    published = event.published_run_id is not None
    why_none = None
    if not any(i.takes_place for i in items):
        why_none = why_no_meetings(profile, event, had_meetings=bool(items))
    return Introductions(
        profile=profile,
        event=event,
        published=published,
        items=items,
        why_none=why_none,
        deadline=event.response_deadline_aware(),
        reconnect=reconnect_here(session, profile) if full and had_earlier else [],
    )


def my_introduction(
    session: Session, *, slug: str, user_id: int, meeting_id: int, now: datetime
) -> tuple[Event, Introduction]:
    """One of the attendee's own introductions, with its event (NotFound for anyone else's)."""
    profile, _, rows = _read_page(session, slug, user_id, now, meeting_id, True)
    items = _items_of(rows, profile.event, now, profile.name)
    if not items:
        raise NotFound(N_("You have no such meeting at this event."))
    return profile.event, items[0]


def why_no_meetings(profile: Profile, event: Event, had_meetings: bool = False) -> str:
    """Why an attendee has no meeting, in their terms, and what to change (the plan's
    metrics list the people it planned for who got none: anyone else came after it)."""
    if event.published_run_id is None:
        return N_(
            "The organisers have not published the introductions yet. You will get an email "
            "when they do."
        )
    if not profile.is_complete:
        return N_("You have not filled in your profile yet, so nobody could be matched with you.")
    if profile.hidden:
        return N_(
            "You hid your profile from introductions. Show it again on the “Your data” page, "
            "then save your profile to be offered introductions with people free when you are."
        )
    if not profile.available_slots:
        return N_("You marked no free slots. Mark the times you are free in your profile.")
    formats = {s.format for s in profile.available_slots}
    if profile.format != AttendeeFormat.ANY and profile.format not in formats:
        if profile.format == AttendeeFormat.GROUP:
            return N_(
                "You asked for small groups only, and none of the times you marked free is "
                "for small groups. Mark more free times, or accept either kind of meeting."
            )
        return N_(
            "You asked for one-to-one meetings only, and none of the times you marked free is "
            "for one-to-one meetings. Mark more free times, or accept either kind of meeting."
        )
    if had_meetings:
        return N_(
            "Your introductions here no longer take place, and nobody else who suits you is "
            "free at those times. Saving your profile with more free times looks again."
        )
    run = event.published_run
    planned_for = set((run.metrics or {}).get("attendees_without_meeting", [])) if run else set()
    if run is not None and person_key(profile.id) not in planned_for:
        return N_(
            "You joined after the schedule was made, and nobody free at the times you marked "
            "could still meet you. Mark more free times and save your profile to look again."
        )
    return N_(
        "Nobody free at the same times as you was a close enough match this time. More free "
        "times or more interests in your profile give the next run more to work with."
    )
