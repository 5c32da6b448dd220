"""At the table: "I'm here" on the meeting page or by the table's code, and when a one-to-one
partner has not checked in five minutes after the start, "find someone else": a standby pick
among the people who checked in today and are free now, under the refill's rules, started at
once at the same table. Both people are told at once (the page, and a message to the one
picked); the partner who did not come reads only that the meeting will not take place."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.engine.refill import standby_pick
from matchmaker.models import Event, Location, Meeting, MeetingSeat, Profile, Slot, profile_slots
from matchmaker.models.event import location_id_of
from matchmaker.services.core import calendar_ids
from matchmaker.services.core.messages import Mail, Notice, render_mail, say
from matchmaker.services.core.moments import aware, to_store
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.services.introductions.reading import my_meeting, to_reader
from matchmaker.services.people.attendance import get_own_profile
from matchmaker.services.planning import adapter, refills
from matchmaker.services.planning.event_model import event_model
from matchmaker.vocabulary import N_, MeetingKind, MeetingOrigin, Response

# "I'm here" opens this long before the start, and a partner counts as not come this long after.
CHECK_IN_OPENS = timedelta(minutes=15)
NO_SHOW_AFTER = timedelta(minutes=5)
NOT_NOW = N_("You can check in from 15 minutes before the meeting until it ends.")
NOT_TAKING_PLACE = N_("This meeting no longer takes place.")
NOBODY_FREE = N_(
    "Nobody who has checked in is free for you right now. Stay a few minutes, or try again: "
    "people check in all the time."
)


@dataclass(frozen=True)
class AtTheTable:
    """What the meeting page offers its reader at the table."""

    checked_in_at: datetime | None
    can_check_in: bool
    # Checked in, five minutes past the start, and the partner has not checked in.
    can_find_someone_else: bool


def _window(event: Event, meeting: Meeting) -> tuple[datetime, datetime]:
    return meeting.slot.starts_at_aware(), meeting.slot.ends_at.replace(tzinfo=event.zone)


def _taking_place(seat: MeetingSeat) -> bool:
    return seat.meeting.cancelled_at is None and seat.response not in (
        Response.DECLINED,
        Response.DROPPED,
    )


def at_the_table(
    session: Session, *, slug: str, user_id: int, meeting_id: int, now: datetime
) -> AtTheTable:
    """Whether the reader has checked in at this meeting, can check in now, or can ask for
    someone else because their partner has not come."""
    profile, seat, meeting = my_meeting(
        session, slug=slug, user_id=user_id, meeting_id=meeting_id, now=now
    )
    starts, ends = _window(profile.event, meeting)
    open_now = _taking_place(seat) and starts - CHECK_IN_OPENS <= now < ends
    partner_missing = (
        meeting.kind == MeetingKind.ONE_TO_ONE
        and seat.checked_in_at is not None
        and now >= starts + NO_SHOW_AFTER
        and all(s.checked_in_at is None for s in meeting.seats if s is not seat)
    )
    return AtTheTable(
        checked_in_at=aware(seat.checked_in_at) if seat.checked_in_at else None,
        can_check_in=open_now and seat.checked_in_at is None,
        can_find_someone_else=open_now and partner_missing,
    )


def check_in(session: Session, *, slug: str, user_id: int, meeting_id: int, now: datetime) -> None:
    """ "I'm here" at one of the reader's meetings, from 15 minutes before it until it ends
    (saying it twice keeps the first time); flush only."""
    profile, seat, meeting = my_meeting(
        session, slug=slug, user_id=user_id, meeting_id=meeting_id, now=now
    )
    if not _taking_place(seat):
        raise Conflict(NOT_TAKING_PLACE)
    starts, ends = _window(profile.event, meeting)
    if not starts - CHECK_IN_OPENS <= now < ends:
        raise Conflict(NOT_NOW)
    if seat.checked_in_at is None:
        seat.checked_in_at = to_store(now)
        session.flush()


def meeting_at(session: Session, *, slug: str, user_id: int, code: str, now: datetime) -> int:
    """The reader's meeting at the table with this code now (from 15 minutes before its start
    until its end), or else their next one there today; NotFound for an unknown code, Invalid
    when they have none there now."""
    profile = get_own_profile(session, slug=slug, user_id=user_id)
    event = profile.event
    location = _location(session, event, code)
    local = now.astimezone(event.zone).replace(tzinfo=None)
    found = session.execute(
        sa.select(Meeting.id, Slot.starts_at)
        .join(MeetingSeat, MeetingSeat.meeting_id == Meeting.id)
        .join(Slot, Slot.id == Meeting.slot_id)
        .where(
            Meeting.run_id == event.published_run_id,
            Meeting.location_id == location.id,
            Meeting.cancelled_at.is_(None),
            MeetingSeat.profile_id == profile.id,
            Slot.ends_at > local,
            Slot.starts_at < datetime.combine(local.date() + timedelta(days=1), time()),
        )
        .order_by(Slot.starts_at)
        .limit(1)
    ).first()
    if found is None:
        raise Invalid({"code": [f"You have no meeting at {location.name} for the rest of today."]})
    return found.id


def check_in_by_code(session: Session, *, slug: str, user_id: int, code: str, now: datetime) -> int:
    """Check in at the reader's meeting at the table with this code now; returns the
    meeting's id (flush only)."""
    meeting_id = meeting_at(session, slug=slug, user_id=user_id, code=code, now=now)
    try:
        check_in(session, slug=slug, user_id=user_id, meeting_id=meeting_id, now=now)
    except Conflict as error:
        raise Invalid({"code": [str(error)]}) from error
    return meeting_id


def _location(session: Session, event: Event, code: str) -> Location:
    location_id = location_id_of(code or "")
    location = session.get(Location, location_id) if location_id else None
    if location is None or location.event_id != event.id or location.retired_at is not None:
        raise Invalid(
            {"code": [N_("No table or room of this event has that code: check the sign.")]}
        )
    return location


def _present_and_free(session: Session, event: Event, meeting: Meeting, now: datetime):
    """The people who checked in today or said they are free now, and are free in the
    meeting's slot: in no meeting there that takes place, or waiting at one whose partner has
    not come (profile id -> that meeting, or None)."""
    day = meeting.slot.starts_at.date()
    present = set(
        session.scalars(
            sa.select(MeetingSeat.profile_id)
            .join(Meeting, Meeting.id == MeetingSeat.meeting_id)
            .join(Slot, Slot.id == Meeting.slot_id)
            .where(
                Meeting.run_id == event.published_run_id,
                MeetingSeat.checked_in_at.is_not(None),
                Slot.starts_at >= _midnight(day),
                Slot.starts_at < _midnight(day + timedelta(days=1)),
            )
        )
    )
    # Those who said they are free now count as present too.
    present |= set(
        session.scalars(
            sa.select(Profile.id).where(
                Profile.event_id == event.id, Profile.free_until > to_store(now)
            )
        )
    )
    here: dict[int, list] = {}
    for meeting_id, profile_id, checked_in, kind in session.execute(
        sa.select(Meeting.id, MeetingSeat.profile_id, MeetingSeat.checked_in_at, Meeting.kind)
        .join(MeetingSeat, MeetingSeat.meeting_id == Meeting.id)
        .where(
            Meeting.run_id == event.published_run_id,
            Meeting.slot_id == meeting.slot_id,
            Meeting.cancelled_at.is_(None),
        )
    ):
        here.setdefault(meeting_id, []).append((profile_id, checked_in, kind))
    busy: dict[int, int | None] = {}
    late = now >= meeting.slot.starts_at_aware() + NO_SHOW_AFTER
    for meeting_id, seats in here.items():
        waiting = (
            late
            and seats[0][2] == MeetingKind.ONE_TO_ONE
            and sum(checked is not None for _, checked, _ in seats) == 1
        )
        for profile_id, checked, _ in seats:
            busy[profile_id] = meeting_id if waiting and checked is not None else -1
    return {p: (None if p not in busy else busy[p]) for p in present if busy.get(p) != -1}


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def find_someone_else(
    session: Session,
    *,
    slug: str,
    user_id: int,
    meeting_id: int,
    now: datetime,
    notice: Notice,
) -> Meeting | None:
    """The reader checked in, five minutes have passed since the start, and their partner
    has not checked in: the meeting is taken out, and the best match among the people
    present and free now starts a new one with them at once at the same table (judged by
    the checker; both count as having accepted). The one picked is mailed where to go. None
    when nobody fits (the meeting then stays). Flush only."""
    profile, seat, meeting = my_meeting(
        session, slug=slug, user_id=user_id, meeting_id=meeting_id, now=now, lock=True
    )
    event = profile.event
    state = at_the_table(session, slug=slug, user_id=user_id, meeting_id=meeting_id, now=now)
    if not state.can_find_someone_else:
        raise Conflict(
            N_(
                "You can look for someone else once you have checked in and five minutes have "
                "passed since the start without the other person checking in."
            )
        )
    run = meeting.run
    free = _present_and_free(session, event, meeting, now)
    free.pop(profile.id, None)
    partner = next(s.profile_id for s in meeting.seats if s is not seat)
    free.pop(partner, None)
    known = event_model(session, event)
    me = adapter.person_key(profile.id)
    people = known.attendees([me, *(adapter.person_key(p) for p in sorted(free))])
    inputs = adapter.engine_inputs(event, people, refills.rules_of(session, run))
    missed = [meeting.id, *(m for m in free.values() if m is not None)]
    counts = one_to_ones(session, run.id, [profile.id, *free], leaving_out=missed)
    made = standby_pick(
        inputs.event, next(a for a in people if a.id == me), [a for a in people if a.id != me],
        adapter.slot_key(meeting.slot_id), adapter.location_key(meeting.location_id),
        met_pairs(session, run.id, profile.id), counts, known.model,
    )  # fmt: skip
    if made is None:
        return None
    picked = adapter.row_id(next(p for p in made.attendees if p != me))
    calendar_ids.cancel(meeting, now)
    if free[picked] is not None:
        calendar_ids.cancel(session.get(Meeting, free[picked]), now)
    mark_free_in(session, picked, meeting.slot_id)
    session.flush()
    refills.check_new_meetings(session, run, inputs.event, [made])
    answered = {p: now for p in made.attendees}
    row = refills.meeting_row(
        run, made, MeetingOrigin.STANDBY, dict.fromkeys(made.attendees, Response.ACCEPTED),
        answered,
    )  # fmt: skip
    session.add(row)
    session.flush()
    next(s for s in row.seats if s.profile_id == profile.id).checked_in_at = to_store(now)
    _tell_picked(session, event, row, profile, picked, notice)
    session.flush()
    return row


def one_to_ones(session: Session, run_id: int, people: list[int], leaving_out: list[int]):
    """Each person's one-to-ones that take place (engine ids), but the meetings missed."""
    rows = session.execute(
        sa.select(MeetingSeat.profile_id, sa.func.count())
        .join(Meeting, Meeting.id == MeetingSeat.meeting_id)
        .where(
            Meeting.run_id == run_id,
            Meeting.cancelled_at.is_(None),
            Meeting.kind == MeetingKind.ONE_TO_ONE,
            Meeting.id.not_in(leaving_out),
            MeetingSeat.profile_id.in_(people),
        )
        .group_by(MeetingSeat.profile_id)
    )
    return {adapter.person_key(p): n for p, n in rows}


def met_pairs(session: Session, run_id: int, profile_id: int) -> set[frozenset[str]]:
    """The pairs this person had a meeting in (taken place or not)."""
    mine, theirs = sa.orm.aliased(MeetingSeat), sa.orm.aliased(MeetingSeat)
    others = session.scalars(
        sa.select(theirs.profile_id)
        .join(mine, (mine.meeting_id == theirs.meeting_id) & (mine.profile_id == profile_id))
        .join(Meeting, Meeting.id == theirs.meeting_id)
        .where(Meeting.run_id == run_id, theirs.profile_id != profile_id)
    )
    me = adapter.person_key(profile_id)
    return {frozenset((me, adapter.person_key(p))) for p in others}


def mark_free_in(session: Session, profile_id: int, slot_id: int) -> None:
    """Record that someone present and free now is free in this slot (they are)."""
    known = session.scalar(
        sa.select(sa.func.count())
        .select_from(profile_slots)
        .where(profile_slots.c.profile_id == profile_id, profile_slots.c.slot_id == slot_id)
    )
    if not known:
        session.execute(sa.insert(profile_slots).values(profile_id=profile_id, slot_id=slot_id))


def _tell_picked(session, event, row: Meeting, seeker: Profile, picked: int, notice) -> None:
    """The one picked learns at once where to go, who waits, and why they should meet."""
    them = session.get(Profile, picked)
    language = them.user.language
    notice.mailer.send(
        Mail(
            to=them.user.email,
            subject=say(language, N_("%(event)s: %(name)s is waiting for you now at %(place)s"),
                        event=event.name, name=seeker.name, place=row.location.name),
            body=render_mail(
                "standby", language, event=event, reader=them.name, seeker=seeker.name,
                place=row.location.name, link=notice.schedule_link,
                reasons=to_reader(row.reasons, row.kind, them.name, [seeker.name]),
            ),
        )
    )  # fmt: skip
