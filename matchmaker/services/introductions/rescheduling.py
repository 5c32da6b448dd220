"""Another time for a one-to-one: either person lists the slots to come where both are free
and a table is, and suggests one; the other confirms it (the meeting moves there, under the
same calendar UID with its sequence raised, and the suggester is told) or keeps the time it
has. Nobody learns more of the other than what the free times show."""

import dataclasses
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.engine.refill import times_to_move
from matchmaker.models import Event, Meeting, MeetingSeat, Profile, Slot, TimeSuggestion
from matchmaker.services.core import calendar_ids
from matchmaker.services.core.messages import Mail, Notice, render_mail, say
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.services.introductions.reading import my_meeting
from matchmaker.services.planning import adapter, publishing, refills
from matchmaker.services.planning.event_model import event_model
from matchmaker.vocabulary import N_, MeetingKind, Response, TimeSuggestionState

GROUPS_KEEP_TIME = N_("A small-group meetup keeps its time: only one-to-ones can move.")
NOT_TAKING_PLACE = N_("This meeting no longer takes place.")
BEGUN = N_("This meeting has begun: its time can no longer change.")
NOTHING_OPEN = N_("There is no suggestion of another time to answer (it may have been withdrawn).")
NO_LONGER_FREE = N_(
    "That time is no longer free for both of you (or no table is free then): the meeting "
    "stays as it was. Suggest another time if you like."
)


@dataclass(frozen=True)
class FreeTime:
    """A slot both people of a meeting are free in, with a table free then."""

    slot_id: int
    starts_at: datetime  # aware, in the event's time zone
    ends_at: datetime


@dataclass(frozen=True)
class Suggestion:
    """The open suggestion of another time for a meeting, as one of its people reads it."""

    by_me: bool
    by_name: str
    starts_at: datetime  # aware, in the event's time zone
    ends_at: datetime


@dataclass(frozen=True)
class OtherTimes:
    """What the reader can do about their meeting's time."""

    why_fixed: str  # why its time cannot change ('' if it can)
    times: list[FreeTime]
    open: Suggestion | None


def _why_fixed(event: Event, seat: MeetingSeat, meeting: Meeting, now: datetime) -> str:
    """Why this meeting's time cannot change for the reader ('' if it can)."""
    if meeting.kind != MeetingKind.ONE_TO_ONE:
        return GROUPS_KEEP_TIME
    if meeting.cancelled_at is not None or seat.response in (Response.DECLINED, Response.DROPPED):
        return NOT_TAKING_PLACE
    if meeting.slot.starts_at_aware() <= now:
        return BEGUN
    return ""


def _free_times(session: Session, event: Event, meeting: Meeting, now: datetime):
    """The slots to come the meeting could move to, each with its table: [(Slot, location
    id)], in time order (the engine's `times_to_move` on the part of the plan it touches)."""
    slots = [s for s in refills.slots_to_come(event, now) if s.id != meeting.slot_id]
    people = [s.profile_id for s in meeting.seats]
    if not slots:
        return []
    others = refills.plan_near(session, meeting.run, people=people,
                               slot_ids=[s.id for s in slots], leaving_out=meeting.id)  # fmt: skip
    known = event_model(session, event)
    keys = [adapter.person_key(p) for p in people]
    inputs = adapter.engine_inputs(
        event, known.attendees(keys), refills.rules_of(session, meeting.run)
    )
    by_key = {adapter.slot_key(s.id): s for s in slots}
    found = times_to_move(inputs.event, refills.as_engine_meeting(meeting), inputs.attendees,
                          others, list(by_key))  # fmt: skip
    return [(by_key[slot], adapter.row_id(table)) for slot, table in found]


def _open(session: Session, meeting_id: int) -> TimeSuggestion | None:
    return session.scalar(
        sa.select(TimeSuggestion)
        .where(
            TimeSuggestion.meeting_id == meeting_id,
            TimeSuggestion.state == TimeSuggestionState.OPEN,
        )
        .order_by(TimeSuggestion.id.desc())
        .limit(1)
    )


def open_suggestion(session: Session, *, user_id: int, meeting_id: int, zone) -> Suggestion | None:
    """The suggestion of another time waiting for an answer on a meeting the caller has
    already found to be this user's, if any, in one query."""
    row = session.execute(
        sa.select(Profile.name, Profile.user_id, Slot.starts_at, Slot.ends_at)
        .select_from(TimeSuggestion)
        .join(Profile, Profile.id == TimeSuggestion.by_id)
        .join(Slot, Slot.id == TimeSuggestion.slot_id)
        .where(
            TimeSuggestion.meeting_id == meeting_id,
            TimeSuggestion.state == TimeSuggestionState.OPEN,
        )
        .order_by(TimeSuggestion.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return Suggestion(
        by_me=row.user_id == user_id,
        by_name=row.name,
        starts_at=row.starts_at.replace(tzinfo=zone),
        ends_at=row.ends_at.replace(tzinfo=zone),
    )


def other_times(
    session: Session, *, slug: str, user_id: int, meeting_id: int, now: datetime, list_times=True
) -> OtherTimes:
    """For one of the attendee's meetings: whether its time can change, the times both are
    free (with `list_times`), and the suggestion waiting for an answer, if any."""
    profile, seat, meeting = my_meeting(
        session, slug=slug, user_id=user_id, meeting_id=meeting_id, now=now
    )
    event = profile.event
    why = _why_fixed(event, seat, meeting, now)
    if why:
        return OtherTimes(why, [], None)
    zone = event.zone
    times = [
        FreeTime(slot.id, slot.starts_at.replace(tzinfo=zone), slot.ends_at.replace(tzinfo=zone))
        for slot, _ in (_free_times(session, event, meeting, now) if list_times else [])
    ]
    waiting = open_suggestion(session, user_id=user_id, meeting_id=meeting.id, zone=zone)
    return OtherTimes("", times, waiting)


def suggest(
    session: Session,
    *,
    slug: str,
    user_id: int,
    meeting_id: int,
    slot_id: int | None,
    now: datetime,
    notice: Notice,
) -> TimeSuggestion:
    """Suggest moving one of the attendee's one-to-ones to another slot where both are free;
    the other person is told and confirms or keeps the time. A suggestion replaces any
    earlier one of the meeting still open (flush only)."""
    profile, seat, meeting = my_meeting(
        session, slug=slug, user_id=user_id, meeting_id=meeting_id, now=now, lock=True
    )
    event = profile.event
    if why := _why_fixed(event, seat, meeting, now):
        raise Conflict(why)
    free = {slot.id: slot for slot, _ in _free_times(session, event, meeting, now)}
    if slot_id not in free:
        raise Invalid(
            {"slot_id": [N_("Choose one of the times listed: both of you are free then.")]}
        )
    for earlier in session.scalars(
        sa.select(TimeSuggestion).where(
            TimeSuggestion.meeting_id == meeting.id,
            TimeSuggestion.state == TimeSuggestionState.OPEN,
        )
    ):
        earlier.state, earlier.answered_at = TimeSuggestionState.VOID, now
    made = TimeSuggestion(meeting_id=meeting.id, by_id=profile.id, slot_id=slot_id, created_at=now)
    session.add(made)
    session.flush()
    slot = free[slot_id]
    for other in (s.profile for s in meeting.seats if s.profile_id != profile.id):
        notice.mailer.send(
            Mail(
                to=other.user.email,
                subject=say(
                    other.user.language,
                    N_("%(event)s: %(name)s suggests another time"),
                    event=event.name,
                    name=profile.name,
                ),
                body=render_mail(
                    "another_time",
                    other.user.language,
                    event=event,
                    reader=other.name,
                    by=profile.name,
                    was=meeting.slot.starts_at,
                    now=slot.starts_at,
                    place=meeting.location.name,
                    link=notice.schedule_link,
                ),
            )
        )
    return made


def answer(
    session: Session,
    *,
    slug: str,
    user_id: int,
    meeting_id: int,
    confirm: bool,
    now: datetime,
    notice: Notice,
) -> TimeSuggestion:
    """Answer the suggestion of another time for one of the attendee's one-to-ones: the
    other person confirms it (the meeting moves to that slot, to a table free then, both
    count as having accepted, and the suggester is told what changed) or keeps the time it
    has; the suggester can withdraw it. A time no longer free is a Conflict, and the
    suggestion is closed (flush only)."""
    profile, seat, meeting = my_meeting(
        session, slug=slug, user_id=user_id, meeting_id=meeting_id, now=now, lock=True
    )
    event = profile.event
    waiting = _open(session, meeting.id)
    if waiting is None:
        raise Conflict(NOTHING_OPEN)
    if confirm and waiting.by_id == profile.id:
        raise Conflict(N_("You suggested this time: the other person confirms it."))
    waiting.answered_at = now
    if not confirm:
        waiting.state = TimeSuggestionState.KEPT
        session.flush()
        return waiting
    if why := _why_fixed(event, seat, meeting, now):
        waiting.state = TimeSuggestionState.VOID
        raise Conflict(why)
    free = {slot.id: table for slot, table in _free_times(session, event, meeting, now)}
    if waiting.slot_id not in free:
        waiting.state = TimeSuggestionState.VOID
        raise Conflict(NO_LONGER_FREE)
    _move(session, event, meeting, waiting.slot_id, free[waiting.slot_id], [waiting.by_id], notice)
    for each in meeting.seats:
        if each.response != Response.ACCEPTED:
            each.response, each.responded_at = Response.ACCEPTED, now
    waiting.state = TimeSuggestionState.MOVED
    session.flush()
    return waiting


def _move(session, event, meeting: Meeting, slot_id: int, location_id: int, told, notice) -> None:
    """Move the meeting, judged by the checker first, and tell `told` (profile ids) what
    changed for them."""
    was = refills.as_engine_meeting(meeting)
    moved = dataclasses.replace(
        was, slot=adapter.slot_key(slot_id), location=adapter.location_key(location_id)
    )
    known = event_model(session, event)
    inputs = adapter.engine_inputs(
        event, known.attendees(list(was.attendees)), refills.rules_of(session, meeting.run)
    )
    refills.check_new_meetings(session, meeting.run, inputs.event, [moved], replacing=was)
    before = publishing.schedules(session, meeting.run_id, told)
    calendar_ids.move(event, meeting, slot_id=slot_id, location_id=location_id)
    meeting.pinned = True  # what both agreed stays where it is when the plan is made again
    session.flush()
    publishing.tell(session, event, before, [], told, notice)
